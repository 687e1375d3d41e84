package context_test

import (
	stdctx "context"
	"testing"

	loomctx "github.com/loomhq/loom/context"
)

func TestStopping(t *testing.T) {
	if ch := loomctx.Stopping(stdctx.Background()); ch != nil {
		t.Errorf("a context without a server has a stopping channel %v", ch)
	}
	stop := make(chan struct{})
	ctx := loomctx.WithStopping(stdctx.Background(), stop)
	child, cancel := stdctx.WithCancel(ctx)
	defer cancel()
	ch := loomctx.Stopping(child)
	select {
	case <-ch:
		t.Fatal("stopping before the stop")
	default:
	}
	close(stop)
	<-ch // would block forever if it were another channel
}
