package token

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzFind feeds Where.Find arbitrary query strings, header values and
// cookie headers, with the default and custom keys: it never panics,
// never returns more than MaxTokenBytes, and returns "" for a request
// that carries nothing. fromHeader never makes a value longer, and a
// redacted query holds no token parameter's value.
func FuzzFind(f *testing.F) {
	tok := strings.Repeat("a", IDLength)
	b64 := base64.StdEncoding.EncodeToString
	for _, seed := range [][4]string{
		{"", "", "", ""},
		{"access_token=" + tok, "", "", ""},
		{"tok=" + tok + "&access_token=x", "", "", ""},
		{"access_token=%zz;a=b", "", "", ""},
		{"", "Bearer " + tok, "", ""},
		{"", "Bearer " + b64([]byte(tok)), "", ""},
		{"", "Basic " + b64([]byte("token:"+tok)), "", ""},
		{"", "Basic " + b64([]byte(tok+":")), "", ""},
		{"", "basic !!!", "", ""},
		{"", "Basic ", "", ""},
		{"", "", tok, ""},
		{"", "", "", "access_token=" + tok},
		{"", "", "", "authorization=\"" + tok + "\"; tok=1"},
		{"", "", "", "tok=;access_token=;;="},
		{strings.Repeat("access_token=x&", 100), "Bearer " + strings.Repeat("x", MaxTokenBytes), "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	wheres := []Where{
		{},
		{Params: []string{"tok"}, Headers: []string{"X-Tok"}, Cookies: []string{"tok"}},
		{NoDefaultKeys: true, Headers: []string{"Authorization"}},
	}
	f.Fuzz(func(t *testing.T, query, authorization, xAccessToken, cookie string) {
		for _, v := range []string{authorization, xAccessToken} {
			got := fromHeader(v)
			if len(got) > len(v) {
				t.Fatalf("fromHeader(%q) = %q: longer than the value", v, got)
			}
			if v == "" && got != "" {
				t.Fatalf("fromHeader(\"\") = %q", got)
			}
		}
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/", RawQuery: query}, Header: http.Header{}}
		set := func(name, v string) {
			if v != "" {
				r.Header[name] = []string{v}
			}
		}
		set("Authorization", authorization)
		set("X-Tok", authorization)
		set("X-Access-Token", xAccessToken)
		set("Cookie", cookie)
		for _, w := range wheres {
			got, in := w.Find(r)
			if len(got) > MaxTokenBytes {
				t.Fatalf("Find returned %d bytes, more than MaxTokenBytes", len(got))
			}
			switch in {
			case "", "query", "header", "cookie":
			default:
				t.Fatalf("Find found the token in %q", in)
			}
			if got != "" && in == "" {
				t.Fatalf("Find = %q from nowhere", got)
			}
			if query == "" && authorization == "" && xAccessToken == "" && cookie == "" && (got != "" || in != "") {
				t.Fatalf("an empty request carries %q in %q", got, in)
			}
		}
		redacted, _ := url.ParseQuery(redactQuery(query, []string{"tok"}))
		for _, k := range []string{"access_token", "tok"} {
			for _, v := range redacted[k] {
				if v != Redaction && v != "" {
					t.Fatalf("redactQuery(%q) keeps %s=%q", query, k, v)
				}
			}
		}
		empty := &http.Request{URL: &url.URL{}, Header: http.Header{}}
		if got, in := (Where{}).Find(empty); got != "" || in != "" {
			t.Fatalf("an empty request carries %q in %q", got, in)
		}
	})
}
