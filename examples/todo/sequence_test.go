package main

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAccessLog_CutsALongURLAndLogsItsLength(t *testing.T) {
	app, logs := stores[0].start(t)
	// Given a URL of 10,000 bytes, within the header limit but too long
	// for a log line, and a short one,
	long := "/todos/1?x=" + strings.Repeat("a", 10_000-len("/todos/1?x="))
	app.Get(long)
	app.Get("/todos/1?x=short")

	entries := logs.FilterLoggerName("access").All()
	if len(entries) != 2 {
		t.Fatalf("%d access log lines, want 2", len(entries))
	}
	// then the long one's line keeps its first 2 KB, marked as cut, and
	// its whole length,
	f := entries[0].ContextMap()
	url, _ := f["url"].(string)
	if !strings.HasPrefix(long, strings.TrimSuffix(url, "…")) || !strings.HasSuffix(url, "…") ||
		len(url) != 2048+len("…") || f["urlBytes"] != int64(10_000) {
		t.Errorf("logged url of %d bytes (%.40q…), urlBytes %v; want 2048 bytes and …, urlBytes 10000",
			len(url), url, f["urlBytes"])
	}
	if !utf8.ValidString(url) || f["status"] != int64(200) {
		t.Errorf("the line is %v", f)
	}
	// and the short one is logged whole, without a length.
	f = entries[1].ContextMap()
	if f["url"] != "/todos/1?x=short" || f["urlBytes"] != nil {
		t.Errorf("short URL logged as %v, urlBytes %v", f["url"], f["urlBytes"])
	}
}

func TestAccessLog_RedactsAnAccessToken(t *testing.T) {
	app, logs := stores[0].start(t)
	// Given a request with a LoopBack 3 access token in the query,
	const secret = "Zq4kLm9PxR2sT7vW1yB3nC5dF8gH0jK6aE4iO2uQ9rS7tV1wX3yZ5bD8fG0hJ2kL"
	app.Get("/todos?filter=%7B%7D&access_token=" + secret + "&x=1")

	// then the access log writes [REDACTED] in its place, the rest kept,
	entries := logs.FilterLoggerName("access").All()
	if len(entries) != 1 {
		t.Fatalf("%d access log lines, want 1", len(entries))
	}
	if url := entries[0].ContextMap()["url"]; url != "/todos?filter=%7B%7D&access_token=[REDACTED]&x=1" {
		t.Errorf("logged url %v", url)
	}
	// and no line holds the token.
	for _, e := range logs.All() {
		if line := e.Message + fmt.Sprint(e.ContextMap()); strings.Contains(line, secret) {
			t.Errorf("a log line holds the token: %s", line)
		}
	}
}
