package main

import (
	"context"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/actions/authentication/jwt"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
)

// UserController signs users up and in: LoopBack's UserController of the
// example.
type UserController struct {
	users  *UserService
	tokens *jwt.Service
}

// NewUserController receives the user service and the token service.
func NewUserController(users *UserService, tokens *jwt.Service) *UserController {
	return &UserController{users: users, tokens: tokens}
}

// Routes declares signup, login and whoAmI. Signup answers at /signup,
// LoopBack's path, and at /users/signup, beside /users/login.
func (c *UserController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/users/login", c.Login, controller.Name("login"),
			controller.ResponseDescription("Token")),
		controller.Get("/whoAmI", c.WhoAmI, controller.Name("whoAmI"),
			controller.Authenticate(jwt.Name),
			controller.ResponseDescription("The id of the logged-in user")),
		controller.Post("/signup", c.SignUp, controller.Name("signUp"),
			controller.ResponseDescription("User")),
		controller.Post("/users/signup", c.SignUp, controller.OperationID("UserController.signUpUnderUsers"),
			controller.ResponseDescription("User")),
	}
}

// SignUpInput is the body of POST /signup.
type SignUpInput struct {
	User NewUserRequest `body:"json"`
}

// SignUp creates a user and answers it, without its password.
func (c *UserController) SignUp(ctx context.Context, in SignUpInput) (*User, error) {
	return c.users.Create(ctx, in.User)
}

// LoginInput is the body of POST /users/login.
type LoginInput struct {
	Credentials Credentials `body:"json"`
}

// LoginResult is what a login answers: {"token": "…"}.
type LoginResult struct {
	Token string `json:"token"`
}

// Login checks the credentials and answers a token for the user.
func (c *UserController) Login(ctx context.Context, in LoginInput) (*LoginResult, error) {
	user, err := c.users.VerifyCredentials(ctx, in.Credentials)
	if err != nil {
		return nil, err
	}
	token, err := c.tokens.Generate(c.users.Profile(user))
	if err != nil {
		return nil, err
	}
	return &LoginResult{Token: token}, nil
}

// WhoAmI answers the logged-in user's id, as text: LoopBack's
// currentUserProfile[securityId].
func (c *UserController) WhoAmI(ctx context.Context, _ struct{}) (string, error) {
	p, ok := authentication.ProfileFrom(ctx)
	if !ok {
		return "", httperr.Unauthorized("User profile not found")
	}
	return p.ID, nil
}
