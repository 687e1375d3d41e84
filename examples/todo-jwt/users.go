package main

import (
	"context"
	"errors"
	"sync"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// Messages the user service answers with, LoopBack's.
const (
	// MessageInvalidCredentials answers every failed login alike, so that
	// it does not tell an unknown email from a wrong password.
	MessageInvalidCredentials = "Invalid email or password."
	// MessageEmailTaken answers a signup with an email a user has.
	MessageEmailTaken = "Email value is already taken"
)

// UserService creates users and checks their credentials: LoopBack's
// MyUserService. Passwords are kept as bcrypt hashes, in the credentials
// repository, and never leave it.
type UserService struct {
	users *UserRepository
	creds *UserCredentialsRepository
	cost  int
	// dummy is a hash an unknown email's password is compared with, so
	// that a login takes as long whether the email is known or not.
	dummy []byte
	// signup serializes signups, so that two at once cannot both take an
	// email. (With several instances on one database, add a unique index
	// on the email column.)
	signup sync.Mutex
}

// NewUserService builds the user service over the two repositories.
func NewUserService(cfg Config, users *UserRepository, creds *UserCredentialsRepository) (*UserService, error) {
	cost := cfg.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("a password no user has"), cost)
	if err != nil {
		return nil, err
	}
	return &UserService{users: users, creds: creds, cost: cost, dummy: dummy}, nil
}

// Create stores a new user and the hash of their password, and returns
// the user. An email a user already has is a 409.
func (s *UserService) Create(ctx context.Context, req NewUserRequest) (*User, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(req.Password), s.cost)
	if err != nil {
		return nil, err
	}
	s.signup.Lock()
	defer s.signup.Unlock()
	if taken, err := s.findByEmail(ctx, req.Email); err != nil {
		return nil, err
	} else if taken != nil {
		return nil, httperr.Conflict(MessageEmailTaken)
	}
	user, err := s.users.Create(ctx, User{ID: uuid.NewString(), Email: req.Email, Username: req.Username, Realm: req.Realm})
	if err != nil {
		return nil, err
	}
	if _, err := s.creds.Create(ctx, UserCredentials{ID: uuid.NewString(), Password: string(hash), UserID: user.ID}); err != nil {
		if derr := s.users.DeleteByID(ctx, user.ID); derr != nil {
			err = errors.Join(err, derr)
		}
		return nil, err
	}
	return user, nil
}

// VerifyCredentials returns the user whose email and password c holds;
// anything else is a 401 with [MessageInvalidCredentials]. The password
// is compared with bcrypt, against a dummy hash when the email is
// unknown.
func (s *UserService) VerifyCredentials(ctx context.Context, c Credentials) (*User, error) {
	invalid := httperr.Unauthorized(MessageInvalidCredentials)
	user, err := s.findByEmail(ctx, c.Email)
	if err != nil {
		return nil, err
	}
	var cred *UserCredentials
	if user != nil {
		cred, err = s.creds.FindOne(ctx, &repository.Filter[UserCredentials]{Where: repository.Eq("userId", user.ID)})
		if err != nil {
			return nil, err
		}
	}
	if cred == nil {
		bcrypt.CompareHashAndPassword(s.dummy, []byte(c.Password))
		return nil, invalid
	}
	if bcrypt.CompareHashAndPassword([]byte(cred.Password), []byte(c.Password)) != nil {
		return nil, invalid
	}
	return user, nil
}

// findByEmail returns the user of email; nil when there is none.
func (s *UserService) findByEmail(ctx context.Context, email string) (*User, error) {
	return s.users.FindOne(ctx, &repository.Filter[User]{Where: repository.Eq("email", email)})
}

// Profile is the user as the token carries them: LoopBack's
// convertToUserProfile.
func (s *UserService) Profile(u *User) *authentication.Profile {
	p := &authentication.Profile{ID: u.ID, Email: u.Email}
	if u.Username != nil {
		p.Name = *u.Username
	}
	return p
}
