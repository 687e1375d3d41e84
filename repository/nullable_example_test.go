package repository_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// Roastery's city is absent, null or a name, as a LoopBack 3 property is.
type Roastery struct {
	ID   int                         `json:"id,omitempty" loom:"id,generated"`
	Name string                      `json:"name"`
	City repository.Nullable[string] `json:"city,omitzero"`
}

func ExampleNullable() {
	ctx := context.Background()
	roasteries, err := repository.NewCrudRepository[Roastery, int](memory.New(memory.Options{}))
	if err != nil {
		panic(err)
	}
	// A client's null is stored and answered as null; absent stays absent.
	var sent Roastery
	if err := json.Unmarshal([]byte(`{"name":"Abc","city":null}`), &sent); err != nil {
		panic(err)
	}
	for _, r := range []Roastery{sent, {Name: "Def", City: repository.NullableOf("Oslo")}, {Name: "Ghi"}} {
		created, err := roasteries.Create(ctx, r)
		if err != nil {
			panic(err)
		}
		b, _ := json.Marshal(created)
		fmt.Println(string(b))
	}
	// where {"city": null} finds null and absent alike.
	var filter repository.Filter[Roastery]
	if err := json.Unmarshal([]byte(`{"where":{"city":null}}`), &filter); err != nil {
		panic(err)
	}
	found, err := roasteries.Find(ctx, &filter)
	if err != nil {
		panic(err)
	}
	for _, r := range found {
		city, ok := r.City.Get()
		fmt.Printf("%s: %q %v, null %v\n", r.Name, city, ok, r.City.IsNull())
	}
	// Output:
	// {"id":1,"name":"Abc","city":null}
	// {"id":2,"name":"Def","city":"Oslo"}
	// {"id":3,"name":"Ghi"}
	// Abc: "" false, null true
	// Ghi: "" false, null false
}
