package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/redislimit"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// The fleet scenario: worker processes (the storm command re-executed with
// -worker) share one vendor credential against one rate-limited fake in
// the parent, each with its own in-process limiters (what a fleet has
// without Redis) or with redislimit on a redis-server the parent starts.

// Scenario is one fleet run's vendor limit.
type Scenario string

// The scenarios: a documented rate the client knows (Deskwoot), a rate it
// must learn (Woofed, Qwoty), Woodpecker's one request in flight per key
// with a queue of 6, and a quota of R × 10 requests per fixed 10 s window
// reported on every answer (X-RateLimit-*, see NewQuotaServer).
const (
	Known   Scenario = "known"
	Unknown Scenario = "unknown"
	Cap     Scenario = "cap"
	Quota   Scenario = "quota"
)

// QuotaWindow is the Quota scenario's window.
const QuotaWindow = 10 * time.Second

// WorkerConfig is what the parent tells a worker process.
type WorkerConfig struct {
	URL      string    `json:"url"`
	Redis    string    `json:"redis"` // address; "" for in-process limiters
	Scenario Scenario  `json:"scenario"`
	Rate     float64   `json:"rate"`
	Workers  int       `json:"workers"`
	Start    time.Time `json:"start"`
	Duration string    `json:"duration"`
}

// WorkerResult is what a worker process reports.
type WorkerResult struct {
	Succeeded int64   `json:"ok"`
	Lost      int64   `json:"lost"`
	Latencies []int64 `json:"lat"` // µs, of the logical requests that succeeded
}

// RunWorker is a worker process: Workers loops of logical GETs from Start
// for Duration, through a kit with in-process limiters or redislimit. It
// writes its WorkerResult as JSON to w.
func RunWorker(cfg WorkerConfig, w io.Writer) error {
	d, err := time.ParseDuration(cfg.Duration)
	if err != nil {
		return err
	}
	opts := []vendorkit.Option{vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 5})}
	if cfg.Redis != "" {
		// As redislimit.New recommends: sockets that honour a context's
		// deadline bound each call without a goroutine of its own.
		rdb := redis.NewClient(&redis.Options{Addr: cfg.Redis, ContextTimeoutEnabled: true})
		defer rdb.Close()
		f, err := redislimit.New(rdb)
		if err != nil {
			return err
		}
		opts = append(opts, vendorkit.WithLimiterFactory(f.Limiter))
	}
	kit, err := vendorkit.New(opts...)
	if err != nil {
		return err
	}
	var l vendorkit.Limit
	switch cfg.Scenario {
	case Known:
		l = vendorkit.Limit{Rate: rate.Limit(cfg.Rate), Burst: 1}
	case Cap:
		l = vendorkit.Limit{MaxInFlight: 1}
	}
	cred, _ := vendorkit.StaticToken(token)
	e, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "storm", BaseURL: cfg.URL + "/api", Credential: cred, AuthScheme: "Bearer", Limit: l})
	if err != nil {
		return err
	}
	time.Sleep(time.Until(cfg.Start))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(d, cancel)
	var res WorkerResult
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range cfg.Workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				start := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cfg.URL+"/api/contacts/42", nil)
				resp, err := e.Do(req)
				if err == nil {
					_, err = decode(resp)
				}
				mu.Lock()
				switch {
				case err == nil:
					res.Succeeded++
					res.Latencies = append(res.Latencies, time.Since(start).Microseconds())
				case ctx.Err() != nil && errors.Is(err, context.Canceled):
					// the run ended while this request waited: not lost
				default:
					res.Lost++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return json.NewEncoder(w).Encode(res)
}

// FleetResult is one contender's run of one scenario: a StormResult (Name
// "in-process" or "redislimit"; Refused counts 429s, or for Cap the
// requests the full queue dropped; Rate is for Cap the fake's capacity)
// with the fleet's figures.
type FleetResult struct {
	StormResult
	Scenario  Scenario
	Processes int
	PeakQueue int // Cap: the longest the fake's waiting room got
	P50, P99  time.Duration
}

// SentRate is the attempts per second ÷ R.
func (r FleetResult) SentRate() float64 {
	return float64(r.Attempts) / r.Duration.Seconds() / r.Rate
}

