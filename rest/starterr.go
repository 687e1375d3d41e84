package rest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"go.uber.org/dig"
	"go.uber.org/fx"

	"github.com/loomhq/loom/lifecycle"
	"github.com/loomhq/loom/repository"
)

// StartError is why an application could not be built or started, told in
// at most five lines: what is missing or failed, the user's constructor
// that needed it or failed (by name and file:line), and how to fix it.
// Err is the container's full error, for errors.Is and errors.As.
type StartError struct {
	// Lines are the message, one line each, the first starting "loom:".
	Lines []string
	// Err is the error the container reported, with its whole chain.
	Err error
}

// Error is the message, at most five lines.
func (e *StartError) Error() string { return strings.Join(e.Lines, "\n") }

// Unwrap returns the container's error.
func (e *StartError) Unwrap() error { return e.Err }

// maxStartLines caps a start-up message: a user reads it at once.
const maxStartLines = 5

// binding is one constructor an option gave the container, remembered so a
// start-up error can name the user's function instead of the wrapper the
// container sees.
type binding struct {
	role    string   // "a controller", `the data source "db"`, …
	fn      string   // the constructor's name, as NewTodoController
	where   string   // its file:line
	typ     string   // its Go type, as dig prints it in a cycle
	inputs  []string // the container keys it needs, spelled as dig spells them
	outputs []string // the types it provides
	// dataSource is the data source's name, for a data source's constructor.
	dataSource string
}

// String names the constructor and where it is: NewTodoController (controller.go:20).
func (b *binding) String() string {
	if b.where == "" {
		return b.fn
	}
	return b.fn + " (" + b.where + ")"
}

// newBinding describes constructor, already checked to be a function.
func newBinding(role string, constructor any) *binding {
	fv := reflect.ValueOf(constructor)
	b := &binding{role: role, fn: fv.Type().String(), typ: fv.Type().String()}
	if f := runtime.FuncForPC(fv.Pointer()); f != nil {
		file, line := f.FileLine(f.Entry())
		b.fn = shortFuncName(f.Name())
		b.where = fmt.Sprintf("%s:%d", shortFile(file), line)
	}
	for i := range fv.Type().NumIn() {
		b.inputs = appendKeys(b.inputs, fv.Type().In(i), reflect.StructTag(""))
	}
	for i := range fv.Type().NumOut() {
		if out := fv.Type().Out(i); out != errorType {
			b.outputs = append(b.outputs, out.String())
		}
	}
	return b
}

var fxInType = reflect.TypeFor[fx.In]()

// appendKeys adds the container keys a parameter of type t asks for: the
// type itself, or each field of an fx.In struct, with its name tag.
// Optional fields and value groups never fail to resolve, so they are left out.
func appendKeys(keys []string, t reflect.Type, tag reflect.StructTag) []string {
	if t.Kind() == reflect.Struct && isParamObject(t) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Type == fxInType || !f.IsExported() {
				continue
			}
			keys = appendKeys(keys, f.Type, f.Tag)
		}
		return keys
	}
	if tag.Get("optional") == "true" || tag.Get("group") != "" {
		return keys
	}
	if name := tag.Get("name"); name != "" {
		return append(keys, fmt.Sprintf("%v[name=%q]", t, name))
	}
	return append(keys, t.String())
}

func isParamObject(t reflect.Type) bool {
	for i := range t.NumField() {
		if f := t.Field(i); f.Anonymous && f.Type == fxInType {
			return true
		}
	}
	return false
}

// shortFuncName drops the import path: github.com/x/app.NewRepo becomes
// app.NewRepo, and main.NewRepo becomes NewRepo.
func shortFuncName(name string) string {
	name = name[strings.LastIndex(name, "/")+1:]
	return strings.TrimPrefix(name, "main.")
}

// shortFile is file relative to the working directory when it lies below
// it, else its base name, so the message stays one short line.
func shortFile(file string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return filepath.Base(file)
}

// constructorError is an error a user's constructor returned, tagged with
// the constructor, so the message can name it.
type constructorError struct {
	b   *binding
	err error
}

func (e *constructorError) Error() string { return e.b.String() + ": " + e.err.Error() }
func (e *constructorError) Unwrap() error { return e.err }

var errorType = reflect.TypeFor[error]()

