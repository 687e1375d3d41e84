package token

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/loomhq/loom/repository"
)

// AccessToken is LoopBack 3's AccessToken model: a random id a client
// sends back to prove who it is, valid for ttl seconds from created.
type AccessToken struct {
	// ID is the token itself: 64 random letters and digits.
	ID string `json:"id" loom:"id"`
	// TTL is how long the token lives, in seconds; -1 never expires (only
	// when [StoreOptions.AllowEternal] is set).
	TTL int64 `json:"ttl"`
	// Created is when the token was issued.
	Created time.Time `json:"created"`
	// UserID is the id, as text, of the user the token was issued to.
	UserID string `json:"userId"`
	// Scopes, LoopBack 3's scopes, limit what the token is for (a
	// password reset token has "reset-password"): a [Strategy] refuses a
	// token with scopes unless [Options.AllowScoped] is set, so that only
	// the code that issued it, which reads it with [Strategy.Resolve],
	// honours it. Empty for a login's token.
	Scopes []string `json:"scopes,omitempty"`
}

// HasScope reports whether the token has scope.
func (t AccessToken) HasScope(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// ModelName is LoopBack 3's model name, which is also the table's.
func (AccessToken) ModelName() string { return "AccessToken" }

// ExpiresAt is when the token stops being valid; the zero time for a
// token that never expires.
func (t AccessToken) ExpiresAt() time.Time {
	if t.TTL < 0 {
		return time.Time{}
	}
	return t.Created.Add(time.Duration(t.TTL) * time.Second)
}

// Valid reports whether the token is still valid at now, as LoopBack 3's
// AccessToken.validate decides: created + ttl is after now, or the ttl is
// -1 (eternal).
func (t AccessToken) Valid(now time.Time) bool {
	if t.TTL < 0 {
		return t.TTL == -1
	}
	return t.ExpiresAt().After(now)
}

// Defaults of [StoreOptions], LoopBack 3's.
const (
	// DefaultTTL is two weeks, in seconds.
	DefaultTTL int64 = 1209600
	// DefaultMaxTTL is one year, in seconds.
	DefaultMaxTTL int64 = 31556926
	// IDLength is the length of a token's id.
	IDLength = 64
)

// StoreOptions configure a [Store]; the zero value is LoopBack 3's
// defaults.
type StoreOptions struct {
	// DefaultTTL is the ttl of a token issued without one; 0 is
	// [DefaultTTL].
	DefaultTTL int64
	// MaxTTL caps a requested ttl; 0 is [DefaultMaxTTL]. A larger request
	// is capped, as LoopBack 3's user model does.
	MaxTTL int64
	// AllowEternal lets a token be issued with ttl -1, which never
	// expires (LoopBack 3's allowEternalTokens). Without it, -1 is
	// refused by [Store.Create].
	AllowEternal bool
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// ErrInvalidTTL is [Store.Create]'s answer to a ttl that is neither
// positive nor an allowed -1.
var ErrInvalidTTL = errors.New("token: the ttl must be a positive number of seconds")

// Store issues, finds and revokes access tokens, kept in a repository, so
// that every instance of an application sharing a SQL database accepts
// the tokens any of them issued.
type Store struct {
	// Tokens is the repository of the tokens.
	Tokens *repository.DefaultCrudRepository[AccessToken, string]
	opts   StoreOptions
}

// NewStore returns a store over conn, which keeps the tokens as the
// AccessToken model (table AccessToken).
func NewStore(conn repository.Connector, opts StoreOptions) (*Store, error) {
	repo, err := repository.NewCrudRepository[AccessToken, string](conn)
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	if opts.DefaultTTL == 0 {
		opts.DefaultTTL = DefaultTTL
	}
	if opts.MaxTTL == 0 {
		opts.MaxTTL = DefaultMaxTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Store{Tokens: repo, opts: opts}, nil
}

// Options are the options the store was made with, defaults filled in.
func (s *Store) Options() StoreOptions { return s.opts }

// TTL is the ttl a token requested with ttl gets: the default for 0,
// the maximum for more than the maximum, and ErrInvalidTTL for a
// negative one (other than -1 when eternal tokens are allowed).
func (s *Store) TTL(ttl int64) (int64, error) {
	switch {
	case ttl == 0:
		return s.opts.DefaultTTL, nil
	case ttl == -1 && s.opts.AllowEternal:
		return -1, nil
	case ttl < 0:
		return 0, ErrInvalidTTL
	case ttl > s.opts.MaxTTL:
		return s.opts.MaxTTL, nil
	}
	return ttl, nil
}

// Create issues a token to the user whose id is userID, living ttl
// seconds (see [Store.TTL]), limited to scopes when there are any (see
// [AccessToken.Scopes]).
func (s *Store) Create(ctx context.Context, userID string, ttl int64, scopes ...string) (*AccessToken, error) {
	ttl, err := s.TTL(ttl)
	if err != nil {
		return nil, err
	}
	id, err := NewID()
	if err != nil {
		return nil, err
	}
	created := s.opts.Now().UTC().Truncate(time.Millisecond)
	return s.Tokens.Create(ctx, AccessToken{ID: id, TTL: ttl, Created: created, UserID: userID, Scopes: scopes})
}

// Find returns the valid token whose id is id; nil when there is none,
// or when it has expired, in which case it is also deleted, as LoopBack
// 3's AccessToken.resolve does. An eternal token (ttl -1) is valid only
// when [StoreOptions.AllowEternal] is set, as LoopBack 3 decides at each
// validation: one issued while they were allowed dies when they no
// longer are. An id that is not a token's shape is nil without a query.
func (s *Store) Find(ctx context.Context, id string) (*AccessToken, error) {
	if !wellFormed(id) {
		return nil, nil
	}
	t, err := s.Tokens.FindByID(ctx, id, nil)
	if repository.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !t.Valid(s.opts.Now()) || t.TTL == -1 && !s.opts.AllowEternal {
		if _, err := s.Tokens.DeleteAll(ctx, repository.Eq("id", id)); err != nil {
			return nil, err
		}
		return nil, nil
	}
	return t, nil
}

// Delete revokes the token whose id is id; false when there was none.
func (s *Store) Delete(ctx context.Context, id string) (bool, error) {
	if !wellFormed(id) {
		return false, nil
	}
	n, err := s.Tokens.DeleteAll(ctx, repository.Eq("id", id))
	if err != nil {
		return false, err
	}
	return n.Count > 0, nil
}

// DeleteUser revokes every token of the user whose id is userID, as
// LoopBack 3 does when a user's password or email changes; except, when
// keep is not "", the token whose id is keep.
func (s *Store) DeleteUser(ctx context.Context, userID, keep string) (int, error) {
	where := repository.Eq("userId", userID)
	if keep != "" {
		where = repository.And(where, repository.Neq("id", keep))
	}
	n, err := s.Tokens.DeleteAll(ctx, where)
	return int(n.Count), err
}

// alphabet is what a token's id is made of, as LoopBack 3's uid2.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewID returns a new token id: [IDLength] characters drawn uniformly
// from letters and digits by crypto/rand.
func NewID() (string, error) {
	out := make([]byte, 0, IDLength)
	var buf [IDLength * 2]byte
	for len(out) < IDLength {
		if _, err := rand.Read(buf[:]); err != nil {
			return "", fmt.Errorf("token: %w", err)
		}
		for _, b := range buf {
			// 248 = 4*62: rejecting the rest keeps the draw uniform.
			if b < 248 && len(out) < IDLength {
				out = append(out, alphabet[b%62])
			}
		}
	}
	return string(out), nil
}

// wellFormed reports whether id could be a token id: 1 to 256 letters,
// digits, '-' or '_' (tokens issued elsewhere may be shorter or longer
// than ours, never anything else).
func wellFormed(id string) bool {
	if id == "" || len(id) > 256 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
