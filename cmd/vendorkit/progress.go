package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
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
// items, rate and elapsed time. A nil *progressLine does nothing.
type progressLine struct {
	w     io.Writer
	start time.Time
	items atomic.Int64
	done  chan struct{}
	wg    sync.WaitGroup
}

func startProgress(w io.Writer, every time.Duration) *progressLine {
	p := &progressLine{w: w, start: time.Now(), done: make(chan struct{})}
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
	return p
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
	fmt.Fprintf(p.w, "%s%d items, %.0f/s, %s\x1b[K", prefix, n, rate, elapsed.Round(100*time.Millisecond))
}

func (p *progressLine) stop() {
	if p == nil {
		return
	}
	close(p.done)
	p.wg.Wait()
}
