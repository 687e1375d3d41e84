//go:build !linux

package rest

import "net"

// acceptQueueLen cannot read the accept queue here: the listener closes
// without waiting for it.
func acceptQueueLen(*net.TCPListener) (int, bool) { return 0, false }

// unreadBytes cannot read the receive queue here: a connection counts as
// quiet when nothing was read from it since its last response.
func unreadBytes(*net.TCPConn) (int, bool) { return 0, true }
