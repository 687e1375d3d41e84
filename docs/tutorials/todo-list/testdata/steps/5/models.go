package main

// NewTodoList is what a client sends to create a todo list: the model
// without its generated id and its relations. LoopBack names the same
// schema NewTodoList.
type NewTodoList struct {
	Title string  `json:"title" validate:"required"`
	Color *string `json:"color,omitempty"`
}

// TodoList is a list of todos, LoopBack's TodoList model: a NewTodoList
// with the id the store generates, and two relations. Todos (hasMany) are
// the todos whose todoListId is the list's id; Image (hasOne) is the
// image whose todoListId is the list's id. Both are navigational fields:
// never stored, and present in an answer only when a filter includes them
// (?filter={"include":["todos","image"]}).
type TodoList struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	NewTodoList
	Todos []Todo         `json:"todos,omitempty" loom:"hasMany"`
	Image *TodoListImage `json:"image,omitempty" loom:"hasOne"`
}

// NewTodo is what a client sends to create a todo: the model without its
// generated id and its relation.
//
// Optional properties are pointers, so that "" and false are values a
// client can send and read back, and a property never set (nil) is left
// out of the JSON. TodoListID is the foreign key of the todoList relation;
// 0 is no list.
type NewTodo struct {
	Title      string  `json:"title" validate:"required"`
	Desc       *string `json:"desc,omitempty"`
	IsComplete *bool   `json:"isComplete,omitempty"`
	TodoListID int     `json:"todoListId,omitempty"`
}

// NewTodoInTodoList is the body of POST /todo-lists/{id}/todos: a NewTodo
// whose todoListId may be left out, as the path names the list. LoopBack
// names the same schema NewTodoInTodoList.
type NewTodoInTodoList NewTodo

// Todo is LoopBack's Todo model of the TodoList example: a NewTodo with
// the id the store generates, and the list it belongs to (belongsTo,
// through todoListId) when a filter includes todoList.
type Todo struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	NewTodo
	TodoList *TodoList `json:"todoList,omitempty" loom:"belongsTo"`
}

// NewTodoListImage is what a client sends to create an image: the model
// without its generated id and its relation.
type NewTodoListImage struct {
	// Value is the image, as text: LoopBack's example keeps a string too.
	Value      string `json:"value" validate:"required"`
	TodoListID int    `json:"todoListId,omitempty"`
}

// NewTodoListImageInTodoList is the body of POST /todo-lists/{id}/image:
// a NewTodoListImage whose todoListId may be left out, as the path names
// the list.
type NewTodoListImageInTodoList NewTodoListImage

// TodoListImage is the image of a todo list, LoopBack's TodoListImage
// model: a NewTodoListImage with the id the store generates, and the list
// it belongs to (belongsTo, through todoListId) when a filter includes
// todoList.
type TodoListImage struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	NewTodoListImage
	TodoList *TodoList `json:"todoList,omitempty" loom:"belongsTo"`
}
