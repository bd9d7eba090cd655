package redislimit

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
)

// The fleet tests re-execute the test binary as worker processes: with
// REDISLIMIT_CHILD set, TestMain runs child instead of the tests.
func TestMain(m *testing.M) {
	if role := os.Getenv("REDISLIMIT_CHILD"); role != "" {
		if err := child(role); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childEnv is what a worker process is told.
type childEnv struct {
	addr, key        string
	limit            vendorkit.Limit
	workers          int
	run, hold, lease time.Duration
}

func (c childEnv) environ(role string) []string {
	return append(os.Environ(),
		"REDISLIMIT_CHILD="+role,
		"RL_ADDR="+c.addr, "RL_KEY="+c.key,
		"RL_RATE="+strconv.FormatFloat(float64(c.limit.Rate), 'f', -1, 64),
		"RL_BURST="+strconv.Itoa(c.limit.Burst), "RL_CAP="+strconv.Itoa(c.limit.MaxInFlight),
		"RL_WORKERS="+strconv.Itoa(c.workers),
		"RL_RUN="+c.run.String(), "RL_HOLD="+c.hold.String(), "RL_LEASE="+c.lease.String(),
	)
}

func child(role string) error {
	rate, _ := strconv.ParseFloat(os.Getenv("RL_RATE"), 64)
	burst, _ := strconv.Atoi(os.Getenv("RL_BURST"))
	capacity, _ := strconv.Atoi(os.Getenv("RL_CAP"))
	workers, _ := strconv.Atoi(os.Getenv("RL_WORKERS"))
	run, _ := time.ParseDuration(os.Getenv("RL_RUN"))
	hold, _ := time.ParseDuration(os.Getenv("RL_HOLD"))
	lease, _ := time.ParseDuration(os.Getenv("RL_LEASE"))
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("RL_ADDR")})
	defer rdb.Close()
	slots := &slotLog{}
	rdb.AddHook(afterHook(slots.record))
	fallback := &fallbackLog{}
	opts := []Option{WithLogger(slog.New(fallback))}
	if lease > 0 {
		opts = append(opts, WithLease(lease))
	}
	if role == "admit" || role == "wait" {
		opts = append(opts, WithTimeout(fleetTimeout))
	}
	f, err := New(rdb, opts...)
	if err != nil {
		return err
	}
	lim := f.Limiter(os.Getenv("RL_KEY"), limitOf(rate, burst, capacity))
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	switch role {
	case "admit": // loop Acquire → hold → release; print each admission
		for _, iv := range admitLoop(lim, workers, run, hold) {
			fmt.Fprintf(out, "%d %d\n", iv[0], iv[1])
		}
		for _, at := range slots.get() {
			fmt.Fprintf(out, "slot %d\n", at)
		}
		if fallback.count() > 0 {
			fmt.Fprintln(out, "fallback")
		}
	case "hold": // take a slot and never give it back (the parent kills us)
		if _, err := lim.Acquire(context.Background()); err != nil {
			return err
		}
		fmt.Fprintln(out, "held")
		out.Flush()
		select {}
	case "wait": // report how long the next Acquire waited, in ms, and its slot
		start := time.Now()
		if _, err := lim.Acquire(context.Background()); err != nil {
			return err
		}
		fmt.Fprintln(out, time.Since(start).Milliseconds())
		for _, at := range slots.get() {
			fmt.Fprintf(out, "slot %d\n", at)
		}
	}
	return nil
}

func limitOf(r float64, burst, capacity int) vendorkit.Limit {
	return vendorkit.Limit{Rate: rate.Limit(r), Burst: burst, MaxInFlight: capacity}
}

// admitLoop runs workers loops of Acquire, hold, release for run and
// returns the [admitted, released) interval of each, in Unix µs.
func admitLoop(lim vendorkit.Limiter, workers int, run, hold time.Duration) [][2]int64 {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(run, cancel)
	var mu sync.Mutex
	var out [][2]int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				release, err := lim.Acquire(ctx)
				if err != nil {
					continue
				}
				start := time.Now().UnixMicro()
				time.Sleep(hold)
				end := time.Now().UnixMicro()
				release()
				mu.Lock()
				out = append(out, [2]int64{start, end})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

// spawn starts a worker process in role and returns it with its output
// lines, read until it exits.
func spawn(t *testing.T, role string, env childEnv) (*exec.Cmd, <-chan string) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = env.environ(role)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines
}

