package user

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/smtp"
	"strings"
	"sync"
	"time"
)

// Message is one mail the user API sends: a password reset's token, an
// email verification's link.
type Message struct {
	// To and From are addresses.
	To, From string
	// Subject is the subject line.
	Subject string
	// Text is the plain-text body; HTML, when set, an alternative body.
	Text, HTML string
}

// Mailer sends the user API's mail. [SMTP] sends it through a mail
// server; [MemoryMailer] keeps it, for tests.
type Mailer interface {
	// Send sends m; an error fails the request that asked for it.
	Send(ctx context.Context, m Message) error
}

// SMTP is a [Mailer] that sends through an SMTP server with net/smtp
// (STARTTLS when the server offers it).
//
//	user.SMTP{Addr: "smtp.example.com:587", From: "shop@example.com",
//		Auth: smtp.PlainAuth("", "shop@example.com", password, "smtp.example.com")}
type SMTP struct {
	// Addr is the server's host:port.
	Addr string
	// Auth authenticates to the server; nil sends without.
	Auth smtp.Auth
	// From is the sender when a message has none.
	From string
}

// Send sends m through the server.
func (s SMTP) Send(_ context.Context, m Message) error {
	if m.From == "" {
		m.From = s.From
	}
	body, err := m.bytes(time.Now())
	if err != nil {
		return err
	}
	if err := smtp.SendMail(s.Addr, s.Auth, addrOf(m.From), []string{addrOf(m.To)}, body); err != nil {
		return fmt.Errorf("user: sending mail: %w", err)
	}
	return nil
}

// addrOf is the address of "Name <addr>" or addr.
func addrOf(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		return strings.TrimSuffix(s[i+1:], ">")
	}
	return s
}

// bytes writes m as an RFC 5322 message.
func (m Message) bytes(now time.Time) ([]byte, error) {
	for _, h := range []string{m.To, m.From, m.Subject} {
		if strings.ContainsAny(h, "\r\n") {
			return nil, errors.New("user: a mail header holds a line break")
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n",
		m.From, m.To, mime.QEncoding.Encode("utf-8", m.Subject), now.Format(time.RFC1123Z))
	if m.HTML == "" {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
		b.WriteString(crlf(m.Text))
		return b.Bytes(), nil
	}
	const boundary = "loom-user-mail-boundary"
	fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=%s\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", boundary, crlf(m.Text))
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n%s\r\n--%s--\r\n", boundary, crlf(m.HTML), boundary)
	return b.Bytes(), nil
}

// crlf ends every line of s with CRLF, as SMTP wants.
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// MemoryMailer is a [Mailer] that keeps what it is sent, for tests: an
// application's test reads the reset token or the verification link from
// it. It keeps at most [MemoryMailerCap] messages, dropping the oldest.
type MemoryMailer struct {
	mu   sync.Mutex
	sent []Message
}

// MemoryMailerCap is how many messages a [MemoryMailer] keeps.
const MemoryMailerCap = 1000

// Send keeps m.
func (f *MemoryMailer) Send(_ context.Context, m Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sent) == MemoryMailerCap {
		f.sent = append(f.sent[:0], f.sent[1:]...)
	}
	f.sent = append(f.sent, m)
	return nil
}

// Sent lists the messages kept, oldest first.
func (f *MemoryMailer) Sent() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.sent...)
}

// Last is the last message sent to the address to; false when there is
// none.
func (f *MemoryMailer) Last(to string) (Message, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.sent) - 1; i >= 0; i-- {
		if f.sent[i].To == to {
			return f.sent[i], true
		}
	}
	return Message{}, false
}
