package token_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions/authentication/token"
)

func TestRedactedURI(t *testing.T) {
	cases := []struct {
		uri  string
		keys []string
		want string
	}{
		{"/todos", nil, "/todos"},
		{"/todos?", nil, "/todos?"},
		{"/todos/1?x=short", nil, "/todos/1?x=short"},
		{"/a%20b?access_token=" + tokA, nil, "/a%20b?access_token=[REDACTED]"},
		{"/x?a=1&access_token=" + tokA + "&b=2", nil, "/x?a=1&access_token=[REDACTED]&b=2"},
		{"/x?access_token=" + tokA + "&access_token=" + tokB, nil, "/x?access_token=[REDACTED]&access_token=[REDACTED]"},
		{"/x?access%5Ftoken=" + tokA, nil, "/x?access%5Ftoken=[REDACTED]"},
		{"/x?access_token=" + tokA + "%zz&y=%zz", nil, "/x?access_token=[REDACTED]&y=%zz"},
		{"/x?access_token=", nil, "/x?access_token=[REDACTED]"},
		{"/x?access_token&filter=%7B%7D", nil, "/x?access_token&filter=%7B%7D"},
		{"/x?Access_Token=abc", nil, "/x?Access_Token=abc"},
		{"/x?tok=" + tokA + "&access_token=" + tokB, []string{"tok"}, "/x?tok=[REDACTED]&access_token=[REDACTED]"},
		{"/x?tok=" + tokA, nil, "/x?tok=" + tokA},
		{"/x?&&=a&access_token=" + tokA + "&", nil, "/x?&&=a&access_token=[REDACTED]&"},
	}
	for _, c := range cases {
		u, err := url.ParseRequestURI(c.uri)
		if err != nil {
			t.Fatal(err)
		}
		if got := token.RedactedURI(u, c.keys...); got != c.want {
			t.Errorf("RedactedURI(%q, %q) = %q, want %q", c.uri, c.keys, got, c.want)
		}
	}
}

// A redacted URI's query reads [REDACTED] wherever a token was, and the
// same everywhere else.
func TestRedactedURIParses(t *testing.T) {
	u, _ := url.ParseRequestURI("/x?filter=%7B%22where%22%3A%7B%7D%7D&access_token=" + tokA + "&tok=" + tokB + "&z=%2B")
	got, err := url.ParseRequestURI(token.RedactedURI(u, "tok"))
	if err != nil {
		t.Fatal(err)
	}
	q, want := got.Query(), u.Query()
	if q.Get("access_token") != token.Redaction || q.Get("tok") != token.Redaction {
		t.Fatalf("query = %v", q)
	}
	if q.Get("filter") != want.Get("filter") || q.Get("z") != "+" || got.Path != "/x" {
		t.Fatalf("query = %v, want the rest of %v", q, want)
	}
	if strings.Contains(got.String(), tokA) || strings.Contains(got.String(), tokB) {
		t.Fatalf("%s holds a token", got)
	}
}
