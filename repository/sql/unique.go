package sql

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/loomhq/loom/repository"
)

// uniqueIndexes creates a UNIQUE index for each uniqueness validation of
// t's model ([repository.Model.Unique]), named <table>_<columns>_key, so
// that the database decides between two concurrent writes of one value.
// The index leaves out the rows it does not check: NULLs are distinct in
// SQL, and a string column's "" is excluded (WHERE col <> ”), as the
// validation does not check a blank value; such an index also gets a
// plain one, <table>_<columns>_idx, for the repository's lookups.
// Creating it over rows that already hold duplicates fails the migration,
// naming the index.
func (c *Connector) uniqueIndexes(ctx context.Context, q Querier, t *table) error {
	for _, props := range t.model.Unique() {
		name, cols, where, err := uniqueIndex(t, props)
		if err != nil {
			return err
		}
		create := "CREATE UNIQUE INDEX IF NOT EXISTS " + quote(name) + " ON " + t.ref + " (" + strings.Join(cols, ", ") + ")"
		if len(where) > 0 {
			create += " WHERE " + strings.Join(where, " AND ")
		}
		if _, err := q.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("sql: migrate %s: creating unique index %s (does the table hold duplicates?): %w", t.model.Name, name, err)
		}
		if len(where) == 0 {
			continue
		}
		// A partial index serves no lookup of a value given as a
		// parameter (name = ? does not prove name <> ''), and the
		// repository looks values up before writing: index them whole.
		lookup := strings.TrimSuffix(name, "_key") + "_idx"
		create = "CREATE INDEX IF NOT EXISTS " + quote(lookup) + " ON " + t.ref + " (" + strings.Join(cols, ", ") + ")"
		if _, err := q.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("sql: migrate %s: creating index %s: %w", t.model.Name, lookup, err)
		}
	}
	return nil
}

// uniqueIndex is the name, quoted columns and row condition of the index
// enforcing props on t.
func uniqueIndex(t *table, props []string) (name string, cols, where []string, err error) {
	names := []string{t.name}
	for _, p := range props {
		col := t.byProp[p]
		if col == nil {
			return "", nil, nil, fmt.Errorf("sql: %s: unique property %q has no column", t.model.Name, p)
		}
		names = append(names, col.name)
		cols = append(cols, col.q)
		if prop := t.model.Property(p); prop != nil && prop.Kind == repository.KindString {
			where = append(where, col.q+" <> ''")
		}
	}
	return strings.Join(append(names, "key"), "_"), cols, where, nil
}

// notUnique maps err, a write's failure, to the uniqueness
// [repository.ValidationError] when it is the violation of one of t's
// unique indexes (SQLite's SQLITE_CONSTRAINT_UNIQUE naming the columns,
// PostgreSQL's 23505 naming the index); nil otherwise. d is the data
// written, whose value the error shows.
func (c *Connector) notUnique(t *table, err error, d repository.Data) error {
	if err == nil || !c.d.uniqueViolation(err) {
		return nil
	}
	var constraint string
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		constraint = pg.ConstraintName
	}
	text := err.Error()
	for _, props := range t.model.Unique() {
		name, _, _, ierr := uniqueIndex(t, props)
		if ierr != nil {
			continue
		}
		if constraint != "" && constraint == pgIdentifier(name) || constraint == "" && sqliteColumns(text, t, props) {
			return repository.NotUnique(t.model, props, d)
		}
	}
	return nil
}

// sqliteColumns reports whether text, SQLite's "UNIQUE constraint
// failed: shop.city, shop.name", names exactly the columns of props.
func sqliteColumns(text string, t *table, props []string) bool {
	_, list, ok := strings.Cut(text, "UNIQUE constraint failed: ")
	if !ok {
		return false
	}
	list, _, _ = strings.Cut(list, " (")
	var got []string
	for part := range strings.SplitSeq(list, ", ") {
		tbl, col, ok := strings.Cut(strings.TrimSpace(part), ".")
		if !ok || tbl != t.name {
			return false
		}
		got = append(got, col)
	}
	var want []string
	for _, p := range props {
		if col := t.byProp[p]; col != nil {
			want = append(want, col.name)
		}
	}
	return slices.Equal(got, want)
}

// pgIdentifier is name as PostgreSQL keeps it: cut to 63 bytes.
func pgIdentifier(name string) string {
	if len(name) > 63 {
		return name[:63]
	}
	return name
}
