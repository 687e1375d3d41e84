package interceptor

import (
	"fmt"
	"strings"
)

// Remote hooks, as LoopBack 3 users know them: code that runs before or
// after every method whose name matches a pattern. A pattern is
// Target.method, where * as the method matches any method of the target,
// * as the target any target, and ** alone matches everything:
//
//	interceptor.Before("TodoController.*", requireAuth)
//	interceptor.After("**", stripPassword)
//
// Hooks are global interceptors in group "", so they apply to routes and
// proxies alike and run before grouped interceptors; pass them to
// rest.WithInterceptors.

// BeforeHook runs before the method; an error stops the call.
type BeforeHook func(ic *InvocationContext) error

// AfterHook runs after the method succeeded and returns the result to
// answer with, the same or changed.
type AfterHook func(ic *InvocationContext, result any) (any, error)

// Before returns a global interceptor that runs hook before every method
// matching pattern.
func Before(pattern string, hook BeforeHook, opts ...GlobalOption) Global {
	m := compilePattern(pattern)
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
	return g
}

// After returns a global interceptor that runs hook after every method
// matching pattern that returned without an error.
func After(pattern string, hook AfterHook, opts ...GlobalOption) Global {
	m := compilePattern(pattern)
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
	return g
}

// pattern is a compiled hook pattern; "" in a part means any.
type pattern struct {
	target, method string
}

func compilePattern(p string) pattern {
	if p == "**" || p == "*" || p == "*.*" {
		return pattern{}
	}
	target, method, ok := strings.Cut(p, ".")
	if !ok {
		panic(fmt.Sprintf("interceptor: hook pattern %q is not Target.method, Target.*, *.method or **", p))
	}
	if target == "*" {
		target = ""
	}
	if method == "*" {
		method = ""
	}
	return pattern{target: target, method: method}
}

func (p pattern) matches(ic *InvocationContext) bool {
	return (p.target == "" || p.target == ic.Target) && (p.method == "" || p.method == ic.Method)
}
