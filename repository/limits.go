package repository

import "sync/atomic"

// Limits caps what a filter may ask, so that a request cannot make the
// server do unbounded work. A zero field takes the default.
type Limits struct {
	// MaxDepth is the deepest nesting of and/or (and of include scopes);
	// 0 means 12.
	MaxDepth int
	// MaxConds is the most conditions one where clause may hold; 0 means
	// 1000.
	MaxConds int
	// MaxInq is the most values of one inq, nin list; 0 means 1000.
	MaxInq int
	// MaxPattern is the longest like or regexp pattern, in bytes; 0 means
	// 1000.
	MaxPattern int
}

var builtinLimits = Limits{MaxDepth: 12, MaxConds: 1000, MaxInq: 1000, MaxPattern: 1000}

var defaultLimits atomic.Pointer[Limits]

// SetDefaultLimits sets the caps of every model that does not set its own
// (see [LimitsProvider]); zero fields keep the built-in values. Call it
// before serving requests.
func SetDefaultLimits(l Limits) {
	l = l.or(builtinLimits)
	defaultLimits.Store(&l)
}

// DefaultLimits returns the caps in force for models without their own.
func DefaultLimits() Limits {
	if l := defaultLimits.Load(); l != nil {
		return *l
	}
	return builtinLimits
}

// or fills l's zero fields from d.
func (l Limits) or(d Limits) Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxConds <= 0 {
		l.MaxConds = d.MaxConds
	}
	if l.MaxInq <= 0 {
		l.MaxInq = d.MaxInq
	}
	if l.MaxPattern <= 0 {
		l.MaxPattern = d.MaxPattern
	}
	return l
}

// limitsOf returns the caps of m (nil: the defaults).
func limitsOf(m *Model) Limits {
	if m == nil {
		return DefaultLimits()
	}
	return m.Limits.or(DefaultLimits())
}
