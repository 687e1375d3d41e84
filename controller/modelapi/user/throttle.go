package user

import (
	"container/list"
	"context"
	"crypto/sha256"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller/httperr"
)

// CodeLoginThrottled is the code of the 429 a login past the
// [Throttle]'s limits is answered with.
const CodeLoginThrottled = "LOGIN_THROTTLED"

// Defaults of [Throttle].
const (
	DefaultPerAccount = 5
	DefaultPerAddress = 20
	DefaultWindow     = 15 * time.Minute
	DefaultMaxKeys    = 10000
)

// Throttle limits failed logins, so that passwords cannot be guessed
// at speed: past PerAccount failures for one account (its email or
// username, in its realm, and the user found), or PerAddress failures
// from one client address (an IPv6 address by its /64), within Window,
// every login of that account or from that address is a 429
// LOGIN_THROTTLED with Retry-After until the window (which starts at the
// first failure) ends. Each attempt is counted before the password is
// checked, so that concurrent attempts cannot pass the limit together; a
// successful login gives it back and clears its account's failures. The
// reset and verification mails are limited the same way, PerAccount per
// Window for one email (or user), known or not, and PerAddress per client
// address: past it a 429 MAIL_THROTTLED, so that nobody can flood a
// mailbox. The zero value is the defaults: 5 per account, 20 per
// address, 15 minutes.
//
// The client address is the connection's remote address; behind a proxy
// every client has the proxy's, so set [Options.ClientAddress] to read
// the proxy's header (X-Forwarded-For, set by a proxy you trust).
type Throttle struct {
	// PerAccount is how many failures an account may have per window;
	// 0 is [DefaultPerAccount], negative is no limit.
	PerAccount int
	// PerAddress is how many failures an address may have per window;
	// 0 is [DefaultPerAddress], negative is no limit.
	PerAddress int
	// Window is how long failures count; 0 is [DefaultWindow].
	Window time.Duration
	// MaxKeys caps the accounts and the addresses tracked (each); past
	// it the oldest that is not blocking is forgotten, and when every one
	// is blocking a new one is refused (429), so that junk keys cannot
	// free a blocked account. 0 is [DefaultMaxKeys].
	MaxKeys int
}

// withDefaults fills in t's zero fields.
func (t Throttle) withDefaults() Throttle {
	if t.PerAccount == 0 {
		t.PerAccount = DefaultPerAccount
	}
	if t.PerAddress == 0 {
		t.PerAddress = DefaultPerAddress
	}
	if t.Window <= 0 {
		t.Window = DefaultWindow
	}
	if t.MaxKeys <= 0 {
		t.MaxKeys = DefaultMaxKeys
	}
	return t
}

// limiter counts failures per key in fixed windows, for at most cap keys.
type limiter struct {
	mu     sync.Mutex
	max    int // <0: no limit
	window time.Duration
	cap    int
	keys   map[string]*list.Element
	order  *list.List // of *bucket, oldest first
}

type bucket struct {
	key   string
	start time.Time
	n     int
}

func newLimiter(max int, window time.Duration, cap int) *limiter {
	return &limiter{max: max, window: window, cap: cap, keys: map[string]*list.Element{}, order: list.New()}
}

// digest is the key a limiter tracks for key: its SHA-256, so that a
// tracked key is 32 bytes however long the email or the header it comes
// from.
func digest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return string(sum[:])
}

// current is key's bucket if its window is still open at now; an ended
// one is dropped. Called with mu held.
func (l *limiter) current(key string, now time.Time) *bucket {
	el, ok := l.keys[key]
	if !ok {
		return nil
	}
	b := el.Value.(*bucket)
	if !now.Before(b.start.Add(l.window)) {
		l.order.Remove(el)
		delete(l.keys, key)
		return nil
	}
	return b
}

