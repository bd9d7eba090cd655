package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"

	"github.com/vendorkit/vendorkit"
)

// StormServer allows Rate requests per second (token bucket, burst Burst)
// and answers the rest 429 with a Retry-After in whole seconds, as vendors do.
type StormServer struct {
	*httptest.Server
	lim       *rate.Limiter
	ok, limit atomic.Int64
	Seconds   *PerSecond // answers per second since the server started
}

// NewStormServer starts a StormServer.
func NewStormServer(perSecond float64, burst int) *StormServer {
	s := &StormServer{lim: rate.NewLimiter(rate.Limit(perSecond), burst), Seconds: NewPerSecond()}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := s.lim.Reserve()
		d := res.Delay()
		if d > 0 {
			res.Cancel()
		}
		s.answer(w, d <= 0, strconv.Itoa(int(math.Ceil(d.Seconds()))))
	}))
	return s
}

// answer counts and writes one answer: the contact, or a 429 with
// retryAfter (whole seconds).
func (s *StormServer) answer(w http.ResponseWriter, ok bool, retryAfter string) {
	s.Seconds.Add(ok)
	if !ok {
		s.limit.Add(1)
		w.Header().Set("Retry-After", retryAfter)
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	s.ok.Add(1)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(contactJSON)
}

// NewQuotaServer starts a StormServer that allows perWindow requests in
// each fixed window of the given length and says so on every answer, as
// GitHub, GitLab or Zendesk do: X-RateLimit-Limit, X-RateLimit-Remaining
// and X-RateLimit-Reset (whole seconds until the window ends, rounded up).
// The excess is answered 429 with Retry-After until the window ends.
func NewQuotaServer(perWindow int, window time.Duration) *StormServer {
	return newQuotaServer(perWindow, window, time.Now())
}

// newQuotaServer is NewQuotaServer with windows from start (a fleet's
// common start).
func newQuotaServer(perWindow int, window time.Duration, start time.Time) *StormServer {
	s := &StormServer{Seconds: NewPerSecond()}
	var mu sync.Mutex
	var cur, used int64
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		since := max(time.Since(start), 0)
		i := int64(since / window)
		mu.Lock()
		if i != cur {
			cur, used = i, 0
		}
		ok := used < int64(perWindow)
		if ok {
			used++
		}
		left := int64(perWindow) - used
		mu.Unlock()
		reset := strconv.Itoa(int(math.Ceil((time.Duration(i+1)*window - since).Seconds())))
		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(perWindow))
		h.Set("X-RateLimit-Remaining", strconv.FormatInt(left, 10))
		h.Set("X-RateLimit-Reset", reset)
		s.answer(w, ok, reset)
	}))
	return s
}

// StormResult is what one contender achieved against a StormServer.
type StormResult struct {
	Name      string
	Duration  time.Duration
	Rate      float64    // the server's allowed rate
	Succeeded int64      // logical requests that got their 200
	Lost      int64      // logical requests that failed for good (not end-of-run cancellation)
	Attempts  int64      // HTTP attempts the server saw
	Refused   int64      // attempts answered 429
	Seconds   [][2]int64 // [accepted, refused] per second of the run
}

// Goodput is successes per second divided by the allowed rate.
func (r StormResult) Goodput() float64 {
	return float64(r.Succeeded) / r.Duration.Seconds() / r.Rate
}

// Steady is Goodput over the second half of the run's whole seconds: the
// steady state, once a learner has found the limit.
// Seconds with no answer at all (a quota's window spent) count as 0.
func (r StormResult) Steady() float64 {
	n := int(r.Duration / time.Second)
	if n < 2 {
		return r.Goodput()
	}
	var ok int64
	for _, s := range r.Seconds[min(n/2, len(r.Seconds)):min(n, len(r.Seconds))] {
		ok += s[0]
	}
	return float64(ok) / float64(n-n/2) / r.Rate
}

// Wasted is the share of attempts answered 429.
func (r StormResult) Wasted() float64 {
	if r.Attempts == 0 {
		return 0
	}
	return float64(r.Refused) / float64(r.Attempts)
}

// StormContender builds a getter for a storm server's URL.
type StormContender struct {
	Name string
	New  func(baseURL string, perSecond float64) Getter
}

// StormContenders: stock retryablehttp, vendorkit with no configured limit
// (adapting to 429 + Retry-After), and vendorkit paced at the documented rate.
var StormContenders = []StormContender{
	{"retryablehttp (stock, RetryMax 4)", func(baseURL string, _ float64) Getter {
		rc := retryablehttp.NewClient()
		rc.Logger = nil
		rc.RetryMax = 4
		rc.HTTPClient = &http.Client{Transport: authTransport{newTransport()}}
		return func(ctx context.Context) (Contact, error) {
			req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/contacts/42", nil)
			if err != nil {
				return Contact{}, err
			}
			resp, err := rc.Do(req)
			if err != nil {
				return Contact{}, err
			}
			return decode(resp)
		}
	}},
	{"vendorkit (open, adapts to 429)", func(baseURL string, _ float64) Getter {
		return vendorkitGetter(baseURL, vendorkit.Limit{})
	}},
	{"vendorkit (paced at documented rate)", func(baseURL string, perSecond float64) Getter {
		return vendorkitGetter(baseURL, vendorkit.Limit{Rate: rate.Limit(perSecond), Burst: 1})
	}},
}

