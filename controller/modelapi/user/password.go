package user

import (
	"fmt"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/loomhq/loom/controller/httperr"
)

// MaxPasswordBytes is the longest password bcrypt takes: a longer one is
// refused, as LoopBack 3 refuses it, rather than silently cut.
const MaxPasswordBytes = 72

// CodeInvalidPassword and CodePasswordTooLong are LoopBack 3's codes of a
// password refused at signup or change.
const (
	CodeInvalidPassword = "INVALID_PASSWORD"
	CodePasswordTooLong = "PASSWORD_TOO_LONG"
)

// DefaultCost is the bcrypt cost of the hashes, LoopBack 3's 10.
const DefaultCost = 10

// checkPassword refuses what LoopBack 3's User.validatePassword refuses:
// an empty password and one longer than bcrypt takes.
func checkPassword(plain string) error {
	if plain == "" {
		return httperr.UnprocessableEntity("Invalid password.").WithName("Error").WithCode(CodeInvalidPassword)
	}
	if len(plain) > MaxPasswordBytes {
		return httperr.UnprocessableEntity(fmt.Sprintf("The password entered was too long. Max length is %d (entered %d)",
			MaxPasswordBytes, len(plain))).WithName("Error").WithCode(CodePasswordTooLong)
	}
	return nil
}

// HashPassword checks plain as a signup does and returns its bcrypt hash
// at cost (0 is [DefaultCost]).
func HashPassword(plain string, cost int) (string, error) {
	if err := checkPassword(plain); err != nil {
		return "", err
	}
	if cost == 0 {
		cost = DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(plain), cost)
	if err != nil {
		return "", fmt.Errorf("user: hashing the password: %w", err)
	}
	return string(h), nil
}

// dummies are the hashes an unknown user's login is compared with, one
// per bcrypt cost, made on first use.
var dummies sync.Map // cost → []byte

// dummyHash is the fixed hash of cost.
func dummyHash(cost int) []byte {
	if h, ok := dummies.Load(cost); ok {
		return h.([]byte)
	}
	h, err := bcrypt.GenerateFromPassword([]byte("loom: no such user"), cost)
	if err != nil {
		h, _ = bcrypt.GenerateFromPassword([]byte("loom: no such user"), DefaultCost)
	}
	dummies.Store(cost, h)
	return h
}

// CheckPassword reports whether plain is the password whose bcrypt hash
// is hash. An empty hash (no such user) still costs one comparison,
// against a fixed hash of [DefaultCost], so that the time taken does not
// tell whether a user exists.
func CheckPassword(hash, plain string) bool { return checkPasswordAt(hash, plain, DefaultCost) }

// checkPasswordAt is [CheckPassword] with the dummy hash of cost, the
// cost of the application's hashes.
func checkPasswordAt(hash, plain string, cost int) bool {
	if cost == 0 {
		cost = DefaultCost
	}
	if hash == "" || len(plain) > MaxPasswordBytes {
		_ = bcrypt.CompareHashAndPassword(dummyHash(cost), []byte(plain[:min(len(plain), MaxPasswordBytes)]))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(plain)) == nil
}
