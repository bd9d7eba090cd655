package vendorkit

import (
	"bytes"
	"context"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cacheClock is a settable clock for the limiter cache.
type cacheClock struct{ ns atomic.Int64 }

func (c *cacheClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *cacheClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func newCacheClient(t testing.TB, opts ...Option) (*Client, *cacheClock) {
	c, err := New(append([]Option{WithLimiterTTL(time.Minute)}, opts...)...)
	require.NoError(t, err)
	clock := &cacheClock{}
	clock.ns.Store(time.Now().UnixNano())
	c.limiters.now = clock.now
	return c, clock
}

func TestLimiterCacheDropsIdleLimiters(t *testing.T) {
	c, clock := newCacheClient(t)
	ctx := context.Background()
	fast := Limit{Rate: 1e6, Burst: 1}
	for i := range 1000 {
		release, err := c.limiter("t|"+strconv.Itoa(i), fast).Acquire(ctx)
		require.NoError(t, err)
		release()
	}
	held, err := c.limiter("held", Limit{MaxInFlight: 1}).Acquire(ctx) // in flight across the sweep
	require.NoError(t, err)
	paused := c.limiter("paused", Limit{})
	paused.Observe(429, nil, time.Hour) // a vendor pause outlives the TTL
	require.Equal(t, 1002, c.limiters.len())

	clock.advance(50 * time.Second)
	recent := c.limiter("t|7", fast) // used within the TTL: kept
	_, err = recent.Acquire(ctx)
	require.NoError(t, err)
	clock.advance(20 * time.Second)
	c.limiter("new", fast) // creating a limiter sweeps
	assert.Equal(t, 4, c.limiters.len(), "kept: t|7, held, paused, new; the 999 others dropped")
	for _, k := range []string{"t|7", "held", "paused", "new"} {
		_, ok := c.limiters.m.Load(k)
		assert.True(t, ok, k)
	}
	held()
}

func TestDroppedLimiterIsPutBackOrForwarded(t *testing.T) {
	c, clock := newCacheClient(t)
	ctx := context.Background()
	capped := Limit{MaxInFlight: 1}
	old := c.limiter("k", capped) // a vendor client keeps this one
	clock.advance(2 * time.Minute)
	c.limiter("other", capped) // sweep: "k" is dropped
	_, ok := c.limiters.m.Load("k")
	require.False(t, ok)

	// A new client of the key gets a new limiter; the old holder's
	// requests go through it, so the key still has one cap.
	fresh := c.limiter("k", capped)
	require.NotSame(t, old, fresh)
	release, err := old.Acquire(ctx)
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = fresh.Acquire(short)
	require.ErrorIs(t, err, context.DeadlineExceeded, "one in flight for the key, whichever client asks")
	release()

	// Dropped with no successor: its next use puts it back.
	clock.advance(2 * time.Minute)
	c.limiter("third", capped)
	_, ok = c.limiters.m.Load("k")
	require.False(t, ok)
	release, err = fresh.Acquire(ctx)
	require.NoError(t, err)
	release()
	v, ok := c.limiters.m.Load("k")
	require.True(t, ok)
	assert.Same(t, fresh, v)
}

func TestDifferentLimitsForOneKeyTheStricterApplies(t *testing.T) {
	var logs bytes.Buffer
	c, _ := newCacheClient(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	ctx := context.Background()
	first := c.limiter("deskwoot|abc|", Limit{Rate: 100, Burst: 5})
	second := c.limiter("deskwoot|abc|", Limit{Rate: 1, Burst: 1}) // stricter: applies to both
	require.Same(t, first, second)
	assert.Contains(t, logs.String(), "the stricter applies to all of them")
	assert.Contains(t, logs.String(), "now=\"1/s burst 1\"")
	release, err := first.Acquire(ctx)
	require.NoError(t, err)
	release()
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = first.Acquire(short)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the first client is paced at 1/s too")

	logs.Reset()
	c.limiter("deskwoot|abc|", Limit{Rate: 50, Burst: 1}) // looser: logged once, ignored
	c.limiter("deskwoot|abc|", Limit{Rate: 50, Burst: 1})
	c.limiter("deskwoot|abc|", Limit{Rate: 1, Burst: 1})
	c.limiter("deskwoot|abc|", Limit{Rate: 50, Burst: 1})
	assert.Equal(t, 1, strings.Count(logs.String(), "looser"), logs.String())
	assert.Equal(t, Limit{Rate: 1, Burst: 1}, first.(*cachedLimiter).box.Load().limit)

	// Caps combine field by field.
	assert.Equal(t, Limit{Rate: 1, Burst: 1, MaxInFlight: 2}, stricter(Limit{Rate: 1, Burst: 1}, Limit{Rate: 2, MaxInFlight: 2}))
	assert.Equal(t, Limit{Rate: 2, Burst: 3, MaxInFlight: 1}, stricter(Limit{MaxInFlight: 1}, Limit{Rate: 2, Burst: 3, MaxInFlight: 4}))
}

// TestManyTenantsMemoryIsBounded touches 100 000 credentials once (as a
// worker serving many tenants does) and measures the heap they hold: the
// figure per tenant (~550 B) is in README.md, "Rate limits". After the TTL
// the sweep frees them.
func TestManyTenantsMemoryIsBounded(t *testing.T) {
	const tenants = 100_000
	c, clock := newCacheClient(t)
	ctx := context.Background()
	deskwoot := PerMinute(60, 1)
	before := heap()
	for i := range tenants {
		lim := c.limiter("deskwoot|"+strconv.FormatInt(int64(i)*7919+1e11, 16)+"|", deskwoot)
		release, err := lim.Acquire(ctx)
		require.NoError(t, err)
		release()
	}
	held := heap() - before
	perTenant := held / tenants
	t.Logf("100k tenants touched once: %d bytes held, %d bytes per tenant", held, perTenant)
	assert.Less(t, perTenant, uint64(1024), "bytes per tenant")

	// Deskwoot's 1/s burst 1 refills within a second of real time.
	time.Sleep(1100 * time.Millisecond)
	clock.advance(2 * time.Minute)
	c.limiter("next", deskwoot)
	assert.Equal(t, 1, c.limiters.len())
	after := heap() - before
	t.Logf("after the TTL: %d bytes held", after)
	assert.Less(t, after, held/10, "the sweep frees them")
	runtime.KeepAlive(c)
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
