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
	for seed := range uint64(5) {
		keys := []string{"{pace" + strconv.FormatUint(seed, 10) + "}t", "{pace}p", "{pace" + strconv.FormatUint(seed, 10) + "}a"}
		next := randomAnswers(seed)
		switch seed {
		case 3:
			next = windowAnswers(10_000)
		case 4:
			next = windowAnswers(1_000)
		}
		var p core.Pace
		cuts := 0
		for i := range 3000 {
			now, succ, limited, pause := next()
			if succ > 0 {
				p.Succeeded(now, float64(succ))
			}
			if limited && p.Refused(now, pause) {
				cuts++
			}
			require.NoError(t, observeScript.Run(ctx, rdb, keys, now, pause, 1, flag(limited), succ, 60_000).Err())
			v, err := rdb.HMGet(ctx, keys[2], "r", "s", "mx", "n", "b", "st", "cn", "k").Result()
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
			want := []float64{p.Rate, slow, p.Max, p.N, p.Burst, float64(p.Start), p.CutN, p.K}
			for j := range want {
				if j == 7 && p.K == 0 {
					continue // K is not set until the slow start ends (the Lua reads it as PaceKMin)
				}
				require.InDelta(t, want[j], got[j], 1e-6*max(1, want[j]), "seed %d step %d field %d: Go %v, Lua %v", seed, i, j, want, got)
			}
		}
		require.Greater(t, cuts, 10, "the sequence exercises the cuts")
	}
}

// randomAnswers returns random answers: successes in batches, refusals
// with pauses, answers that arrive during a pause.
func randomAnswers(seed uint64) func() (now, succ int64, limited bool, pause int64) {
	rng := rand.New(rand.NewPCG(seed, 42))
	now := int64(1_000_000_000)
	return func() (int64, int64, bool, int64) {
		now += 1 + rng.Int64N(30_000)
		succ := int64(rng.IntN(4))
		limited := rng.IntN(60) == 0
		pause := int64(0)
		if limited {
			pause = int64(rng.IntN(3)) * 1_000_000
		}
		return now, succ, limited, pause
	}
}

// windowAnswers returns the answers of a fixed window of 50 requests a
// second, sent gap µs apart; a refusal pauses until the window ends. The
// learned pace leans there on the rate sustained since the last refusal:
// at 10 ms apart, with a bucket bound measured by the marks; at 1 ms, with
// none (the period is shorter than the marks' shortest window).
func windowAnswers(gap int64) func() (now, succ int64, limited bool, pause int64) {
	now, used, cur := int64(1_000_000_000), 0, int64(0)
	return func() (int64, int64, bool, int64) {
		now += gap
		if w := now / 1_000_000; w != cur {
			cur, used = w, 0
		}
		if used < 50 {
			used++
			return now, 1, false, 0
		}
		at := now
		pause := (cur+1)*1_000_000 - at
		now = at + pause - gap // the next request goes as the window ends
		return at, 0, true, pause
	}
}
