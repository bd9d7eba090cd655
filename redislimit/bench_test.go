package redislimit

import (
	"context"
	"net/http"
	"testing"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
)

// BenchmarkAcquire is the per-request cost of a limiter on an uncontended
// key (a rate far above what the loop reaches), against a PING (one round
// trip to the same redis-server) and go-redis/redis_rate's GCRA Allow plus
// the pause check it would need (two round trips).
//
//	cd redislimit && go test -run XXX -bench Acquire -benchtime 20000x
func BenchmarkAcquire(b *testing.B) {
	srv := startRedis(b)
	// ContextTimeoutEnabled, as New recommends.
	rdb := redis.NewClient(&redis.Options{Addr: srv.addr(), ContextTimeoutEnabled: true})
	b.Cleanup(func() { _ = rdb.Close() })
	f, err := New(rdb)
	require.NoError(b, err)
	ctx := context.Background()
	fast := vendorkit.Limit{Rate: 1e6, Burst: 1000}
	b.Run("in-process", func(b *testing.B) {
		lim := vendorkit.NewLimiter(fast, 0)
		for b.Loop() {
			release, _ := lim.Acquire(ctx)
			release()
		}
	})
	b.Run("PING", func(b *testing.B) {
		for b.Loop() {
			rdb.Ping(ctx)
		}
	})
	b.Run("redislimit rate", func(b *testing.B) {
		lim := f.Limiter("bench|rate", fast)
		acquireLoop(b, lim)
	})
	// Default options: go-redis's sockets ignore a context's deadline, so
	// each call runs on a goroutine of its own to be bounded (see New).
	b.Run("redislimit rate, default options", func(b *testing.B) {
		g, err := New(srv.client())
		require.NoError(b, err)
		lim := g.Limiter("bench|rate-default", fast)
		acquireLoop(b, lim)
	})
	b.Run("redislimit open+learning", func(b *testing.B) {
		lim := f.Limiter("bench|open", vendorkit.Limit{})
		lim.Observe(429, http.Header{"Retry-After": {"0"}}, 0) // a learned pace, no pause…
		for range 100_000 {
			lim.Observe(200, nil, 0) // …grown far above the loop's rate
		}
		for b.Loop() {
			release, err := lim.Acquire(ctx)
			if err != nil {
				b.Fatal(err)
			}
			lim.Observe(200, nil, 0)
			release()
		}
	})
	b.Run("redislimit in-flight cap (acquire+release)", func(b *testing.B) {
		lim := f.Limiter("bench|cap", vendorkit.Limit{MaxInFlight: 1})
		acquireLoop(b, lim)
	})
	b.Run("redis_rate Allow + pause GET", func(b *testing.B) {
		rl := redis_rate.NewLimiter(rdb)
		lim := redis_rate.Limit{Rate: 1_000_000, Burst: 1000, Period: 1_000_000_000}
		for b.Loop() {
			if rdb.Get(ctx, "bench|pause").Err() == nil {
				b.Fatal("paused")
			}
			if _, err := rl.Allow(ctx, "bench|redis_rate", lim); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// acquireLoop acquires and releases lim until the benchmark ends.
func acquireLoop(b *testing.B, lim vendorkit.Limiter) {
	ctx := context.Background()
	for b.Loop() {
		release, err := lim.Acquire(ctx)
		if err != nil {
			b.Fatal(err)
		}
		release()
	}
}
