package vendorkit

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vendorkit/vendorkit/internal/core"
)

const defaultUserAgent = "vendorkit-go/0.1"

// Client is the shared core under every vendor client: one connection pool,
// one retry policy, one logger, and the rate-limit and retry-budget state of
// every vendor client built on it. Build one per process (or per tenant
// group) and derive cheap vendor clients from it, e.g. one per job:
//
//	kit, err := vendorkit.New(vendorkit.WithLogger(slog.Default()))
//	crm, err := woofed.New(kit, token)
//
// A Client is safe for concurrent use. Clients built on one Client share its
// limiter state; separate Clients do not.
type Client struct {
	kit   core.Kit    // what endpoints share: transport, logger, budgets, limiter cache
	retry RetryPolicy // the effective policy

	newLimiter func(key string, l Limit) Limiter
	limiters   limiterCache
}

func init() {
	core.KitOf = func(kit any) *core.Kit { return &kit.(*Client).kit }
}

// New returns a Client configured by opts. With no options it uses its own
// pooled transport, DefaultRetryPolicy and no logging.
func New(opts ...Option) (*Client, error) {
	c := &Client{retry: DefaultRetryPolicy()}
	c.kit.UserAgent, c.kit.WaitScale = defaultUserAgent, 1
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.kit.Base == nil {
		c.kit.Base, c.kit.OwnBase = newPooledTransport(c.retry.AttemptTimeout), true
	}
	if c.kit.Logger == nil {
		c.kit.Logger = slog.New(slog.DiscardHandler)
	}
	if c.newLimiter == nil {
		c.newLimiter = func(_ string, l Limit) Limiter { return newLocalLimiter(l, c.kit.ScaleWait, c.retry.MaxRetryAfter) }
	}
	c.kit.BudgetSize = c.retry.Budget
	c.kit.Limiter = func(key string, l core.Limit) core.Limiter { return c.limiter(key, Limit(l)) }
	return c, nil
}

var defaultClient = sync.OnceValue(func() *Client {
	c, err := New()
	if err != nil {
		panic("vendorkit: default client: " + err.Error()) // unreachable: New() without options cannot fail
	}
	return c
})

// Default returns the package-level Client used when a vendor New is given a
// nil *Client.
func Default() *Client { return defaultClient() }

// CloseIdleConnections closes the idle connections of the client's
// transport (vendorkit's own, or the one given with WithHTTPClient or
// WithTransport when it has that method); connections in use are not
// interrupted. A Client needs no closing: it holds no goroutine of its own,
// and the connections of its pool close themselves once idle for
// RetryPolicy.AttemptTimeout after their last request (90 s on a transport
// of your own). Call it when a process drops a Client it will not use again,
// or before a test's leak check.
func (c *Client) CloseIdleConnections() {
	if c == nil {
		c = Default()
	}
	if ci, ok := c.kit.Base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// RetryPolicy returns the client's effective retry policy.
func (c *Client) RetryPolicy() RetryPolicy {
	if c == nil {
		c = Default()
	}
	return c.retry
}

// newPooledTransport is http.DefaultTransport's setup with a pool sized for
// many concurrent jobs against a few vendor hosts, whose connections bound
// each exchange by stall (the per-attempt timeout on vendorkit's own
// transport; see progressConn).
func newPooledTransport(stall time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil || stall <= 0 {
				return conn, err
			}
			// A connection dialled for a request that another connection
			// then served sits idle, never written to: without this deadline
			// it would live IdleConnTimeout (90 s) past the attempt timeout.
			if err := conn.SetDeadline(time.Now().Add(stall)); err != nil {
				_ = conn.Close()
				return nil, err
			}
			return &progressConn{Conn: conn, stall: stall}, nil
		},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// limiter returns the shared limiter for key, creating it with l; see
// limiterCache for eviction and for a Limit that differs from the first.
func (c *Client) limiter(key string, l Limit) Limiter { return c.limiters.get(c, key, l) }

// RetryBudget returns the retry tokens left for vendor, for metrics and tests.
func (c *Client) RetryBudget(vendor string) int {
	if c == nil {
		c = Default()
	}
	return c.kit.Budget(vendor).Tokens()
}

// progressConn is the per-attempt timeout of vendorkit's own transport: each
// write of a request moves the connection's read and write deadlines to
// stall from now, so sending the request, waiting for the answer and reading
// its body must all be done within stall of the last write — as with
// http.Client.Timeout, but by moving the deadline of the connection's
// existing poller timer, which costs far less than the context and timer
// per request that a caller's transport needs (see bench/README.md). An
// idle pooled connection whose background read reaches the deadline is
// closed, and a new one is dialled when next needed.
//
// The deadline is kept to within 1/64 of stall (30 s: 0.47 s): a write
// moves it only when it would move by more than that, so a busy
// connection's requests spare the two timer updates most of the time
// (about 1.5 % of a loopback GET on this project's machine, bench/README.md
// §1b), and every write still has at least 63/64 of stall.
type progressConn struct {
	net.Conn
	stall time.Duration
	until atomic.Int64 // the deadline set last, in Unix ns
}

// Write moves both deadlines: the read that waits for the answer may have
// started long before, while the connection sat idle in the pool.
func (c *progressConn) Write(p []byte) (int, error) {
	d := time.Now().Add(c.stall)
	if n := d.UnixNano(); n-c.until.Load() > int64(c.stall/64) {
		if err := c.Conn.SetDeadline(d); err != nil {
			return 0, err
		}
		c.until.Store(n)
	}
	return c.Conn.Write(p)
}
