package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"gopkg.in/yaml.v2"
)

// Document is a built OpenAPI document, encoded once as JSON and as
// YAML. Its servers entry can be rewritten per request at the cost of
// three writes: the encodings are kept split around the server URL.
// A Document is immutable and safe for concurrent use.
type Document struct {
	version   string
	serverURL string
	json      split
	yaml      split
}

// split is an encoding cut around the server URL's quoted literal.
type split struct{ head, tail []byte }

// placeholder stands for the server URL while the document is encoded.
const placeholder = "LOOM-SERVER-URL-PLACEHOLDER"

// topLevel is the order of the document's first keys; others follow
// alphabetically.
var topLevel = []string{"openapi", "info", "servers", "paths", "components"}

func newDocument(doc map[string]any, cfg Config) (*Document, error) {
	doc["openapi"] = cfg.OpenAPI
	doc["servers"] = []any{map[string]any{"url": placeholder}}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range doc {
			if !slices.Contains(topLevel, k) && !yield(k) {
				return
			}
		}
	})
	keys = append(slices.DeleteFunc(slices.Clone(topLevel), func(k string) bool { _, ok := doc[k]; return !ok }), keys...)

	var buf bytes.Buffer
	buf.WriteString("{\n")
	for i, k := range keys {
		var v bytes.Buffer
		enc := json.NewEncoder(&v)
		enc.SetEscapeHTML(false)
		enc.SetIndent("  ", "  ")
		if err := enc.Encode(doc[k]); err != nil {
			return nil, fmt.Errorf("openapi: encode %s: %w", k, err)
		}
		fmt.Fprintf(&buf, "  %q: %s", k, bytes.TrimSuffix(v.Bytes(), []byte("\n")))
		if i < len(keys)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("}\n")
	jsonSplit, err := cut(buf.Bytes(), `"`+placeholder+`"`)
	if err != nil {
		return nil, err
	}

	ordered := make(yaml.MapSlice, 0, len(keys))
	for _, k := range keys {
		ordered = append(ordered, yaml.MapItem{Key: k, Value: yamlValue(doc[k])})
	}
	y, err := yaml.Marshal(ordered)
	if err != nil {
		return nil, fmt.Errorf("openapi: encode as YAML: %w", err)
	}
	yamlSplit, err := cut(y, placeholder)
	if err != nil {
		return nil, err
	}
	serverURL := cfg.BasePath
	if serverURL == "" {
		serverURL = "/"
	}
	return &Document{version: cfg.OpenAPI, serverURL: serverURL, json: jsonSplit, yaml: yamlSplit}, nil
}

func cut(b []byte, sep string) (split, error) {
	head, tail, ok := bytes.Cut(b, []byte(sep))
	if !ok || bytes.Contains(tail, []byte(sep)) {
		return split{}, fmt.Errorf("openapi: the servers entry is not found once in the encoded document")
	}
	return split{head: slices.Clip(head), tail: tail}, nil
}

// yamlValue turns decoded JSON into values yaml.v2 writes faithfully:
// numbers as numbers, objects with sorted keys.
func yamlValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(yaml.MapSlice, 0, len(v))
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range v {
				if !yield(k) {
					return
				}
			}
		}) {
			out = append(out, yaml.MapItem{Key: k, Value: yamlValue(v[k])})
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = yamlValue(e)
		}
		return out
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	}
	return v
}

// OpenAPI is the specification's version, 3.0.3 or 3.1.0.
func (d *Document) OpenAPI() string { return d.version }

// ServerURL is the URL of the document's default server: the base path,
// or /.
func (d *Document) ServerURL() string { return d.serverURL }

// JSON is the document as indented JSON, with the default server.
func (d *Document) JSON() []byte { return d.json.join(d.serverURL) }

// YAML is the document as YAML, with the default server.
func (d *Document) YAML() []byte { return d.yaml.join(d.serverURL) }

// WriteJSON writes the document as JSON with serverURL as its server.
func (d *Document) WriteJSON(w io.Writer, serverURL string) error { return d.json.write(w, serverURL) }

// WriteYAML writes the document as YAML with serverURL as its server.
func (d *Document) WriteYAML(w io.Writer, serverURL string) error { return d.yaml.write(w, serverURL) }

// quote is url as a JSON string, which is also a YAML double-quoted
// scalar.
func quote(url string) []byte {
	b, _ := json.Marshal(url)
	return b
}

func (s split) join(url string) []byte {
	var b bytes.Buffer
	_ = s.write(&b, url)
	return b.Bytes()
}

func (s split) write(w io.Writer, url string) error {
	if _, err := w.Write(s.head); err != nil {
		return err
	}
	if _, err := w.Write(quote(url)); err != nil {
		return err
	}
	_, err := w.Write(s.tail)
	return err
}
