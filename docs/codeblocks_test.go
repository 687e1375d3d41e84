// Package docs_test type-checks every Go code block of README.md and docs/
// against Loom as it is, so the documentation cannot drift from the API.
// The tutorials' pages are left out: the tutorial_test.go of each of
// docs/tutorials/todo, docs/tutorials/todo-list and docs/tutorials/coffee-shop
// builds and runs them step by step.
//
// A block that starts with a package clause is a whole file and compiles as
// is. Any other block says how to compile it with a comment on the line
// right before its fence:
//
//	<!-- go: decls -->                  top-level declarations
//	<!-- go: inside func main() -->     statements, the body of that function
//	<!-- go: inside func(ctx context.Context) (*Todo, error) -->
//	<!-- go: file -->                   a whole file (the default with a package clause)
//
// followed, after semicolons, by "import <path>" where a package name is
// ambiguous (sql is database/sql unless the block imports
// github.com/loomhq/loom/repository/sql), and by "from <file>" when the
// block quotes Loom's own code, which that file must hold verbatim.
// Imports are otherwise added from the package names a fragment uses
// (knownImports). A fragment's statements
// may declare variables the reader's next lines would use: unused variables
// are allowed inside functions, and nothing else is. A body with results
// may stop before its final return.
//
// Blocks run beside the reader's application: the stand-ins in
// standInApp (Todo, TodoRepository, TodoController, ...), each of which a
// block's own declaration of the same name replaces. A Go block with no
// marker and no package clause fails the test, so a new block cannot go
// unchecked.
package docs_test

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// knownImports maps the package names fragments use to their paths.
var knownImports = map[string]string{
	"actions":        "github.com/loomhq/loom/actions",
	"params":         "github.com/loomhq/loom/actions/params",
	"authentication": "github.com/loomhq/loom/actions/authentication",
	"sha256":         "crypto/sha256",
	"subtle":         "crypto/subtle",
	"controller":     "github.com/loomhq/loom/controller",
	"httperr":        "github.com/loomhq/loom/controller/httperr",
	"interceptor":    "github.com/loomhq/loom/interceptor",
	"lifecycle":      "github.com/loomhq/loom/lifecycle",
	"loomctx":        "github.com/loomhq/loom/context",
	"memory":         "github.com/loomhq/loom/repository/memory",
	"modelapi":       "github.com/loomhq/loom/controller/modelapi",
	"repository":     "github.com/loomhq/loom/repository",
	"repotest":       "github.com/loomhq/loom/repository/repotest",
	"rules":          "github.com/loomhq/loom/repository/rules",
	"rest":           "github.com/loomhq/loom/rest",
	"sequence":       "github.com/loomhq/loom/sequence",
	"fx":             "go.uber.org/fx",
	"zap":            "go.uber.org/zap",
	"db":             standInDB,
	"context":        "context",
	"bufio":          "bufio",
	"bytes":          "bytes",
	"csv":            "encoding/csv",
	"filepath":       "path/filepath",
	"io":             "io",
	"errors":         "errors",
	"fmt":            "fmt",
	"http":           "net/http",
	"httptest":       "net/http/httptest",
	"log":            "log",
	"os":             "os",
	"sql":            "database/sql",
	"strings":        "strings",
	"sync":           "sync",
	"testing":        "testing",
	"time":           "time",
}