// tagErrors wraps constructor so an error it returns carries b. A
// constructor without an error result is returned as it is.
func tagErrors(constructor any, b *binding) any {
	fv := reflect.ValueOf(constructor)
	ft := fv.Type()
	if ft.NumOut() == 0 || ft.Out(ft.NumOut()-1) != errorType {
		return constructor
	}
	last := ft.NumOut() - 1
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		var out []reflect.Value
		if ft.IsVariadic() {
			out = fv.CallSlice(args)
		} else {
			out = fv.Call(args)
		}
		if !out[last].IsNil() {
			var err error = &constructorError{b: b, err: out[last].Interface().(error)}
			out[last] = reflect.ValueOf(&err).Elem()
		}
		return out
	}).Interface()
}

// explainBuild turns the container's error from building the application
// into a [StartError].
func explainBuild(err error, bindings []*binding) error {
	var ce *constructorError
	if errors.As(err, &ce) {
		return startError(err, fmt.Sprintf("loom: cannot start: %s, %s, failed: %s", ce.b, ce.b.role, oneLine(ce.err)))
	}
	if dig.IsCycleDetected(err) {
		return explainCycle(err, bindings)
	}
	if m := providedTwice.FindStringSubmatch(err.Error()); m != nil {
		return explainTwice(err, m[1], bindings)
	}
	root := dig.RootCause(err)
	var de dig.Error
	if errors.As(root, &de) {
		if missing, ok := missingKeys(root.Error()); ok {
			return explainMissing(err, missing, bindings)
		}
	}
	return startError(err, "loom: cannot start: "+oneLine(errors.New(withoutFxStack(root.Error()))))
}

// fxStack is the call stack fx puts in a provide error, between "from:"
// and "Failed:": the stack of New, which tells the user nothing.
var fxStack = regexp.MustCompile(`(?s) from:\n.*?Failed: `)

func withoutFxStack(msg string) string { return fxStack.ReplaceAllString(msg, ": ") }

// providedTwice finds the key in dig's "cannot provide *T from [0]:
// already provided by F".
var providedTwice = regexp.MustCompile(`cannot provide (\S+?(?:\[name="[^"]*"\])?) from \S+: already provided by`)

// explainTwice names the constructors that both provide key.
func explainTwice(err error, key string, bindings []*binding) error {
	lines := []string{"loom: cannot start: " + key + " is provided twice"}
	var by []string
	for _, b := range bindings {
		if slices.Contains(b.outputs, key) {
			by = append(by, b.String()+", "+b.role)
		}
	}
	if len(by) > 0 {
		lines = append(lines, "  by "+strings.Join(by, ", and by "))
	}
	lines = append(lines, "  keep one, or tell them apart with names (fx.Annotate with fx.ResultTags)")
	return startError(err, lines...)
}

// cycleStep is one "T provided by F" of dig's cycle message.
var cycleStep = regexp.MustCompile(`(func\([^\n]*?\)(?: \([^\n]*?\)| [^\s(][^\s]*)?) provided by`)

// explainCycle lists the constructors of a dependency cycle, by the user's
// names where dig shows only the type of a wrapper.
func explainCycle(err error, bindings []*binding) error {
	var steps []string
	for _, m := range cycleStep.FindAllStringSubmatch(err.Error(), -1) {
		step := m[1]
		for _, b := range bindings {
			if b.typ == m[1] {
				step = b.String()
				break
			}
		}
		steps = append(steps, step)
	}
	lines := []string{"loom: cannot start: constructors need each other in a cycle"}
	if len(steps) > 0 {
		lines = append(lines, "  "+strings.Join(steps, " needs ")+"")
	}
	lines = append(lines, "  break the cycle: let one of them take a func() T factory, or split one")
	return startError(err, lines...)
}

// explainStart turns an error from starting the application into a
// [StartError], naming the observer that failed and, for a data source,
// the constructor that built it.
func explainStart(err error, bindings []*binding) error {
	var se *StartError
	if err == nil || errors.As(err, &se) {
		return err
	}
	var oe *lifecycle.ObserverError
	if !errors.As(err, &oe) {
		return startError(err, "loom: cannot start: "+oneLine(err))
	}
	subject := fmt.Sprintf("the observer %s in group %q", oe.Observer, oe.Group)
	for _, b := range bindings {
		// A data source's observer is named "datasource <name> (<type>)".
		if b.dataSource != "" && strings.HasPrefix(oe.Observer, "datasource "+b.dataSource+" ") {
			subject = fmt.Sprintf("the data source %q, built by %s,", b.dataSource, b)
		}
	}
	return startError(err, fmt.Sprintf("loom: cannot start: %s failed to %s: %s", subject, oe.Phase, oneLine(oe.Err)))
}