// admissions is what a fleet run saw: the [admitted, released) interval
// of each Acquire on its process's clock (Unix µs), and every rate slot
// Redis reserved, on Redis's clock (µs; see slotLog).
type admissions struct {
	intervals [][2]int64
	slots     []int64
}

// parseAdmissions reads an "admit" worker's output; a worker whose
// limiter fell back to its in-process limiter fails the test.
func parseAdmissions(t *testing.T, lines <-chan string, into *admissions) {
	for l := range lines {
		f := strings.Fields(l)
		switch {
		case len(f) == 1 && f[0] == "fallback":
			t.Errorf("a worker process lost Redis and limited on its own")
		case len(f) == 2 && f[0] == "slot":
			at, err := strconv.ParseInt(f[1], 10, 64)
			require.NoError(t, err, l)
			into.slots = append(into.slots, at)
		default:
			require.Len(t, f, 2, l)
			a, _ := strconv.ParseInt(f[0], 10, 64)
			b, _ := strconv.ParseInt(f[1], 10, 64)
			into.intervals = append(into.intervals, [2]int64{a, b})
		}
	}
}

// fleetTimeout bounds each Redis call of a fleet run. It is far above the
// default (200 ms): on a loaded machine a slow answer would otherwise send
// a process to its in-process fallback, which limits each process on its
// own by design — not what these tests measure. A fallback fails the test
// (fallbackLog) rather than passing unnoticed.
const fleetTimeout = 10 * time.Second

// afterHook is a go-redis hook that hands each command, once answered, to
// after.
type afterHook func(redis.Cmder)

func (afterHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (afterHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func (after afterHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		after(cmd)
		return err
	}
}

// slotLog records, from the acquire script's replies (rdb.AddHook(
// afterHook(log.record))), the rate slot each admission reserved: Redis's
// now plus the wait it handed out, in µs on Redis's clock. That is the
// admission the GCRA decides; when the admitted goroutine then runs is up
// to the scheduler.
type slotLog struct {
	mu    sync.Mutex
	slots []int64
}

func (s *slotLog) record(cmd redis.Cmder) {
	c, ok := cmd.(*redis.Cmd)
	if cmd.Err() != nil || !ok || (cmd.Name() != "evalsha" && cmd.Name() != "eval") {
		return
	}
	// Only the acquire script answers three values: {code, wait, now}
	// when it reserved a rate slot (codes 0 and 5).
	if v, err := c.Int64Slice(); err == nil && len(v) == 3 && (v[0] == 0 || v[0] == 5) {
		s.mu.Lock()
		s.slots = append(s.slots, v[2]+v[1])
		s.mu.Unlock()
	}
}

func (s *slotLog) get() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.slots...)
}

// fallbackLog is a slog.Handler that counts the factory's Warn records:
// the one it logs when it falls back to the in-process limiter.
type fallbackLog struct{ n atomic.Int64 }

func (*fallbackLog) Enabled(context.Context, slog.Level) bool { return true }

func (h *fallbackLog) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		h.n.Add(1)
	}
	return nil
}

func (h *fallbackLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *fallbackLog) WithGroup(string) slog.Handler      { return h }
func (h *fallbackLog) count() int64                       { return h.n.Load() }

