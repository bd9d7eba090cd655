package redislimit

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/internal/core"
)

// TestPaceMatchesLua drives the in-process learned pace (core.Pace) and
// the scripts' (paceLua) with the same answers — successes in batches, as
// Acquire records them, refusals with pauses, answers that arrive during a
// pause — and requires the same state after each: the fleet learns as one
// process does.
func TestPaceMatchesLua(t *testing.T) {
	srv := startRedis(t)
	rdb := srv.client()
	ctx := context.Background()
	for seed := range uint64(3) {
		keys := []string{"{pace" + strconv.FormatUint(seed, 10) + "}t", "{pace}p", "{pace" + strconv.FormatUint(seed, 10) + "}a"}
		rng := rand.New(rand.NewPCG(seed, 42))
		var p core.Pace
		now := int64(1_000_000_000)
		cuts := 0
		for i := range 3000 {
			now += 1 + rng.Int64N(30_000)
			succ := int64(rng.IntN(4))
			limited := rng.IntN(60) == 0
			pause := int64(0)
			if limited {
				pause = int64(rng.IntN(3)) * 1_000_000
			}
			if succ > 0 {
				p.Succeeded(now, float64(succ))
			}
			if limited && p.Refused(now, pause) {
				cuts++
			}
			require.NoError(t, observeScript.Run(ctx, rdb, keys, now, pause, 1, flag(limited), succ, 60_000).Err())
			v, err := rdb.HMGet(ctx, keys[2], "r", "s", "mx", "n", "b", "st").Result()
			require.NoError(t, err)
			got := make([]float64, len(v))
			for j, x := range v {
				if x == nil {
					continue
				}
				got[j], err = strconv.ParseFloat(x.(string), 64)
				require.NoError(t, err)
			}
			slow := 0.0
			if p.Slow {
				slow = 1
			}
			want := []float64{p.Rate, slow, p.Max, p.N, p.Burst, float64(p.Start)}
			for j := range want {
				require.InDelta(t, want[j], got[j], 1e-6*max(1, want[j]), "seed %d step %d field %d: Go %v, Lua %v", seed, i, j, want, got)
			}
		}
		require.Greater(t, cuts, 10, "the sequence exercises the cuts")
	}
}