// blocked reports whether key is past its limit at now, and until when.
func (l *limiter) blocked(key string, now time.Time) (time.Duration, bool) {
	if l.max < 0 || key == "" {
		return 0, false
	}
	key = digest(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.current(key, now)
	if b == nil || b.n < l.max {
		return 0, false
	}
	return b.start.Add(l.window).Sub(now), true
}

// fail counts one failure of key at now.
func (l *limiter) fail(key string, now time.Time) {
	l.take(key, now)
}

// take counts one attempt of key at now unless key is past its limit,
// in one step, so that concurrent attempts cannot all pass the check
// before any is counted: blocked reports that it was not counted, and
// until when. When cap keys are tracked, the oldest one that is not
// blocking makes room; when every one is blocking, the new key is
// refused (blocked), so that junk keys cannot evict a blocking one.
func (l *limiter) take(key string, now time.Time) (time.Duration, bool) {
	if l.max < 0 || key == "" {
		return 0, false
	}
	key = digest(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.current(key, now); b != nil {
		if b.n >= l.max {
			return b.start.Add(l.window).Sub(now), true
		}
		b.n++
		return 0, false
	}
	if l.order.Len() >= l.cap && !l.evict(now) {
		return l.order.Front().Value.(*bucket).start.Add(l.window).Sub(now), true
	}
	l.keys[key] = l.order.PushBack(&bucket{key: key, start: now, n: 1})
	return 0, false
}

// evict forgets the ended buckets and, if none ended, the oldest one
// that is not blocking; false when every tracked key is blocking.
// Called with mu held.
func (l *limiter) evict(now time.Time) bool {
	freed := false
	for el := l.order.Front(); el != nil; el = l.order.Front() {
		b := el.Value.(*bucket)
		if now.Before(b.start.Add(l.window)) {
			break
		}
		l.order.Remove(el)
		delete(l.keys, b.key)
		freed = true
	}
	if freed {
		return true
	}
	for el := l.order.Front(); el != nil; el = el.Next() {
		if b := el.Value.(*bucket); b.n < l.max {
			l.order.Remove(el)
			delete(l.keys, b.key)
			return true
		}
	}
	return false
}

// release gives back one attempt of key counted by take.
func (l *limiter) release(key string) {
	if l.max < 0 || key == "" {
		return
	}
	key = digest(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.keys[key]; ok {
		if b := el.Value.(*bucket); b.n > 0 {
			b.n--
		}
	}
}

// reset forgets key's failures.
func (l *limiter) reset(key string) {
	if key == "" {
		return
	}
	key = digest(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.keys[key]; ok {
		l.order.Remove(el)
		delete(l.keys, key)
	}
}

// size is how many keys are tracked.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

// throttler is a [Throttle] at work.
type throttler struct {
	accounts, addresses *limiter
	// mails counts the reset and verification mails asked for, per
	// email or user, with the per-account limit; mailAddresses per
	// client address, with the per-address limit.
	mails, mailAddresses *limiter
}

func newThrottler(t Throttle) *throttler {
	t = t.withDefaults()
	return &throttler{
		accounts:      newLimiter(t.PerAccount, t.Window, t.MaxKeys),
		addresses:     newLimiter(t.PerAddress, t.Window, t.MaxKeys),
		mails:         newLimiter(t.PerAccount, t.Window, t.MaxKeys),
		mailAddresses: newLimiter(t.PerAddress, t.Window, t.MaxKeys),
	}
}

// CodeMailThrottled is the code of the 429 a reset or verification
// request past the [Throttle]'s per-account or per-address limit is
// answered with.
const CodeMailThrottled = "MAIL_THROTTLED"

// mail counts one mail asked for key from address at now; past the
// per-account or the per-address limit it answers a 429 (whether or not
// the account exists, so that the answer tells nothing about it).
func (t *throttler) mail(key, address string, now time.Time) *throttled {
	if wait, blocked := t.mailAddresses.take(address, now); blocked {
		return newThrottled(wait, CodeMailThrottled)
	}
	if wait, blocked := t.mails.take(key, now); blocked {
		t.mailAddresses.release(address)
		return newThrottled(wait, CodeMailThrottled)
	}
	return nil
}

// take counts one login attempt of account from address at now, before
// the password is checked; a 429 when either is past its limit, in which
// case neither is counted. A successful login gives the attempt back
// with [throttler.succeeded].
func (t *throttler) take(account, address string, now time.Time) *throttled {
	if wait, blocked := t.accounts.take(account, now); blocked {
		return newThrottled(wait, CodeLoginThrottled)
	}
	if wait, blocked := t.addresses.take(address, now); blocked {
		t.accounts.release(account)
		return newThrottled(wait, CodeLoginThrottled)
	}
	return nil
}

// succeeded clears the failures of accounts and gives back the attempt
// address took.
func (t *throttler) succeeded(address string, accounts ...string) {
	for _, a := range accounts {
		t.accounts.reset(a)
	}
	t.addresses.release(address)
}

// newThrottled is the 429 code for a wait, at least one second.
func newThrottled(wait time.Duration, code string) *throttled {
	return &throttled{retryAfter: max(int64(math.Ceil(wait.Seconds())), 1), code: code}
}

// throttled is the 429 of a throttled login or mail.
type throttled struct {
	retryAfter int64
	code       string
}

func (e *throttled) Error() string {
	what := "failed login attempts"
	if e.code == CodeMailThrottled {
		what = "mails asked for"
	}
	return "Too many " + what + "; try again in " + strconv.FormatInt(e.retryAfter, 10) + " seconds."
}

// httpError is e as the envelope's error, its Retry-After set on ctx's
// response.
func (e *throttled) httpError(ctx context.Context) error {
	if rc, ok := loomctx.FromContext(ctx); ok {
		rc.Response.Header().Set("Retry-After", strconv.FormatInt(e.retryAfter, 10))
	}
	return httperr.New(http.StatusTooManyRequests, e.Error()).WithName("Error").WithCode(e.code)
}

// addressKey is the key of a client address for the per-address
// limits: an IPv6 address stands for its /64, which one client usually
// holds whole, so that rotating addresses within it gains nothing.
func addressKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// RemoteAddress is the default [Options.ClientAddress]: the host of the
// connection's remote address.
func RemoteAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ForwardedFor returns an [Options.ClientAddress] that reads the client
// address from header (X-Forwarded-For), as set by trusted proxies in
// front of the application: the address hops proxies from the right (1
// for one proxy). Without the header it is the remote address. Use it
// only behind such proxies: a client sets the header as it likes.
func ForwardedFor(header string, hops int) func(*http.Request) string {
	return func(r *http.Request) string {
		var list []string
		for _, v := range r.Header.Values(header) {
			for _, a := range strings.Split(v, ",") {
				if a = strings.TrimSpace(a); a != "" {
					list = append(list, a)
				}
			}
		}
		if hops < 1 || len(list) < hops {
			return RemoteAddress(r)
		}
		return list[len(list)-hops]
	}
}
