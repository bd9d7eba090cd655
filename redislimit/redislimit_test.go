package redislimit

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/internal/core"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

// fakeClock is the time the scripts see in the fake-clock tests.
type fakeClock struct{ now atomic.Int64 }

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.now.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.now.Add(int64(d)) }

func newFake(t *testing.T, rdb redis.UniversalClient) (*Factory, *fakeClock) {
	f, err := New(rdb)
	require.NoError(t, err)
	c := &fakeClock{}
	c.now.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	f.now = c.Now
	return f, c
}

// step runs the acquire script once, as Acquire does, and returns its
// code and wait.
func step(t *testing.T, l *limiter, ctx context.Context) (int64, time.Duration) {
	t.Helper()
	v, err := l.acquire(ctx, "1", "id"+strconv.Itoa(int(l.f.now().UnixNano()%1e6)))
	require.NoError(t, err)
	return v[0], time.Duration(v[1]) * time.Microsecond
}

func TestGCRAWithFakeClock(t *testing.T) {
	srv := startRedis(t)
	f, clock := newFake(t, srv.client())
	l := f.Limiter("gcra", vendorkit.Limit{Rate: 10, Burst: 2}).(*limiter)
	ctx := context.Background()
	type want struct {
		code int64
		wait time.Duration
	}
	// A burst of 2, then slots reserved 100 ms apart up to 1 s ahead.
	wants := []want{{0, 0}, {0, 0}, {0, 100 * time.Millisecond}, {0, 200 * time.Millisecond}}
	for i, w := range wants {
		code, wait := step(t, l, ctx)
		assert.Equal(t, w, want{code, wait}, "call %d", i)
	}
	for range 8 { // up to 1 s ahead
		code, _ := step(t, l, ctx)
		require.EqualValues(t, 0, code)
	}
	code, wait := step(t, l, ctx)
	assert.Equal(t, want{1, 100 * time.Millisecond}, want{code, wait}, "beyond the horizon: ask again later, nothing reserved")
	clock.Advance(500 * time.Millisecond)
	dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	code, _ = step(t, l, dctx)
	assert.EqualValues(t, 4, code, "a wait past the caller's deadline takes nothing")
	clock.Advance(10 * time.Second)
	code, wait = step(t, l, ctx)
	assert.Equal(t, want{0, 0}, want{code, wait}, "idle: the burst is back")
}

func TestPauseWithFakeClock(t *testing.T) {
	srv := startRedis(t)
	f, clock := newFake(t, srv.client())
	l := f.Limiter("pause", vendorkit.Limit{Rate: 10, Burst: 1}).(*limiter)
	l.Observe(http.StatusTooManyRequests, nil, 2*time.Second)
	code, wait := step(t, l, context.Background())
	assert.EqualValues(t, 2, code)
	assert.Equal(t, 2*time.Second, wait)
	l.Observe(http.StatusTooManyRequests, nil, time.Second) // a shorter pause does not shorten it
	clock.Advance(1500 * time.Millisecond)
	code, wait = step(t, l, context.Background())
	assert.EqualValues(t, 2, code)
	assert.Equal(t, 500*time.Millisecond, wait)
	clock.Advance(600 * time.Millisecond)
	code, _ = step(t, l, context.Background())
	assert.EqualValues(t, 0, code)
	// X-RateLimit-Remaining: 0 with a reset pauses too.
	h := http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"3"}}
	l.Observe(http.StatusOK, h, 0)
	code, wait = step(t, l, context.Background())
	assert.EqualValues(t, 2, code)
	assert.InDelta(t, 3*time.Second, wait, float64(100*time.Millisecond))
}

