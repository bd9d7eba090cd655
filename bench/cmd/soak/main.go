// Command soak runs many logical calls across all five vendors' fakes on
// loopback, with random faults and the fakes' rate limits, and prints what
// was lost, what was duplicated, the errors by category, and the heap and
// goroutines before and after (issue 12.8). It is bounded: it stops after
// -calls calls.
//
//	go run ./cmd/soak -calls 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// op is one logical call; write reports that it creates a record named id.
type op struct {
	vendor string
	write  bool
	call   func(ctx context.Context, id string) error
}

// executions counts, per write id, how many times a fake's route ran it.
type executions struct {
	mu sync.Mutex
	n  map[string]int
}

func (x *executions) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if id := r.Header.Get("X-Soak-Id"); id != "" {
				x.mu.Lock()
				x.n[id]++
				x.mu.Unlock()
			}
		}
		next.ServeHTTP(w, r)
	})
}

// faults are the random misbehaviours: each applies to a share p of the
// requests (5 % in all by default).
func faults(p float64, attempt time.Duration) []vendorkittest.Fault {
	each := p / 5
	rnd := func(*http.Request) bool { return rand.Float64() < each }
	return []vendorkittest.Fault{
		{Match: rnd, Times: -1, Reset: true},
		{Match: rnd, Times: -1, Status: 503},
		{Match: rnd, Times: -1, Status: 429, Header: http.Header{"Retry-After": {"0"}}},
		{Match: rnd, Times: -1, Delay: attempt + 50*time.Millisecond},
		{Match: rnd, Times: -1, SlowBody: attempt / 8},
	}
}

