package vendorkittest

import (
	"crypto/subtle"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BearerToken returns the token of an "Authorization: Bearer <token>" header
// read strictly, as the vendors' docs write it: exactly one space after
// "Bearer", no quotes, no surrounding whitespace. ok is false otherwise.
func BearerToken(r *http.Request) (token string, ok bool) {
	vals := r.Header.Values("Authorization")
	if len(vals) != 1 {
		return "", false
	}
	tok, found := strings.CutPrefix(vals[0], "Bearer ")
	if !found || tok == "" || strings.TrimSpace(tok) != tok || strings.ContainsAny(tok, " \t\"'") {
		return "", false
	}
	return tok, true
}

// Equal compares two secrets in constant time.
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// RequireBearer returns middleware that passes requests whose Bearer token
// satisfies valid and answers the others with deny.
func RequireBearer(valid func(token string) bool, deny http.HandlerFunc) func(http.Handler) http.Handler {
	return RequireHeader(func(r *http.Request) bool {
		tok, ok := BearerToken(r)
		return ok && valid(tok)
	}, deny)
}

// RequireHeader returns middleware that passes requests accepted by ok and
// answers the others with deny.
func RequireHeader(ok func(*http.Request) bool, deny http.HandlerFunc) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !ok(r) {
				deny(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RateLimit is a token bucket per key that refuses requests over the limit:
// Rate requests per second sustained, Burst at once. Zero RateLimit values
// are not usable; build one with NewRateLimit.
type RateLimit struct {
	rate  float64
	burst float64
	key   func(*http.Request) string
	now   func() time.Time

	mu       sync.Mutex
	buckets  map[string]*bucket
	refused  int
	admitted int
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewRateLimit returns a limit of perSecond requests per second with the
// given burst, counted per key (e.g. the credential); a nil key counts all
// requests together. A perSecond of 0 or less refuses every request beyond
// the burst for good (Retry-After: 3600).
func NewRateLimit(perSecond float64, burst int, key func(*http.Request) string) *RateLimit {
	if key == nil {
		key = func(*http.Request) string { return "" }
	}
	return &RateLimit{rate: perSecond, burst: float64(max(1, burst)), key: key, now: time.Now, buckets: map[string]*bucket{}}
}

// PerMinute returns NewRateLimit(n/60, burst, key).
func PerMinute(n, burst int, key func(*http.Request) string) *RateLimit {
	return NewRateLimit(float64(n)/60, burst, key)
}

// Allow takes a token for r, or reports how long until one is available.
func (l *RateLimit) Allow(r *http.Request) (ok bool, wait time.Duration) {
	k := l.key(r)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[k]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[k] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		l.admitted++
		return true, 0
	}
	l.refused++
	if l.rate <= 0 {
		return false, time.Hour
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// Refused returns how many requests were refused so far.
func (l *RateLimit) Refused() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused
}

// Admitted returns how many requests were let through so far.
func (l *RateLimit) Admitted() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.admitted
}

// Middleware refuses requests over the limit with deny, after setting
// Retry-After (whole seconds, rounded up). A nil deny answers 429 with an
// empty body.
func (l *RateLimit) Middleware(deny http.HandlerFunc) func(http.Handler) http.Handler {
	if deny == nil {
		deny = func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTooManyRequests) }
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ok, wait := l.Allow(r)
			if !ok {
				w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				deny(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