// A quota the vendor reports holds the process's requests in flight to
// what is left; none left pauses the whole fleet until the reset.
func TestQuotaHoldsRequestsAndPausesTheFleet(t *testing.T) {
	srv := startRedis(t)
	f, _ := newFake(t, srv.client())
	ctx := context.Background()
	for _, lim := range []vendorkit.Limit{{}, {MaxInFlight: 4}} {
		t.Run(lim.String(), func(t *testing.T) {
			key := "quota" + lim.String()
			l := f.Limiter(key, lim).(*limiter)
			other := f.Limiter(key, lim).(*limiter) // another process's
			quota := func(n int) http.Header {
				return http.Header{"X-Ratelimit-Remaining": {strconv.Itoa(n)}, "X-Ratelimit-Reset": {"3"}}
			}
			var releases []func()
			for range 2 {
				release, err := l.Acquire(ctx)
				require.NoError(t, err)
				releases = append(releases, release)
			}
			l.Observe(http.StatusOK, quota(2), 0)
			short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			_, err := l.Acquire(short)
			cancel()
			require.ErrorIs(t, err, context.DeadlineExceeded, "2 left, 2 in flight: a third waits")
			releases[0]()
			release, err := l.Acquire(ctx)
			require.NoError(t, err, "a release makes room")
			release()
			code, _ := step(t, other, ctx)
			assert.EqualValues(t, 0, code, "some left: no pause for the fleet")
			l.Observe(http.StatusOK, quota(0), 0)
			code, wait := step(t, other, ctx)
			assert.EqualValues(t, 2, code, "none left: the fleet waits for the reset")
			assert.InDelta(t, 3*time.Second, wait, float64(100*time.Millisecond))
			releases[1]()
			assert.Zero(t, l.gate.InFlight())
		})
	}
}

// learnedPace returns a reader of l's learned pace in Redis (0 for none).
func learnedPace(t *testing.T, rdb redis.UniversalClient, l *limiter) func() float64 {
	return func() float64 {
		v, err := rdb.HGet(context.Background(), l.keys[2], "r").Float64()
		if err == redis.Nil {
			return 0
		}
		require.NoError(t, err)
		return v
	}
}

func TestLearnedPaceWithFakeClock(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.client()
	f, clock := newFake(t, rdb)
	l := f.Limiter("learn", vendorkit.Limit{}).(*limiter)
	pace := learnedPace(t, rdb, l)
	ctx := context.Background()
	// Refusals here ask for no pause ("Retry-After: 0"): one that names
	// none pauses for core.UnnamedPause, which TestUnnamedPauseHoldsTheFleet
	// covers.
	refusal := http.Header{"Retry-After": {"0"}}
	// Open: 20 successes in the first second, then a refusal.
	for range 20 {
		l.Observe(200, nil, 0)
	}
	code, wait := step(t, l, ctx) // records the successes
	assert.Equal(t, [2]int64{0, 0}, [2]int64{code, int64(wait)}, "open: no pacing")
	clock.Advance(time.Second)
	l.Observe(429, refusal, 0)
	assert.InDelta(t, 20, pace(), 0.01, "first pace: the successes of the last second")
	// Slow start: each success adds core.PaceSlowStep requests/s (the
	// steps after it are core.Pace's, which TestPaceMatchesLua holds the
	// scripts to).
	for range 5 {
		l.Observe(200, nil, 0)
	}
	step(t, l, ctx)
	learned := 20 + 5*core.PaceSlowStep
	assert.InDelta(t, learned, pace(), 0.01)
	code, wait = step(t, l, ctx)
	assert.EqualValues(t, 0, code)
	assert.InDelta(t, float64(time.Second)/learned, float64(wait), float64(time.Millisecond), "paced at the learned rate")
	// A refusal within a second of the last one says nothing new.
	l.Observe(429, refusal, 0)
	assert.InDelta(t, learned, pace(), 0.01)
	// The next refusal ends the slow start: the pace drops.
	clock.Advance(1100 * time.Millisecond)
	l.Observe(429, refusal, 0)
	learned = pace()
	assert.Less(t, learned, 20+5*core.PaceSlowStep)
	// The learned pace is the fleet's: another factory paces by it.
	g, _ := newFake(t, rdb)
	g.now = f.now
	other := g.Limiter("learn", vendorkit.Limit{}).(*limiter)
	clock.Advance(10 * time.Second)
	step(t, other, ctx)
	code, wait = step(t, other, ctx)
	assert.EqualValues(t, 0, code)
	assert.InDelta(t, float64(time.Second)/learned, float64(wait), float64(time.Millisecond))
}