// QuotaContenders run against a NewQuotaServer: vendorkit as it is;
// vendorkit shown the quota headers only once the quota is spent
// (X-RateLimit-Remaining: 0), the rule of clients that wait for the
// quota's end only when told nothing is left (and vendorkit's before
// 2026-11-30); and vendorkit shown no quota headers, only the 429s'
// Retry-After, as from a fixed-window limiter that sends none (Rails'
// rack-attack by default).
var QuotaContenders = []StormContender{
	{"vendorkit (quota headers on every answer)", func(baseURL string, _ float64) Getter {
		return vendorkitGetter(baseURL, vendorkit.Limit{})
	}},
	{"vendorkit (quota headers at Remaining: 0 only)", func(baseURL string, _ float64) Getter {
		return vendorkitGetter(baseURL, vendorkit.Limit{}, vendorkit.WithTransport(hideQuota{newTransport(), true}))
	}},
	{"vendorkit (no quota headers: 429 + Retry-After only)", func(baseURL string, _ float64) Getter {
		return vendorkitGetter(baseURL, vendorkit.Limit{}, vendorkit.WithTransport(hideQuota{newTransport(), false}))
	}},
}

// hideQuota hides the quota headers of every answer, or (spent) of those
// that have some left.
type hideQuota struct {
	base  http.RoundTripper
	spent bool
}

func (q hideQuota) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := q.base.RoundTrip(r)
	if err == nil && (!q.spent || resp.Header.Get("X-RateLimit-Remaining") != "0") {
		resp.Header.Del("X-RateLimit-Limit")
		resp.Header.Del("X-RateLimit-Remaining")
		resp.Header.Del("X-RateLimit-Reset")
	}
	return resp, err
}

func vendorkitGetter(baseURL string, l vendorkit.Limit, opts ...vendorkit.Option) Getter {
	kit, err := vendorkit.New(append([]vendorkit.Option{vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 5})}, opts...)...)
	if err != nil {
		panic(err)
	}
	cred, _ := vendorkit.StaticToken(token)
	e, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "storm", BaseURL: baseURL + "/api", Credential: cred, AuthScheme: "Bearer", Limit: l})
	if err != nil {
		panic(err)
	}
	return func(ctx context.Context) (Contact, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/contacts/42", nil)
		if err != nil {
			return Contact{}, err
		}
		resp, err := e.Do(req)
		if err != nil {
			return Contact{}, err
		}
		return decode(resp)
	}
}

// RunStorm drives workers concurrent loops of logical requests against a
// fresh server allowing perSecond, for d, and reports what got through.
func RunStorm(c StormContender, perSecond float64, burst, workers int, d time.Duration) StormResult {
	return runStorm(NewStormServer(perSecond, burst), c, perSecond, workers, d)
}

// RunQuotaStorm is RunStorm against a NewQuotaServer allowing perSecond ×
// window requests per window.
func RunQuotaStorm(c StormContender, perSecond float64, window time.Duration, workers int, d time.Duration) StormResult {
	return runStorm(NewQuotaServer(int(perSecond*window.Seconds()), window), c, perSecond, workers, d)
}

func runStorm(srv *StormServer, c StormContender, perSecond float64, workers int, d time.Duration) StormResult {
	defer srv.Close()
	get := c.New(srv.URL, perSecond)
	// The run ends by cancellation, not a deadline, so that a request may
	// wait for the limiter as long as the run lasts.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := time.AfterFunc(d, cancel)
	defer stop.Stop()
	var ok, lost atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := get(ctx)
				switch {
				case err == nil:
					ok.Add(1)
				case ctx.Err() != nil && errors.Is(err, context.Canceled):
					// the run ended while this request waited: not lost
				default:
					lost.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return StormResult{
		Name: c.Name, Duration: time.Since(start), Rate: perSecond,
		Succeeded: ok.Load(), Lost: lost.Load(),
		Attempts: srv.ok.Load() + srv.limit.Load(), Refused: srv.limit.Load(),
		Seconds: srv.Seconds.Snapshot(),
	}
}

// String renders one result line.
func (r StormResult) String() string {
	return fmt.Sprintf("%s: goodput %.2f of R, %.1f%% of attempts wasted on 429, %d lost, %d ok, %d attempts",
		r.Name, r.Goodput(), 100*r.Wasted(), r.Lost, r.Succeeded, r.Attempts)
}

// PerSecond counts accepted and refused answers per second since it was
// made.
type PerSecond struct {
	start time.Time
	mu    sync.Mutex
	n     [][2]int64
}

// NewPerSecond starts counting now.
func NewPerSecond() *PerSecond { return &PerSecond{start: time.Now()} }

// Add counts one answer.
func (p *PerSecond) Add(accepted bool) {
	i := max(0, int(time.Since(p.start)/time.Second))
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.n) <= i {
		p.n = append(p.n, [2]int64{})
	}
	if accepted {
		p.n[i][0]++
	} else {
		p.n[i][1]++
	}
}

// Snapshot returns the counts so far, [accepted, refused] per second.
func (p *PerSecond) Snapshot() [][2]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][2]int64(nil), p.n...)
}
