package user_test

import (
	"bufio"
	"net"
	"strings"
	"testing"

	"github.com/loomhq/loom/controller/modelapi/user"
)

// fakeSMTP serves one SMTP session on a free port and sends what it
// received, the envelope and the message, on the channel.
func fakeSMTP(t *testing.T) (addr string, got <-chan string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	out := make(chan string, 1)
	go func() {
		conn, err := l.Accept()
		if err != nil {
			out <- "accept: " + err.Error()
			return
		}
		defer conn.Close()
		r := bufio.NewReader(conn)
		var b strings.Builder
		reply := func(s string) { _, _ = conn.Write([]byte(s + "\r\n")) }
		reply("220 localhost ESMTP")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				out <- b.String()
				return
			}
			cmd := strings.ToUpper(strings.TrimSpace(line))
			switch {
			case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
				reply("250-localhost")
				reply("250 8BITMIME")
			case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"):
				b.WriteString(strings.TrimSpace(line) + "\n")
				reply("250 OK")
			case cmd == "DATA":
				reply("354 go ahead")
				for {
					l, err := r.ReadString('\n')
					if err != nil || l == ".\r\n" {
						break
					}
					b.WriteString(l)
				}
				reply("250 queued")
			case cmd == "QUIT":
				reply("221 bye")
				out <- b.String()
				return
			default:
				reply("250 OK")
			}
		}
	}()
	return l.Addr().String(), out
}

func TestSMTPSendsTheMessage(t *testing.T) {
	addr, got := fakeSMTP(t)
	m := user.SMTP{Addr: addr, From: "Shop <shop@example.com>"}
	if err := m.Send(t.Context(), user.Message{To: "ann@example.com", Subject: "Password reset", Text: "Your code: 42"}); err != nil {
		t.Fatal(err)
	}
	s := <-got
	for _, want := range []string{"MAIL FROM:<shop@example.com>", "RCPT TO:<ann@example.com>", "From: Shop <shop@example.com>\r\n",
		"To: ann@example.com\r\n", "Subject: Password reset\r\n", "Your code: 42"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the server received no %q:\n%s", want, s)
		}
	}
}