// fleet runs three worker processes and, in this process, a limiter of
// its own factory, all on one key, and returns every admission.
func fleet(t *testing.T, srv *redisServer, l vendorkit.Limit, run, hold time.Duration) admissions {
	env := childEnv{addr: srv.addr(), key: "fleet|" + t.Name(), limit: l, workers: 4, run: run, hold: hold}
	var outs []<-chan string
	for range 3 {
		_, lines := spawn(t, "admit", env)
		outs = append(outs, lines)
	}
	rdb := srv.client()
	slots := &slotLog{}
	rdb.AddHook(afterHook(slots.record))
	fallback := &fallbackLog{}
	f, err := New(rdb, WithTimeout(fleetTimeout), WithLogger(slog.New(fallback)))
	require.NoError(t, err)
	all := admissions{intervals: admitLoop(f.Limiter(env.key, l), 4, run, hold), slots: slots.get()}
	assert.Zero(t, fallback.count(), "this process lost Redis and limited on its own")
	for _, lines := range outs {
		parseAdmissions(t, lines, &all)
	}
	return all
}

func TestFleetNeverExceedsRate(t *testing.T) {
	srv := startRedis(t)
	const perSecond, burst = 40, 2
	run := 2 * time.Second
	all := fleet(t, srv, vendorkit.Limit{Rate: perSecond, Burst: burst}, run, 0)
	// Every admission reserved its slot in Redis: none came from elsewhere.
	require.GreaterOrEqual(t, len(all.slots), len(all.intervals), "admissions without a slot reserved in Redis")
	// The property is checked on the slots Redis reserved, on Redis's own
	// clock: when an admitted goroutine gets to run is the scheduler's
	// business (on a loaded machine a late waker bunches with the next
	// one), and the vendor sees the same scheduling in every client. GCRA:
	// any n slots span at least (n-burst)/rate, exactly.
	starts := slices.Clone(all.slots)
	slices.Sort(starts)
	const interval = int64(time.Second/time.Microsecond) / perSecond // µs, exact for 40/s
	worst := 0
	for i := range starts {
		for j := i + 1; j < len(starts); j++ {
			// n slots within span: at most burst + ⌊span/interval⌋.
			n := j - i + 1
			worst = max(worst, n-(burst+int((starts[j]-starts[i])/interval)))
		}
	}
	t.Logf("%d slots reserved, worst excess %d", len(starts), worst)
	assert.LessOrEqual(t, worst, 0, "admissions beyond the fleet-wide rate")
	// …and the fleet gets its rate: not held far below it.
	assert.GreaterOrEqual(t, float64(len(all.intervals)), 0.8*perSecond*run.Seconds(), "admitted %d in %s", len(all.intervals), run)
}

func TestFleetNeverExceedsInFlightCap(t *testing.T) {
	srv := startRedis(t)
	for _, capacity := range []int{1, 2} {
		t.Run(strconv.Itoa(capacity), func(t *testing.T) {
			all := fleet(t, srv, vendorkit.Limit{MaxInFlight: capacity}, time.Second, 3*time.Millisecond).intervals
			type ev struct {
				at    int64
				delta int
			}
			var evs []ev
			for _, iv := range all {
				evs = append(evs, ev{iv[0], 1}, ev{iv[1], -1})
			}
			sort.Slice(evs, func(i, j int) bool {
				if evs[i].at != evs[j].at {
					return evs[i].at < evs[j].at
				}
				return evs[i].delta < evs[j].delta // a release before an admission at the same µs
			})
			in, peak := 0, 0
			for _, e := range evs {
				in += e.delta
				peak = max(peak, in)
			}
			assert.LessOrEqual(t, peak, capacity, "requests in flight at once across 4 processes")
			assert.Equal(t, capacity, peak, "the cap is used")
			// 1 s of 3 ms holds: the slot is passed on (a loaded machine
			// with -race gets well under the ideal 330 per slot).
			assert.Greater(t, len(all), 30*capacity, "admissions in 1s")
		})
	}
}

