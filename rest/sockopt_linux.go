package rest

import (
	"net"

	"golang.org/x/sys/unix"
)

// acceptQueueLen is how many connections wait in the listener's accept
// queue. On a listening socket Linux reports it in TCP_INFO's
// tcpi_unacked (and the queue's limit in tcpi_sacked).
func acceptQueueLen(l *net.TCPListener) (int, bool) {
	raw, err := l.SyscallConn()
	if err != nil {
		return 0, false
	}
	var info *unix.TCPInfo
	var serr error
	if err := raw.Control(func(fd uintptr) {
		info, serr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); err != nil || serr != nil || info.State != tcpListen {
		return 0, false
	}
	return int(info.Unacked), true
}

// tcpListen is TCP_LISTEN in Linux's include/net/tcp_states.h.
const tcpListen = 10

// unreadBytes is how many bytes wait in the connection's receive queue
// (SIOCINQ).
func unreadBytes(c *net.TCPConn) (int, bool) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, false
	}
	var n int
	var serr error
	if err := raw.Control(func(fd uintptr) {
		n, serr = unix.IoctlGetInt(int(fd), unix.SIOCINQ)
	}); err != nil || serr != nil {
		return 0, false
	}
	return n, true
}
