package vendorkit

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Option configures a Client; see New.
type Option func(*Client) error

// WithHTTPClient makes hc's Transport the base under vendorkit's own (so
// otelhttp, a proxy or a custom TLS setup can be layered), its Timeout, when
// set, the per-attempt timeout, and its CheckRedirect and Jar those of every
// attempt. vendorkit never mutates hc.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return invalidArgf("WithHTTPClient: nil *http.Client")
		}
		if hc.Transport != nil {
			c.kit.Base = hc.Transport
		}
		c.kit.CheckRedirect, c.kit.Jar = hc.CheckRedirect, hc.Jar
		if hc.Timeout > 0 {
			c.retry.AttemptTimeout = hc.Timeout
		}
		return nil
	}
}

// WithTransport makes rt the base RoundTripper under vendorkit's own.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *Client) error {
		if rt == nil {
			return invalidArgf("WithTransport: nil RoundTripper")
		}
		c.kit.Base = rt
		return nil
	}
}

// WithRetry sets the retry policy; zero fields keep their defaults.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxAttempts < 0 {
			return invalidArgf("WithRetry: MaxAttempts %d is negative (1 disables retries)", p.MaxAttempts)
		}
		timeout := c.retry.AttemptTimeout
		c.retry = p.withDefaults()
		if p.AttemptTimeout == 0 && timeout > 0 {
			c.retry.AttemptTimeout = timeout
		}
		return nil
	}
}

// WithLogger sets the logger. Attempts and retries are logged at Debug with
// vendor, method, host, path, status, attempt and wait — never query strings
// or credentials (a credential appears only as its Fingerprint).
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return invalidArgf("WithLogger: nil logger; omit the option for no logging")
		}
		c.kit.Logger = l
		return nil
	}
}

// WithUserAgent sets the User-Agent sent with every request, in front of
// vendorkit's own product token.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		ua = strings.TrimSpace(ua)
		if strings.ContainsAny(ua, "\r\n") {
			return invalidArgf("WithUserAgent: CR or LF in user agent")
		}
		if ua != "" {
			c.kit.UserAgent = ua + " " + defaultUserAgent
		}
		return nil
	}
}

// WithLimiterFactory replaces the in-process rate limiter: newLimiter is
// called once per key (vendor, credential fingerprint and the vendor's extra
// key parts, e.g. a Woodpecker company) with the vendor's documented Limit.
// Package redislimit provides a factory for limits shared across processes.
func WithLimiterFactory(newLimiter func(key string, l Limit) Limiter) Option {
	return func(c *Client) error {
		if newLimiter == nil {
			return errors.New("vendorkit: WithLimiterFactory: nil factory")
		}
		c.newLimiter = newLimiter
		return nil
	}
}

// WithLimiterTTL sets how long the Client keeps the rate limiter of a
// credential that makes no request (default 10 minutes): a worker serving
// many tenants holds limiters only for the recently active ones. A limiter
// is dropped only when nothing remains to remember — no request in flight,
// no vendor pause running, its burst refilled — except the pace learned
// for a vendor with no documented limit, which is learned again.
func WithLimiterTTL(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return invalidArgf("WithLimiterTTL: %s is not positive", d)
		}
		c.limiters.ttl = d
		return nil
	}
}

// WithWaitScale multiplies every wait the client would sleep — backoff,
// Retry-After, pauses after rate-limit answers and the adaptive pace they
// start (not the steady pacing of a documented rate) — by f. Tests use 0 to run retries without sleeping
// (vendorkittest.NoSleep); production code has no reason to set it.
func WithWaitScale(f float64) Option {
	return func(c *Client) error {
		if f < 0 {
			return invalidArgf("WithWaitScale: negative factor")
		}
		c.kit.WaitScale = f
		return nil
	}
}