// Fleet runs the fleet scenarios.
type Fleet struct {
	Exe       string // the storm binary, re-executed with -worker
	Processes int
	Workers   int // in all, split among the processes
	Rate      float64
	Burst     int
	Duration  time.Duration
	CapDelay  time.Duration // Cap: the fake's time per request
	Redis     string        // redis-server address
}

// Run runs scenario s for the in-process contender and redislimit, in
// that order.
func (f Fleet) Run(s Scenario) ([]FleetResult, error) {
	var out []FleetResult
	for _, name := range []string{"in-process", "redislimit"} {
		r, err := f.run(s, name)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", s, name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func (f Fleet) run(s Scenario, name string) (FleetResult, error) {
	addr := ""
	if name == "redislimit" {
		addr = f.Redis
		rdb := redis.NewClient(&redis.Options{Addr: f.Redis})
		err := rdb.FlushAll(context.Background()).Err()
		_ = rdb.Close()
		if err != nil {
			return FleetResult{}, err
		}
	}
	start := time.Now().Add(time.Second) // the processes' common start
	secs := &PerSecond{start: start}
	var srv *httptest.Server
	var storm *StormServer
	var queue *vendorkittest.Queue
	if s == Cap {
		queue = vendorkittest.NewQueue(1, 6, 15*time.Second, nil)
		queue.SetServiceTime(f.CapDelay)
		deny := func(w http.ResponseWriter, _ *http.Request, _ bool) {
			secs.Add(false)
			w.WriteHeader(http.StatusTooManyRequests)
		}
		srv = httptest.NewServer(queue.Middleware(deny)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			secs.Add(true)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(contactJSON)
		})))
	} else {
		if s == Quota {
			storm = newQuotaServer(int(f.Rate*QuotaWindow.Seconds()), QuotaWindow, start)
		} else {
			storm = NewStormServer(f.Rate, f.Burst)
		}
		storm.Seconds = secs
		srv = storm.Server
	}
	defer srv.Close()
	cfg := WorkerConfig{URL: srv.URL, Redis: addr, Scenario: s, Rate: f.Rate, Start: start, Duration: f.Duration.String()}
	results := make([]WorkerResult, f.Processes)
	errs := make([]error, f.Processes)
	var wg sync.WaitGroup
	for i := range f.Processes {
		cfg.Workers = f.Workers / f.Processes
		if i < f.Workers%f.Processes {
			cfg.Workers++
		}
		arg, _ := json.Marshal(cfg)
		wg.Go(func() {
			cmd := exec.Command(f.Exe, "-worker", string(arg))
			cmd.Stderr = os.Stderr
			out, err := cmd.Output()
			if err == nil {
				err = json.Unmarshal(out, &results[i])
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return FleetResult{}, err
	}
	r := FleetResult{StormResult: StormResult{Name: name, Duration: f.Duration, Rate: f.Rate}, Scenario: s, Processes: f.Processes}
	var lat []int64
	for _, w := range results {
		r.Succeeded += w.Succeeded
		r.Lost += w.Lost
		lat = append(lat, w.Latencies...)
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		r.P50 = time.Duration(lat[len(lat)/2]) * time.Microsecond
		r.P99 = time.Duration(lat[len(lat)*99/100]) * time.Microsecond
	}
	r.Seconds = secs.Snapshot()
	if len(r.Seconds) > int(f.Duration/time.Second) {
		r.Seconds = r.Seconds[:int(f.Duration/time.Second)]
	}
	if s == Cap {
		st := queue.Stats()
		r.Attempts, r.Refused, r.PeakQueue = int64(st.Served+st.Dropped+st.TimedOut), int64(st.Dropped+st.TimedOut), st.MaxWaiting
		r.Rate = float64(time.Second) / float64(f.CapDelay) // the fake's capacity
	} else {
		r.Attempts, r.Refused = storm.ok.Load()+storm.limit.Load(), storm.limit.Load()
	}
	return r, nil
}

// StartRedis starts a redis-server on a free loopback port, persistence
// off, and returns its address and a stop function.
func StartRedis() (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	cmd := exec.Command("redis-server", "--save", "", "--appendonly", "no", "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start redis-server (apt-get install redis-server): %w", err)
	}
	stop = func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	addr = "127.0.0.1:" + strconv.Itoa(port)
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	for range 200 {
		if rdb.Ping(context.Background()).Err() == nil {
			return addr, stop, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	stop()
	return "", nil, errors.New("redis-server did not answer within 5s")
}
