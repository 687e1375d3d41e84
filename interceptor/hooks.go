package interceptor

import (
	"fmt"
	"regexp"
	"strings"
)

// Remote hooks, as LoopBack 3 users know them: code that runs before or
// after every method whose full name, Target.method, matches a pattern.
// As in LoopBack 3, * stands for any run of characters within one
// dot-separated segment and ** for any run across segments:
//
//	interceptor.Before("TodoController.*", requireAuth)    // every method of the target
//	interceptor.Before("*.find*", logFinds)                // find, findOne, findById of any target
//	interceptor.After("CoffeeShop.prototype.*", hideKeys)  // the instance methods
//	interceptor.After("**", stripPassword)                 // everything
//
// A pattern is letters, digits, _, $, * and dots between non-empty
// segments; a malformed one makes the hook's Global report an error (see
// [Global.Err]), which fails the application's start with a message
// instead of a panic.
//
// Hooks are global interceptors in group "", so they apply to routes and
// proxies alike and run before grouped interceptors; pass them to
// rest.WithInterceptors.

// BeforeHook runs before the method; an error stops the call.
type BeforeHook func(ic *InvocationContext) error

// AfterHook runs after the method succeeded and returns the result to
// answer with, the same or changed. A method that failed is for
// [AfterError].
type AfterHook func(ic *InvocationContext, result any) (any, error)

// Before returns a global interceptor that runs hook before every method
// matching pattern.
func Before(pattern string, hook BeforeHook, opts ...GlobalOption) Global {
	m, err := compilePattern(pattern)
	g := NewGlobal(func(ic *InvocationContext, next Next) (any, error) {
		if m.matches(ic) {
			if err := hook(ic); err != nil {
				return nil, err
			}
		}
		return next()
	}, "", opts...)
	if g.Name == "" {
		g.Name = "before " + pattern
	}
	g.err = err
	return g
}

// After returns a global interceptor that runs hook after every method
// matching pattern that returned without an error.
func After(pattern string, hook AfterHook, opts ...GlobalOption) Global {
	m, err := compilePattern(pattern)
	g := NewGlobal(func(ic *InvocationContext, next Next) (any, error) {
		result, err := next()
		if err != nil || !m.matches(ic) {
			return result, err
		}
		return hook(ic, result)
	}, "", opts...)
	if g.Name == "" {
		g.Name = "after " + pattern
	}
	g.err = err
	return g
}

// AfterErrorHook runs after the method failed, with its error, and
// returns the error to answer with: err, or another one; nil keeps err,
// as LoopBack 3's afterRemoteError calling next() does.
type AfterErrorHook func(ic *InvocationContext, err error) error

// AfterError returns a global interceptor that runs hook after every
// method matching pattern that returned an error: LoopBack 3's
// afterRemoteError, to log a failure or answer with a friendlier error.
func AfterError(pattern string, hook AfterErrorHook, opts ...GlobalOption) Global {
	m, err := compilePattern(pattern)
	g := NewGlobal(func(ic *InvocationContext, next Next) (any, error) {
		result, err := next()
		if err == nil || !m.matches(ic) {
			return result, err
		}
		if replaced := hook(ic, err); replaced != nil {
			return result, replaced
		}
		return result, err
	}, "", opts...)
	if g.Name == "" {
		g.Name = "after error " + pattern
	}
	g.err = err
	return g
}

// pattern is a compiled hook pattern. The usual ones cost a string
// comparison or none: the target part and the method part are matched
// apart, each exactly, as anything, or by a regular expression; a pattern
// whose target part holds ** is matched against Target.method whole.
type pattern struct {
	all            bool
	target, method part
	whole          *regexp.Regexp
}

// part matches one side of the name: exactly text, anything (any), any
// one segment (oneSegment: no dot), or re.
type part struct {
	any, oneSegment bool
	text            string
	re              *regexp.Regexp
}

func (p part) matches(s string) bool {
	switch {
	case p.any:
		return true
	case p.oneSegment:
		return strings.IndexByte(s, '.') < 0
	case p.re != nil:
		return p.re.MatchString(s)
	}
	return p.text == s
}

func compilePattern(p string) (pattern, error) {
	if p == "**" {
		return pattern{all: true}, nil
	}
	if err := checkPattern(p); err != nil {
		return pattern{}, err
	}
	target, method, ok := strings.Cut(p, ".")
	if !ok {
		return pattern{}, fmt.Errorf("interceptor: hook pattern %q names no method: write Target.method, Target.*, *.method or **", p)
	}
	if strings.Contains(target, "**") {
		return pattern{whole: regexp.MustCompile("^" + wildcards(p) + "$")}, nil
	}
	return pattern{target: compilePart(target), method: compilePart(method)}, nil
}

// checkPattern refuses what no method name can match, or what is not a
// pattern at all: an empty segment, a character outside letters, digits,
// _, $, * and dots.
func checkPattern(p string) error {
	for _, seg := range strings.Split(p, ".") {
		if seg == "" {
			return fmt.Errorf("interceptor: hook pattern %q has an empty segment: write Target.method, Target.*, *.method or **", p)
		}
	}
	for _, r := range p {
		if r != '.' && r != '*' && r != '_' && r != '$' && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return fmt.Errorf("interceptor: hook pattern %q holds %q: a pattern is letters, digits, _, $, dots and the wildcards * and **", p, r)
		}
	}
	return nil
}

func compilePart(s string) part {
	switch {
	case s == "**":
		return part{any: true}
	case s == "*":
		return part{oneSegment: true}
	case !strings.Contains(s, "*"):
		return part{text: s}
	}
	return part{re: regexp.MustCompile("^" + wildcards(s) + "$")}
}

// wildcards is pattern text as a regular expression: ** any run of
// characters, * any run without a dot, the rest literal.
func wildcards(s string) string {
	var b strings.Builder
	for s != "" {
		switch {
		case strings.HasPrefix(s, "**"):
			b.WriteString(".*")
			s = s[2:]
		case s[0] == '*':
			b.WriteString("[^.]*")
			s = s[1:]
		default:
			b.WriteString(regexp.QuoteMeta(s[:1]))
			s = s[1:]
		}
	}
	return b.String()
}

func (p pattern) matches(ic *InvocationContext) bool {
	switch {
	case p.all:
		return true
	case p.whole != nil:
		return p.whole.MatchString(ic.Target + "." + ic.Method)
	}
	return p.target.matches(ic.Target) && p.method.matches(ic.Method)
}
