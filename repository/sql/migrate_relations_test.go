package sql

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
)

type fkList struct {
	ID    int      `json:"id,omitempty" loom:"id,generated"`
	Title string   `json:"title" validate:"required"`
	Todos []fkTodo `json:"todos,omitempty" loom:"hasMany"`
	Image *fkImage `json:"image,omitempty" loom:"hasOne"`
}

func (fkList) ModelName() string { return "TodoList" }

type fkTodo struct {
	ID         int     `json:"id,omitempty" loom:"id,generated"`
	Title      string  `json:"title"`
	TodoListID int     `json:"todoListId,omitempty"`
	TodoList   *fkList `json:"todoList,omitempty" loom:"belongsTo"`
}

func (fkTodo) ModelName() string { return "Todo" }

// fkImage has no belongsTo: its foreign key is indexed from the list's
// hasOne.
type fkImage struct {
	ID         int    `json:"id,omitempty" loom:"id,generated"`
	Value      string `json:"value"`
	TodoListID int    `json:"todoListId,omitempty"`
}

func (fkImage) ModelName() string { return "TodoListImage" }

type fkDoctor struct {
	ID       int                                          `json:"id,omitempty" loom:"id,generated"`
	Name     string                                       `json:"name"`
	Patients repository.Through[fkPatient, fkAppointment] `json:"patients,omitempty" loom:"hasManyThrough"`
}

func (fkDoctor) ModelName() string { return "Doctor" }

type fkPatient struct {
	ID      int                                         `json:"id,omitempty" loom:"id,generated"`
	Name    string                                      `json:"name"`
	Doctors repository.Through[fkDoctor, fkAppointment] `json:"doctors,omitempty" loom:"hasAndBelongsToMany"`
}

func (fkPatient) ModelName() string { return "Patient" }

type fkAppointment struct {
	ID        int `json:"id,omitempty" loom:"id,generated"`
	DoctorID  int `json:"doctorId"`
	PatientID int `json:"patientId"`
}

func (fkAppointment) ModelName() string { return "Appointment" }

func TestMigrateRelationsSQLite(t *testing.T) {
	runMigrateRelations(t, func(t *testing.T) *Connector { return sqliteFile(t, Options{}) })
}

func TestMigrateRelationsPostgres(t *testing.T) {
	requirePostgres(t)
	runMigrateRelations(t, func(t *testing.T) *Connector { return postgres(t, Options{}) })
}