// TestPauseHoldsInOtherProcesses checks the other process's admission on
// Redis's clock: its slot comes after the pause, however late the process
// started (on a loaded machine spawning the -race binary can take a good
// part of the pause, so its own measure of the wait, once ≥ 1.2 s, was
// short without anything being wrong).
func TestPauseHoldsInOtherProcesses(t *testing.T) {
	srv := startRedis(t)
	key := "pause|" + t.Name()
	rdb := srv.client()
	f, err := New(rdb)
	require.NoError(t, err)
	lim := f.Limiter(key, vendorkit.Limit{Rate: 100, Burst: 5})
	before, err := rdb.Time(context.Background()).Result() // the pause ends 1.5 s after this, or later
	require.NoError(t, err)
	lim.Observe(429, nil, 1500*time.Millisecond) // one process is told to wait
	_, lines := spawn(t, "wait", childEnv{addr: srv.addr(), key: key, limit: vendorkit.Limit{Rate: 100, Burst: 5}})
	waited, err := strconv.Atoi(<-lines)
	require.NoError(t, err)
	var slots []int64
	for l := range lines {
		at, err := strconv.ParseInt(strings.TrimPrefix(l, "slot "), 10, 64)
		require.NoError(t, err, l)
		slots = append(slots, at)
	}
	require.Len(t, slots, 1, "one admission, through Redis")
	assert.GreaterOrEqual(t, slots[0], before.Add(1500*time.Millisecond).UnixMicro(), "another process was admitted before the pause ended")
	assert.Less(t, waited, 3000)
}

func TestPauseBeyondMaxPauseFailsAtOnce(t *testing.T) {
	srv := startRedis(t)
	f, err := New(srv.client(), WithMaxPause(time.Second))
	require.NoError(t, err)
	a := f.Limiter("k", vendorkit.Limit{})
	a.Observe(429, nil, 30*time.Second)
	g, err := New(srv.client(), WithMaxPause(time.Second))
	require.NoError(t, err)
	start := time.Now()
	_, err = g.Limiter("k", vendorkit.Limit{}).Acquire(context.Background())
	require.Error(t, err)
	assert.Less(t, time.Since(start), 500*time.Millisecond)
	assert.Equal(t, runtime.PauseError(30 * time.Second).Error()[:20], err.Error()[:20])
}

func TestLeaseOfKilledProcessExpires(t *testing.T) {
	srv := startRedis(t)
	key := "lease|" + t.Name()
	l := vendorkit.Limit{MaxInFlight: 1}
	cmd, lines := spawn(t, "hold", childEnv{addr: srv.addr(), key: key, limit: l, lease: 600 * time.Millisecond})
	require.Equal(t, "held", <-lines)
	// While the holder lives it renews its lease: the slot stays taken.
	f, err := New(srv.client(), WithLease(600*time.Millisecond))
	require.NoError(t, err)
	lim := f.Limiter(key, l)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	_, err = lim.Acquire(ctx)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded, "a live holder keeps its slot past its lease")
	// Killed, it renews nothing: its slot is free within one lease.
	require.NoError(t, cmd.Process.Kill())
	killed := time.Now()
	release, err := lim.Acquire(context.Background())
	require.NoError(t, err)
	release()
	assert.Less(t, time.Since(killed), 700*time.Millisecond)
}

// A request waiting for the rate slot it reserved does not go out if the
// vendor's pause began meanwhile (seen by another process): it waits the
// pause out. Before, a slot reserved up to a second ahead was sent blind,
// and a fleet's requests reserved before a 429 drew more 429s, each
// lengthening the pause.
func TestReservedSlotWaitsForAPauseBegunMeanwhile(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.client()
	key := "reserved|" + t.Name()
	f, err := New(rdb)
	require.NoError(t, err)
	g, err := New(rdb)
	require.NoError(t, err)
	lim := f.Limiter(key, vendorkit.Limit{Rate: 2, Burst: 1})
	ctx := context.Background()
	release, err := lim.Acquire(ctx) // the burst
	require.NoError(t, err)
	release()
	done := make(chan time.Time, 1)
	go func() {
		release, err := lim.Acquire(ctx) // reserves the slot 500 ms ahead
		assert.NoError(t, err)
		release()
		done <- time.Now()
	}()
	time.Sleep(100 * time.Millisecond)
	paused := time.Now()
	g.Limiter(key, vendorkit.Limit{Rate: 2, Burst: 1}).Observe(429, nil, 1500*time.Millisecond)
	assert.GreaterOrEqual(t, (<-done).Sub(paused), 1400*time.Millisecond, "the reserved slot went out during the pause")
}