// standInApp is the application around the fragments: what a reader of a
// page has already written. Each declaration is dropped when the block
// declares the same name.
const standInApp = `
type Todo struct {
	ID         int    ` + "`json:\"id\" loom:\"id,generated\"`" + `
	Title      string ` + "`json:\"title\" validate:\"required\"`" + `
	IsComplete bool   ` + "`json:\"isComplete\"`" + `
}

type TodoRepository struct {
	*repository.DefaultCrudRepository[Todo, int]
}

func NewTodoRepository(db *sql.DB) *TodoRepository { return nil }

type TodoController struct {
	repo  *TodoRepository
	todos *TodoRepository
}

func NewTodoController(repo *TodoRepository) *TodoController { return &TodoController{repo: repo, todos: repo} }

func (c *TodoController) Routes() []controller.Route { return nil }

func (c *TodoController) Create(ctx context.Context, in CreateInput) (*Todo, error) { return nil, nil }

func (c *TodoController) FindByID(ctx context.Context, in ByIDInput) (*Todo, error) { return nil, nil }

func (c *TodoController) DeleteByID(ctx context.Context, in ByIDInput) (controller.NoContent, error) {
	return controller.NoContent{}, nil
}

func (c *TodoController) Report(ctx context.Context, in ByIDInput) ([]byte, error) { return nil, nil }

type ReportController struct{}

func (c *ReportController) Export(ctx context.Context, in struct{}) ([]byte, error) { return nil, nil }

func (c *ReportController) Stream(ctx context.Context, in struct{}) ([]byte, error) { return nil, nil }

type CreateInput struct {
	Title string ` + "`json:\"title\"`" + `
}

type CreateTodoInput = CreateInput

type ByIDInput struct {
	ID int ` + "`path:\"id\"`" + `
}

type Greeting struct {
	Text string ` + "`json:\"text\"`" + `
}

type GreetController struct{}

func NewGreetController() *GreetController { return &GreetController{} }

func (c *GreetController) Routes() []controller.Route { return nil }

type Config struct{ URL, DatabaseURL, DataFile string }

func NewDB(cfg Config) (*memory.Connector, error) { return memory.New(memory.Options{File: cfg.DataFile}), nil }

func NewConfig() Config { return Config{} }

func OpenDB(cfg Config) (*sql.DB, error) { return sql.Open("pgx", cfg.URL) }

type DataSource struct{ DB *sql.DB }

func NewDataSource(cfg Config) *DataSource { return &DataSource{} }

func migrate(ctx context.Context, db *sql.DB) error { return nil }

type Metrics struct{}

func (m *Metrics) CountFailure(args ...any) {}

type User struct {
	Name     string
	Password string
}

var currentUser = loomctx.NewKey[*User]("auth.user")

type Authenticator struct{}

func (a *Authenticator) Authenticate(r *http.Request) (*User, error) { return nil, nil }

// verifyAdmin and NewAPIKeyStrategy are declared on the authentication
// page, and used by its later blocks.
func verifyAdmin(ctx context.Context, user, password string) (*authentication.Profile, error) {
	return nil, nil
}

func NewAPIKeyStrategy() authentication.Strategy { return nil }

type Point struct{ Lat, Lng float64 }

type Geocode func(ctx context.Context, address string) ([]Point, error)

type GeocoderService struct{}

func (s *GeocoderService) Geocode(ctx context.Context, address string) ([]Point, error) { return nil, nil }

func cacheByAddress(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) { return next() }

func logRequests(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) { return next() }

func cacheGets(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) { return next() }

func auditWrites(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) { return next() }

func validateTitle(ic *interceptor.InvocationContext, next interceptor.Next) (any, error) { return next() }

var cache sync.Map

type Settings struct{ Greeting string }

type BlobStore interface{ Put(key string, data []byte) error }

type S3Store struct{}

func (s *S3Store) Put(key string, data []byte) error { return nil }

func NewS3Store() *S3Store { return &S3Store{} }

type CSVFormatter struct{}

func NewCSVFormatter() *CSVFormatter { return &CSVFormatter{} }

func NewNegotiatingSend(next actions.Send, f *CSVFormatter) actions.Send { return next }

func NewArchiveConnector() *memory.Connector { return memory.New(memory.Options{}) }

func newMyConnector(t *testing.T) repository.Connector { return memory.New(memory.Options{}) }

var (
	PrimaryDB = loomctx.NewKey[*sql.DB]("datasources.primary")
	ReportsDB = loomctx.NewKey[*sql.DB]("datasources.reports")
)

func OpenPrimary(cfg Config) (*sql.DB, error) { return sql.Open("pgx", cfg.URL) }

func OpenReports(cfg Config) (*sql.DB, error) { return sql.Open("pgx", cfg.URL) }

type ReportRepository struct{ primary, reports *sql.DB }

type UnitOfWork struct{ db *sql.DB }

type Geocoder interface {
	Locate(ctx context.Context, address string) (Point, error)
}

func NewHTTPGeocoder() Geocoder { return nil }

type Cache struct{}

type cachingGeocoder struct {
	next  Geocoder
	cache *Cache
}

func (g *cachingGeocoder) Locate(ctx context.Context, address string) (Point, error) {
	return g.next.Locate(ctx, address)
}

// The connector's vocabulary, for a page that shows repository.Connector.
type (
	Model = repository.Model
	Data  = repository.Data
	Query = repository.Query
	Cond  = repository.Cond
)

// The fields of sequence.DefaultSequence, for a page that shows its Handle.
type DefaultSequence struct {
	FindRoute   actions.FindRoute
	ParseParams actions.ParseParams
	Invoke      actions.InvokeMethod
	Send        actions.Send
	Reject      actions.Reject

	Authenticate     authentication.Action
	InvokeMiddleware actions.InvokeMiddleware

	afterRoute func(rc *loomctx.RequestContext)
}

type StockRepository = repository.DefaultCrudRepository[Stock, string]

type OrderRepository = repository.DefaultCrudRepository[Order, int]

type Order struct {
	ID  int    ` + "`json:\"id\" loom:\"id,generated\"`" + `
	SKU string ` + "`json:\"sku\"`" + `
}

type Stock struct {
	SKU   string ` + "`json:\"sku\" loom:\"id\"`" + `
	Count int    ` + "`json:\"count\"`" + `
}
`