// Every key has a TTL, and an idle key leaves Redis: here within the
// shortest idle TTL (1 s) and the vendor's pause.
func TestEveryKeyExpires(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.client()
	f, err := New(rdb, WithIdleTTL(time.Second))
	require.NoError(t, err)
	ctx := context.Background()
	for _, lim := range []vendorkit.Limiter{
		f.Limiter("ttl|rate", vendorkit.Limit{Rate: 5, Burst: 1}),
		f.Limiter("ttl|cap", vendorkit.Limit{MaxInFlight: 2}),
		f.Limiter("ttl|open", vendorkit.Limit{}),
	} {
		for range 3 {
			release, err := lim.Acquire(ctx)
			require.NoError(t, err)
			lim.Observe(200, nil, 0)
			release()
		}
		lim.Observe(429, nil, time.Second)
	}
	keys, err := rdb.Keys(ctx, "vendorkit:rl:*").Result()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(keys), 6, "rate, pause and pace keys, leases: %v", keys)
	for _, k := range keys {
		ttl, err := rdb.PTTL(ctx, k).Result()
		require.NoError(t, err)
		assert.Greater(t, ttl, time.Duration(0), "key %s has no TTL", k)
		assert.LessOrEqual(t, ttl, time.Hour, "key %s", k)
	}
	assert.Eventually(t, func() bool {
		keys, err := rdb.Keys(ctx, "vendorkit:rl:*").Result()
		return err == nil && len(keys) == 0
	}, 5*time.Second, 50*time.Millisecond, "idle keys left in Redis")
}

func TestFingerprintsNeverRevealTheCredential(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.client()
	// Every command the limiter sends is recorded: the keys it writes live
	// for milliseconds (the rate key expires when its arrival time has
	// passed, 10 ms here), too short to be sure to find them afterwards on
	// a loaded machine, and what is stored comes from these arguments.
	sent := &cmdLog{}
	rdb.AddHook(afterHook(sent.record))
	f, err := New(rdb)
	require.NoError(t, err)
	fake := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 100))
	kit, err := vendorkit.New(vendorkit.WithLimiterFactory(f.Limiter), vendorkittest.NoSleep())
	require.NoError(t, err)
	desk, err := deskwoot.New(kit, fake.Token(), deskwoot.WithBaseURL(fake.URL()), deskwoot.WithRateLimit(6000, 10))
	require.NoError(t, err)
	ctx := context.Background()
	fake.Inject(vendorkittest.Fault{Status: 429, Header: http.Header{"Retry-After": {"1"}}, Times: 1})
	for range 3 {
		_, err := desk.Me(ctx)
		require.NoError(t, err)
	}
	require.NotEmpty(t, sent.get(), "commands sent to Redis")
	keys, err := rdb.Keys(ctx, "*").Result()
	require.NoError(t, err)
	secret := strings.TrimPrefix(fake.Token(), "dw_")
	var dump strings.Builder
	for _, args := range sent.get() {
		dump.WriteString(args)
	}
	for _, k := range keys {
		dump.WriteString(k + "\n")
		switch rdb.Type(ctx, k).Val() {
		case "string":
			dump.WriteString(rdb.Get(ctx, k).Val())
		case "hash":
			for f, v := range rdb.HGetAll(ctx, k).Val() {
				dump.WriteString(f + "=" + v + "\n")
			}
		case "zset":
			dump.WriteString(strings.Join(rdb.ZRange(ctx, k, 0, -1).Val(), "\n"))
		}
	}
	for i := 0; i+8 <= len(secret); i++ {
		require.NotContains(t, dump.String(), secret[i:i+8], "8 characters of the token in Redis")
	}
	assert.Contains(t, dump.String(), runtime.Fingerprint(fake.Token()), "keys name the credential by its fingerprint")
}

// cmdLog records the arguments of every command (rdb.AddHook(
// afterHook(log.record))).
type cmdLog struct {
	mu   sync.Mutex
	cmds []string
}

func (l *cmdLog) record(cmd redis.Cmder) {
	l.mu.Lock()
	l.cmds = append(l.cmds, fmt.Sprintln(cmd.Args()...))
	l.mu.Unlock()
}

func (l *cmdLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.cmds...)
}

