package token_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions/authentication/token"
)

// req is a GET of /x with query, header (name, value pairs) and cookies
// (name, value pairs).
func req(query string, header []string, cookies ...string) *http.Request {
	target := "/x"
	if query != "" {
		target += "?" + query
	}
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	for i := 0; i+1 < len(cookies); i += 2 {
		r.AddCookie(&http.Cookie{Name: cookies[i], Value: cookies[i+1]})
	}
	return r
}

func h(kv ...string) []string { return kv }

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

const (
	tokA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	tokB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	tokC = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
)

func TestWhereFind(t *testing.T) {
	long := strings.Repeat("x", token.MaxTokenBytes+1)
	atMax := strings.Repeat("y", token.MaxTokenBytes)
	custom := token.Where{Params: []string{"tok"}, Headers: []string{"X-Tok"}, Cookies: []string{"tok"}}
	cases := []struct {
		name    string
		where   token.Where
		r       *http.Request
		tok, in string
	}{
		{"nothing", token.Where{}, req("", nil), "", ""},
		{"access_token query", token.Where{}, req("access_token="+tokA, nil), tokA, "query"},
		{"query, escaped", token.Where{}, req("a=1&access_token=a%2Db&b=2", nil), "a-b", "query"},
		{"X-Access-Token", token.Where{}, req("", h("X-Access-Token", tokA)), tokA, "header"},
		{"x-access-token, any case", token.Where{}, req("", h("x-access-token", tokA)), tokA, "header"},
		{"Authorization raw", token.Where{}, req("", h("Authorization", tokA)), tokA, "header"},
		{"Bearer raw", token.Where{}, req("", h("Authorization", "Bearer "+tokA)), tokA, "header"},
		{"Bearer, spaces trimmed", token.Where{}, req("", h("Authorization", "Bearer   "+tokA)), tokA, "header"},
		{"Bearer base64 is returned as sent", token.Where{}, req("", h("Authorization", "Bearer "+b64(tokA))), b64(tokA), "header"},
		{"lower-case bearer is raw", token.Where{}, req("", h("Authorization", "bearer "+tokA)), "bearer " + tokA, "header"},
		{"Basic token:", token.Where{}, req("", h("Authorization", "Basic "+b64(tokA+":"))), tokA, "header"},
		{"Basic :token", token.Where{}, req("", h("Authorization", "Basic "+b64(":"+tokA))), tokA, "header"},
		{"Basic user:token", token.Where{}, req("", h("Authorization", "Basic "+b64("token:"+tokA))), tokA, "header"},
		{"Basic token:pass", token.Where{}, req("", h("Authorization", "Basic "+b64(tokA+":pass"))), tokA, "header"},
		{"Basic equal parts: the user", token.Where{}, req("", h("Authorization", "Basic "+b64("abc:xyz"))), "abc", "header"},
		{"Basic without colon", token.Where{}, req("", h("Authorization", "Basic "+b64(tokA))), tokA, "header"},
		{"basic, any case", token.Where{}, req("", h("Authorization", "bASIC "+b64(tokA+":"))), tokA, "header"},
		{"Basic, not base64", token.Where{}, req("", h("Authorization", "Basic !!!")), "", "header"},
		{"access_token cookie", token.Where{}, req("", nil, "access_token", tokA), tokA, "cookie"},
		{"authorization cookie", token.Where{}, req("", nil, "authorization", tokA), tokA, "cookie"},

		{"query before headers", token.Where{}, req("access_token="+tokA, h("X-Access-Token", tokB), "access_token", tokC), tokA, "query"},
		{"headers before cookies", token.Where{}, req("", h("Authorization", tokB), "access_token", tokC), tokB, "header"},
		{"X-Access-Token before Authorization", token.Where{}, req("", h("Authorization", tokB, "X-Access-Token", tokA)), tokA, "header"},
		{"access_token cookie before authorization", token.Where{}, req("", nil, "authorization", tokB, "access_token", tokA), tokA, "cookie"},
		{"first of repeated query values", token.Where{}, req("access_token="+tokA+"&access_token="+tokB, nil), tokA, "query"},

		{"custom param first", custom, req("access_token="+tokB+"&tok="+tokA, nil), tokA, "query"},
		{"custom header first", custom, req("", h("Authorization", tokB, "X-Tok", tokA)), tokA, "header"},
		{"custom cookie first", custom, req("", nil, "access_token", tokB, "tok", tokA), tokA, "cookie"},
		{"defaults still read", custom, req("", h("X-Access-Token", tokB)), tokB, "header"},
		{"query before a custom header", custom, req("access_token="+tokB, h("X-Tok", tokA)), tokB, "query"},
		{"several custom keys in order", token.Where{Params: []string{"p1", "p2"}}, req("p2="+tokB+"&p1="+tokA, nil), tokA, "query"},

		{"NoDefaultKeys: defaults ignored", token.Where{NoDefaultKeys: true, Headers: []string{"X-Tok"}},
			req("access_token="+tokB, h("Authorization", tokB, "X-Access-Token", tokB), "access_token", tokB), "", ""},
		{"NoDefaultKeys: own keys read", token.Where{NoDefaultKeys: true, Headers: []string{"X-Tok"}},
			req("access_token="+tokB, h("X-Tok", tokA)), tokA, "header"},

		{"empty query value skipped", token.Where{}, req("access_token=", h("X-Access-Token", tokA)), tokA, "header"},
		{"empty custom param skipped", custom, req("tok=&access_token="+tokA, nil), tokA, "query"},
		{"empty header skipped", token.Where{}, req("", h("X-Access-Token", "", "Authorization", tokA)), tokA, "header"},
		{"empty cookie skipped", token.Where{}, req("", nil, "access_token", "", "authorization", tokA), tokA, "cookie"},

		{"over-long query ignored", token.Where{}, req("access_token="+long, h("X-Access-Token", tokA)), tokA, "header"},
		{"over-long header ignored", token.Where{}, req("", h("X-Access-Token", long, "Authorization", tokA)), tokA, "header"},
		{"over-long cookie ignored", token.Where{}, req("", nil, "access_token", long, "authorization", tokA), tokA, "cookie"},
		{"only over-long values", token.Where{}, req("access_token="+long, h("Authorization", long), "access_token", long), "", ""},
		{"a value of MaxTokenBytes is read", token.Where{}, req("access_token="+atMax, nil), atMax, "query"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, in := c.where.Find(c.r)
			if tok != c.tok || in != c.in {
				t.Fatalf("Find = %q, %q; want %q, %q", tok, in, c.tok, c.in)
			}
		})
	}
}

