package user

import (
	"github.com/loomhq/loom/repository/rules"
)

// Base is LoopBack 3's User model, for an application's user model to
// embed:
//
//	type Reviewer struct {
//		ID int `json:"id,omitempty" loom:"id,generated"`
//		user.Base
//		Reviews []Review `json:"reviews,omitempty" loom:"hasMany,keyTo=publisherId"`
//	}
//
// Its properties are LoopBack 3's: realm, username, email (required,
// unique, a valid address), emailVerified, password (required, stored as
// a bcrypt hash, never answered) and verificationToken (never answered).
// Email and username are unique with LoopBack 3's texts, "Email already
// exists" and "User already exists". A model that declares validations
// of its own returns [Validations] with them.
type Base struct {
	// Realm partitions the users: a login names its realm.
	Realm string `json:"realm,omitempty"`
	// Username logs the user in, as the email does.
	Username string `json:"username,omitempty"`
	// Email is the user's address, which logs in and receives mail.
	Email string `json:"email" validate:"required"`
	// EmailVerified is set when the user has confirmed the email; a client
	// cannot set it.
	EmailVerified *bool `json:"emailVerified,omitempty"`
	// Password is the bcrypt hash of the user's password: it is stored,
	// never answered, and a client sends the password in clear, which the
	// user API hashes before storing it.
	Password string `json:"-" loom:"hidden" validate:"required"`
	// VerificationToken is the token of the pending email verification:
	// stored, never answered.
	VerificationToken string `json:"-" loom:"hidden"`
}

// UserBase returns the embedded Base, through which the user API reads
// and checks a user model's credentials.
func (b *Base) UserBase() *Base { return b }

// Validations are LoopBack 3's validations of the User model: email and
// username unique, with its texts.
func (Base) Validations() []rules.Validation { return Validations() }

// Validations are the validations of [Base], for a user model that
// declares validations of its own to append to.
func Validations() []rules.Validation {
	return []rules.Validation{
		rules.UniquenessOf("email", rules.Message("Email already exists")),
		rules.UniquenessOf("username", rules.Message("User already exists")),
	}
}

// Model is what the user API needs of a user model: the embedded [Base].
type Model interface {
	// UserBase returns the embedded Base.
	UserBase() *Base
}
