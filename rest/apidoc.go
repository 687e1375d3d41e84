package rest

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/rest/openapi"
)

// OpenAPIConfig is the API document the server serves, built once at
// start-up from the registered routes (see package rest/openapi). Its
// zero value serves an OpenAPI 3.0 document at /openapi.json and
// /openapi.yaml, under the base path, with the base path as its server.
type OpenAPIConfig struct {
	// Disabled serves no document (and no explorer).
	Disabled bool
	// JSONPath is where the JSON document is served; empty means
	// /openapi.json.
	JSONPath string
	// YAMLPath is where the YAML document is served; empty means
	// /openapi.yaml.
	YAMLPath string
	// OpenAPIVersion is "3.0" (the default, written 3.0.3) or "3.1".
	OpenAPIVersion string
	// Title is info.title; empty means "Loom Application".
	Title string
	// Version is info.version, the API's version; empty means "1.0.0".
	Version string
	// Description is info.description.
	Description string
	// ServersFromRequest makes the document's server the URL the request
	// was sent to, with the base path, as LoopBack's
	// setServersFromRequest: http://localhost:3000/api. X-Forwarded-Proto,
	// X-Forwarded-Host and X-Forwarded-Port are honoured.
	ServersFromRequest bool
}

// apiDocs serves the API document and the explorer, before the sequence,
// as LoopBack's middleware does: API routes pay one path comparison or
// three.
type apiDocs struct {
	doc                *openapi.Document
	jsonPath, yamlPath string // with the base path
	fromRequest        bool
	basePath           string
	explorer           *explorer
}

// newAPIDocs builds the document of table's routes; nil when disabled.
func newAPIDocs(cfg Config, table *actions.RouteTable, strategies *authentication.Strategies) (*apiDocs, error) {
	oc := cfg.OpenAPI
	if oc.Disabled || table == nil {
		return nil, nil
	}
	base := trimSlash(cfg.BasePath)
	var schemes map[string]map[string]any
	if strategies != nil {
		schemes = strategies.SecuritySchemes()
	}
	doc, err := openapi.Build(table.Routes(), openapi.Config{
		OpenAPI:     oc.OpenAPIVersion,
		Title:       oc.Title,
		Version:     oc.Version,
		Description: oc.Description,
		BasePath:    base,

		SecuritySchemes: schemes,
	})
	if err != nil {
		return nil, err
	}
	d := &apiDocs{
		doc:         doc,
		jsonPath:    base + pathOr(oc.JSONPath, "/openapi.json"),
		yamlPath:    base + pathOr(oc.YAMLPath, "/openapi.yaml"),
		fromRequest: oc.ServersFromRequest,
		basePath:    base,
	}
	d.explorer = newExplorer(cfg.Explorer, base, pathOr(oc.JSONPath, "/openapi.json"))
	return d, nil
}

func pathOr(p, def string) string {
	if p == "" {
		return def
	}
	if p[0] != '/' {
		p = "/" + p
	}
	return p
}

// serve answers r when it asks for the document or the explorer.
func (d *apiDocs) serve(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	switch {
	case p == d.jsonPath:
		d.write(w, r, "application/json; charset=utf-8", d.doc.WriteJSON)
		return true
	case p == d.yamlPath:
		d.write(w, r, "text/yaml; charset=utf-8", d.doc.WriteYAML)
		return true
	}
	return d.explorer != nil && d.explorer.serve(w, r)
}

func (d *apiDocs) write(w http.ResponseWriter, r *http.Request, contentType string, write func(io.Writer, string) error) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h := w.Header()
		h.Set("Allow", "GET, HEAD")
		h.Set("Content-Type", "application/json; charset=utf-8")
		err := httperr.Newf(http.StatusMethodNotAllowed, "Endpoint %q does not answer %s; it answers GET, HEAD.", r.URL.Path, r.Method)
		actions.WriteJSON(w, http.StatusMethodNotAllowed, httperr.EnvelopeOf(err, false))
		return
	}
	url := d.doc.ServerURL()
	if d.fromRequest {
		url = requestBaseURL(r) + d.basePath
	}
	w.Header().Set("Content-Type", contentType)
	if r.Method == http.MethodHead {
		return
	}
	_ = write(w, url)
}

// requestBaseURL is the scheme and host the client sent r to, as
// LoopBack's getRequestedBaseUrl: X-Forwarded-Proto, -Host and -Port
// (their first values) when a proxy set them, else the connection's.
func requestBaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := forwarded(r, "X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := forwarded(r, "X-Forwarded-Host"); h != "" {
		host = h
	}
	if port := forwarded(r, "X-Forwarded-Port"); port != "" {
		if _, err := strconv.Atoi(port); err == nil {
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			if !(scheme == "http" && port == "80" || scheme == "https" && port == "443") {
				host = net.JoinHostPort(strings.Trim(host, "[]"), port)
			}
		}
	}
	return scheme + "://" + host
}

func forwarded(r *http.Request, name string) string {
	v, _, _ := strings.Cut(r.Header.Get(name), ",")
	return strings.TrimSpace(v)
}

// OpenAPI is the server's API document; nil when Config.OpenAPI.Disabled.
func (s *Server) OpenAPI() *openapi.Document {
	if s.docs == nil {
		return nil
	}
	return s.docs.doc
}

// OpenAPI is the application's API document, built from its routes when
// it was made; nil when Config.OpenAPI.Disabled. Its JSON method gives
// the document with the base path as server, for code generators.
func (a *Application) OpenAPI() *openapi.Document { return a.server.OpenAPI() }