func TestWhereFindWithoutURL(t *testing.T) {
	r := &http.Request{Header: http.Header{"X-Access-Token": {tokA}}}
	if tok, in := (token.Where{}).Find(r); tok != tokA || in != "header" {
		t.Fatalf("Find = %q, %q", tok, in)
	}
	r = &http.Request{URL: &url.URL{Path: "/"}}
	if tok, in := (token.Where{}).Find(r); tok != "" || in != "" {
		t.Fatalf("Find = %q, %q", tok, in)
	}
}

func TestStrategyWhere(t *testing.T) {
	s := token.NewStrategy(memoryStore(t, token.StoreOptions{}), token.Options{Where: token.Where{Params: []string{"tok"}}})
	w := s.Where()
	if strings.Join(w.Params, ",") != "tok,access_token" ||
		strings.Join(w.Headers, ",") != "X-Access-Token,Authorization" ||
		strings.Join(w.Cookies, ",") != "access_token,authorization" || !w.NoDefaultKeys {
		t.Fatalf("Where = %+v", w)
	}
	if s.Name() != "token" || token.NewStrategy(s.Store(), token.Options{Name: "lb3"}).Name() != "lb3" {
		t.Fatal("the strategy's name")
	}
	none := token.NewStrategy(s.Store(), token.Options{Where: token.Where{NoDefaultKeys: true}}).Where()
	if len(none.Params)+len(none.Headers)+len(none.Cookies) != 0 {
		t.Fatalf("NoDefaultKeys: %+v", none)
	}
}