func main() {
	calls := flag.Int("calls", 100000, "logical calls")
	share := flag.Float64("faults", 0.05, "share of requests with a fault")
	conc := flag.Int("concurrency", 32, "calls in flight")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()

	t := vendorkittest.Standalone()
	defer t.Close()
	attempt := 200 * time.Millisecond
	kit, err := vendorkit.New(vendorkit.WithRetry(vendorkit.RetryPolicy{AttemptTimeout: attempt, MaxAttempts: 4}), vendorkit.WithWaitScale(0.01))
	must(err)
	exec := &executions{n: map[string]int{}}

	var servers []*vendorkittest.Server
	var ops []op
	withID := func(ctx context.Context, id string) context.Context {
		return vendorkit.WithHeader(ctx, "X-Soak-Id", id)
	}

	wf := woofedtest.NewServer(t)
	crm, err := woofed.New(kit, wf.Token(), woofed.WithBaseURL(wf.URL()))
	must(err)
	c, err := crm.CreateContact(context.Background(), woofed.ContactInput{FullName: "Ada"})
	must(err)
	servers = append(servers, wf.Server)
	ops = append(ops,
		op{"woofed", false, func(ctx context.Context, _ string) error { _, err := crm.GetContact(ctx, c.ID); return err }},
		op{"woofed", true, func(ctx context.Context, id string) error {
			_, err := crm.CreateContact(withID(ctx, id), woofed.ContactInput{FullName: id})
			return err
		}})

	dw := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(600000, 10000))
	desk, err := deskwoot.New(kit, dw.Token(), deskwoot.WithBaseURL(dw.URL()), deskwoot.WithRateLimit(0, 0))
	must(err)
	_, err = desk.Me(context.Background())
	must(err)
	servers = append(servers, dw.Server)
	ops = append(ops,
		op{"deskwoot", false, func(ctx context.Context, _ string) error { _, err := desk.Me(ctx); return err }},
		op{"deskwoot", true, func(ctx context.Context, id string) error {
			_, err := desk.CreateContact(withID(ctx, id), deskwoot.ContactInput{Name: vendorkit.Ptr(id)})
			return err
		}})

	wp := woodpeckertest.NewServer(t)
	pecker, err := woodpecker.New(kit, wp.Token(), woodpecker.WithBaseURL(wp.URL()))
	must(err)
	servers = append(servers, wp.Server)
	ops = append(ops, op{"woodpecker", false, func(ctx context.Context, _ string) error { _, err := pecker.Me(ctx); return err }})

	qw := qwotytest.NewServer(t)
	quotes, err := qwoty.New(kit, qw.Token(), qwoty.WithBaseURL(qw.URL()))
	must(err)
	servers = append(servers, qw.Server)
	ops = append(ops, op{"qwoty", false, func(ctx context.Context, _ string) error { _, err := quotes.ListPaymentTerms(ctx); return err }})

	cr := crowtest.NewServer(t)
	cr.SetConfigs("p1", map[string]crow.EndpointConfig{"api": {BaseURL: "https://api.example.com", Auth: crow.BearerAuth("upstream-token-1234")}})
	agent, err := crow.New(kit, cr.Token(), crow.WithBaseURL(cr.URL()))
	must(err)
	servers = append(servers, cr.Server)
	ops = append(ops, op{"crow", false, func(ctx context.Context, _ string) error { _, err := agent.ListEndpointConfigs(ctx, "p1"); return err }})

	for _, s := range servers {
		s.Use(exec.middleware)
		for _, f := range faults(*share, attempt) {
			s.Inject(f)
		}
	}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	goBefore := runtime.NumGoroutine()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		must(err)
		must(pprof.StartCPUProfile(f))
		defer f.Close()
	}
	start := time.Now()

	var (
		next, done, ok, lost atomic.Int64
		mu                   sync.Mutex
		byCategory           = map[string]int{}
		byOutcome            = map[string]int{}
		writesMayHaveRun     = map[string]bool{} // ids whose error said MayHaveRun or Applied
		writesNotRun         = map[string]bool{} // ids whose error said NotSent or Refused
	)
	var wg sync.WaitGroup
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(*calls) {
					return
				}
				o := ops[int(i)%len(ops)]
				id := fmt.Sprintf("soak-%d", i)
				err := o.call(context.Background(), id)
				done.Add(1)
				if i%2000 == 0 {
					for _, s := range servers {
						s.ResetRequests() // the fakes' request log would grow without end
					}
				}
				if err == nil {
					ok.Add(1)
					continue
				}
				cat := vendorkit.ErrorCategory(err)
				mu.Lock()
				byCategory[o.vendor+" "+cat]++
				if o.write {
					out := vendorkit.WriteOutcome(err)
					byOutcome[out.String()]++
					if out == vendorkit.MayHaveRun || out == vendorkit.Applied {
						writesMayHaveRun[id] = true
					} else {
						writesNotRun[id] = true
					}
				}
				mu.Unlock()
				if cat == "other" || cat == "" {
					lost.Add(1) // an error that says nothing a caller can act on
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}

	// Duplicates: a write id the fakes executed more than once. Lost
	// writes: an error that said NotSent or Refused, yet the fake ran it.
	exec.mu.Lock()
	dup, wrongOutcome := 0, 0
	for id, n := range exec.n {
		if n > 1 {
			dup++
		}
		if writesNotRun[id] {
			wrongOutcome++ // the error said it did not run, yet it ran
		}
	}
	exec.mu.Unlock()
	for _, s := range servers {
		s.ClearFaults()
	}
	kit.CloseIdleConnections()
	time.Sleep(300 * time.Millisecond)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	goAfter := runtime.NumGoroutine()

	fmt.Printf("soak: %d calls (%d vendors, %.0f%% faults, concurrency %d) in %s: %d ok, %d failed, %d lost (failed with no category)\n",
		done.Load(), len(servers), *share*100, *conc, elapsed.Round(time.Millisecond), ok.Load(), done.Load()-ok.Load(), lost.Load())
	fmt.Printf("writes: %d executed, %d executed more than once, %d executed although their error said not_sent/refused; failed writes by outcome: %v\n",
		len(exec.n), dup, wrongOutcome, byOutcome)
	keys := make([]string, 0, len(byCategory))
	for k := range byCategory {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, byCategory[k])
	}
	fmt.Printf("errors by vendor and category:%s\n", b.String())
	fmt.Printf("heap in use: %.1f MiB before, %.1f MiB after; goroutines: %d before, %d after\n",
		float64(before.HeapInuse)/(1<<20), float64(after.HeapInuse)/(1<<20), goBefore, goAfter)
	if dup > 0 || wrongOutcome > 0 || lost.Load() > 0 {
		os.Exit(1)
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
}
