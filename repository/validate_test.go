package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/rules"
)

// CoffeeShop is LoopBack 3's coffee-shop model, with its validations.
type CoffeeShop struct {
	ID          int      `json:"id,omitempty" loom:"id,generated"`
	Name        string   `json:"name,omitempty" validate:"required"`
	City        *string  `json:"city,omitempty"`
	OpeningHour *float64 `json:"openingHour,omitempty"`
}

func (CoffeeShop) Validations() []rules.Validation {
	return []rules.Validation{
		rules.UniquenessOf("name"),
		rules.LengthOf("name", rules.Min(3), rules.Max(60)),
		rules.InclusionOf("city", []any{"Vancouver", "San Mateo", "San Francisco", "Seattle", "Portland"},
			rules.AllowBlank(), rules.AllowNull()),
		rules.NumericalityOf("openingHour", rules.Int(), rules.AllowBlank()),
	}
}

func shops(t *testing.T) *repository.DefaultCrudRepository[CoffeeShop, int] {
	t.Helper()
	r, err := repository.NewCrudRepository[CoffeeShop, int](memory.New(memory.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// expectInvalid checks err is juggler's ValidationError with message
// and details.
func expectInvalid(t *testing.T, err error, message, details string) {
	t.Helper()
	var ve *repository.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want a ValidationError", err)
	}
	if message != "" && ve.Error() != message {
		t.Errorf("message\n%s\nwant\n%s", ve.Error(), message)
	}
	raw, _ := json.Marshal(ve.ErrorDetails())
	if string(raw) != details {
		t.Errorf("details\n%s\nwant\n%s", raw, details)
	}
}

func TestCreateAnswersAsLoopBack3sCoffeeShop(t *testing.T) {
	ctx := context.Background()
	repo := shops(t)
	tests := []struct {
		name    string
		shop    CoffeeShop
		message string
		details string
	}{
		// validation_multiple_properties
		{"missing name, city not listed", CoffeeShop{City: new("Nowhere")},
			"The `CoffeeShop` instance is not valid. Details: `name` can't be blank (value: undefined); " +
				"`name` is blank (value: undefined); `city` is not included in the list (value: \"Nowhere\").",
			`{"context":"CoffeeShop","codes":{"city":["inclusion"],"name":["presence","length.blank"]},"messages":{"city":["is not included in the list"],"name":["can't be blank","is blank"]}}`},
		// validation_length_max_422
		{"name too long", CoffeeShop{Name: strings.Repeat("x", 61)},
			"The `CoffeeShop` instance is not valid. Details: `name` too long (value: \"xxxxxxxxxxxxxxxxxxxxxxxxx...xxx\").",
			`{"context":"CoffeeShop","codes":{"name":["length.max"]},"messages":{"name":["too long"]}}`},
		{"name too short", CoffeeShop{Name: "ab"},
			"The `CoffeeShop` instance is not valid. Details: `name` too short (value: \"ab\").",
			`{"context":"CoffeeShop","codes":{"name":["length.min"]},"messages":{"name":["too short"]}}`},
		{"opening hour not whole", CoffeeShop{Name: "abc", OpeningHour: new(6.5)},
			"The `CoffeeShop` instance is not valid. Details: `openingHour` is not an integer (value: 6.5).",
			`{"context":"CoffeeShop","codes":{"openingHour":["numericality.int"]},"messages":{"openingHour":["is not an integer"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := repo.Create(ctx, tt.shop)
			expectInvalid(t, err, tt.message, tt.details)
		})
	}
	// and listed, blank and unset cities are valid, and nothing invalid
	// was stored
	for i, city := range []*string{new("Seattle"), new(""), nil} {
		if _, err := repo.Create(ctx, CoffeeShop{Name: "Shop " + string(rune('A'+i)), City: city}); err != nil {
			t.Fatalf("city %v: %v", city, err)
		}
	}
	if n, _ := repo.Count(ctx, nil); n.Count != 3 {
		t.Fatalf("%d shops", n.Count)
	}
}

func TestUniquenessIsReportedAfterTheOtherValidations(t *testing.T) {
	// given a shop named Bean
	ctx := context.Background()
	repo := shops(t)
	if _, err := repo.Create(ctx, CoffeeShop{Name: "Bean"}); err != nil {
		t.Fatal(err)
	}
	// when another Bean with an unlisted city is created
	_, err := repo.Create(ctx, CoffeeShop{Name: "Bean", City: new("Nowhere")})
	// then uniqueness comes last, as juggler's asynchronous validation
	expectInvalid(t, err,
		"The `CoffeeShop` instance is not valid. Details: `city` is not included in the list (value: \"Nowhere\"); "+
			"`name` is not unique (value: \"Bean\").",
		`{"context":"CoffeeShop","codes":{"city":["inclusion"],"name":["uniqueness"]},"messages":{"city":["is not included in the list"],"name":["is not unique"]}}`)
}

func TestReplaceValidatesTheWholeEntity(t *testing.T) {
	// validation_replace_by_id_422
	ctx := context.Background()
	repo := shops(t)
	shop, err := repo.Create(ctx, CoffeeShop{Name: "Bean", City: new("Seattle")})
	if err != nil {
		t.Fatal(err)
	}
	err = repo.ReplaceByID(ctx, shop.ID, CoffeeShop{City: new("Portland")})
	expectInvalid(t, err, "",
		`{"context":"CoffeeShop","codes":{"name":["presence","length.blank"]},"messages":{"name":["can't be blank","is blank"]}}`)
	got, err := repo.FindByID(ctx, shop.ID, nil)
	if err != nil || *got.City != "Seattle" {
		t.Fatalf("after the refused replace: %+v %v", got, err)
	}
}

func TestPatchesValidateWhatTheySend(t *testing.T) {
	ctx := context.Background()
	repo := shops(t)
	shop, err := repo.Create(ctx, CoffeeShop{Name: "Bean"})
	if err != nil {
		t.Fatal(err)
	}
	// A patch read from JSON (a request body) is checked for types when
	// decoded, and validated when used: an empty name fails both presence
	// and length, as LoopBack's patchAttributes answers.
	var p repository.Patch[CoffeeShop]
	if err := json.Unmarshal([]byte(`{"name":""}`), &p); err != nil {
		t.Fatal(err)
	}
	err = repo.UpdateByID(ctx, shop.ID, p)
	expectInvalid(t, err, "The `CoffeeShop` instance is not valid. Details: `name` can't be blank (value: \"\"); `name` is blank (value: \"\").",
		`{"context":"CoffeeShop","codes":{"name":["presence","length.blank"]},"messages":{"name":["can't be blank","is blank"]}}`)
	if err := json.Unmarshal([]byte(`{"name":"ab","city":"Seattle"}`), &p); err != nil {
		t.Fatal(err)
	}
	_, err = repo.UpdateAll(ctx, p, nil)
	expectInvalid(t, err, "",
		`{"context":"CoffeeShop","codes":{"name":["length.min"]},"messages":{"name":["too short"]}}`)
	// A type error is found when decoding, as a request body's.
	err = json.Unmarshal([]byte(`{"name":5}`), &p)
	var ve *repository.ValidationError
	if !errors.As(err, &ve) || ve.Details[0].Code != "type" {
		t.Fatalf("decoding a number name: %v", err)
	}

	// A patch built in code is validated by UpdateByID.
	err = repo.UpdateByID(ctx, shop.ID, repository.Patch[CoffeeShop]{}.Set("city", "Nowhere"))
	expectInvalid(t, err, "",
		`{"context":"CoffeeShop","codes":{"city":["inclusion"]},"messages":{"city":["is not included in the list"]}}`)
	// Unsetting a property runs its validations on no value.
	err = repo.UpdateByID(ctx, shop.ID, repository.Patch[CoffeeShop]{}.Unset("name"))
	expectInvalid(t, err, "",
		`{"context":"CoffeeShop","codes":{"name":["presence","length.blank"]},"messages":{"name":["can't be blank","is blank"]}}`)
	// An unset city is allowed blank.
	if err := repo.UpdateByID(ctx, shop.ID, repository.Patch[CoffeeShop]{}.Unset("city")); err != nil {
		t.Fatal(err)
	}

	// UpdateAll validates too, where LoopBack 3's updateAll stores a city
	// outside the list.
	_, err = repo.UpdateAll(ctx, repository.Patch[CoffeeShop]{}.Set("city", "Nowhere"), nil)
	expectInvalid(t, err, "",
		`{"context":"CoffeeShop","codes":{"city":["inclusion"]},"messages":{"city":["is not included in the list"]}}`)
	if n, _ := repo.Count(ctx, repository.Eq("city", "Nowhere")); n.Count != 0 {
		t.Fatalf("%d shops in Nowhere", n.Count)
	}
	// A valid patch of the own unique value passes.
	if err := repo.UpdateByID(ctx, shop.ID, repository.Patch[CoffeeShop]{}.Set("name", "Bean").Set("openingHour", 9)); err != nil {
		t.Fatal(err)
	}
}

func TestAModelWithABadValidationFailsModelOf(t *testing.T) {
	_, err := repository.ModelOf[badShop]()
	want := `repository: model repository_test.badShop: model badShop: LengthOf("title"): badShop has no property "title"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v\nwant %s", err, want)
	}
}

type badShop struct {
	ID   int    `json:"id" loom:"id"`
	Name string `json:"name"`
}

func (badShop) Validations() []rules.Validation {
	return []rules.Validation{rules.LengthOf("title", rules.Max(3))}
}

func TestUniquePropertiesAreTheModels(t *testing.T) {
	m, err := repository.ModelOf[CoffeeShop]()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(m.Unique()); string(got) != `[["name"]]` {
		t.Fatalf("unique %s", got)
	}
}

// findCounter counts the Finds a connector runs.
type findCounter struct {
	repository.Connector
	finds int
}

func (c *findCounter) Find(ctx context.Context, m *repository.Model, q repository.Query) ([]repository.Data, error) {
	c.finds++
	return c.Connector.Find(ctx, m, q)
}

func TestCreateAllLooksUniqueValuesUpTogether(t *testing.T) {
	// given 2,500 stored shops, and a batch of 2,500 more of which one
	// takes a stored name
	ctx := context.Background()
	conn := &findCounter{Connector: memory.New(memory.Options{})}
	repo, err := repository.NewCrudRepository[CoffeeShop, int](conn)
	if err != nil {
		t.Fatal(err)
	}
	batch := func(prefix string) []CoffeeShop {
		out := make([]CoffeeShop, 2500)
		for i := range out {
			out[i] = CoffeeShop{Name: fmt.Sprintf("%s %04d", prefix, i)}
		}
		return out
	}
	if _, err := repo.CreateAll(ctx, batch("old")); err != nil {
		t.Fatal(err)
	}
	next := batch("new")
	next[1234].Name = "old 0007"
	conn.finds = 0
	// when it is created
	_, err = repo.CreateAll(ctx, next)
	// then the taken name is juggler's uniqueness failure
	expectInvalid(t, err, "The `CoffeeShop` instance is not valid. Details: `name` is not unique (value: \"old 0007\").",
		`{"context":"CoffeeShop","codes":{"name":["uniqueness"]},"messages":{"name":["is not unique"]}}`)
	// and the names were looked up a list of 1,000 at a time, not one by one
	if conn.finds != 3 {
		t.Fatalf("%d finds", conn.finds)
	}
	// and without it the batch is stored
	next[1234].Name = "new x"
	if got, err := repo.CreateAll(ctx, next); err != nil || len(got) != 2500 {
		t.Fatalf("%d created, %v", len(got), err)
	}
}

func TestValidateTellsUnsetNullAndBlankApart(t *testing.T) {
	m, err := repository.ModelOf[CoffeeShop]()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		body, message string
	}{
		{`{}`, "`name` can't be blank (value: undefined)"},
		{`{"name":null}`, "`name` is null (value: null)"},
		{`{"name":""}`, "`name` is blank (value: \"\")"},
	} {
		var d repository.Data
		if err := json.Unmarshal([]byte(c.body), &d); err != nil {
			t.Fatal(err)
		}
		err := m.Validate(d)
		if err == nil || !strings.Contains(err.Error(), c.message) {
			t.Errorf("Validate(%s) = %v, want a message with %s", c.body, err, c.message)
		}
	}
	if err := m.Validate(repository.Data{"name": json.RawMessage(`"Bel Cafe"`)}); err != nil {
		t.Errorf("a valid shop: %v", err)
	}
}
