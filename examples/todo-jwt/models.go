package main

// NewTodo is what a client sends to create a todo: the model without its
// generated id.
type NewTodo struct {
	Title      string  `json:"title" validate:"required"`
	Desc       *string `json:"desc,omitempty"`
	IsComplete *bool   `json:"isComplete,omitempty"`
}

// Todo is LoopBack's Todo model of the example: a NewTodo with the id the
// store generates.
type Todo struct {
	ID int `json:"id,omitempty" loom:"id,generated"`
	NewTodo
}

// User is @loopback/authentication-jwt's User: who can log in. It holds
// no password: that is in [UserCredentials], so a user read back or
// listed can never carry it.
type User struct {
	ID            string  `json:"id" loom:"id"`
	Realm         *string `json:"realm,omitempty"`
	Username      *string `json:"username,omitempty"`
	Email         string  `json:"email" validate:"required,email,max=254"`
	EmailVerified *bool   `json:"emailVerified,omitempty"`
}

// UserCredentials is a user's password, as a bcrypt hash: LoopBack's
// UserCredentials, which a User hasOne of.
type UserCredentials struct {
	ID       string `json:"id" loom:"id"`
	Password string `json:"password"`
	UserID   string `json:"userId"`
}

// MaxPassword is the longest password accepted, in bytes: bcrypt reads
// no more than 72.
const MaxPassword = 72

// NewUserRequest is the body of POST /signup: the user and their
// password.
type NewUserRequest struct {
	Email    string  `json:"email" validate:"required,email,max=254"`
	Password string  `json:"password" validate:"required,min=8,max=72"`
	Username *string `json:"username,omitempty" validate:"omitempty,max=256"`
	Realm    *string `json:"realm,omitempty" validate:"omitempty,max=256"`
}

// Credentials is the body of POST /users/login, LoopBack's
// CredentialsSchema: an email and a password of at least 8 characters.
type Credentials struct {
	Email    string `json:"email" validate:"required,email,max=254"`
	Password string `json:"password" validate:"required,min=8,max=72"`
}
