package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vendorkit/vendorkit"
)

// isTerminal reports whether w is a character device (a terminal), the
// test gh and stripe use before drawing progress.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressLine redraws one status line on stderr while a list streams:
// items, requests, rate, retries, time spent waiting (rate limiter and
// retry backoff) and elapsed time. It is the kit's
// observer, counting pages and waits. A nil *progressLine does nothing.
type progressLine struct {
	vendorkit.NopObserver
	w        io.Writer
	start    time.Time
	items    atomic.Int64
	requests atomic.Int64 // successful requests
	retries  atomic.Int64 // retry waits (429s and failures)
	waited   atomic.Int64 // nanoseconds spent in retry and limiter waits
	done     chan struct{}
	wg       sync.WaitGroup
}

// CallEnd counts a successful request (a page, or a lookup such as
// Deskwoot's account).
func (p *progressLine) CallEnd(_ context.Context, c *vendorkit.Call) {
	if c.Err == nil {
		p.requests.Add(1)
	}
}

// Wait counts a wait: a retry, or the rate limiter holding a request.
func (p *progressLine) Wait(_ context.Context, _ *vendorkit.Call, w vendorkit.Wait) {
	if w.Kind == vendorkit.WaitRetry {
		p.retries.Add(1)
	}
	p.waited.Add(int64(w.Duration))
}

func newProgress(w io.Writer) *progressLine {
	return &progressLine{w: w, done: make(chan struct{})}
}

func (p *progressLine) run(every time.Duration) {
	p.start = time.Now()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw("\r")
			case <-p.done:
				p.draw("\r")
				fmt.Fprintln(p.w)
				return
			}
		}
	}()
}

func (p *progressLine) addItem() {
	if p != nil {
		p.items.Add(1)
	}
}

func (p *progressLine) draw(prefix string) {
	elapsed := time.Since(p.start)
	n := p.items.Load()
	rate := float64(n) / max(elapsed.Seconds(), 1e-3)
	fmt.Fprintf(p.w, "%s%d items, %d requests, %.0f/s, %d retries, %s waiting for rate limits and retries, %s\x1b[K", prefix, n, p.requests.Load(), rate,
		p.retries.Load(), time.Duration(p.waited.Load()).Round(time.Millisecond), elapsed.Round(100*time.Millisecond))
}

func (p *progressLine) stop() {
	if p == nil {
		return
	}
	close(p.done)
	p.wg.Wait()
}
