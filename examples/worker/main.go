// Command worker shows vendorkit in an n8n-style worker: many short jobs
// for many tenants, on one shared *vendorkit.Client.
//
//   - One kit per process: one connection pool, and the rate limit of each
//     tenant's token shared by every job that uses it.
//   - One vendor client per job: deskwoot.New does no I/O and starts no
//     goroutine, so building it per job is cheap.
//   - A job refused for rate beyond what the client sleeps on
//     (RetryPolicy.MaxRetryAfter) is rescheduled at APIError.RetryAfter,
//     not retried in a loop.
//
// It runs against the Deskwoot fake (60 requests/minute per token, scaled up
// here so the demo finishes in seconds):
//
//	go run ./examples/worker
//
// The same kind of worker with OpenTelemetry traces and metrics (stdout
// exporters) is otel/example/worker, in the otel module, so that this
// module never depends on OpenTelemetry.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// perMinute is Deskwoot's 60/min scaled ×20 on both sides for the demo.
const perMinute = 1200

// tenant is one customer's Deskwoot account and API token, as a job
// system would store them.
type tenant struct {
	name, account, token string
}

// job is one unit of work for one tenant.
type job struct {
	tenant tenant
	n      int
}

func main() {
	if _, err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

// result is what a run did, per tenant name.
type result struct {
	done, rescheduled map[string]int
	refused           int // 429 answers of the fake's rate limit
}

func run(ctx context.Context, out io.Writer) (result, error) {
	t := vendorkittest.Standalone()
	defer t.Close()
	srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(perMinute, perMinute/60))

	// Three tenants, each an account with its own token.
	var tenants []tenant
	for _, name := range []string{"acme", "globex", "initech"} {
		account := srv.AddAccount(deskwoottest.PlanEnterprise)
		tenants = append(tenants, tenant{name: name, account: account, token: srv.AddToken(account, "read", "write")})
	}
	var jobs []job
	for i := range 20 {
		for _, tn := range tenants {
			jobs = append(jobs, job{tenant: tn, n: i})
		}
	}
	// Deskwoot refuses one of initech's requests for ten minutes: that job,
	// and initech's later ones (the client knows the token is paused, and
	// sends nothing), are rescheduled; the other tenants go on.
	initech := tenants[2].token
	srv.Inject(vendorkittest.Fault{Times: 1, Status: 429, Header: map[string][]string{"Retry-After": {"600"}},
		Body:  []byte(`{"error":"Rate limit exceeded"}`),
		Match: func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+initech },
	})

	kit, err := vendorkit.New() // one per process
	if err != nil {
		return result{}, err
	}
	queue := make(chan job)
	var (
		mu          sync.Mutex
		done        = map[string]int{}
		rescheduled = map[string]int{}
		retryAfter  time.Duration
		failed      []error
	)
	start := time.Now()
	var wg sync.WaitGroup
	for range 8 { // worker goroutines
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				err := handle(ctx, kit, srv.URL(), j)
				var apiErr *vendorkit.APIError
				mu.Lock()
				switch {
				case err == nil:
					done[j.tenant.name]++
				case errors.Is(err, vendorkit.ErrRateLimited) && errors.As(err, &apiErr) && apiErr.RetryAfter > 0:
					// A real worker puts the job back on its queue for later.
					rescheduled[j.tenant.name]++
					retryAfter = max(retryAfter, apiErr.RetryAfter)
				default:
					failed = append(failed, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()

	fmt.Fprintf(out, "%d jobs for %d tenants in %s on one kit (limit %d/min per token)\n",
		len(jobs), len(tenants), time.Since(start).Round(10*time.Millisecond), perMinute)
	for _, tn := range tenants {
		fmt.Fprintf(out, "  %-8s %2d done, %2d rescheduled\n", tn.name, done[tn.name], rescheduled[tn.name])
	}
	if retryAfter > 0 {
		fmt.Fprintf(out, "  rescheduled jobs wait %s, as Deskwoot asked; none was retried in a loop\n", retryAfter.Round(time.Minute))
	}
	res := result{done: done, rescheduled: rescheduled, refused: srv.RateLimit().Refused()}
	fmt.Fprintf(out, "  429 answers from the rate limit: %d\n", res.refused)
	if len(failed) > 0 {
		return res, fmt.Errorf("%d jobs failed, first: %w", len(failed), failed[0])
	}
	return res, nil
}

// handle is one job: a per-job client for the tenant, one write.
func handle(ctx context.Context, kit *vendorkit.Client, baseURL string, j job) error {
	desk, err := deskwoot.New(kit, j.tenant.token, deskwoot.WithAccountID(j.tenant.account),
		deskwoot.WithBaseURL(baseURL), deskwoot.WithRateLimit(perMinute, 1))
	if err != nil {
		return err
	}
	_, err = desk.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr(fmt.Sprintf("Lead %d", j.n)), Email: vendorkit.Ptr(fmt.Sprintf("lead%d.%s@example.com", j.n, j.tenant.name))})
	return err
}
