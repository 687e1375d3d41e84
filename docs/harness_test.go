package docs_test

import (
	"go/types"
	"path/filepath"
	"strings"
	"testing"
)

// checkPage runs the harness on one made-up page.
func checkPage(t *testing.T, imp types.Importer, page string) error {
	t.Helper()
	blocks := parseBlocks("page.md", []byte(page))
	if len(blocks) != 1 {
		t.Fatalf("found %d blocks, want 1", len(blocks))
	}
	return check(blocks[0], imp, "..")
}

func TestHarness(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	imp := exportImporter(t, root, []string{"github.com/loomhq/loom/repository/sql"})
	t.Run("a fragment without a marker fails", func(t *testing.T) {
		err := checkPage(t, imp, "```go\nrest.WithController(NewTodoController)\n```\n")
		if err == nil || !strings.Contains(err.Error(), "needs a marker") {
			t.Fatalf("got %v, want an error asking for a marker", err)
		}
	})
	t.Run("an unknown mode fails", func(t *testing.T) {
		err := checkPage(t, imp, "<!-- go: statements -->\n```go\nx := 1\n```\n")
		if err == nil || !strings.Contains(err.Error(), "unknown marker mode") {
			t.Fatalf("got %v, want an unknown mode", err)
		}
	})
	t.Run("a fragment that does not type-check fails, naming the page's line", func(t *testing.T) {
		err := checkPage(t, imp, "text\n\n<!-- go: inside func main() -->\n```go\nrest.WithControler(NewTodoController)\n```\n")
		if err == nil || !strings.Contains(err.Error(), "page.md:5") {
			t.Fatalf("got %v, want an error at page.md:5", err)
		}
	})
	t.Run("a statement fragment may leave its variables unused", func(t *testing.T) {
		err := checkPage(t, imp, "<!-- go: inside func main() -->\n```go\napp, err := rest.New(rest.WithController(NewTodoController))\n```\n")
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a whole file may not leave an import unused", func(t *testing.T) {
		err := checkPage(t, imp, "```go\npackage main\n\nimport \"fmt\"\n```\n")
		if err == nil || !strings.Contains(err.Error(), "not used") {
			t.Fatalf("got %v, want an unused import", err)
		}
	})
	t.Run("a body with results may stop before its return", func(t *testing.T) {
		err := checkPage(t, imp, "<!-- go: inside func(ctx context.Context, in CreateInput) (*Todo, error) -->\n```go\nif in.Title == \"\" {\n\treturn nil, httperr.UnprocessableEntity(\"title is empty\")\n}\n```\n")
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a declaration of the block replaces the stand-in of that name", func(t *testing.T) {
		err := checkPage(t, imp, "<!-- go: decls -->\n```go\ntype Todo struct{ Done bool }\n\nvar _ = Todo{Done: true}\n```\n")
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a quote of Loom's code fails once the code changes", func(t *testing.T) {
		err := checkPage(t, imp, "<!-- go: decls; from sequence/sequence.go -->\n```go\nfunc (s *DefaultSequence) Handle(rc *loomctx.RequestContext) {}\n```\n")
		if err == nil || !strings.Contains(err.Error(), "no longer holds") {
			t.Fatalf("got %v, want a stale quote", err)
		}
	})
	t.Run("a marker's import names an ambiguous package", func(t *testing.T) {
		err := checkPage(t, imp, "<!-- go: inside func main(); import github.com/loomhq/loom/repository/sql -->\n```go\nconn, err := sql.Open(\"sqlite::memory:\", sql.Options{})\n```\n")
		if err != nil {
			t.Fatal(err)
		}
	})
}
