package context

import (
	"sync"
	"testing"
	"time"
)

func TestCoarseClock_IsNeverAheadOfTheClock(t *testing.T) {
	c := newCoarseClock()
	for range 1000 {
		n := c.since()
		if real := time.Since(epoch); n > real || n <= 0 {
			t.Fatalf("since = %v, the clock %v", n, real)
		}
	}
}

func TestCoarseClock_ReadsTheClockAgainOnceExpired(t *testing.T) {
	c := newCoarseClock()
	first := c.since()
	before := time.Since(epoch)
	c.expire()
	if n := c.since(); n < before || n < first {
		t.Fatalf("after expiring, since = %v; the clock read %v before", n, before)
	}
}

func TestCoarseClock_ItsTimerForgetsTheReading(t *testing.T) {
	c := newCoarseClock()
	c.since()
	deadline := time.Now().Add(time.Minute) // a bound for a stuck timer, not a timing
	for c.now.Load() != 0 || c.armed.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the reading was never cleared")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCoarseClock_NeverKeepsAReadingWithoutATimer(t *testing.T) {
	c := newCoarseClock()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				if (i+g)%50 == 0 {
					c.expire()
				} else {
					c.since()
				}
			}
		}()
	}
	wg.Wait()
	// A reading left behind must have a timer to clear it.
	if c.now.Load() != 0 && !c.armed.Load() {
		t.Fatal("a reading is kept with no timer armed: it would never be cleared")
	}
}
