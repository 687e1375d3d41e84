package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// GeoPoint is a place as the US Census geocoder reports it: x is the
// longitude, y the latitude.
type GeoPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Geocoder turns an address into places. It is a service, bound like any
// other binding, so a test or another deployment swaps it in one line.
type Geocoder interface {
	Geocode(ctx context.Context, address string) ([]GeoPoint, error)
}

// CensusGeocoder asks the US Census geocoder, as LoopBack's tutorial does
// with its REST data source.
type CensusGeocoder struct {
	baseURL string
	client  *http.Client
}

// DefaultGeocoderURL is the US Census geocoder.
const DefaultGeocoderURL = "https://geocoding.geo.census.gov"

// NewCensusGeocoder builds the geocoder from the configuration.
func NewCensusGeocoder(cfg Config) Geocoder {
	base := cfg.GeocoderURL
	if base == "" {
		base = DefaultGeocoderURL
	}
	return &CensusGeocoder{baseURL: base, client: &http.Client{Timeout: 10 * time.Second}}
}

// Geocode returns the places matching address, best first; none when the
// address cannot be found.
func (g *CensusGeocoder) Geocode(ctx context.Context, address string) ([]GeoPoint, error) {
	q := url.Values{"format": {"json"}, "benchmark": {"Public_AR_Current"}, "address": {address}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		g.baseURL+"/geocoder/locations/onelineaddress?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("geocoder: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("geocoder: %s answered %s", g.baseURL, resp.Status)
	}
	var body struct {
		Result struct {
			AddressMatches []struct {
				Coordinates GeoPoint `json:"coordinates"`
			} `json:"addressMatches"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("geocoder: unreadable answer: %w", err)
	}
	points := make([]GeoPoint, len(body.Result.AddressMatches))
	for i, m := range body.Result.AddressMatches {
		points[i] = m.Coordinates
	}
	return points, nil
}
