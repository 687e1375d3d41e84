package repository

import (
	"fmt"
	"sync/atomic"
)

// CodeQueryTooCostly is the code of a [*WorkLimitError].
const CodeQueryTooCostly = "QUERY_TOO_COSTLY"

// WorkBudget is the pattern-matching work one query may spend: a
// connector makes one per query from the model's [Limits].MaxMatchWork
// and charges every like, ilike or regexp test against it before running
// the test, so that no single query can cost more than the budget, however
// large the stored text or the pattern. A nil budget is unlimited. It is
// safe for concurrent use.
type WorkBudget struct {
	limit int64
	spent atomic.Int64
}

// NewWorkBudget returns a budget of limit units; limit <= 0 is unlimited
// (a nil budget).
func NewWorkBudget(limit int64) *WorkBudget {
	if limit <= 0 {
		return nil
	}
	return &WorkBudget{limit: limit}
}

// Spend takes n units from b. When they are not there it returns a
// [*WorkLimitError], and every later Spend fails as well.
func (b *WorkBudget) Spend(n int64) error {
	if b == nil {
		return nil
	}
	if b.spent.Add(n) > b.limit {
		return &WorkLimitError{Limit: b.limit}
	}
	return nil
}

// Exceeded reports whether a Spend has failed.
func (b *WorkBudget) Exceeded() bool { return b != nil && b.spent.Load() > b.limit }

// Err is the [*WorkLimitError] of an exceeded budget, else nil.
func (b *WorkBudget) Err() error {
	if !b.Exceeded() {
		return nil
	}
	return &WorkLimitError{Limit: b.limit}
}

// WorkLimitError is a query whose like, ilike or regexp conditions would
// need more matching work than its model allows ([Limits].MaxMatchWork).
// It answers 400 QUERY_TOO_COSTLY.
type WorkLimitError struct {
	// Limit is the budget that was exceeded, in units of one byte of
	// stored text times one instruction of the compiled pattern.
	Limit int64
}

func (e *WorkLimitError) Error() string {
	return fmt.Sprintf("The where clause's like, ilike and regexp patterns need more than the %d units of "+
		"matching work a query may spend (bytes of stored text times the size of the compiled pattern): "+
		"use shorter patterns with fewer wildcards, or narrow the where clause with other conditions.", e.Limit)
}

// StatusCode is 400.
func (e *WorkLimitError) StatusCode() int { return 400 }

// ErrorCode is QUERY_TOO_COSTLY.
func (e *WorkLimitError) ErrorCode() string { return CodeQueryTooCostly }

// ErrorName is BadRequestError.
func (e *WorkLimitError) ErrorName() string { return "BadRequestError" }
