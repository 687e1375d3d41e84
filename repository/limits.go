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
	// MaxValues is the most values one where clause may hold, counting
	// one per comparison, but the items of an inq, nin or between list one
	// each (the where clauses of include scopes count with the filter's);
	// 0 means 10,000. It keeps a query within the parameters a SQL
	// database accepts.
	MaxValues int
	// MaxOrder is the most keys an order may have; 0 means 32. A
	// property given again is dropped and keeps its first direction (the
	// first key decides every tie first, so a repeat never changes a
	// result), and repeats do not count. The repository adds the id as a
	// last key when the order lacks it, so a connector sees at most
	// MaxOrder+1 keys.
	MaxOrder int
	// MaxFields is the most properties a fields selection may name, in
	// its object form or its list form (a name listed twice counts once);
	// 0 means 256.
	MaxFields int
	// MaxMatchWork bounds the work of matching like, ilike and regexp
	// patterns in one query, in units of one byte of stored text times
	// one instruction of the compiled pattern (see [WorkBudget]); 0 means
	// 20,000,000, about 0.2 s of one core at worst. Past it, the query
	// fails with a [*WorkLimitError] (400).
	MaxMatchWork int64
	// MaxIncludes is the most inclusions one filter may hold, those
	// nested in include scopes counted; 0 means 16. Each costs a query
	// (two through a join model).
	MaxIncludes int
	// MaxIncludeRows is the most related entities the inclusions of one
	// find may fetch, all relations and levels together, the links read
	// from the join models of relations through one counted too; 0 means
	// 20,000. A scope's limit applies per parent, after the fetch, so it does not
	// lower the count. Past it, the find fails with a 400
	// QUERY_TOO_COSTLY.
	MaxIncludeRows int
}

var builtinLimits = Limits{
	MaxDepth: 12, MaxConds: 1000, MaxInq: 1000, MaxPattern: 1000,
	MaxValues: 10_000, MaxOrder: 32, MaxFields: 256, MaxMatchWork: 20_000_000,
	MaxIncludes: 16, MaxIncludeRows: 20_000,
}

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

// or fills l's zero (or negative) fields from d.
func (l Limits) or(d Limits) Limits {
	orDefault(&l.MaxDepth, d.MaxDepth)
	orDefault(&l.MaxConds, d.MaxConds)
	orDefault(&l.MaxInq, d.MaxInq)
	orDefault(&l.MaxPattern, d.MaxPattern)
	orDefault(&l.MaxValues, d.MaxValues)
	orDefault(&l.MaxOrder, d.MaxOrder)
	orDefault(&l.MaxFields, d.MaxFields)
	orDefault(&l.MaxMatchWork, d.MaxMatchWork)
	orDefault(&l.MaxIncludes, d.MaxIncludes)
	orDefault(&l.MaxIncludeRows, d.MaxIncludeRows)
	return l
}

func orDefault[N int | int64](v *N, d N) {
	if *v <= 0 {
		*v = d
	}
}

// LimitsOf returns the caps in force for m: its own, with zero fields
// taken from [DefaultLimits]. Connectors read MaxMatchWork from it.
func LimitsOf(m *Model) Limits { return limitsOf(m) }

// limitsOf returns the caps of m (nil: the defaults).
func limitsOf(m *Model) Limits {
	if m == nil {
		return DefaultLimits()
	}
	return m.Limits.or(DefaultLimits())
}
