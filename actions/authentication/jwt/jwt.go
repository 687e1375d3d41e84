package jwt

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller/httperr"
)

// DefaultExpiresIn is how long a token is valid when [Config.ExpiresIn]
// is zero: LoopBack's TOKEN_EXPIRES_IN_VALUE, 21600 seconds.
const DefaultExpiresIn = 21600 * time.Second

// MinSecret is the shortest HS256 secret accepted, in bytes: HS256's key
// should be at least as long as its hash (RFC 7518, section 3.2).
const MinSecret = 32

// MaxToken caps a token's length, in bytes: a longer one is refused
// without being parsed.
const MaxToken = 8192

// Config says how a [Service] signs and verifies tokens. Exactly one of
// Secret (HS256), PrivateKey (RS256, signing and verifying) or PublicKey
// alone (RS256, verifying only) is set.
type Config struct {
	// Secret is the HS256 key, at least MinSecret bytes.
	Secret []byte
	// PrivateKey signs RS256 tokens; its public half verifies them.
	PrivateKey *rsa.PrivateKey
	// PublicKey verifies RS256 tokens another service signed.
	PublicKey *rsa.PublicKey
	// ExpiresIn is how long a token is valid; zero is DefaultExpiresIn.
	ExpiresIn time.Duration
	// Now is the clock; nil is time.Now. Tests set it to sign expired
	// tokens.
	Now func() time.Time
}

// Claims are a token's claims: LoopBack's id, name and email, with the
// registered iat and exp.
type Claims struct {
	// ID is the user's id, the profile's ID (LoopBack's securityId).
	ID string `json:"id"`
	// Name and Email describe the user.
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	gojwt.RegisteredClaims
}

// Service signs profiles into tokens and verifies tokens: LoopBack 4's
// TokenService. It is safe for concurrent use.
type Service struct {
	method    gojwt.SigningMethod
	signKey   any // nil: verify only
	verifyKey any
	expiresIn time.Duration
	now       func() time.Time
	parser    *gojwt.Parser
}

// New returns the service cfg describes, or an error saying what is
// wrong with cfg.
func New(cfg Config) (*Service, error) {
	s := &Service{expiresIn: cfg.ExpiresIn, now: cfg.Now}
	if s.expiresIn == 0 {
		s.expiresIn = DefaultExpiresIn
	}
	if s.expiresIn < 0 {
		return nil, errors.New("jwt: ExpiresIn is negative")
	}
	if s.now == nil {
		s.now = time.Now
	}
	set := 0
	if cfg.Secret != nil {
		set++
	}
	if cfg.PrivateKey != nil || cfg.PublicKey != nil {
		set++
	}
	if set != 1 {
		return nil, errors.New("jwt: set either Secret (HS256) or an RSA key (RS256), not both nor neither")
	}
	switch {
	case cfg.Secret != nil:
		if len(cfg.Secret) < MinSecret {
			return nil, fmt.Errorf("jwt: the HS256 secret has %d bytes, fewer than %d", len(cfg.Secret), MinSecret)
		}
		secret := append([]byte(nil), cfg.Secret...)
		s.method, s.signKey, s.verifyKey = gojwt.SigningMethodHS256, secret, secret
	case cfg.PrivateKey != nil:
		if cfg.PublicKey != nil && !cfg.PrivateKey.PublicKey.Equal(cfg.PublicKey) {
			return nil, errors.New("jwt: PublicKey is not PrivateKey's public half")
		}
		if err := cfg.PrivateKey.Validate(); err != nil {
			return nil, fmt.Errorf("jwt: the RSA private key: %w", err)
		}
		if cfg.PrivateKey.N.BitLen() < 2048 {
			return nil, errors.New("jwt: the RSA key has fewer than 2048 bits")
		}
		s.method, s.signKey, s.verifyKey = gojwt.SigningMethodRS256, cfg.PrivateKey, &cfg.PrivateKey.PublicKey
	default:
		if cfg.PublicKey.N == nil || cfg.PublicKey.N.BitLen() < 2048 {
			return nil, errors.New("jwt: the RSA key has fewer than 2048 bits")
		}
		s.method, s.verifyKey = gojwt.SigningMethodRS256, cfg.PublicKey
	}
	s.parser = gojwt.NewParser(
		gojwt.WithValidMethods([]string{s.method.Alg()}),
		gojwt.WithExpirationRequired(),
		gojwt.WithTimeFunc(s.now),
	)
	return s, nil
}

// Algorithm is the one algorithm the service signs and accepts: HS256 or
// RS256.
func (s *Service) Algorithm() string { return s.method.Alg() }

