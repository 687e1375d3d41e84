package sequence_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/actions/authentication"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/sequence"
)

// tracing returns a DefaultSequence whose actions record their calls, and
// fail at the step named fail.
func tracing(trail *[]string, fail string) *sequence.DefaultSequence {
	step := func(name string) error {
		*trail = append(*trail, name)
		if name == fail {
			return errors.New(name + " failed")
		}
		return nil
	}
	return &sequence.DefaultSequence{
		FindRoute: func(rc *loomctx.RequestContext) (*actions.Route, error) {
			return &actions.Route{}, step("findRoute")
		},
		ParseParams: func(rc *loomctx.RequestContext, r *actions.Route) (any, error) {
			return "args", step("parseParams")
		},
		Invoke: func(rc *loomctx.RequestContext, r *actions.Route, args any) (any, error) {
			return "result:" + args.(string), step("invoke")
		},
		Send: func(rc *loomctx.RequestContext, result any) error {
			return step("send " + result.(string))
		},
		Reject: func(rc *loomctx.RequestContext, err error) {
			*trail = append(*trail, "reject: "+err.Error())
		},
	}
}

func TestDefaultSequence_RunsTheActionsInOrder(t *testing.T) {
	cases := []struct{ fail, want string }{
		{"", "findRoute parseParams invoke send result:args"},
		{"findRoute", "findRoute reject: findRoute failed"},
		{"parseParams", "findRoute parseParams reject: parseParams failed"},
		{"invoke", "findRoute parseParams invoke reject: invoke failed"},
		{"send result:args", "findRoute parseParams invoke send result:args reject: send result:args failed"},
	}
	for _, c := range cases {
		var trail []string
		rc := loomctx.NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		tracing(&trail, c.fail).Handle(rc)
		if got := strings.Join(trail, " "); got != c.want {
			t.Errorf("failing at %q: trail %q, want %q", c.fail, got, c.want)
		}
	}
}

func TestDefaultSequence_RecordsArgsAndResultOnTheContext(t *testing.T) {
	var trail []string
	rc := loomctx.NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	tracing(&trail, "").Handle(rc)
	if rc.Args != "args" || rc.Result != "result:args" {
		t.Errorf("args %v result %v", rc.Args, rc.Result)
	}
}

// An embedding sequence runs its own code around the default one.
type timedSequence struct {
	*sequence.DefaultSequence
	log *[]string
}

func (s *timedSequence) Handle(rc *loomctx.RequestContext) {
	*s.log = append(*s.log, "before")
	s.DefaultSequence.Handle(rc)
	*s.log = append(*s.log, "after")
}

func ExampleDefaultSequence() {
	var trail []string
	seq := &timedSequence{DefaultSequence: tracing(&trail, "invoke"), log: &trail}
	rc := loomctx.NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	seq.Handle(rc)
	fmt.Println(strings.Join(trail, "\n"))
	// Output:
	// before
	// findRoute
	// parseParams
	// invoke
	// reject: invoke failed
	// after
}

func TestDefaultSequence_AuthenticatesAfterFindRoute(t *testing.T) {
	cases := []struct{ fail, want string }{
		{"", "findRoute authenticate parseParams invoke send result:args"},
		{"authenticate", "findRoute authenticate reject: authenticate failed"},
		{"findRoute", "findRoute reject: findRoute failed"},
	}
	for _, c := range cases {
		var trail []string
		seq := tracing(&trail, c.fail)
		seq.Authenticate = func(rc *loomctx.RequestContext) (*authentication.Profile, error) {
			trail = append(trail, "authenticate")
			if c.fail == "authenticate" {
				return nil, errors.New("authenticate failed")
			}
			return &authentication.Profile{ID: "1"}, nil
		}
		rc := loomctx.NewRequestContext(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		seq.Handle(rc)
		if got := strings.Join(trail, " "); got != c.want {
			t.Errorf("failing at %q: trail %q, want %q", c.fail, got, c.want)
		}
	}
}