// missingKeys reads the keys out of dig's "missing type: A" or "missing
// types: A; B" message. dig does not export its missing-type error, so its
// message is the only way in.
func missingKeys(msg string) ([]string, bool) {
	for _, prefix := range []string{"missing type: ", "missing types: "} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			keys := strings.Split(rest, "; ")
			for i, k := range keys {
				// "io.Writer (did you mean *bytes.Buffer?)": keep the key.
				if before, _, found := strings.Cut(k, " (did you mean"); found {
					keys[i] = before
				}
			}
			return keys, true
		}
	}
	return nil, false
}

// explainMissing names the first missing key, the user's constructors that
// need it, and the option that provides it.
func explainMissing(err error, missing []string, bindings []*binding) error {
	key := missing[0]
	first := "loom: cannot start: " + describeKey(key) + " is not provided"
	if len(missing) > 1 {
		first += " (nor " + strings.Join(missing[1:], ", ") + ")"
	}
	lines := []string{first}
	var needers []string
	for _, b := range bindings {
		for _, in := range b.inputs {
			if in == key {
				needers = append(needers, b.String()+", "+b.role)
				break
			}
		}
	}
	switch {
	case len(needers) > 2:
		lines = append(lines, "  needed by "+needers[0]+", "+needers[1]+fmt.Sprintf(" and %d more", len(needers)-2))
	case len(needers) > 0:
		lines = append(lines, "  needed by "+strings.Join(needers, ", and by "))
	default:
		// A reflect stub is one of the container's wrappers: naming it helps nobody.
		if fn := requestingFunc(err.Error()); fn != "" && !strings.Contains(fn, "makeFuncStub") {
			lines = append(lines, "  needed by "+fn)
		}
	}
	lines = append(lines, "  provide it with "+remedy(key))
	return startError(err, lines...)
}

// describeKey says what a key is when its type alone does not: a data
// source is known by its name.
func describeKey(key string) string {
	if _, name, ok := strings.Cut(key, `[name="`+repository.DataSourceName("")); ok {
		return fmt.Sprintf("the data source %q (%s)", strings.TrimSuffix(name, `"]`), key)
	}
	return key
}

// requestingFunc is the function dig names in "missing dependencies for
// function F (file:line): missing type", for constructors no option
// registered (raw fx options).
func requestingFunc(msg string) string {
	const marker = "missing dependencies for function "
	i := strings.LastIndex(msg, marker)
	if i < 0 {
		return ""
	}
	fn, _, _ := strings.Cut(msg[i+len(marker):], ": missing type")
	return fn
}

// remedy is the option that provides key: a data source by its name, a
// repository by its type's name, anything else as a provider.
func remedy(key string) string {
	typ, name, named := strings.Cut(key, "[name=")
	if named {
		name = strings.Trim(strings.TrimSuffix(name, "]"), `"`)
		if ds, ok := strings.CutPrefix(name, repository.DataSourceName("")); ok {
			return fmt.Sprintf("rest.WithDataSource(%q, NewDataSource)", ds)
		}
		return fmt.Sprintf("rest.WithProviders(fx.Annotate(New%s, fx.ResultTags(`name:%q`)))", baseTypeName(typ), name)
	}
	ctor := "New" + baseTypeName(typ)
	if strings.HasSuffix(ctor, "Repository") {
		return "rest.WithRepository(" + ctor + ") or rest.WithProviders(" + ctor + ")"
	}
	return "rest.WithProviders(" + ctor + ")"
}

// baseTypeName is the type's own name: *main.NoteRepository gives NoteRepository.
func baseTypeName(typ string) string {
	typ = strings.TrimLeft(typ, "*[]")
	if i := strings.LastIndex(typ, "."); i >= 0 {
		typ = typ[i+1:]
	}
	if i := strings.Index(typ, "["); i >= 0 { // generic instance
		typ = typ[:i]
	}
	return typ
}

// oneLine puts err's message on one line: a cause spread over lines (as
// a driver's list of addresses tried) would push the rest out of the five.
func oneLine(err error) string {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(slices.DeleteFunc(lines, func(l string) bool { return l == "" }), " ")
}

func startError(err error, lines ...string) *StartError {
	if len(lines) > maxStartLines {
		lines = lines[:maxStartLines]
	}
	return &StartError{Lines: lines, Err: err}
}