// standInDB is the import path of the db package some pages import: the
// data source observer of the life-cycle page, in a package of its own.
const standInDB = "example.com/app/db"

// standInDBSource is that package: what docs/concepts/lifecycle.md shows.
const standInDBSource = `package db

import (
	"context"
	"database/sql"
)

type Config struct{ URL string }

type DataSource struct {
	url string
	DB  *sql.DB
}

func NewDataSource(cfg Config) *DataSource { return &DataSource{url: cfg.URL} }

func (d *DataSource) Start(ctx context.Context) error { return nil }

func (d *DataSource) Stop(ctx context.Context) error { return nil }
`

// block is one Go code block of a page.
type block struct {
	page   string // relative to the repository, slash-separated
	line   int    // of the opening fence
	marker string // the text of the <!-- go: ... --> comment, "" if none
	code   string
}

func (b block) String() string { return fmt.Sprintf("%s:%d", b.page, b.line) }

func TestCodeBlocksCompile(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readBlocks(t, root)
	if len(blocks) == 0 {
		t.Fatal("no Go code blocks found in README.md and docs/")
	}
	imp := exportImporter(t, root, fileImports(blocks))
	for _, b := range blocks {
		t.Run(b.String(), func(t *testing.T) {
			if err := check(b, imp, root); err != nil {
				t.Errorf("%s: %v\n%s", b, err, b.code)
			}
		})
	}
}

// readBlocks returns the Go blocks of README.md and docs/**/*.md, the
// tutorials' pages aside.
func readBlocks(t *testing.T, root string) []block {
	pages := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && (rel == "docs/tutorials/todo" || rel == "docs/tutorials/todo-list" ||
			rel == "docs/tutorials/coffee-shop") {
			return filepath.SkipDir // tutorial_test.go checks these pages
		}
		if !d.IsDir() && strings.HasSuffix(rel, ".md") {
			pages = append(pages, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var blocks []block
	for _, page := range pages {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, parseBlocks(page, data)...)
	}
	return blocks
}

// parseBlocks finds the ```go fences of a page and the marker before each.
func parseBlocks(page string, data []byte) []block {
	var (
		blocks []block
		cur    *block
		prev   string
		code   strings.Builder
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```go":
			cur = &block{page: page, line: n}
			if m, ok := strings.CutPrefix(strings.TrimSpace(prev), "<!-- go:"); ok {
				if m, ok := strings.CutSuffix(m, "-->"); ok {
					cur.marker = strings.TrimSpace(m)
				}
			}
			code.Reset()
		case cur != nil && strings.TrimSpace(line) == "```":
			cur.code = code.String()
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			code.WriteString(line)
			code.WriteByte('\n')
		}
		prev = line
	}
	return blocks
}

// fileImports are the packages the whole-file blocks and the markers
// import.
func fileImports(blocks []block) []string {
	var paths []string
	for _, b := range blocks {
		if _, imports, _, err := parseMarker(b.marker); err == nil {
			for _, path := range imports {
				paths = append(paths, path)
			}
		}
		f, err := parser.ParseFile(token.NewFileSet(), "", b.code, parser.ImportsOnly)
		if err != nil {
			continue // not a file; check reports what is wrong with it
		}
		for _, spec := range f.Imports {
			if path, err := strconv.Unquote(spec.Path.Value); err == nil && path != standInDB {
				paths = append(paths, path)
			}
		}
	}
	return paths
}

