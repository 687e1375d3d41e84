package rest_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest"
)

// NoteRepository is needed by NoteController and provided by no option
// in the tests below.
type NoteRepository struct{}

// NoteController needs a NoteRepository.
type NoteController struct{ notes *NoteRepository }

func NewNoteController(notes *NoteRepository) *NoteController {
	return &NoteController{notes: notes}
}

type noteByID struct {
	ID int `path:"id"`
}

func (c *NoteController) Routes() []controller.Route {
	return []controller.Route{controller.Get("/notes/{id}", c.FindByID)}
}

func (c *NoteController) FindByID(context.Context, noteByID) (*todo, error) { return nil, nil }

// ArchiveController declares the same route as NoteController.
type ArchiveController struct{}

func (c ArchiveController) Routes() []controller.Route {
	return []controller.Route{controller.Get("/notes/{noteId}", c.Get)}
}

func (c ArchiveController) Get(context.Context, struct {
	ID int `path:"noteId"`
}) (*todo, error) {
	return nil, nil
}

var errNoDatabase = errors.New("no database at bogus:thing")

// NewFailingDataSource fails as a data source with a bad URL does.
func NewFailingDataSource() (*NoteRepository, error) { return nil, errNoDatabase }

// where is "starterr_test.go:<line>" of the line declaring decl, read from
// the source so that the test does not trust the code it checks.
func where(t *testing.T, decl string) string {
	t.Helper()
	src, err := os.ReadFile("starterr_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, decl) {
			return fmt.Sprintf("starterr_test.go:%d", i+1)
		}
	}
	t.Fatalf("no line starts with %q", decl)
	return ""
}

// startError checks err is a StartError of at most five lines and
// returns its message.
func startError(t *testing.T, err error) string {
	t.Helper()
	var se *rest.StartError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want a *rest.StartError", err, err)
	}
	msg := err.Error()
	if n := strings.Count(msg, "\n") + 1; n > 5 {
		t.Errorf("the message has %d lines, want at most 5:\n%s", n, msg)
	}
	if !strings.HasPrefix(msg, "loom: cannot start: ") {
		t.Errorf("the message does not start with loom: cannot start:\n%s", msg)
	}
	for _, noise := range []string{"makeFuncStub", "could not build arguments", "goroutine"} {
		if strings.Contains(msg, noise) {
			t.Errorf("the message holds %q:\n%s", noise, msg)
		}
	}
	return msg
}

func wantAll(t *testing.T, msg string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("the message lacks %q:\n%s", p, msg)
		}
	}
}

func TestNew_WithAMissingRepository_NamesTheTypeTheControllerAndTheOption(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(NewNoteController))
	msg := startError(t, err)
	wantAll(t, msg,
		"*rest_test.NoteRepository is not provided",
		"needed by rest_test.NewNoteController ("+where(t, "func NewNoteController(")+"), a controller",
		"rest.WithRepository(NewNoteRepository)",
		"rest.WithProviders(",
	)
}

func TestNew_WithAMissingProvider_SuggestsWithProviders(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithProviders(func(*zap.SugaredLogger) *NoteRepository { return nil }),
		rest.WithController(NewNoteController))
	msg := startError(t, err)
	wantAll(t, msg, "*zap.SugaredLogger is not provided", "a provider", "rest.WithProviders(NewSugaredLogger)")
}

func TestNew_WithAMissingDataSource_SuggestsWithDataSource(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithRepository(NewNoteRepositoryOnNotes),
		rest.WithController(NewNoteController))
	msg := startError(t, err)
	wantAll(t, msg, `the data source "notes"`, "NewNoteRepositoryOnNotes (", "a repository",
		`rest.WithDataSource("notes", `)
}

func TestNew_WithAFailingDataSource_NamesItsConstructorAndItsError(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithProviders(NewFailingDataSource),
		rest.WithController(NewNoteController))
	msg := startError(t, err)
	if !errors.Is(err, errNoDatabase) {
		t.Error("errors.Is does not find the constructor's error")
	}
	wantAll(t, msg, "rest_test.NewFailingDataSource ("+where(t, "func NewFailingDataSource(")+")", "no database at bogus:thing")
	if n := strings.Count(msg, "\n") + 1; n != 1 {
		t.Errorf("the message has %d lines, want 1:\n%s", n, msg)
	}
}

