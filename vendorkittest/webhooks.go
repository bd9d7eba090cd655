package vendorkittest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/vendorkit/vendorkit/runtime"
)

// RetryRule says which failed attempts a fake retries, as its vendor does.
type RetryRule int

const (
	// RetryOnFailure retries a non-2xx answer and a failed connection
	// (Woodpecker, Qwoty, and Deskwoot by assumption).
	RetryOnFailure RetryRule = iota
	// RetryOnConnectionError retries only a failed connection: an HTTP
	// error answer ends the delivery (Woofed: Faraday without raise_error
	// inside a Sidekiq job).
	RetryOnConnectionError
)

// WebhookConfig configures a fake's webhook sender.
type WebhookConfig struct {
	// Vendor names the fake in errors and the default User-Agent.
	Vendor string
	// UserAgent of the deliveries (default "<Vendor>-webhooks (vendorkittest)").
	UserAgent string
	// Retry is when to retry (RetryOnFailure by default).
	Retry RetryRule
	// MaxAttempts bounds the attempts of one delivery (default 5).
	MaxAttempts int
	// Backoff is the wait before attempt n+1 after attempt n failed
	// (default 5 ms × 2^(n-1): exponential like the vendors, but test-fast).
	Backoff func(n int) time.Duration
	// Timeout of one attempt (default 5 s).
	Timeout time.Duration
	// Stop, when set, ends a delivery after an answer with this status
	// without retrying, and reports it (Woodpecker: 310 and 410
	// unsubscribe).
	Stop func(status int) bool
}

// Attempt is one POST of a delivery.
type Attempt struct {
	// StatusCode is the receiver's answer; 0 when the request failed.
	StatusCode int
	// Err is the failure of the request, if any.
	Err error
	// Header holds the request's headers (signatures included).
	Header http.Header
}

// WebhookDelivery is one webhook a fake sent (with its retries).
type WebhookDelivery struct {
	URL string
	// Event names the event (for Woodpecker, the batch's method).
	Event string
	Body  []byte
	// Attempts, in order; the last one decided the outcome.
	Attempts []Attempt
	// Delivered is true when an attempt got a 2xx answer.
	Delivered bool
	// Stopped is true when WebhookConfig.Stop ended the delivery.
	Stopped bool
}

// StatusCode returns the last attempt's status (0 when it failed).
func (d WebhookDelivery) StatusCode() int {
	if len(d.Attempts) == 0 {
		return 0
	}
	return d.Attempts[len(d.Attempts)-1].StatusCode
}

// Err returns the last attempt's error.
func (d WebhookDelivery) Err() error {
	if len(d.Attempts) == 0 {
		return nil
	}
	return d.Attempts[len(d.Attempts)-1].Err
}

// Webhooks sends a fake's webhook deliveries: POSTs to loopback receivers
// only (a fake never sends traffic off the machine), each attempt signed
// afresh, retried by the vendor's rule with a short backoff, and recorded.
// Deliveries are synchronous: Send returns when the delivery succeeded or
// gave up. Its methods are safe for concurrent use.
type Webhooks struct {
	cfg    WebhookConfig
	client *http.Client

	mu         sync.Mutex
	deliveries []WebhookDelivery
}

// NewWebhooks returns a sender configured by cfg.
func NewWebhooks(cfg WebhookConfig) *Webhooks {
	if cfg.UserAgent == "" {
		cfg.UserAgent = cfg.Vendor + "-webhooks (vendorkittest)"
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.Backoff == nil {
		cfg.Backoff = func(n int) time.Duration { return 5 * time.Millisecond << min(n-1, 10) }
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	return &Webhooks{cfg: cfg, client: &http.Client{
		// Vendors do not follow redirects on deliveries.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DisableKeepAlives: true},
	}}
}

// SetRetry changes the attempt bound and the backoff (nil keeps it), e.g.
// to test a receiver that stays down.
func (w *Webhooks) SetRetry(maxAttempts int, backoff func(n int) time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if maxAttempts > 0 {
		w.cfg.MaxAttempts = maxAttempts
	}
	if backoff != nil {
		w.cfg.Backoff = backoff
	}
}

// Sign sets an attempt's signature headers; attempt counts from 1.
type Sign func(h http.Header, body []byte, attempt int)

// Send delivers body to target as a JSON POST, calling sign (may be nil)
// before each attempt, and records the delivery.
func (w *Webhooks) Send(target, event string, body []byte, sign Sign) WebhookDelivery {
	w.mu.Lock()
	cfg := w.cfg
	w.mu.Unlock()
	d := WebhookDelivery{URL: target, Event: event, Body: slices.Clone(body)}
	u, err := url.Parse(target)
	if err != nil || !runtime.IsLoopback(u.Hostname()) {
		d.Attempts = append(d.Attempts, Attempt{Err: fmt.Errorf("%stest: not delivering to %q: fakes deliver to loopback hosts only", cfg.Vendor, target)})
		w.record(d)
		return d
	}
	for n := 1; n <= cfg.MaxAttempts; n++ {
		if n > 1 {
			time.Sleep(cfg.Backoff(n - 1))
		}
		a := w.attempt(cfg, target, body, sign, n)
		d.Attempts = append(d.Attempts, a)
		switch {
		case a.Err == nil && a.StatusCode/100 == 2:
			d.Delivered = true
		case a.Err == nil && cfg.Stop != nil && cfg.Stop(a.StatusCode):
			d.Stopped = true
		case a.Err == nil && cfg.Retry == RetryOnConnectionError:
		default:
			continue
		}
		break
	}
	w.record(d)
	return d
}

func (w *Webhooks) attempt(cfg WebhookConfig, target string, body []byte, sign Sign, n int) Attempt {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return Attempt{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", cfg.UserAgent)
	if sign != nil {
		sign(req.Header, body, n)
	}
	a := Attempt{Header: req.Header.Clone()}
	resp, err := w.client.Do(req)
	if err != nil {
		a.Err = err
		return a
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	a.StatusCode = resp.StatusCode
	return a
}

func (w *Webhooks) record(d WebhookDelivery) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.deliveries = append(w.deliveries, d)
}

// Deliveries returns the deliveries made so far, oldest first.
func (w *Webhooks) Deliveries() []WebhookDelivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.deliveries)
}