// syncBuffer is a log destination safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRedisRestartLosesNoRequest(t *testing.T) {
	srv := startRedis(t)
	var logs syncBuffer
	f, err := New(srv.client(), WithTimeout(100*time.Millisecond), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	rated := f.Limiter("restart|rate", vendorkit.Limit{Rate: 200, Burst: 5})
	capped := f.Limiter("restart|cap", vendorkit.Limit{MaxInFlight: 2})
	ctx, cancel := context.WithCancel(context.Background())
	var admitted, failed atomic.Int64
	var wg sync.WaitGroup
	for i := range 8 {
		lim := rated
		if i%2 == 1 {
			lim = capped
		}
		wg.Go(func() {
			for ctx.Err() == nil {
				release, err := lim.Acquire(context.Background())
				if err != nil {
					failed.Add(1)
					continue
				}
				time.Sleep(time.Millisecond)
				release()
				admitted.Add(1)
			}
		})
	}
	time.Sleep(700 * time.Millisecond)
	srv.kill()
	during := admitted.Load()
	time.Sleep(time.Second)
	assert.Greater(t, admitted.Load()-during, int64(50), "requests go on while Redis is down")
	srv.start()
	time.Sleep(1500 * time.Millisecond)
	cancel()
	wg.Wait()
	assert.Zero(t, failed.Load(), "requests lost")
	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, "Redis unreachable"), out)
	assert.Equal(t, 1, strings.Count(out, "Redis reachable again"), out)
	// Back on Redis: a pause seen now is written there.
	rated.Observe(429, nil, 5*time.Second)
	n, err := srv.client().Exists(context.Background(), rated.(*limiter).keys[1]).Result()
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "the pause is in Redis")
}

// The fleet learns no pace from a 429 whose quota headers say none is left.
func TestQuotaRefusalTeachesTheFleetNoPace(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.client()
	f, _ := newFake(t, rdb)
	l := f.Limiter("quota-refusal", vendorkit.Limit{}).(*limiter)
	pace := learnedPace(t, rdb, l)
	h := http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"5"}}
	l.Observe(http.StatusTooManyRequests, h, 5*time.Second)
	assert.Zero(t, pace(), "no learned pace")
	code, _ := step(t, l, context.Background())
	assert.EqualValues(t, 2, code, "paused")
	h.Set("X-Ratelimit-Remaining", "7")
	l.Observe(http.StatusTooManyRequests, h, time.Second)
	assert.Positive(t, pace(), "another limit's refusal teaches the pace")
}

// A stalled Redis (CLIENT PAUSE: connections open, no answer) costs a
// request at most WithTimeout, whether or not the client honours a
// context's deadline on its sockets (go-redis does only with
// ContextTimeoutEnabled; without it a call would wait out ReadTimeout, 3 s,
// and runs on a goroutine given up at the timeout).
func TestStalledRedisCostsAtMostTheTimeout(t *testing.T) {
	single := func(opt redis.Options) func(t *testing.T) (redis.UniversalClient, string) {
		return func(t *testing.T) (redis.UniversalClient, string) {
			srv := startRedis(t)
			opt.Addr = srv.addr()
			return redis.NewClient(&opt), srv.addr()
		}
	}
	for _, tc := range []struct {
		name    string
		connect func(t *testing.T) (rdb redis.UniversalClient, node string)
		direct  bool // the client's sockets honour the timeout: no goroutine per call
	}{
		{"default options", single(redis.Options{}), false},
		{"ContextTimeoutEnabled", single(redis.Options{ContextTimeoutEnabled: true}), true},
		{"cluster, default options", func(t *testing.T) (redis.UniversalClient, string) {
			nodes := startCluster(t, 1)
			return redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{nodes[0].addr}}), nodes[0].addr
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rdb, node := tc.connect(t)
			t.Cleanup(func() { _ = rdb.Close() })
			var logs syncBuffer
			f, err := New(rdb, WithTimeout(100*time.Millisecond), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			require.NoError(t, err)
			assert.Equal(t, tc.direct, f.deadlines)
			limits := []vendorkit.Limit{{Rate: 1000, Burst: 10}, {MaxInFlight: 2}, {}}
			var lims []vendorkit.Limiter
			for i, l := range limits {
				lim := f.Limiter("stalled|"+strconv.Itoa(i), l)
				release, err := lim.Acquire(context.Background())
				require.NoError(t, err)
				release()
				lims = append(lims, lim)
			}
			pauser := redis.NewClient(&redis.Options{Addr: node})
			t.Cleanup(func() { _ = pauser.Close() })
			require.NoError(t, pauser.Do(context.Background(), "CLIENT", "PAUSE", "3000", "ALL").Err())
			start := time.Now()
			var worst time.Duration
			for time.Since(start) < 1500*time.Millisecond {
				for _, lim := range lims {
					t0 := time.Now()
					release, err := lim.Acquire(context.Background())
					require.NoError(t, err, "no request fails because Redis stalls")
					lim.Observe(http.StatusOK, nil, 0)
					release()
					worst = max(worst, time.Since(t0))
				}
				time.Sleep(5 * time.Millisecond)
			}
			assert.Less(t, worst, 600*time.Millisecond, "a request waited for a stalled Redis beyond the timeout")
			assert.True(t, f.down.Load(), "on the fallback")
			assert.Equal(t, 1, strings.Count(logs.String(), "Redis unreachable"), logs.String())
		})
	}
}

