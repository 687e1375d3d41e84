package token_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// clock is a settable clock, safe to read from a server's goroutines while
// a test moves it.
type clock struct{ unixMilli atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.unixMilli.Store(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).UnixMilli())
	return c
}

// Now is the clock's time.
func (c *clock) Now() time.Time { return time.UnixMilli(c.unixMilli.Load()).UTC() }

// Advance moves the clock by d.
func (c *clock) Advance(d time.Duration) { c.unixMilli.Add(d.Milliseconds()) }

// memoryStore is a store over a memory connector of its own.
func memoryStore(t testing.TB, opts token.StoreOptions) *token.Store {
	t.Helper()
	s, err := token.NewStore(memory.New(memory.Options{}), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStoreOptionsDefaults(t *testing.T) {
	o := memoryStore(t, token.StoreOptions{}).Options()
	if o.DefaultTTL != token.DefaultTTL || o.MaxTTL != token.DefaultMaxTTL || o.AllowEternal || o.Now == nil {
		t.Fatalf("defaults = %+v", o)
	}
	if token.DefaultTTL != 1209600 || token.DefaultMaxTTL != 31556926 {
		t.Fatal("the defaults are not LoopBack 3's")
	}
	o = memoryStore(t, token.StoreOptions{DefaultTTL: 60, MaxTTL: 3600}).Options()
	if o.DefaultTTL != 60 || o.MaxTTL != 3600 {
		t.Fatalf("options = %+v", o)
	}
}

func TestStoreTTL(t *testing.T) {
	plain := memoryStore(t, token.StoreOptions{DefaultTTL: 60, MaxTTL: 3600})
	eternal := memoryStore(t, token.StoreOptions{DefaultTTL: 60, MaxTTL: 3600, AllowEternal: true})
	cases := []struct {
		name  string
		store *token.Store
		ask   int64
		want  int64
		err   error
	}{
		{"zero is the default", plain, 0, 60, nil},
		{"a ttl under the maximum is kept", plain, 120, 120, nil},
		{"the maximum is kept", plain, 3600, 3600, nil},
		{"more than the maximum is capped", plain, 3601, 3600, nil},
		{"one second", plain, 1, 1, nil},
		{"-1 without eternal tokens", plain, -1, 0, token.ErrInvalidTTL},
		{"-1 with eternal tokens", eternal, -1, -1, nil},
		{"-2 with eternal tokens", eternal, -2, 0, token.ErrInvalidTTL},
		{"negative", plain, -3600, 0, token.ErrInvalidTTL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.store.TTL(c.ask)
			if got != c.want || !errors.Is(err, c.err) {
				t.Fatalf("TTL(%d) = %d, %v; want %d, %v", c.ask, got, err, c.want, c.err)
			}
		})
	}
}

func TestStoreCreate(t *testing.T) {
	clk := newClock()
	s := memoryStore(t, token.StoreOptions{Now: clk.Now, MaxTTL: 3600})
	ctx := t.Context()
	seen := map[string]bool{}
	for range 50 {
		tok, err := s.Create(ctx, "42", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(tok.ID) != token.IDLength || !alnum(tok.ID) {
			t.Fatalf("id %q is not 64 letters and digits", tok.ID)
		}
		if seen[tok.ID] {
			t.Fatalf("id %q issued twice", tok.ID)
		}
		seen[tok.ID] = true
		if tok.UserID != "42" || tok.TTL != token.DefaultTTL || !tok.Created.Equal(clk.Now()) {
			t.Fatalf("token = %+v", tok)
		}
	}
	tok, err := s.Create(ctx, "7", 1<<40)
	if err != nil || tok.TTL != 3600 {
		t.Fatalf("a huge ttl: %+v, %v", tok, err)
	}
	if !tok.ExpiresAt().Equal(clk.Now().Add(time.Hour)) {
		t.Fatalf("ExpiresAt = %v", tok.ExpiresAt())
	}
	if _, err := s.Create(ctx, "7", -1); !errors.Is(err, token.ErrInvalidTTL) {
		t.Fatalf("-1 without eternal tokens: %v", err)
	}
	n, err := s.Tokens.Count(ctx, nil)
	if err != nil || n.Count != 51 {
		t.Fatalf("count = %+v, %v; a refused token was stored?", n, err)
	}
}

func TestNewID(t *testing.T) {
	counts := map[byte]int{}
	for range 200 {
		id, err := token.NewID()
		if err != nil {
			t.Fatal(err)
		}
		if len(id) != token.IDLength || !alnum(id) {
			t.Fatalf("id %q", id)
		}
		for i := range len(id) {
			counts[id[i]]++
		}
	}
	// 12800 draws over 62 letters: every one appears (the chance that
	// one does not is about 62·e^-206).
	if len(counts) != 62 {
		t.Fatalf("%d distinct characters in 200 ids", len(counts))
	}
}

func alnum(s string) bool {
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

func TestStoreFind(t *testing.T) {
	clk := newClock()
	s := memoryStore(t, token.StoreOptions{Now: clk.Now})
	ctx := t.Context()
	tok, err := s.Create(ctx, "42", 60)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Find(ctx, tok.ID)
	if err != nil || got == nil || got.ID != tok.ID || got.UserID != "42" || got.TTL != 60 {
		t.Fatalf("Find = %+v, %v", got, err)
	}
	for _, id := range []string{"", "unknown", tok.ID + "x", "not a token!", string(make([]byte, 257))} {
		if got, err := s.Find(ctx, id); got != nil || err != nil {
			t.Fatalf("Find(%q) = %+v, %v", id, got, err)
		}
	}

	clk.Advance(59*time.Second + 999*time.Millisecond)
	if got, _ := s.Find(ctx, tok.ID); got == nil {
		t.Fatal("the token died before its ttl")
	}
	clk.Advance(time.Millisecond) // created + ttl: LoopBack 3's elapsed < ttl is false
	if got, err := s.Find(ctx, tok.ID); got != nil || err != nil {
		t.Fatalf("an expired token is found: %+v, %v", got, err)
	}
	if _, err := s.Tokens.FindByID(ctx, tok.ID, nil); !repository.IsNotFound(err) {
		t.Fatalf("the expired token is still stored: %v", err)
	}
}

func TestStoreFindEternal(t *testing.T) {
	clk := newClock()
	conn := memory.New(memory.Options{})
	allowing, err := token.NewStore(conn, token.StoreOptions{Now: clk.Now, AllowEternal: true})
	if err != nil {
		t.Fatal(err)
	}
	refusing, err := token.NewStore(conn, token.StoreOptions{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	tok, err := allowing.Create(ctx, "42", -1)
	if err != nil || tok.TTL != -1 || !tok.ExpiresAt().IsZero() {
		t.Fatalf("an eternal token: %+v, %v", tok, err)
	}
	clk.Advance(100 * 365 * 24 * time.Hour)
	if got, err := allowing.Find(ctx, tok.ID); got == nil || err != nil {
		t.Fatalf("an eternal token died: %+v, %v", got, err)
	}
	// LoopBack 3 decides at each validation whether eternal tokens are
	// allowed: a store that does not allow them refuses and deletes one.
	if got, err := refusing.Find(ctx, tok.ID); got != nil || err != nil {
		t.Fatalf("a store without eternal tokens accepts one: %+v, %v", got, err)
	}
	if got, _ := allowing.Find(ctx, tok.ID); got != nil {
		t.Fatal("the refused eternal token is still stored")
	}
}

func TestAccessTokenValid(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		ttl   int64
		at    time.Duration
		valid bool
	}{
		{60, 0, true},
		{60, 59 * time.Second, true},
		{60, 60 * time.Second, false},
		{60, -time.Hour, true},
		{0, 0, false},
		{-1, 1000 * time.Hour, true},
		{-2, 0, false},
	}
	for _, c := range cases {
		tok := token.AccessToken{ID: "x", TTL: c.ttl, Created: created}
		if got := tok.Valid(created.Add(c.at)); got != c.valid {
			t.Errorf("ttl %d at +%v: Valid = %v", c.ttl, c.at, got)
		}
	}
	if (token.AccessToken{}).ModelName() != "AccessToken" {
		t.Fatal("the model is not LoopBack 3's AccessToken")
	}
}

func TestStoreDelete(t *testing.T) {
	s := memoryStore(t, token.StoreOptions{})
	ctx := t.Context()
	tok, _ := s.Create(ctx, "42", 0)
	other, _ := s.Create(ctx, "42", 0)
	if ok, err := s.Delete(ctx, tok.ID); !ok || err != nil {
		t.Fatalf("Delete = %v, %v", ok, err)
	}
	if ok, err := s.Delete(ctx, tok.ID); ok || err != nil {
		t.Fatalf("Delete again = %v, %v", ok, err)
	}
	for _, id := range []string{"", "not a token!", "unknown"} {
		if ok, err := s.Delete(ctx, id); ok || err != nil {
			t.Fatalf("Delete(%q) = %v, %v", id, ok, err)
		}
	}
	if got, _ := s.Find(ctx, tok.ID); got != nil {
		t.Fatal("a deleted token is found")
	}
	if got, _ := s.Find(ctx, other.ID); got == nil {
		t.Fatal("Delete deleted another token of the user")
	}
}

func TestStoreDeleteUser(t *testing.T) {
	s := memoryStore(t, token.StoreOptions{})
	ctx := t.Context()
	var ann []*token.AccessToken
	for range 3 {
		tok, err := s.Create(ctx, "ann", 0)
		if err != nil {
			t.Fatal(err)
		}
		ann = append(ann, tok)
	}
	bob, _ := s.Create(ctx, "bob", 0)

	n, err := s.DeleteUser(ctx, "ann", ann[1].ID)
	if err != nil || n != 2 {
		t.Fatalf("DeleteUser keeping one = %d, %v", n, err)
	}
	if got, _ := s.Find(ctx, ann[1].ID); got == nil {
		t.Fatal("the kept token was deleted")
	}
	for _, tok := range []*token.AccessToken{ann[0], ann[2]} {
		if got, _ := s.Find(ctx, tok.ID); got != nil {
			t.Fatalf("token %s survived", tok.ID)
		}
	}
	n, err = s.DeleteUser(ctx, "ann", "")
	if err != nil || n != 1 {
		t.Fatalf("DeleteUser = %d, %v", n, err)
	}
	if got, _ := s.Find(ctx, bob.ID); got == nil {
		t.Fatal("another user's token was deleted")
	}
	if n, err := s.DeleteUser(ctx, "nobody", ""); n != 0 || err != nil {
		t.Fatalf("DeleteUser of a user without tokens = %d, %v", n, err)
	}
}