// ExpiresIn is how long the tokens the service signs are valid.
func (s *Service) ExpiresIn() time.Duration { return s.expiresIn }

// Generate signs p into a token valid for ExpiresIn: LoopBack's
// generateToken, with the claims id (p.ID), name and email.
func (s *Service) Generate(p *authentication.Profile) (string, error) {
	if p == nil || p.ID == "" {
		return "", httperr.Unauthorized("Error generating token : userProfile is null")
	}
	if s.signKey == nil {
		return "", errors.New("jwt: this service only verifies tokens: it has no private key")
	}
	now := s.now()
	claims := Claims{
		ID: p.ID, Name: p.Name, Email: p.Email,
		RegisteredClaims: gojwt.RegisteredClaims{
			IssuedAt:  gojwt.NewNumericDate(now),
			ExpiresAt: gojwt.NewNumericDate(now.Add(s.expiresIn)),
		},
	}
	token, err := gojwt.NewWithClaims(s.method, claims).SignedString(s.signKey)
	if err != nil {
		return "", fmt.Errorf("jwt: sign: %w", err)
	}
	return token, nil
}

// Verify checks token's algorithm, signature and expiry and returns the
// profile it carries: LoopBack's verifyToken. Its ID is the id claim and
// Attrs holds the claims. A token that does not verify is a 401 error
// with LoopBack's message, "Error verifying token : " and the reason.
func (s *Service) Verify(token string) (*authentication.Profile, error) {
	c, err := s.parse(token)
	if err != nil {
		return nil, httperr.Unauthorized("Error verifying token : " + err.Error()).WithCause(err)
	}
	attrs := map[string]any{"id": c.ID}
	if c.Name != "" {
		attrs["name"] = c.Name
	}
	if c.Email != "" {
		attrs["email"] = c.Email
	}
	if c.IssuedAt != nil {
		attrs["iat"] = c.IssuedAt.Unix()
	}
	attrs["exp"] = c.ExpiresAt.Unix()
	return &authentication.Profile{ID: c.ID, Name: c.Name, Email: c.Email, Strategy: Name, Attrs: attrs}, nil
}

// Reasons a token does not verify, in the words of the jsonwebtoken
// library LoopBack uses; they never quote the token.
var (
	errNull      = errors.New("'token' is null")
	errMalformed = errors.New("jwt malformed")
	errUnsigned  = errors.New("jwt signature is required")
	errSignature = errors.New("invalid signature")
	errAlgorithm = errors.New("invalid algorithm")
	errExpired   = errors.New("jwt expired")
	errNotActive = errors.New("jwt not active")
	errNoID      = errors.New("jwt id claim is missing")
	errNoExp     = errors.New("jwt exp claim is missing")
	errInvalid   = errors.New("invalid token")
)

// parse verifies token and returns its claims, or one of the reasons
// above.
func (s *Service) parse(token string) (*Claims, error) {
	if token == "" {
		return nil, errNull
	}
	if len(token) > MaxToken || strings.Count(token, ".") != 2 {
		return nil, errMalformed
	}
	if strings.HasSuffix(token, ".") {
		return nil, errUnsigned // alg none, or a signature cut off
	}
	var c Claims
	t, err := s.parser.ParseWithClaims(token, &c, s.key)
	switch {
	case err == nil:
	case errors.Is(err, gojwt.ErrTokenMalformed):
		return nil, errInvalid // three parts, but not base64url JSON
	case errors.Is(err, gojwt.ErrTokenSignatureInvalid):
		if t != nil && t.Method != nil && t.Method.Alg() != s.method.Alg() {
			return nil, errAlgorithm // refused by the parser's valid methods
		}
		return nil, errSignature
	case errors.Is(err, gojwt.ErrTokenUnverifiable):
		return nil, errAlgorithm
	case errors.Is(err, gojwt.ErrTokenExpired):
		return nil, errExpired
	case errors.Is(err, gojwt.ErrTokenNotValidYet), errors.Is(err, gojwt.ErrTokenUsedBeforeIssued):
		return nil, errNotActive
	case errors.Is(err, gojwt.ErrTokenRequiredClaimMissing):
		return nil, errNoExp
	default:
		return nil, errInvalid
	}
	if c.ID == "" {
		return nil, errNoID
	}
	return &c, nil
}

// key hands the parser the service's key, only for a token signed with
// the service's own method: the algorithm is pinned to the key's type,
// whatever the token's header says.
func (s *Service) key(t *gojwt.Token) (any, error) {
	if t.Method != s.method {
		return nil, errAlgorithm
	}
	return s.verifyKey, nil
}
