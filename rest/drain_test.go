package rest

import (
	"context"
	"net"
	"runtime"
	"testing"
	"time"
)

// queue dials n connections to ln that nobody accepts yet, and waits
// until the kernel has queued them all: the handshake's last ACK may land
// just after Dial returns.
func queue(t *testing.T, ln *net.TCPListener, n int) {
	t.Helper()
	for range n {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		if q, ok := acceptQueueLen(ln); !ok || q == n {
			return
		}
	}
}

func TestAcceptQueueLen_CountsTheConnectionsNotYetAccepted(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the accept queue is read on Linux only")
	}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	queue(t, ln, 3)
	if n, ok := acceptQueueLen(ln); !ok || n != 3 {
		t.Errorf("acceptQueueLen = %d, %v; want 3, true", n, ok)
	}
}

func TestDrainListener_AcceptsTheQueuedConnectionsBeforeItCloses(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the accept queue is read on Linux only")
	}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	dl := &drainListener{TCPListener: ln}
	queue(t, ln, 3)
	accepted := make(chan int)
	go func() {
		n := 0
		for {
			c, err := dl.Accept()
			if err != nil {
				accepted <- n
				return
			}
			c.Close()
			n++
		}
	}()
	dl.drain(context.Background())
	if n := <-accepted; n != 3 {
		t.Errorf("%d connections accepted before the listener closed, want the 3 queued", n)
	}
}