// Woodpecker's E_TOO_MANY_REQUESTS names no wait (no Retry-After, and here
// inside an HTTP 200); one process's still pauses the fleet's requests for
// the key, for core.UnnamedPause.
func TestUnnamedPauseHoldsTheFleet(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.client()
	fake := woodpeckertest.NewServer(t)
	fake.Inject(vendorkittest.Fault{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"status":{"status":"ERROR","code":"E_TOO_MANY_REQUESTS","msg":"Too many concurrent requests"}}`)})
	var workers []*woodpecker.Client // two processes: a factory each
	for range 2 {
		f, err := New(rdb)
		require.NoError(t, err)
		kit, err := vendorkit.New(vendorkit.WithLimiterFactory(f.Limiter), vendorkittest.NoSleep())
		require.NoError(t, err)
		wp, err := woodpecker.New(kit, woodpeckertest.HQKey, woodpecker.WithBaseURL(fake.URL()))
		require.NoError(t, err)
		workers = append(workers, wp)
	}
	ctx := context.Background()
	start := time.Now()
	refused := make(chan error, 1)
	go func() { _, err := workers[0].Me(ctx); refused <- err }()
	require.Eventually(t, func() bool {
		keys, _ := rdb.Keys(ctx, "*:p").Result()
		return len(keys) == 1
	}, 5*time.Second, time.Millisecond, "the pause is written to Redis")
	t0 := time.Now()
	_, err := workers[1].Me(ctx)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(t0), core.UnnamedPause-time.Since(start)-50*time.Millisecond,
		"the other process waited out the pause")
	require.NoError(t, <-refused, "the refused call is retried after the pause")
	assert.GreaterOrEqual(t, time.Since(start), core.UnnamedPause-50*time.Millisecond)
}

// Bad options are refused with an error matching vendorkit.ErrInvalidArgument
// that names the option.
func TestNewRefusesBadOptions(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never dialled
	t.Cleanup(func() { _ = rdb.Close() })
	tests := []struct {
		name string
		opt  Option
	}{
		{"WithTimeout", WithTimeout(0)},
		{"WithLease", WithLease(time.Millisecond)},
		{"WithIdleTTL", WithIdleTTL(time.Millisecond)},
		{"WithLogger", WithLogger(nil)},
		{"WithPrefix", WithPrefix("rl{}:")},
		{"WithPrefix", WithPrefix("{env}:")},
	}
	for _, tt := range tests {
		_, err := New(rdb, tt.opt)
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument, tt.name)
		assert.Contains(t, err.Error(), tt.name)
	}
	_, err := New(nil)
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	f, err := New(rdb, WithPrefix("staging:rl:"))
	require.NoError(t, err)
	assert.Equal(t, "staging:rl:{()}:t", f.Limiter("", vendorkit.Limit{}).(*limiter).keys[0], "an empty key still has a hash tag")
}
