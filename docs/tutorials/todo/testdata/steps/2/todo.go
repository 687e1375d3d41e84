package main

// NewTodo is what a client sends to create a todo: the model without its
// generated id. LoopBack names the same schema NewTodo.
type NewTodo struct {
	Title      string `json:"title" validate:"required"`
	Desc       string `json:"desc,omitempty"`
	IsComplete *bool  `json:"isComplete,omitempty"`
	Tag        any    `json:"tag,omitempty"` // any JSON
}

// Todo is the model: a NewTodo with the id the store generates.
//
// Optional properties are omitempty (or pointers, where false is a value
// worth keeping), so a property never set is left out of the JSON instead
// of being sent as null or as a zero.
type Todo struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	NewTodo
}