// check builds the block's package, its file and the stand-ins, and
// type-checks it.
func check(b block, imp types.Importer, root string) error {
	mode, imports, from, err := parseMarker(b.marker)
	if err != nil {
		return err
	}
	if from != "" {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(from)))
		if err != nil {
			return err
		}
		if !bytes.Contains(src, []byte(b.code)) {
			return fmt.Errorf("quotes %s, which no longer holds this code", from)
		}
	}
	isFile := strings.HasPrefix(strings.TrimSpace(stripComments(b.code)), "package ")
	if mode == "" {
		if !isFile {
			return fmt.Errorf("a fragment needs a marker before its fence, such as <!-- go: decls --> or <!-- go: inside func main() -->")
		}
		mode = "file"
	}
	pkg := "main"
	// Errors point into the page: the block's first line is the fence's next.
	lineDir := fmt.Sprintf("//line %s:%d\n", b.page, b.line+1)
	var src string
	switch {
	case mode == "file":
		if !isFile {
			return fmt.Errorf("marked as a file but has no package clause")
		}
		src = lineDir + b.code
	case mode == "decls":
		src = "package main\n\n" + lineDir + b.code
	case strings.HasPrefix(mode, "inside func"):
		sig := strings.TrimSpace(strings.TrimPrefix(mode, "inside "))
		body := b.code
		if hasResults(sig) {
			body += "\n\tpanic(\"the rest of the body\")\n"
		}
		if strings.HasPrefix(sig, "func(") {
			src = "package main\n\nvar _ = " + sig + " {\n" + lineDir + body + "}\n"
		} else {
			src = "package main\n\n" + sig + " {\n" + lineDir + body + "}\n"
		}
	default:
		return fmt.Errorf("unknown marker mode %q", mode)
	}

	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "block.go", src, parser.ParseComments)
	if err != nil {
		return err
	}
	pkg = file.Name.Name
	if mode != "file" {
		file, err = addImports(fset, "block.go", src, file, imports)
		if err != nil {
			return err
		}
	}
	stand, err := standIns(fset, pkg, declaredNames(file))
	if err != nil {
		return fmt.Errorf("stand-ins: %v", err)
	}

	var errs []string
	conf := types.Config{
		Importer: imp,
		Error: func(err error) {
			te := err.(types.Error)
			if te.Soft && mode != "file" && strings.Contains(te.Msg, "declared and not used") {
				return // the reader's next lines would use it
			}
			errs = append(errs, te.Error())
		},
	}
	conf.Check(pkg, fset, []*ast.File{file, stand}, nil)
	if len(errs) > 0 {
		return fmt.Errorf("does not compile:\n\t%s", strings.Join(errs, "\n\t"))
	}
	return nil
}

// parseMarker splits "inside func main(); import github.com/..." into the
// mode, the extra imports and the file the block quotes.
func parseMarker(m string) (mode string, imports map[string]string, from string, err error) {
	if m == "" {
		return "", nil, "", nil
	}
	parts := strings.Split(m, ";")
	mode = strings.TrimSpace(parts[0])
	imports = map[string]string{}
	for _, p := range parts[1:] {
		p = strings.TrimSpace(p)
		if f, ok := strings.CutPrefix(p, "from "); ok {
			from = strings.TrimSpace(f)
			continue
		}
		path, ok := strings.CutPrefix(p, "import ")
		if !ok {
			return "", nil, "", fmt.Errorf("marker %q: want \"; import <path>\" or \"; from <file>\" after the mode", m)
		}
		path = strings.TrimSpace(path)
		imports[path[strings.LastIndex(path, "/")+1:]] = path
	}
	return mode, imports, from, nil
}

// hasResults reports whether a function signature declares results.
func hasResults(sig string) bool {
	expr, err := parser.ParseExpr(sig[strings.Index(sig, "func"):])
	if ft, ok := expr.(*ast.FuncType); ok && err == nil {
		return ft.Results != nil
	}
	// A named function or method: parse it as a declaration.
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+sig+"{}", 0)
	if err != nil || len(f.Decls) == 0 {
		return false
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	return ok && fd.Type.Results != nil
}

