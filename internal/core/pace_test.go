package core

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPaceOpenUntilRefused(t *testing.T) {
	var p Pace
	now := int64(1_000_000)
	for range 10 {
		now += 1000
		p.Succeeded(now, 1)
	}
	require.Zero(t, p.Rate, "open until the vendor refuses")
	require.True(t, p.Refused(now, second))
	assert.InDelta(t, 10, p.Rate, 0.1, "first pace: the successes of the last second")
	assert.True(t, p.Slow)
	// Answers to the first burst that arrive during the pause: its size.
	p.Succeeded(now+1000, 2)
	assert.InDelta(t, 12, p.Burst, 1e-9)
	assert.InDelta(t, 12, p.Rate, 1e-9)
	assert.False(t, p.Refused(now+2000, second), "a refusal during the pause says nothing new")
	// Slow start after the pause: each success adds PaceSlowStep.
	now += second + 1000
	p.Succeeded(now, 1)
	assert.InDelta(t, 12+PaceSlowStep, p.Rate, 1e-9)
}

// bucketRun runs paceRun against a token bucket (rate r, burst b) with a
// Retry-After of 1 s.
func bucketRun(r, b float64, seconds int) (Pace, []int, []int) {
	tokens, last := b, int64(1)
	return paceRun(seconds, func(now int64) int64 {
		tokens = min(b, tokens+r*float64(now-last)/second)
		last = now
		if tokens >= 1 {
			tokens--
			return 0
		}
		return second
	})
}

// paceRun sends at the learned pace for seconds, from an open start (a
// burst of 50 requests within a millisecond, then one a millisecond until
// the first refusal). admit answers 0 to accept the request sent at now, or
// the pause its refusal asks for. It returns the pace's state and what was
// accepted and refused per second.
func paceRun(seconds int, admit func(now int64) (pause int64)) (Pace, []int, []int) {
	var p Pace
	ok, refused := make([]int, seconds), make([]int, seconds)
	now, pauseUntil := int64(1), int64(0)
	send := func() {
		i := int(now / second)
		pause := admit(now)
		if pause == 0 {
			ok[i]++
			p.Succeeded(now, 1)
			return
		}
		refused[i]++
		p.Refused(now, pause)
		pauseUntil = max(pauseUntil, now+pause)
	}
	for range 50 {
		send()
		now += 20
	}
	for now < int64(seconds)*second {
		if now < pauseUntil {
			now = pauseUntil
			continue
		}
		send()
		if p.Rate == 0 { // open
			now += 1000
		} else {
			now += int64(float64(second) / p.Rate)
		}
	}
	return p, ok, refused
}

// TestPaceLearnsTokenBuckets learns buckets of several rates and bursts
// on a fake clock: the pace ends within a few per cent under the limit,
// and refusals become rare once it is measured.
func TestPaceLearnsTokenBuckets(t *testing.T) {
	for _, tc := range []struct{ rate, burst float64 }{
		{100, 10}, {100, 1}, {20, 5}, {500, 50}, {5, 1}, {1000, 10},
	} {
		t.Run(fmt.Sprintf("%g/s burst %g", tc.rate, tc.burst), func(t *testing.T) {
			p, ok, refused := bucketRun(tc.rate, tc.burst, 120)
			late, lateRefusals := 0, 0
			for i := 60; i < 120; i++ {
				late += ok[i]
				if refused[i] > 0 {
					lateRefusals++
				}
			}
			t.Logf("pace %.1f, limit measured %.1f; accepted/s %v; refused/s %v", p.Rate, p.Max, ok[:30], refused[:30])
			assert.InDelta(t, tc.rate, p.Max, 0.1*tc.rate, "the limit measured")
			assert.GreaterOrEqual(t, float64(late)/(60*tc.rate), 0.95, "goodput over the last minute")
			assert.LessOrEqual(t, lateRefusals, 3, "refusals in the last minute")
		})
	}
}

// TestPaceProbesAboveTheLimit: after the limit is measured the probe above it
// finds a limit raised to twice as much.
func TestPaceProbesAboveTheLimit(t *testing.T) {
	var p Pace
	now := int64(1)
	p.Succeeded(now, 10)
	p.Refused(now, second)
	now += second
	p.Slow, p.Max, p.K, p.Rate = false, 100, PaceKMax, PaceBeta*100
	start := now
	for p.Rate < 200 && now-start < 300*second {
		p.Succeeded(now, 1)
		now += int64(float64(second) / p.Rate)
	}
	assert.GreaterOrEqual(t, p.Rate, 200.0)
	// 0.03 × ((x − K)/K)³ = 1 at x ≈ 4.2 K: about two minutes.
	assert.Less(t, now-start, int64(150*second), "a doubled limit is reached in about two minutes of sending")
	assert.Greater(t, now-start, int64(PaceKMax*second), "not before the plateau at the measured limit")
}

// windowRun runs paceRun against a fixed window: limit requests per
// window, the rest refused with a Retry-After of the whole seconds left in
// the window (Rails' rack-attack, without rate-limit headers).
func windowRun(limit int, window int64, seconds int) (Pace, []int, []int) {
	cur, used := int64(0), 0
	return paceRun(seconds, func(now int64) int64 {
		if w := now / window; w != cur {
			cur, used = w, 0
		}
		if used < limit {
			used++
			return 0
		}
		left := (cur+1)*window - now
		return (left + second - 1) / second * second
	})
}

// TestPaceLearnsFixedWindows: a fixed window looks to the token-bucket
// bound like a burst and no rate; the pace must not be cut at every window
// (it used to fall to 4 % of the limit), but hold near it.
func TestPaceLearnsFixedWindows(t *testing.T) {
	for _, tc := range []struct {
		limit  int
		window int64
	}{
		{100, second}, {1000, 10 * second}, {50, 10 * second}, {600, 60 * second}, {20, second},
	} {
		t.Run(fmt.Sprintf("%d per %ds", tc.limit, tc.window/second), func(t *testing.T) {
			const seconds = 240
			p, ok, refused := windowRun(tc.limit, tc.window, seconds)
			rate := float64(tc.limit) / float64(tc.window/second)
			late, lateRefusals := 0, 0
			for i := seconds / 2; i < seconds; i++ {
				late += ok[i]
				if refused[i] > 0 {
					lateRefusals++
				}
			}
			t.Logf("pace %.1f, limit measured %.1f; accepted/s %v; refused/s %v", p.Rate, p.Max, ok[:40], refused[:40])
			assert.GreaterOrEqual(t, float64(late)/(float64(seconds/2)*rate), 0.85, "goodput over the second half")
			assert.LessOrEqual(t, lateRefusals, 8, "seconds with refusals in the second half")
		})
	}
}
