package authorization

import (
	"fmt"
	"net/http"

	"github.com/loomhq/loom/controller/httperr"
)

// MessageDenied is the message of a denial, LoopBack 4's.
const MessageDenied = "Access denied"

// Decide runs the vote of authorizers on ctx and md as LoopBack 4's
// authorization interceptor does, and returns the final decision:
//
//   - it starts as o.DefaultDecision;
//   - each authorizer votes in turn, and an Allow or a Deny becomes the
//     final decision (an Abstain leaves it as it is);
//   - a vote equal to o.Precedence ends the vote at once.
//
// So with Deny precedence any Deny wins, and otherwise an Allow does;
// with Allow precedence any Allow wins, and otherwise a Deny does; when
// every authorizer abstains, the default decision stands. The order of the
// authorizers changes which of them run, never the decision. An
// authorizer's error ends the vote with that error; a vote that is not a
// [Decision] is an error too.
func Decide(o Options, authorizers []Authorizer, ctx *Context, md *Metadata) (Decision, error) {
	o, err := o.withDefaults()
	if err != nil {
		return Deny, err
	}
	return decide(o, authorizers, ctx, md)
}

func decide(o Options, authorizers []Authorizer, ctx *Context, md *Metadata) (Decision, error) {
	final := o.DefaultDecision
	for _, a := range authorizers {
		d, err := a.Authorize(ctx, md)
		if err != nil {
			return Deny, err
		}
		switch d {
		case Abstain:
			continue
		case Allow, Deny:
		default:
			return Deny, fmt.Errorf("authorization: an authorizer of %s voted %v", ctx.Resource, d)
		}
		final = d
		if d == o.Precedence {
			break
		}
	}
	return final, nil
}

// denied is the error of a denial: LoopBack 4's AuthorizationError, a
// plain Error named so in the envelope, with no code. An anonymous caller
// is answered 401: it has to authenticate before anything can be allowed
// to it; an authenticated one the configured status, 403 by default.
func denied(o Options, anonymous bool) error {
	status := o.DefaultStatusCodeForDeny
	if anonymous {
		status = http.StatusUnauthorized
	}
	return httperr.New(status, MessageDenied).WithName("Error")
}
