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
		l.fail("k"+strconv.Itoa(i), now)
	}
	if n := l.size(); n != 3 {
		t.Fatalf("%d keys tracked, want the cap, 3", n)
	}
	if _, blocked := l.blocked("k0", now); blocked {
		t.Fatal("k0 should have been forgotten")
	}
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
