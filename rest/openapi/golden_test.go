package openapi_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/loomhq/loom/rest/openapi"
	"github.com/loomhq/loom/rest/openapi/internal/sample"
)

var update = flag.Bool("update", false, "rewrite the golden documents in testdata/")

// The golden documents hold the whole document of the sample application
// (internal/sample): a path parameter, a validated body, filter-style
// query objects, 204 routes and a hidden route. A change to the generator
// shows as a diff here; after reviewing it, rewrite them with
//
//	go test ./rest/openapi -run TestDocument_matchesGolden -update
func TestDocument_matchesGolden(t *testing.T) {
	for _, tc := range []struct{ version, file string }{
		{"3.0", "sample.openapi30.json"},
		{"3.1", "sample.openapi31.json"},
		{"3.0", "sample.openapi30.yaml"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			// Given the sample application, when its document is built,
			doc := sampleDoc(t, openapi.Config{OpenAPI: tc.version, Title: "todo", Version: "1.0.0",
				Description: "The Todo sample of Loom's OpenAPI tests."})
			got := doc.JSON()
			if filepath.Ext(tc.file) == ".yaml" {
				got = doc.YAML()
			}
			// then it is the golden one, byte for byte.
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("the document differs from %s; review the change, then run with -update.\n%s", path, firstDiff(want, got))
			}
		})
	}
}

// TestWriteDocuments writes the sample's documents, 3.0 and 3.1, JSON and
// YAML, into the directory named by LOOM_OPENAPI_OUT, for an independent
// validator (.ci/run runs @apidevtools/swagger-parser on them):
//
//	LOOM_OPENAPI_OUT=/tmp/docs go test ./rest/openapi -run TestWriteDocuments
//	NODE_PATH=… node rest/openapi/testdata/validate.cjs /tmp/docs/*
func TestWriteDocuments(t *testing.T) {
	dir := os.Getenv("LOOM_OPENAPI_OUT")
	if dir == "" {
		t.Skip("LOOM_OPENAPI_OUT is not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"3.0", "3.1"} {
		doc := sampleDoc(t, openapi.Config{OpenAPI: v, BasePath: "/api"})
		secured := securedDoc(t, v)
		for name, data := range map[string][]byte{
			"sample-" + v + ".json": doc.JSON(), "sample-" + v + ".yaml": doc.YAML(),
			"secured-" + v + ".json": secured.JSON(),
		} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// firstDiff shows the first line that differs.
func firstDiff(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if !bytes.Equal(wl, gl) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + string(wl) + "\n  got:  " + string(gl)
		}
	}
	return ""
}

// securedDoc is the sample's document with security schemes, and
// operations that require one of two of them, one that skips
// authentication, one that names an undocumented strategy and one whose
// authentication is optional.
func securedDoc(t testing.TB, version string) *openapi.Document {
	t.Helper()
	routes := routesOf(t, sample.Controller{})
	routes[0].Authentication = []string{"basic", "jwt"}
	routes[1].Authentication = []string{"jwt"}
	routes[2].Authentication, routes[2].SkipAuthentication = []string{"jwt"}, true
	routes[3].Authentication = []string{"custom"}
	routes[4].Authentication, routes[4].AuthenticationOptional = []string{"jwt"}, true
	doc, err := openapi.Build(routes, openapi.Config{OpenAPI: version, BasePath: "/api",
		SecuritySchemes: map[string]map[string]any{
			"basic": {"type": "http", "scheme": "basic"},
			"jwt":   {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestSecurity_RequirementsOfTheDeclaredDocumentedStrategies(t *testing.T) {
	d := tree(t, securedDoc(t, "3.0"))
	schemes, _ := at(t, d, "components", "securitySchemes").(map[string]any)
	if len(schemes) != 2 || schemes["jwt"] == nil || schemes["basic"] == nil {
		t.Errorf("securitySchemes = %v", schemes)
	}
	if _, ok := at(t, d, "components", "schemas").(map[string]any); !ok {
		t.Error("the schemas are gone")
	}
	routes := routesOf(t, sample.Controller{})
	want := []string{`[map[basic:[]] map[jwt:[]]]`, `[map[jwt:[]]]`, `<nil>`, `<nil>`, `[map[jwt:[]] map[]]`}
	for i, w := range want {
		r := routes[i]
		op, _ := at(t, d, "paths", r.Path, strings.ToLower(r.Verb)).(map[string]any)
		if got := fmt.Sprint(op["security"]); got != w {
			t.Errorf("%s %s security = %s, want %s", r.Verb, r.Path, got, w)
		}
	}
}
