// Package vendorkittest holds the building blocks of vendorkit's fake vendor
// servers, public so that consumers can build fakes of their own: an httptest
// server whose routes live under a path prefix (a request that escapes it
// fails the test), credential checks, a token-bucket rate limit that answers
// 429 with Retry-After, fault injection (error statuses, connection resets,
// delays, truncated and slow bodies), request recording, and a client option
// that removes retry sleeps.
//
// A vendor fake (woofedtest, woodpeckertest, …) embeds *Server:
//
//	srv := vendorkittest.NewServer(t, "/api/v1/accounts/1")
//	srv.Use(vendorkittest.RequireBearer(func(tok string) bool { return tok == "secret" }, unauthorized))
//	srv.HandleFunc("GET /contacts/{id}", getContact)
//	kit := vendorkittest.NewClient(t)
//	crm, _ := woofed.New(kit, "secret", woofed.WithBaseURL(srv.URL()))
package vendorkittest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/vendorkit/vendorkit"
)

// Server is an httptest server with a path-prefixed mux, middleware, fault
// injection and request recording. Its methods are safe for concurrent use.
type Server struct {
	t      T
	srv    *httptest.Server
	prefix string
	mux    *http.ServeMux

	mu       sync.Mutex
	mws      []func(http.Handler) http.Handler
	handler  http.Handler // mux wrapped in mws; rebuilt by Use
	requests []Request
	faults   []*Fault
}

// Request is one recorded request.
type Request struct {
	Method   string
	Path     string // without the query string
	RawQuery string
	Header   http.Header
	Body     []byte
	Time     time.Time
}

// NewServer starts a server whose routes live under prefix ("" or "/" for the
// root, else e.g. "/api/v1"). It is closed when the test ends. A request
// outside the prefix fails the test and gets 404: a client that builds a
// wrong URL is caught instead of silently hitting a catch-all.
func NewServer(t T, prefix string) *Server {
	t.Helper()
	prefix = "/" + strings.Trim(prefix, "/")
	if prefix == "/" {
		prefix = ""
	}
	s := &Server{t: t, prefix: prefix, mux: http.NewServeMux()}
	s.handler = s.mux
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Close shuts the server down; NewServer registers it with t.Cleanup.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// URL returns the base URL: origin plus prefix, e.g. http://127.0.0.1:1234/api.
func (s *Server) URL() string { return s.srv.URL + s.prefix }

// Origin returns scheme://host:port, without the prefix.
func (s *Server) Origin() string { return s.srv.URL }

// Prefix returns the path prefix the routes live under.
func (s *Server) Prefix() string { return s.prefix }

// HandleFunc registers h for a net/http pattern relative to the prefix,
// e.g. "GET /contacts/{id}".
func (s *Server) HandleFunc(pattern string, h http.HandlerFunc) {
	s.Handle(pattern, h)
}

// Handle registers h for a net/http pattern relative to the prefix.
func (s *Server) Handle(pattern string, h http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	full := s.prefix + path
	if method != "" {
		full = method + " " + full
	}
	s.mux.Handle(full, h)
}

// Use adds middleware around every route (not around fault injection and
// recording, which run first). The first added runs outermost.
func (s *Server) Use(mw func(http.Handler) http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mws = append(s.mws, mw)
	var h http.Handler = s.mux
	for i := len(s.mws) - 1; i >= 0; i-- {
		h = s.mws[i](h)
	}
	s.handler = h
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.prefix != "" && r.URL.Path != s.prefix && !strings.HasPrefix(r.URL.Path, s.prefix+"/") {
		s.t.Errorf("vendorkittest: request %s %s escapes the prefix %q", r.Method, r.URL.Path, s.prefix)
		http.Error(w, "outside the fake's prefix", http.StatusNotFound)
		return
	}
	body, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
		Time:     time.Now(),
	})
	f := s.takeFault(r)
	h := s.handler
	s.mu.Unlock()
	if f != nil {
		f.serve(w, r, h)
		return
	}
	h.ServeHTTP(w, r)
}

// Requests returns the requests recorded so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// LastRequest returns the latest recorded request; ok is false when there
// is none.
func (s *Server) LastRequest() (r Request, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == 0 {
		return Request{}, false
	}
	return s.requests[len(s.requests)-1], true
}

// Count returns how many recorded requests have method and path (relative to
// the prefix); an empty method or path matches any.
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "" || r.Method == method) && (path == "" || r.Path == s.prefix+path) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ReadJSON decodes the request body into v, reporting whether it was valid JSON.
func ReadJSON(r *http.Request, v any) bool {
	return json.NewDecoder(r.Body).Decode(v) == nil
}

// NoSleep returns a vendorkit option that removes retry waits (backoff,
// Retry-After and the pause after a 429), so that retry tests run fast while
// every other part of the retry logic runs for real.
func NoSleep() vendorkit.Option { return vendorkit.WithWaitScale(0) }

// NewClient returns a *vendorkit.Client for tests: retry waits removed
// (NoSleep) plus opts.
func NewClient(t T, opts ...vendorkit.Option) *vendorkit.Client {
	t.Helper()
	c, err := vendorkit.New(append([]vendorkit.Option{NoSleep()}, opts...)...)
	if err != nil {
		t.Fatalf("vendorkittest: %v", err)
	}
	return c
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
