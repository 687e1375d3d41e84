package user

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLimiterForgetsTheOldestKeysPastItsCap(t *testing.T) {
	l := newLimiter(2, time.Minute, 3)
	now := time.Unix(1000, 0)
	for i := range 10 {
		l.fail("k"+strconv.Itoa(i), now)
	}
	if n := l.size(); n != 3 {
		t.Fatalf("%d keys tracked, want the cap, 3", n)
	}
	l.fail("k9", now)
	if wait, blocked := l.blocked("k9", now.Add(20*time.Second)); !blocked || wait != 40*time.Second {
		t.Fatalf("k9: %v %v, want blocked for 40s", wait, blocked)
	}
	if _, blocked := l.blocked("k9", now.Add(time.Minute)); blocked {
		t.Fatal("k9 is still blocked after its window")
	}
	if n := l.size(); n != 2 {
		t.Fatalf("the ended window is still tracked: %d keys", n)
	}
}

func TestEvictionNeverFreesABlockingBucket(t *testing.T) {
	l := newLimiter(2, time.Minute, 3)
	now := time.Unix(1000, 0)
	l.fail("victim", now)
	l.fail("victim", now)
	// Junk keys, each failing once, make room only among themselves.
	for i := range 100 {
		if _, blocked := l.take("junk"+strconv.Itoa(i), now); blocked {
			t.Fatalf("junk %d refused while non-blocking keys could make room", i)
		}
	}
	if _, blocked := l.blocked("victim", now); !blocked {
		t.Fatal("the victim's blocking bucket was evicted")
	}
	// When every tracked key is blocking, a new key is refused.
	for _, k := range []string{"a", "b"} {
		l.reset("junk98")
		l.reset("junk99")
		l.fail(k, now)
		l.fail(k, now)
	}
	if n := l.size(); n != 3 {
		t.Fatalf("%d keys tracked", n)
	}
	if wait, blocked := l.take("new", now.Add(10*time.Second)); !blocked || wait != 50*time.Second {
		t.Fatalf("a new key with every key blocking: %v %v, want refused for 50s", wait, blocked)
	}
	if _, blocked := l.blocked("victim", now); !blocked {
		t.Fatal("the victim was evicted")
	}
	// Once the windows end, new keys fit again.
	if _, blocked := l.take("new", now.Add(time.Minute)); blocked {
		t.Fatal("a new key refused after the windows ended")
	}
}

func TestLimiterTakeCountsBeforeTheCheck(t *testing.T) {
	l := newLimiter(3, time.Minute, 10)
	now := time.Unix(1000, 0)
	admitted := 0
	for range 10 {
		if _, blocked := l.take("k", now); !blocked {
			admitted++
		}
	}
	if admitted != 3 {
		t.Fatalf("%d attempts admitted, want the limit, 3", admitted)
	}
	l.release("k")
	if _, blocked := l.take("k", now); blocked {
		t.Fatal("a released attempt was not given back")
	}
}

func TestIPv6AddressesCountBySlash64(t *testing.T) {
	a, b := addressKey("2001:db8:1:2::1"), addressKey("2001:db8:1:2:ffff:1:2:3")
	if a != b || a != "2001:db8:1:2::/64" {
		t.Fatalf("keys %q and %q, want one /64", a, b)
	}
	if addressKey("2001:db8:1:3::1") == a {
		t.Fatal("another /64 shares the key")
	}
	if got := addressKey("10.0.0.1"); got != "10.0.0.1" {
		t.Fatalf("IPv4 key %q", got)
	}
	if got := addressKey("::ffff:10.0.0.1"); got != "::ffff:10.0.0.1" {
		t.Fatalf("IPv4-mapped key %q", got)
	}
	th := newThrottler(Throttle{PerAccount: 100, PerAddress: 2, Window: time.Minute})
	now := time.Unix(1000, 0)
	for i := range 2 {
		if e := th.mail("m"+strconv.Itoa(i), addressKey("2001:db8::"+strconv.Itoa(i+1)), now); e != nil {
			t.Fatalf("mail %d: %v", i, e)
		}
	}
	if e := th.mail("m9", addressKey("2001:db8::9"), now); e == nil || e.code != CodeMailThrottled {
		t.Fatalf("a third mail from the /64: %v", e)
	}
}

func TestANegativeLimitIsNoLimit(t *testing.T) {
	l := newLimiter(-1, time.Minute, 3)
	for range 100 {
		l.fail("k", time.Unix(0, 0))
	}
	if _, blocked := l.blocked("k", time.Unix(0, 0)); blocked || l.size() != 0 {
		t.Fatal("a negative limit counted failures")
	}
}

func TestClientAddresses(t *testing.T) {
	r := httptest.NewRequest("POST", "/login", nil)
	r.RemoteAddr = "10.0.0.1:5555"
	if got := RemoteAddress(r); got != "10.0.0.1" {
		t.Fatalf("RemoteAddress = %q", got)
	}
	r.Header.Add("X-Forwarded-For", "1.1.1.1, 2.2.2.2")
	r.Header.Add("X-Forwarded-For", "3.3.3.3")
	if got := ForwardedFor("X-Forwarded-For", 1)(r); got != "3.3.3.3" {
		t.Fatalf("one hop: %q", got)
	}
	if got := ForwardedFor("X-Forwarded-For", 2)(r); got != "2.2.2.2" {
		t.Fatalf("two hops: %q", got)
	}
	if got := ForwardedFor("X-Forwarded-For", 9)(r); got != "10.0.0.1" {
		t.Fatalf("more hops than the header has: %q", got)
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("secret", 4)
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "secret") || CheckPassword(h, "Secret") || CheckPassword("", "secret") || CheckPassword(h, "") {
		t.Fatal("CheckPassword")
	}
	long := string(make([]byte, MaxPasswordBytes+1))
	if _, err := HashPassword(long, 4); err == nil || CheckPassword(h, long) {
		t.Fatal("a password past bcrypt's 72 bytes was taken")
	}
}

func TestMessageBytes(t *testing.T) {
	m := Message{To: "a@example.com", From: "Shop <shop@example.com>", Subject: "Hé", Text: "line 1\nline 2", HTML: "<p>hi</p>"}
	b, err := m.bytes(time.Unix(0, 0).UTC())
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"To: a@example.com\r\n", "Subject: =?utf-8?q?H=C3=A9?=\r\n", "line 1\r\nline 2", "multipart/alternative", "<p>hi</p>"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the message lacks %q:\n%s", want, s)
		}
	}
	if _, err := (Message{To: "a@example.com\r\nBcc: x@example.com"}).bytes(time.Now()); err == nil {
		t.Fatal("a header with a line break was written")
	}
	if addrOf("Shop <shop@example.com>") != "shop@example.com" {
		t.Fatal("addrOf")
	}
}