func runMigrateRelations(t *testing.T, open func(t *testing.T) *Connector) {
	t.Run("given related models, when migrated, then each foreign key has an index and no navigational field a column", func(t *testing.T) {
		c := open(t)
		ctx := t.Context()
		list, todo, image := modelOf[fkList](t), modelOf[fkTodo](t), modelOf[fkImage](t)
		for range 2 { // a second migration finds the indexes and changes nothing
			if err := c.Migrate(ctx, list, todo, image); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]map[string][]string{
			"todolist":      {},
			"todo":          {"todo_todolistid_idx": {"todolistid"}},
			"todolistimage": {"todolistimage_todolistid_idx": {"todolistid"}},
		}
		for table, idx := range want {
			if got := indexes(t, c, table); !equalIndexes(got, idx) {
				t.Errorf("%s: indexes %v, want %v", table, got, idx)
			}
		}
		if cols := columnNames(t, c, "todolist"); !slices.Equal(cols, []string{"id", "title"}) {
			t.Errorf("todolist columns %v, want id and title", cols)
		}
		if cols := columnNames(t, c, "todo"); !slices.Equal(cols, []string{"id", "title", "todolistid"}) {
			t.Errorf("todo columns %v, want id, title and todolistid", cols)
		}
		// The tables hold the models: a list and its todo are stored and read.
		lists, _ := repository.NewCrudRepository[fkList, int](c)
		todos, _ := repository.NewCrudRepository[fkTodo, int](c)
		l, err := lists.Create(ctx, fkList{Title: "home"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := todos.Create(ctx, fkTodo{Title: "milk", TodoListID: l.ID}); err != nil {
			t.Fatal(err)
		}
		if n, err := todos.Count(ctx, repository.Eq("todoListId", l.ID)); err != nil || n.Count != 1 {
			t.Fatalf("count %v, %v", n, err)
		}
		// No FOREIGN KEY constraint: deleting the list leaves its todo.
		if err := lists.DeleteByID(ctx, l.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := todos.Count(ctx, nil); err != nil || n.Count != 1 {
			t.Fatalf("after deleting the list: count %v, %v", n, err)
		}
		if err := c.Rebuild(ctx, list, todo, image); err != nil {
			t.Fatal(err)
		}
		if got := indexes(t, c, "todo"); !equalIndexes(got, want["todo"]) {
			t.Errorf("after rebuild: todo indexes %v", got)
		}
	})
	t.Run("given a relation through a join model, when migrated, then the join table is created and its two keys are indexed", func(t *testing.T) {
		c := open(t)
		ctx := t.Context()
		doctor, patient, appointment := modelOf[fkDoctor](t), modelOf[fkPatient](t), modelOf[fkAppointment](t)
		want := map[string][]string{"appointment_doctorid_idx": {"doctorid"}, "appointment_patientid_idx": {"patientid"}}
		// The doctor alone brings its join model: the relation is usable.
		if err := c.Migrate(ctx, doctor); err != nil {
			t.Fatal(err)
		}
		if got := indexes(t, c, "appointment"); !equalIndexes(got, want) {
			t.Fatalf("migrating the doctor: appointment indexes %v, want %v", got, want)
		}
		for range 2 {
			if err := c.Migrate(ctx, doctor, patient, appointment); err != nil {
				t.Fatal(err)
			}
		}
		if got := indexes(t, c, "appointment"); !equalIndexes(got, want) {
			t.Errorf("appointment indexes %v, want %v", got, want)
		}
		for _, table := range []string{"doctor", "patient"} {
			if cols := columnNames(t, c, table); !slices.Equal(cols, []string{"id", "name"}) {
				t.Errorf("%s columns %v, want id and name", table, cols)
			}
		}
	})
	t.Run("given a target migrated alone, when its source migrates, then the target's foreign key is indexed and a missing table is left alone", func(t *testing.T) {
		c := open(t)
		ctx := t.Context()
		if err := c.Migrate(ctx, modelOf[fkImage](t)); err != nil {
			t.Fatal(err)
		}
		if got := indexes(t, c, "todolistimage"); len(got) != 0 {
			t.Fatalf("an image alone has indexes %v", got)
		}
		// The list's todos have no table yet: that index waits.
		if err := c.Migrate(ctx, modelOf[fkList](t)); err != nil {
			t.Fatal(err)
		}
		if got := indexes(t, c, "todolistimage"); !equalIndexes(got, map[string][]string{"todolistimage_todolistid_idx": {"todolistid"}}) {
			t.Errorf("todolistimage indexes %v", got)
		}
		if cols := columnNames(t, c, "todo"); len(cols) != 0 {
			t.Errorf("migrating the list made a todo table: %v", cols)
		}
		// The todo's own belongsTo indexes it when it migrates.
		if err := c.Migrate(ctx, modelOf[fkTodo](t)); err != nil {
			t.Fatal(err)
		}
		if got := indexes(t, c, "todo"); !equalIndexes(got, map[string][]string{"todo_todolistid_idx": {"todolistid"}}) {
			t.Errorf("todo indexes %v", got)
		}
	})
}

// indexes lists the indexes of table other than its primary key's, each
// with its columns.
func indexes(t *testing.T, c *Connector, table string) map[string][]string {
	t.Helper()
	query, args := `SELECT il.name, ii.name FROM pragma_index_list(?1) il, pragma_index_info(il.name) ii
		WHERE il.origin = 'c' ORDER BY il.name, ii.seqno`, []any{table}
	if c.d.name() == "postgres" {
		query = `SELECT i.relname, a.attname FROM pg_index x
			JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class r ON r.oid = x.indrelid
			JOIN pg_namespace n ON n.oid = r.relnamespace
			JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = ANY(x.indkey)
			WHERE n.nspname = $1 AND r.relname = $2 AND NOT x.indisprimary ORDER BY i.relname, a.attnum`
		args = []any{c.opts.Schema, table}
	}
	return collect(t, c, query, args, func(m map[string][]string, k, v string) { m[k] = append(m[k], v) })
}

// columnNames lists the columns of table in order; none when it does not
// exist.
func columnNames(t *testing.T, c *Connector, table string) []string {
	t.Helper()
	query, args := "SELECT name, '' FROM pragma_table_info(?1) ORDER BY cid", []any{table}
	if c.d.name() == "postgres" {
		query = `SELECT column_name, '' FROM information_schema.columns
			WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`
		args = []any{c.opts.Schema, table}
	}
	var out []string
	collect(t, c, query, args, func(_ map[string][]string, k, _ string) { out = append(out, k) })
	return out
}

func collect(t *testing.T, c *Connector, query string, args []any, add func(map[string][]string, string, string)) map[string][]string {
	t.Helper()
	rows, err := c.DB().QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string][]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		add(m, strings.ToLower(k), v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func equalIndexes(got, want map[string][]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			return false
		}
	}
	return true
}
