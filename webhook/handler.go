package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
)

// Spec is what a vendor package tells the shared handler: how to parse a
// verified body into its events and how to key an event for deduplication.
// Vendor packages build one; consumers use the vendor's NewWebhookHandler.
type Spec[E any] struct {
	// Vendor is the package name ("woofed", "woodpecker", …): it prefixes
	// errors and log lines.
	Vendor string
	// Signed is true when the vendor signs its deliveries: then a handler
	// needs a signature verifier (WithVerifier) unless built with
	// InsecureSkipVerify. Unsigned vendors need a URL secret or Basic auth
	// (WithPathSecret, WithQueryToken, WithBasicAuth) instead.
	Signed bool
	// Parse decodes a verified body into its events (Woodpecker: one per
	// array element). An unknown event name must decode, not fail.
	Parse func(body []byte) ([]E, error)
	// Key is the event's dedupe key; "" means "do not deduplicate this event".
	Key func(E) string
	// Name is the event name, for log lines.
	Name func(E) string
}

// New returns the http.Handler of spec calling fn once per event. See the
// package documentation for the order of checks and the statuses answered.
//
// A handler without any protection (no verifier, secret or Basic auth, and
// no InsecureSkipVerify) is a configuration error: New never panics, but the
// handler it returns logs the error and answers 500 to every delivery, so a
// vendor that retries keeps the events until the configuration is fixed.
func New[E any](spec Spec[E], fn func(context.Context, E) error, opts ...Option) http.Handler {
	c := newConfig(opts)
	h := &handler[E]{spec: spec, fn: fn, cfg: c}
	h.confErr = h.checkConfig()
	if h.confErr != nil {
		c.logger.Error("webhook handler misconfigured: every delivery will be refused with 500",
			"vendor", spec.Vendor, "error", h.confErr.Error())
	}
	return h
}

type handler[E any] struct {
	spec    Spec[E]
	fn      func(context.Context, E) error
	cfg     *config
	confErr error
}

func (h *handler[E]) checkConfig() error {
	switch {
	case h.fn == nil:
		return errors.New("nil event function")
	case h.spec.Parse == nil:
		return errors.New("spec without Parse")
	case h.cfg.insecure:
		return nil
	case h.spec.Signed && len(h.cfg.verifiers) == 0:
		return fmt.Errorf("%s signs its deliveries: configure its signature verifier (or InsecureSkipVerify for tests)", h.spec.Vendor)
	case len(h.cfg.verifiers) == 0 && len(h.cfg.guards) == 0:
		return fmt.Errorf("%s does not sign its deliveries: protect the URL with WithPathSecret, WithQueryToken or WithBasicAuth (or InsecureSkipVerify for tests)", h.spec.Vendor)
	}
	return nil
}

// ServeHTTP checks the request, reads and verifies the body, parses it and
// calls fn once per event.
func (h *handler[E]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	log := h.cfg.logger.With("vendor", h.spec.Vendor)
	if h.confErr != nil {
		h.answer(w, log, http.StatusInternalServerError, "misconfigured", h.confErr)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.answer(w, log, http.StatusMethodNotAllowed, "method not allowed", errors.New(truncate(r.Method, 16)))
		return
	}
	// The URL guards come first: a request without the URL secret learns
	// nothing else about the endpoint.
	for _, g := range h.cfg.guards {
		if err := g.Verify(r, nil); err != nil {
			if errors.Is(err, errBasicAuth) {
				w.Header().Set("WWW-Authenticate", `Basic realm="webhook", charset="UTF-8"`)
			}
			h.answer(w, log, http.StatusUnauthorized, "unauthorized", err)
			return
		}
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		h.answer(w, log, http.StatusUnsupportedMediaType, "unsupported content type", fmt.Errorf("%w: %q", ErrMalformed, truncate(r.Header.Get("Content-Type"), 64)))
		return
	}
	body, err := readBody(w, r, h.cfg.maxBody)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		h.answer(w, log, status, "unreadable body", err)
		return
	}
	for _, v := range h.cfg.verifiers {
		if err := v.Verify(r, body); err != nil {
			h.answer(w, log, http.StatusUnauthorized, "verification failed", err)
			return
		}
	}
	events, err := h.spec.Parse(body)
	if err != nil {
		h.answer(w, log, http.StatusBadRequest, "malformed body", err)
		return
	}
	for i, e := range events {
		status, reason, err := h.deliver(r.Context(), log, e)
		if err != nil {
			h.answer(w, log, status, reason, fmt.Errorf("event %d of %d: %w", i+1, len(events), err))
			return
		}
	}
	log.Debug("webhook delivered", "events", len(events))
	w.WriteHeader(http.StatusOK)
}

// deliver runs fn for one event under the deduper; it returns the status to
// answer when the event was not handled.
func (h *handler[E]) deliver(ctx context.Context, log *slog.Logger, e E) (int, string, error) {
	name := ""
	if h.spec.Name != nil {
		name = h.spec.Name(e)
	}
	key := ""
	if h.spec.Key != nil && h.cfg.deduper != nil {
		key = h.spec.Key(e)
	}
	if key != "" {
		state, err := h.cfg.deduper.Claim(ctx, key)
		if err != nil {
			return http.StatusServiceUnavailable, "deduper failed", err
		}
		switch state {
		case Duplicate:
			log.Info("webhook duplicate skipped", "event", truncate(name, 64), "key", truncate(key, 128))
			return 0, "", nil
		case InFlight:
			return http.StatusServiceUnavailable, "duplicate in flight", fmt.Errorf("event %s is being handled", truncate(key, 128))
		}
	}
	err := h.call(ctx, e)
	if key != "" {
		if ferr := h.cfg.deduper.Finish(ctx, key, err == nil); ferr != nil && err == nil {
			log.Warn("webhook deduper could not record a handled event", "key", truncate(key, 128), "error", ferr.Error())
		}
	}
	if err != nil {
		if errors.Is(err, errPanic) {
			return http.StatusInternalServerError, "event function panicked", err
		}
		return http.StatusInternalServerError, "event function failed", err
	}
	log.Debug("webhook event handled", "event", truncate(name, 64))
	return 0, "", nil
}

var errPanic = errors.New("panic")

// call runs fn, turning a panic into an error.
func (h *handler[E]) call(ctx context.Context, e E) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s", errPanic, truncate(fmt.Sprint(p), 200))
		}
	}()
	return h.fn(ctx, e)
}

// answer writes status with a short plain-text reason and logs it. The log
// line carries no URL (it may hold the URL secret), header or body.
func (h *handler[E]) answer(w http.ResponseWriter, log *slog.Logger, status int, reason string, err error) {
	level := slog.LevelWarn
	if status >= 500 {
		level = slog.LevelError
	}
	log.Log(context.Background(), level, "webhook refused", "status", status, "reason", reason, "error", err.Error())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, reason+"\n")
}

// isJSON accepts application/json and any application/*+json, with
// parameters (charset).
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// readBody reads the whole body, refusing more than limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, fmt.Errorf("%w: no body", ErrMalformed)
	}
	if r.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes announced, limit %d", ErrTooLarge, r.ContentLength, limit)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fmt.Errorf("%w: limit %d bytes", ErrTooLarge, limit)
		}
		return nil, fmt.Errorf("%w: reading body: %v", ErrMalformed, err)
	}
	if len(body) == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrMalformed)
	}
	return body, nil
}

// truncate shortens s to n bytes (on a rune boundary) for log lines.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n] + "…"
}
