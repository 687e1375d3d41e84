package openapi

import (
	"github.com/loomhq/loom/actions/params"
)

// withoutBody is fields less the body, for an input whose body is not a
// typed value: its requestBody is written by otherBody.
func withoutBody(fields []params.Field) []params.Field {
	out := fields[:0:0]
	for _, f := range fields {
		if f.In != "body" {
			out = append(out, f)
		}
	}
	return out
}

// consumedTypes lists a typed body under every media type the route
// accepts, with the JSON schema: a form or a custom parser's document is
// decoded into the same value. A route restricted to types without JSON
// loses its application/json entry.
func consumedTypes(content map[string]any, consumes []string) {
	media, ok := content["application/json"]
	if !ok || len(consumes) == 0 {
		return
	}
	keepJSON := false
	for _, mt := range consumes {
		if mt == "application/json" {
			keepJSON = true
			continue
		}
		if _, has := content[mt]; !has {
			content[mt] = shallowCopy(media)
		}
	}
	if !keepJSON {
		delete(content, "application/json")
	}
}

func shallowCopy(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, val := range m {
		if k == "example" || k == "examples" {
			continue // an example is written as JSON
		}
		out[k] = val
	}
	return out
}

// otherBody writes the requestBody of a text, raw, stream or multipart
// body: a string, binary data, or a multipart form of binary files, under
// each media type the route accepts.
func otherBody(o map[string]any, d *params.Decoder) {
	var schema map[string]any
	switch d.BodyKind() {
	case "text":
		schema = map[string]any{"type": "string"}
	case "raw", "stream":
		schema = map[string]any{"type": "string", "format": "binary"}
	case "multipart":
		schema = map[string]any{
			"type": "object",
			"additionalProperties": map[string]any{
				"oneOf": []any{
					map[string]any{"type": "string", "format": "binary"},
					map[string]any{"type": "array", "items": map[string]any{"type": "string", "format": "binary"}},
					map[string]any{"type": "string"},
				},
			},
		}
	default:
		return
	}
	content := map[string]any{}
	for _, mt := range d.Consumes() {
		content[mt] = map[string]any{"schema": schema, "x-parser": d.BodyKind()}
	}
	body := map[string]any{"content": content}
	for _, f := range d.Fields() {
		if f.In == "body" && f.Required {
			body["required"] = true
		}
	}
	o["requestBody"] = body
}