func TestNew_WithTwoRoutesMatchingTheSameRequests_NamesBothRoutesAndHandlers(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithProviders(func() *NoteRepository { return &NoteRepository{} }),
		rest.WithController(NewNoteController),
		rest.WithController(func() ArchiveController { return ArchiveController{} }))
	msg := startError(t, err)
	wantAll(t, msg, "GET /notes/{id} (NoteController.findByID)", "GET /notes/{noteId} (ArchiveController.get)",
		"match the same requests")
}

func TestNew_AFailure_IsNotLoggedAsWell(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	_, err := rest.New(rest.WithLogger(zap.New(core)), rest.WithController(NewNoteController))
	if err == nil {
		t.Fatal("New succeeded without the repository")
	}
	for _, e := range logs.All() {
		t.Errorf("logged at %s: %s %v", e.Level, e.Message, e.ContextMap())
	}
}

func TestStart_OnAPortInUse_NamesTheServerInOneLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	app, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(newTodoController),
		rest.WithConfig(rest.Config{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}))
	if err != nil {
		t.Fatal(err)
	}
	msg := startError(t, app.Start(context.Background()))
	wantAll(t, msg, "rest.Server", "failed to start", "address already in use")
}

// NewNoteRepositoryOnNotes asks for the data source "notes", which no
// option registers.
func NewNoteRepositoryOnNotes(p struct {
	fx.In
	DB repository.Connector `name:"datasources.notes"`
}) *NoteRepository {
	return &NoteRepository{}
}

// NewCSVSend needs a formatter that no option provides.
func NewCSVSend(next actions.Send, f *formatter) actions.Send { return next }

func TestNew_WithAnActionNeedingAMissingType_NamesTheOverride(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithAction[actions.Send](NewCSVSend))
	msg := startError(t, err)
	wantAll(t, msg, "*rest_test.formatter is not provided",
		"needed by rest_test.NewCSVSend ("+where(t, "func NewCSVSend(")+"), the actions.Send action",
		"rest.WithProviders(Newformatter)")
}

// ServiceA and ServiceB need each other.
type (
	ServiceA struct{}
	ServiceB struct{}
)

func NewServiceA(*ServiceB) (*ServiceA, error) { return &ServiceA{}, nil }
func NewServiceB(*ServiceA) (*ServiceB, error) { return &ServiceB{}, nil }

func TestNew_WithConstructorsNeedingEachOther_NamesTheCycle(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	_, err := rest.New(rest.WithLogger(zap.New(core).WithOptions(zap.IncreaseLevel(zapcore.InfoLevel))),
		rest.WithProviders(NewServiceA, NewServiceB, func(*ServiceA) *NoteRepository { return nil }),
		rest.WithController(NewNoteController))
	msg := startError(t, err)
	wantAll(t, msg, "in a cycle",
		"rest_test.NewServiceA ("+where(t, "func NewServiceA(")+") needs rest_test.NewServiceB ("+where(t, "func NewServiceB(")+")")
	if logs.Len() != 0 {
		t.Errorf("fx logged %d entries at info level or above; the first: %s", logs.Len(), logs.All()[0].Message)
	}
}

func TestNew_WithOneTypeProvidedTwice_NamesBothConstructors(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()),
		rest.WithRepository(NewFailingDataSource),
		rest.WithProviders(NewFailingDataSource))
	msg := startError(t, err)
	wantAll(t, msg, "*rest_test.NoteRepository is provided twice",
		"rest_test.NewFailingDataSource ("+where(t, "func NewFailingDataSource(")+"), a repository",
		"a provider")
}

func TestNew_WithAControllerThatIsNotAFunction_SaysSoWithoutAStack(t *testing.T) {
	_, err := rest.New(rest.WithLogger(zap.NewNop()), rest.WithController(42))
	msg := startError(t, err)
	wantAll(t, msg, "must provide constructor function, got 42 (int)")
	if strings.Contains(msg, "options.go") {
		t.Errorf("the message holds fx's stack:\n%s", msg)
	}
}
