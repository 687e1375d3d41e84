package repository

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// Pattern is a compiled like, nlike, ilike, nilike or regexp value, as
// every connector that matches in Go runs it: a like made of text and %
// only is matched piece by piece without a regular expression; anything
// else is Go's regular expression, whose cost is linear in the text times
// the size of the compiled program. Match charges that cost to a
// [WorkBudget] before it runs.
type Pattern struct {
	re     *regexp.Regexp
	pieces []string // a literal like: its pieces, found in order
	weight int64    // work units per byte of text
}

// CompileLike compiles a like pattern as LoopBack's memory connector reads
// it: % is any text, _ is one character, the rest is regular expression
// text, unanchored; fold ignores case (ilike, nilike).
func CompileLike(pattern string, fold bool) (*Pattern, error) {
	if !fold && isLiteralLike(pattern) {
		return &Pattern{pieces: strings.Split(pattern, "%"), weight: 1}, nil
	}
	re, err := LikeRegexp(pattern, fold)
	if err != nil {
		return nil, err
	}
	return &Pattern{re: re, weight: programSize(re.String())}, nil
}

// CompileRegexp compiles a regexp condition's value (see [Regexp.Compile]).
func CompileRegexp(r Regexp) (*Pattern, error) {
	re, err := r.Compile()
	if err != nil {
		return nil, err
	}
	return &Pattern{re: re, weight: programSize(re.String())}, nil
}

// Match reports whether text matches, after charging len(text) times the
// pattern's size to b; when b cannot pay, it returns b's error and does
// not match.
func (p *Pattern) Match(text string, b *WorkBudget) (bool, error) {
	if err := b.Spend(int64(len(text)) * p.weight); err != nil {
		return false, err
	}
	if p.re != nil {
		return p.re.MatchString(text), nil
	}
	for _, piece := range p.pieces {
		i := strings.Index(text, piece)
		if i < 0 {
			return false, nil
		}
		text = text[i+len(piece):]
	}
	return true, nil
}

// Literal reports whether p is a like made of text and % only, and its
// pieces in order (empty pieces included).
func (p *Pattern) Literal() ([]string, bool) { return p.pieces, p.re == nil }

// isLiteralLike reports whether a like pattern is text and % only.
func isLiteralLike(pat string) bool {
	for p := range strings.SplitSeq(pat, "%") {
		if strings.ContainsRune(p, '_') || regexp.QuoteMeta(p) != p {
			return false
		}
	}
	return true
}

// programSize is the number of instructions of expr's compiled program,
// the most threads Go's matcher runs at once: the cost of one byte of
// text, in the worst case.
func programSize(expr string) int64 {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return 1
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return 1
	}
	return max(int64(len(prog.Inst)), 1)
}
