// Command geocoder stands in for the US Census geocoder, so that step 7 of
// the Todo tutorial can be tried without an internet connection. It answers
// the Census's one-line address search, in the Census's JSON, for the
// addresses the tutorial uses, and finds no other.
//
//	go run github.com/loomhq/loom/docs/tutorials/todo/geocoder   # http://127.0.0.1:3001
//	PORT=3002 go run github.com/loomhq/loom/docs/tutorials/todo/geocoder
//
// Point the application at it with GEOCODER_URL=http://127.0.0.1:3001.
// Ctrl-C stops it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// match is one entry of the Census's addressMatches: x is the longitude,
// y the latitude.
type match struct {
	MatchedAddress string `json:"matchedAddress"`
	Coordinates    struct {
		X float64 `json:"x"`
		Y float64 `json:"y"`
	} `json:"coordinates"`
}

// places are the addresses the stand-in knows, by their normalized form.
var places = map[string]match{}

func init() {
	for _, p := range []struct {
		address, matched string
		x, y             float64
	}{
		{"1 New Orchard Road, Armonk, 10504", "1 NEW ORCHARD RD, ARMONK, NY, 10504", -73.7215, 41.1101},
		{"1600 Pennsylvania Ave NW, Washington, DC 20500", "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500", -77.0365, 38.8977},
	} {
		var m match
		m.MatchedAddress = p.matched
		m.Coordinates.X, m.Coordinates.Y = p.x, p.y
		places[normalize(p.address)] = m
	}
}

// normalize lets an address match whatever its case, commas and spacing.
func normalize(address string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(address, ",", " "))), " ")
}

// handler answers GET /geocoder/locations/onelineaddress?format=json&address=…
// as the Census does: a match for a known address, an empty list otherwise.
func handler(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/geocoder/locations/onelineaddress" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if q.Get("format") != "json" || q.Get("address") == "" {
		http.Error(w, "the stand-in answers format=json with an address only", http.StatusBadRequest)
		return
	}
	address := q.Get("address")
	matches := []match{}
	if m, ok := places[normalize(address)]; ok {
		matches = append(matches, m)
	}
	log.Printf("%q: %d match(es)", address, len(matches))
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"result": map[string]any{
		"input":          map[string]any{"address": map[string]string{"address": address}},
		"addressMatches": matches,
	}})
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("geocoder: ")
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

// run serves on HOST:PORT (127.0.0.1:3001 by default) until SIGINT or
// SIGTERM.
func run() error {
	host, port := os.Getenv("HOST"), os.Getenv("PORT")
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3001"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	l, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(handler), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	fmt.Printf("geocoder stand-in listening on http://%s\n", l.Addr())
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
