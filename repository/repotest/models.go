package repotest

import "time"

// Todo is the suite's main model: LoopBack's Todo, plus properties of
// every kind the filter language compares.
type Todo struct {
	ID         int        `json:"id,omitempty" loom:"id,generated"`
	Title      string     `json:"title" validate:"required"`
	Desc       *string    `json:"desc,omitempty"`
	IsComplete *bool      `json:"isComplete,omitempty"`
	Priority   *int       `json:"priority,omitempty"`
	Score      *float64   `json:"score,omitempty"`
	Due        *time.Time `json:"due,omitempty"`
	Tags       []string   `json:"tags,omitempty"`
	Address    *Address   `json:"address,omitempty"`
	Secret     string     `json:"-" loom:"hidden"`
}

// Address is a nested object, matched with dotted keys (address.city).
type Address struct {
	City string `json:"city,omitempty"`
	Zip  string `json:"zip,omitempty"`
}

// Note has a string id the caller chooses.
type Note struct {
	Key  string `json:"key" loom:"id"`
	Body string `json:"body,omitempty"`
}

// Ptr returns a pointer to v, for optional properties.
func Ptr[T any](v T) *T { return &v }
