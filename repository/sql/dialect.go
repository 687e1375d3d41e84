package sql

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/loomhq/loom/repository"
)

// dialect is what differs between SQLite and PostgreSQL: placeholders,
// column types, how errors read, and how the filter operators that SQL
// has no common form for (like, regexp, JSON values) are written.
type dialect interface {
	// name is "sqlite" or "postgres".
	name() string
	// placeholder is the n-th parameter (from 1): $1, or ? on SQLite,
	// where the statement's text must use its parameters in order.
	placeholder(n int) string
	// columnType is the declared type of a column of kind k.
	columnType(k storage) string
	// idColumn is the declaration of an integer id the store numbers.
	idColumn() string
	// textCollate is the suffix that makes text compare byte-wise.
	textCollate() string
	// uniqueViolation reports whether err is a unique or primary key
	// constraint failure.
	uniqueViolation(err error) bool
	// missingTable reports whether err says a table does not exist.
	missingTable(err error) bool
	// busy reports whether err is a statement that gave up waiting for
	// another connection's lock.
	busy(err error) bool
	// boolArg and timeArg are the parameters for a boolean and a time.
	boolArg(b bool) any
	timeArg(t time.Time) any
	// likeExpr is the test that text column col matches a like pattern,
	// unanchored as in the memory connector; fold ignores case.
	likeExpr(s *stmt, col, pattern string, fold bool) string
	// regexpExpr is the test that text column col matches re.
	regexpExpr(s *stmt, col string, re repository.Regexp) string
	// jsonExpr is the comparison j of the values of JSON column col at
	// path (nil: the column's own value).
	jsonExpr(s *stmt, col string, path []string, j jsonTest) (string, error)
	// jsonOrder is the sort keys of the value of JSON column col at path:
	// its type's rank, then the value.
	jsonOrder(s *stmt, col string, path []string) []string
	// nearExpr is the test that the GeoPoint in column col lies within
	// n's bounds (see geo.go).
	nearExpr(s *stmt, col string, n repository.GeoNear) string
	// distanceExpr is the sort key of the distance from p to the GeoPoint
	// in column col: the haversine angle, NULL without a point.
	distanceExpr(s *stmt, col string, p repository.GeoPoint) string
}

// quote writes an identifier in double quotes, doubling inner quotes: the
// standard form both dialects read. Identifiers come from model metadata,
// never from a request.
func quote(id string) string {
	return `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
}

type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }

// SQLite's placeholders are anonymous: the driver looks each numbered one
// (?7) up by name in a list as long as the statement's, quadratic in the
// parameters (0.3 s for 10,000 values).
func (sqliteDialect) placeholder(int) string { return "?" }
func (sqliteDialect) textCollate() string    { return "" } // BINARY: byte-wise already
func (sqliteDialect) idColumn() string       { return "INTEGER PRIMARY KEY AUTOINCREMENT" }

func (sqliteDialect) boolArg(b bool) any {
	if b {
		return int64(1)
	}
	return int64(0)
}

// sqliteTime is how SQLite columns hold times: UTC with nine fractional
// digits, so that comparing the text compares the times.
const sqliteTime = "2006-01-02T15:04:05.000000000Z07:00"

func (sqliteDialect) timeArg(t time.Time) any { return t.UTC().Format(sqliteTime) }

func (sqliteDialect) columnType(k storage) string {
	switch k {
	case storeInt, storeBool:
		return "INTEGER"
	case storeFloat:
		return "REAL"
	}
	// Text, times (fixed-width UTC text, so that text order is time order)
	// and JSON. Not "JSON" or "DATETIME": those names would give the column
	// numeric affinity or make the driver parse its text.
	return "TEXT"
}

// SQLite's extended result codes.
const (
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

func (sqliteDialect) uniqueViolation(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() == sqliteConstraintPrimaryKey || e.Code() == sqliteConstraintUnique
	}
	return false
}

// sqliteBusy is SQLite's primary result code SQLITE_BUSY, the low byte of
// its extended codes.
const sqliteBusy = 5

// busy reports a statement that gave up waiting for another's lock.
func (sqliteDialect) busy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqliteBusy
}

func (sqliteDialect) missingTable(err error) bool {
	return err != nil && strings.Contains(err.Error(), "no such table")
}

type postgresDialect struct{}

func (postgresDialect) name() string             { return "postgres" }
func (postgresDialect) busy(error) bool          { return false } // PostgreSQL waits for locks
func (postgresDialect) placeholder(n int) string { return "$" + strconv.Itoa(n) }
func (postgresDialect) textCollate() string      { return ` COLLATE "C"` }
func (postgresDialect) idColumn() string {
	return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
}

func (postgresDialect) boolArg(b bool) any      { return b }
func (postgresDialect) timeArg(t time.Time) any { return t.UTC() }

func (postgresDialect) columnType(k storage) string {
	switch k {
	case storeInt:
		return "BIGINT"
	case storeFloat:
		return "DOUBLE PRECISION"
	case storeBool:
		return "BOOLEAN"
	case storeTime:
		return "TIMESTAMPTZ"
	case storeJSON:
		return "JSONB"
	}
	return "TEXT"
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func (postgresDialect) uniqueViolation(err error) bool { return pgCode(err) == "23505" }
func (postgresDialect) missingTable(err error) bool    { return pgCode(err) == "42P01" }

// storage is how a property's values are kept in a column.
type storage uint8

const (
	storeText  storage = iota // TEXT
	storeInt                  // BIGINT / INTEGER
	storeFloat                // DOUBLE PRECISION / REAL
	storeBool                 // BOOLEAN / INTEGER 0, 1
	storeTime                 // TIMESTAMPTZ / TEXT in a fixed-width UTC form
	storeJSON                 // JSONB / TEXT holding JSON
)

func storageOf(k repository.Kind) storage {
	switch k {
	case repository.KindString:
		return storeText
	case repository.KindInt:
		return storeInt
	case repository.KindFloat:
		return storeFloat
	case repository.KindBool:
		return storeBool
	case repository.KindTime:
		return storeTime
	}
	return storeJSON // any, objects, arrays
}