// stripComments drops leading comment lines, so a file may open with its
// package's doc comment.
func stripComments(code string) string {
	var out []string
	for _, l := range strings.Split(code, "\n") {
		if len(out) == 0 && (strings.HasPrefix(strings.TrimSpace(l), "//") || strings.TrimSpace(l) == "") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// addImports adds an import for each known package name the file uses and
// does not declare.
func addImports(fset *token.FileSet, name, src string, file *ast.File, extra map[string]string) (*ast.File, error) {
	var used []string
	for _, n := range usedPackages(file, extra) {
		if !imports(file, n) {
			used = append(used, n)
		}
	}
	if len(used) == 0 {
		return file, nil
	}
	var imp strings.Builder
	imp.WriteString("import (\n")
	for _, n := range used {
		path, ok := extra[n]
		if !ok {
			path = knownImports[n]
		}
		fmt.Fprintf(&imp, "\t%s %s\n", n, strconv.Quote(path))
	}
	imp.WriteString(")\n")
	// Put the imports after the package clause, keeping line numbers close.
	head, rest, _ := strings.Cut(src, "\n")
	return parser.ParseFile(fset, name, head+"\n"+imp.String()+rest, parser.ParseComments)
}

// imports reports whether the file already imports a package as name.
func imports(file *ast.File, name string) bool {
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if (spec.Name != nil && spec.Name.Name == name) || (spec.Name == nil && path[strings.LastIndex(path, "/")+1:] == name) {
			return true
		}
	}
	return false
}

// usedPackages lists the unresolved identifiers used as x in x.Sel that
// name a known package or one of extra.
func usedPackages(file *ast.File, extra map[string]string) []string {
	seen := map[string]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				_, known := knownImports[id.Name]
				if _, ok := extra[id.Name]; ok || known {
					seen[id.Name] = true
				}
			}
		}
		return true
	})
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// declaredNames are the block's top-level names: types, functions,
// variables, constants, and methods as Type.Method.
func declaredNames(file *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, d := range file.Decls {
		for _, n := range declNames(d) {
			names[n] = true
		}
	}
	return names
}

func declNames(d ast.Decl) []string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			return []string{d.Name.Name}
		}
		t := d.Recv.List[0].Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		if id, ok := t.(*ast.Ident); ok {
			return []string{id.Name + "." + d.Name.Name}
		}
	case *ast.GenDecl:
		var names []string
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			}
		}
		return names
	}
	return nil
}

// standIns is standInApp in package pkg, without what the block declares.
// A method stays only while the block does not declare its type.
func standIns(fset *token.FileSet, pkg string, declared map[string]bool) (*ast.File, error) {
	src := "package " + pkg + "\n" + standInApp
	file, err := parser.ParseFile(fset, "standins.go", src, 0)
	if err != nil {
		return nil, err
	}
	var keep []ast.Decl
	for _, d := range file.Decls {
		names := declNames(d)
		drop := false
		for _, n := range names {
			typ, _, isMethod := strings.Cut(n, ".")
			if declared[n] || (isMethod && declared[typ]) {
				drop = true
			}
		}
		if !drop {
			keep = append(keep, d)
		}
	}
	var buf bytes.Buffer
	buf.WriteString("package " + pkg + "\n")
	for _, d := range keep {
		start, end := fset.Position(d.Pos()).Offset, fset.Position(d.End()).Offset
		buf.WriteString(src[start:end])
		buf.WriteString("\n")
	}
	body := buf.String()
	f, err := parser.ParseFile(fset, "standins.go", body, 0)
	if err != nil {
		return nil, err
	}
	var imp strings.Builder
	imp.WriteString("package " + pkg + "\nimport (\n")
	for _, n := range usedPackages(f, nil) {
		fmt.Fprintf(&imp, "\t%s %q\n", n, knownImports[n])
	}
	imp.WriteString(")\n")
	_, rest, _ := strings.Cut(body, "\n")
	return parser.ParseFile(fset, "standins.go", imp.String()+rest, 0)
}

// exportImporter reads packages from the compiler's export data, built
// (or found in the build cache) by one go list run: far quicker than
// type-checking Loom and its dependencies from source.
func exportImporter(t *testing.T, root string, extra []string) types.Importer {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	paths := extra
	for _, p := range knownImports {
		if p != standInDB {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	paths = slices.Compact(paths)
	args := []string{"list", "-export", "-deps", "-f", "{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}"}
	if raceBuild {
		args = append(args, "-race")
	}
	args = append(args, paths...)
	cmd := exec.Command(goTool, args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -export: %v\n%s", err, stderr.Bytes())
	}
	exports := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(l, "="); ok {
			exports[path] = file
		}
	}
	gc := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("package %s is not among the packages the docs may import (knownImports)", path)
		}
		return os.Open(file)
	})
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "db.go", standInDBSource, 0)
	if err != nil {
		t.Fatal(err)
	}
	db, err := (&types.Config{Importer: gc}).Check(standInDB, fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatalf("stand-in package db: %v", err)
	}
	return importerFunc(func(path string) (*types.Package, error) {
		if path == standInDB {
			return db, nil
		}
		return gc.Import(path)
	})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
