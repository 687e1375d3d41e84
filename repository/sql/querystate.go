package sql

import (
	"sync"
	"sync/atomic"

	"github.com/loomhq/loom/repository"
)

// The SQLite functions (loom_like, loom_regexp, loom_json) run inside the
// database, called once per row, and cannot see the request. A statement
// that calls them passes a token as one more parameter; while it runs the
// token names its queryState: the work budget its matching spends, and
// what it compiled from its patterns and values. The state lives as long
// as its query and no longer, so nothing a request sends outlives it.

// queryState is what the SQLite functions of one running query share.
type queryState struct {
	budget *repository.WorkBudget

	mu       sync.Mutex
	patterns map[string]*repository.Pattern // by pattern and options
	patErrs  map[string]error
	tests    map[string]testEntry // by operator and argument
}

var (
	runningQueries sync.Map // token (int64) → *queryState
	lastToken      atomic.Int64
)

// functionHook, when set, runs at each call of loom_like, loom_regexp
// and loom_json: the seam where tests hold or cancel a running query.
var functionHook func()

// stateOf returns the state of the query that passed token, or nil when
// there is none (a statement written by hand): such a call runs without a
// budget and compiles its arguments every time.
func stateOf(token any) *queryState {
	if functionHook != nil {
		functionHook()
	}
	id, ok := token.(int64)
	if !ok {
		return nil
	}
	st, ok := runningQueries.Load(id)
	if !ok {
		return nil
	}
	return st.(*queryState)
}

// pattern returns the compiled like (kind 'c' case-sensitive, 'i'
// ignoring case) or regexp ('r', with flags) pattern, compiled once per
// query.
func (q *queryState) pattern(kind byte, pat, flags string) (*repository.Pattern, error) {
	if q == nil {
		return compilePattern(kind, pat, flags)
	}
	key := string(kind) + flags + "/" + pat
	q.mu.Lock()
	defer q.mu.Unlock()
	if p, ok := q.patterns[key]; ok {
		return p, nil
	}
	if err, ok := q.patErrs[key]; ok {
		return nil, err
	}
	p, err := compilePattern(kind, pat, flags)
	if err != nil {
		if q.patErrs == nil {
			q.patErrs = map[string]error{}
		}
		q.patErrs[key] = err
		return nil, err
	}
	if q.patterns == nil {
		q.patterns = map[string]*repository.Pattern{}
	}
	q.patterns[key] = p
	return p, nil
}

func compilePattern(kind byte, pat, flags string) (*repository.Pattern, error) {
	if kind == 'r' {
		return repository.CompileRegexp(repository.Regexp{Pattern: pat, Flags: flags})
	}
	return repository.CompileLike(pat, kind == 'i')
}

// test returns the compiled test of a loom_json comparison, once per
// query.
func (q *queryState) test(key string, build func() testEntry) testEntry {
	if q == nil {
		return build()
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if e, ok := q.tests[key]; ok {
		return e
	}
	e := build()
	if q.tests == nil {
		q.tests = map[string]testEntry{}
	}
	q.tests[key] = e
	return e
}

// budgetOf is the query's budget; nil (unlimited) without a query.
func (q *queryState) budgetOf() *repository.WorkBudget {
	if q == nil {
		return nil
	}
	return q.budget
}

// token adds the statement's query token as a parameter and returns its
// placeholder; the first use makes the query's state, with a budget from
// its model's limits.
func (s *stmt) token() string {
	if s.state == nil {
		s.state = &queryState{budget: repository.NewWorkBudget(repository.LimitsOf(s.model).MaxMatchWork)}
		s.tokenID = lastToken.Add(1)
	}
	return s.param(s.tokenID)
}

// start makes the statement's state visible to the SQLite functions;
// end, deferred after the query's rows are closed, forgets it.
func (s *stmt) start() {
	if s.state != nil {
		runningQueries.Store(s.tokenID, s.state)
	}
}

func (s *stmt) end() {
	if s.state != nil {
		runningQueries.Delete(s.tokenID)
	}
}

// budgetErr is the query's [*repository.WorkLimitError] once its budget
// is spent, else nil.
func (s *stmt) budgetErr() error {
	if s.state == nil {
		return nil
	}
	return s.state.budget.Err()
}
