// Package redislimit holds vendorkit's rate limits fleet-wide: every process
// whose vendorkit.Client uses a Factory on the same Redis shares one limit
// per vendor credential — the documented rate, the in-flight cap, the
// vendor's pauses and the pace learned for a vendor that publishes no
// numbers.
//
//	rdb := redis.NewUniversalClient(&redis.UniversalOptions{
//		Addrs:                 []string{"localhost:6379"},
//		ContextTimeoutEnabled: true, // sockets honour context deadlines (see New)
//	})
//	limits, err := redislimit.New(rdb, redislimit.WithLogger(slog.Default()))
//	kit, err := vendorkit.New(vendorkit.WithLimiterFactory(limits.Limiter))
//	desk, err := deskwoot.New(kit, token) // 60 requests/minute for the whole fleet
//
// What is shared, per limiter key (vendor, credential fingerprint and the
// vendor's extra key parts; never a secret):
//
//   - a documented rate (vendorkit.Limit.Rate and Burst) as a GCRA limit:
//     Deskwoot's 60 requests/minute per token holds across processes;
//   - an in-flight cap (Limit.MaxInFlight) as a set of leases that expire:
//     Woodpecker's one request at a time per key, with no process able to
//     hold a slot for longer than a lease (WithLease) once it has died;
//   - a vendor's pause: a 429 with Retry-After, or X-RateLimit-Remaining: 0
//     with X-RateLimit-Reset, seen by one process pauses them all; so does
//     a refusal that names no wait (a bare 429, Woodpecker's
//     E_TOO_MANY_REQUESTS), for a second;
//   - for an open Limit (Woofed, Qwoty), the pace learned from the vendor's
//     refusals, with the same algorithm as vendorkit's in-process limiter.
//
// Each Acquire is one round trip to Redis (a Lua script) on its fast path;
// successes are reported with the next Acquire, refusals and pauses at once.
// Redis keys are prefixed "vendorkit:rl:" (WithPrefix), share a hash tag
// per limiter so that Redis Cluster works, and all expire: as soon as they
// hold nothing, or after WithIdleTTL for a learned pace.
//
// When Redis is unreachable or slower than WithTimeout (200 ms: a stalled
// Redis costs a request no more, whatever the client's options), limiters
// fall back to vendorkit's in-process limiter (each process then keeps the
// limit on its own, so a fleet of n may send up to n times it), log it
// once, and go back to Redis when a probe (one call a second) succeeds. No
// request fails because Redis did.
//
// Job queues (Asynq, …): a call refused because the vendor's pause is
// longer than WithMaxPause fails at once with an error matching
// vendorkit.ErrRateLimited whose RetryAfter says when to reschedule.
package redislimit
