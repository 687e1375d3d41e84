package main

import "encoding/json"

// NewTodo is what a client sends to create a todo: the model without its
// generated id. LoopBack names the same schema NewTodo.
type NewTodo struct {
	Title           string          `json:"title" validate:"required"`
	Desc            *string         `json:"desc,omitempty"`
	IsComplete      *bool           `json:"isComplete,omitempty"`
	RemindAtAddress *string         `json:"remindAtAddress,omitempty"`
	RemindAtGeo     *string         `json:"remindAtGeo,omitempty"` // "lat,lng", filled from RemindAtAddress
	Tag             json.RawMessage `json:"tag,omitempty"`         // any JSON, null included
}

// Todo is the model: a NewTodo with the id the store generates.
//
// Optional properties are pointers, so that "" and false are values a
// client can send and read back, and a property never set (nil) is left
// out of the JSON instead of being sent as null. Tag is any JSON kept as
// sent: null is a value of it, and an absent tag (empty) is left out.
type Todo struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	NewTodo
}
