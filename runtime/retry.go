package runtime

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff returns the full-jitter wait before retry n (0 for the first retry):
// rand[0,1) × min(max, base × 2^n).
func backoff(base, max time.Duration, n int) time.Duration {
	ceiling := base
	for i := 0; i < n && ceiling < max; i++ {
		ceiling *= 2
	}
	if ceiling > max {
		ceiling = max
	}
	return time.Duration(rand.Float64() * float64(ceiling))
}

// ParseRetryAfter reads a Retry-After header value, in delta-seconds or as an
// HTTP-date relative to now. A negative delay or a date in the past gives 0.
// ok is false when the value is absent or malformed.
func ParseRetryAfter(value string, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0, true
		}
		const maxSecs = int64((1<<63 - 1) / int64(time.Second))
		if secs > maxSecs {
			secs = maxSecs
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}
