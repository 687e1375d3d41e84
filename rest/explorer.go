package rest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/swaggest/swgui"
	"github.com/swaggest/swgui/v5emb"
)

// ExplorerConfig is the API Explorer, LoopBack's @loopback/rest-explorer:
// a Swagger UI of the served document. Its assets are embedded in the
// binary (swaggest/swgui, Swagger UI 5), so the page requests nothing
// outside the server. The zero value serves it at /explorer/, under the
// base path; /explorer redirects there. The page refers to its assets
// and to the document by relative URLs, so it also works behind a proxy
// that serves the application under a path prefix. The page is served
// as text/html; charset=utf-8, with X-Frame-Options: DENY and a
// Content-Security-Policy that allows only the server's own assets and
// the page's inline scripts.
type ExplorerConfig struct {
	// Disabled serves no explorer. It is also off when the document is.
	Disabled bool
	// Path is where the explorer is served; empty means /explorer.
	Path string
}

// explorer serves Swagger UI at its path, pointing at the document.
type explorer struct {
	path    string // with the base path, without a trailing slash
	ui      http.Handler
	docLink string // the document, relative to the explorer's page
	page    []byte // the page, rendered once
	csp     []string
}

// The page's headers: it is HTML in UTF-8, it may not be framed (no
// clickjacking of its "Try it out" buttons), and its Content-Security-Policy
// lets it run only the assets the server serves and its own two inline
// scripts, named by their hashes. Swagger UI styles its elements inline,
// hence 'unsafe-inline' for styles; its icons are data: URLs.
var (
	htmlUTF8    = []string{"text/html; charset=utf-8"}
	frameDeny   = []string{"DENY"}
	explorerCSP = "default-src 'none'; script-src 'self'%s; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

// newExplorer makes the explorer at base+cfg.Path, showing the document
// served at base+docPath; nil when disabled.
func newExplorer(cfg ExplorerConfig, base, docPath string) *explorer {
	if cfg.Disabled {
		return nil
	}
	rel := strings.Trim(pathOr(cfg.Path, "/explorer"), "/")
	if rel == "" {
		rel = "explorer"
	}
	// A relative link keeps working behind a proxy that moves the prefix.
	link := strings.Repeat("../", strings.Count(rel, "/")+1) + strings.TrimPrefix(docPath, "/")
	path := base + "/" + rel
	ui := v5emb.NewHandlerWithConfig(swgui.Config{
		Title:       "API Explorer",
		SwaggerJSON: link,
		// The page names its assets relative to itself, so that a proxy
		// serving the application under a prefix serves them too.
		BasePath:         "./",
		InternalBasePath: path + "/",
		SettingsUI: map[string]string{
			// Show the schemas, as LoopBack's explorer does.
			"defaultModelsExpandDepth": "1",
		},
	})
	page := renderPage(ui, path+"/")
	return &explorer{path: path, ui: ui, docLink: link, page: page,
		csp: []string{fmt.Sprintf(explorerCSP, scriptHashes(page))}}
}

// renderPage is the page ui serves at path: it depends on the
// configuration only, so it is rendered once.
func renderPage(ui http.Handler, path string) []byte {
	var rec bodyRecorder
	ui.ServeHTTP(&rec, &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path}, Header: http.Header{}})
	return rec.body
}

// scriptHashes names the inline scripts of page for a
// Content-Security-Policy: " 'sha256-…'" for each.
func scriptHashes(page []byte) string {
	var out strings.Builder
	rest := string(page)
	for {
		i := strings.Index(rest, "<script>")
		if i < 0 {
			return out.String()
		}
		rest = rest[i+len("<script>"):]
		j := strings.Index(rest, "</script>")
		if j < 0 {
			return out.String()
		}
		sum := sha256.Sum256([]byte(rest[:j]))
		out.WriteString(" 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'")
		rest = rest[j:]
	}
}

// serve answers the explorer's page and assets, and redirects its bare
// path to the page as LoopBack does (301, Location: ./explorer/).
func (e *explorer) serve(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	if !strings.HasPrefix(p, e.path) {
		return false
	}
	rest := p[len(e.path):]
	switch {
	case rest == "":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return false
		}
		loc := "./" + e.path[strings.LastIndexByte(e.path, '/')+1:] + "/"
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", loc) // relative, as LoopBack's: it survives a proxy's prefix
		w.WriteHeader(http.StatusMovedPermanently)
		return true
	case rest[0] != '/':
		return false
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "", http.StatusMethodNotAllowed)
		return true
	}
	if rest == "/" {
		h := w.Header()
		h["Content-Type"] = htmlUTF8
		h["X-Frame-Options"] = frameDeny
		h["Content-Security-Policy"] = e.csp
		h.Set("Content-Length", strconv.Itoa(len(e.page)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(e.page)
		}
		return true
	}
	e.ui.ServeHTTP(w, r)
	return true
}
