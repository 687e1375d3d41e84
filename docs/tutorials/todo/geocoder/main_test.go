package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func ask(t *testing.T, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	handler(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, strings.TrimSpace(rec.Body.String())
}

func search(address string) string {
	return "/geocoder/locations/onelineaddress?" +
		url.Values{"format": {"json"}, "benchmark": {"Public_AR_Current"}, "address": {address}}.Encode()
}

func TestAKnownAddressAnswersItsCoordinates(t *testing.T) {
	code, body := ask(t, search("1 new orchard road,  Armonk 10504"))
	if code != 200 || !strings.Contains(body, `"coordinates":{"x":-73.7215,"y":41.1101}`) {
		t.Errorf("%d %s", code, body)
	}
}

func TestAnUnknownAddressAnswersNoMatch(t *testing.T) {
	code, body := ask(t, search("123 Nowhere Lane"))
	if code != 200 || !strings.Contains(body, `"addressMatches":[]`) {
		t.Errorf("%d %s", code, body)
	}
}

func TestOtherPathsAreNotFound(t *testing.T) {
	if code, _ := ask(t, "/geocoder/geographies/onelineaddress?format=json&address=x"); code != 404 {
		t.Errorf("status %d, want 404", code)
	}
}

func TestASearchWithoutAnAddressIsRefused(t *testing.T) {
	if code, _ := ask(t, "/geocoder/locations/onelineaddress?format=json"); code != 400 {
		t.Errorf("status %d, want 400", code)
	}
}
