package main

import (
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
