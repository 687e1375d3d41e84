package sql

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/rules"
)

// plainLabel and uniqueLabel share one table: the second declares its
// name unique, after rows were stored without the rule.
type plainLabel struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name"`
}

func (plainLabel) TableName() string { return "label" }

type uniqueLabel struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name"`
}

func (uniqueLabel) TableName() string { return "label" }

func (uniqueLabel) Validations() []rules.Validation {
	return []rules.Validation{rules.UniquenessOf("name")}
}

func TestMigratingAUniquenessOverDuplicatesFailsNamingTheIndex(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { migrateOverDuplicates(t, sqliteMemory(t, Options{AutoMigrate: true})) })
	t.Run("postgres", func(t *testing.T) {
		requirePostgres(t)
		migrateOverDuplicates(t, postgres(t, Options{AutoMigrate: true}))
	})
}

func migrateOverDuplicates(t *testing.T, c *Connector) {
	ctx := context.Background()
	plain, err := repository.NewCrudRepository[plainLabel, int](c)
	if err != nil {
		t.Fatal(err)
	}
	// given two rows of one name, stored before the name was unique
	if _, err := plain.CreateAll(ctx, []plainLabel{{Name: "a"}, {Name: "a"}, {Name: ""}, {Name: ""}}); err != nil {
		t.Fatal(err)
	}
	m, err := repository.ModelOf[uniqueLabel]()
	if err != nil {
		t.Fatal(err)
	}
	// when the unique model is migrated, the index cannot be made
	err = c.Migrate(ctx, m)
	if err == nil || !strings.Contains(err.Error(), "creating unique index label_name_key (does the table hold duplicates?)") {
		t.Fatalf("error %v", err)
	}
	// and once the duplicate is gone it is (the blank names are not
	// compared), and the database refuses a new duplicate
	if err := plain.DeleteByID(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := c.Migrate(ctx, m); err != nil {
		t.Fatal(err)
	}
	_, err = c.Create(ctx, m, []repository.Data{{"name": []byte(`"a"`)}})
	var ve *repository.ValidationError
	if !errors.As(err, &ve) || ve.Details[0].Code != repository.CodeUniqueness {
		t.Fatalf("duplicate insert: %v", err)
	}
}
