// Package deskwoottest is an in-process fake of the Deskwoot REST API for
// tests: accounts with a plan, scoped tokens (API and MCP bot tokens),
// in-memory conversations, messages, contacts and settings resources with
// cuid-style ids, camelCase JSON and uppercase enums, {"error": …} bodies,
// the documented 60 requests/minute per token (429 + Retry-After), webhook
// deliveries signed like Deskwoot's, and vendorkittest's fault injection and
// request recording.
//
//	srv := deskwoottest.NewServer(t)
//	desk, _ := deskwoot.New(vendorkittest.NewClient(t), srv.Token(),
//		deskwoot.WithBaseURL(srv.URL()),
//		deskwoot.WithRateLimit(0, 0)) // unit tests: skip the client's 1 request/s pacing
//	srv.Inject(vendorkittest.Fault{Status: 503, Times: 1}) // the next request fails once
//
// The client paces itself at the real limit (1 request/s) by default, so a
// test that keeps it either turns client pacing off, as above, or scales
// both sides: deskwoottest.WithRateLimit(6000, 100) with
// deskwoot.WithRateLimit(6000, 10).
//
// Where the docs leave a behaviour open, the fake picks one and says so in
// the comment of the option or method concerned.
package deskwoottest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// Plan is an account's subscription plan. Only Enterprise and the trial
// include the REST API.
type Plan string

// Plans. PlanTrial is the 7-day Enterprise trial every account starts on.
const (
	PlanEnterprise Plan = "ENTERPRISE"
	PlanTrial      Plan = "TRIAL"
	PlanBusiness   Plan = "BUSINESS"
	PlanStartup    Plan = "STARTUP"
)

// Scopes a token may hold.
const (
	ScopeRead               = "read"
	ScopeWrite              = "write"
	ScopeContactsRead       = "contacts:read"
	ScopeContactsWrite      = "contacts:write"
	ScopeConversationsRead  = "conversations:read"
	ScopeConversationsWrite = "conversations:write"
)

// ListShape is how the fake answers lists; Deskwoot's docs show both.
type ListShape int

const (
	// BareArray answers [ … ], as the official JS client expects.
	BareArray ListShape = iota
	// Envelope answers {"data": [ … ], "page", "pageSize", "total"}, as the
	// JS client's type declarations say.
	Envelope
)

// Server is the fake. Its methods are safe for concurrent use; the embedded
// *vendorkittest.Server provides faults (Inject, FailNext, ResetNext) and
// request recording (Requests, Count, LastRequest).
type Server struct {
	*vendorkittest.Server
	limit *vendorkittest.RateLimit

	mu       sync.Mutex
	accounts map[string]*account
	tokens   map[string]*token
	shape    ListShape
	hooks    *vendorkittest.Webhooks

	defaultAccount string
	defaultToken   string
}

type token struct {
	account string
	scopes  map[string]bool
	user    deskwoot.User
	method  string
}

// Option configures NewServer.
type Option func(*config)

type config struct {
	perMinute, burst int
	shape            ListShape
	plan             Plan
}

// WithRateLimit sets the per-token limit: perMinute requests per minute
// with at most burst at once (a token bucket). Default 60/min, burst 60 —
// the documented 60 per minute read as the most a client can get away with;
// a stricter burst makes the fake catch clients that do not pace themselves.
func WithRateLimit(perMinute, burst int) Option {
	return func(c *config) { c.perMinute, c.burst = perMinute, burst }
}

// WithListShape sets how lists are answered (default BareArray).
func WithListShape(s ListShape) Option { return func(c *config) { c.shape = s } }

// WithPlan sets the default account's plan (default PlanEnterprise).
func WithPlan(p Plan) Option { return func(c *config) { c.plan = p } }

// NewServer starts a fake under /api (so its URL() is what WithBaseURL
// takes) with one Enterprise account and a read+write token for it; see
// Token and AccountID. It is closed when the test ends.
func NewServer(t vendorkittest.T, opts ...Option) *Server {
	t.Helper()
	cfg := config{perMinute: deskwoot.DefaultRequestsPerMinute, burst: deskwoot.DefaultRequestsPerMinute, plan: PlanEnterprise}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		Server:   vendorkittest.NewServer(t, "/api"),
		accounts: map[string]*account{},
		tokens:   map[string]*token{},
		shape:    cfg.shape,
		// Deskwoot documents no retries: a non-2xx answer or a failed
		// connection is retried, as most vendors do (an assumption).
		hooks: vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{Vendor: "deskwoot", UserAgent: "Deskwoot-Webhooks (deskwoottest)"}),
	}
	if cfg.perMinute > 0 {
		s.limit = vendorkittest.PerMinute(cfg.perMinute, max(1, cfg.burst), func(r *http.Request) string {
			tok, _ := vendorkittest.BearerToken(r)
			return tok
		})
	}
	s.Use(s.authenticate)
	if s.limit != nil {
		s.Use(s.limit.Middleware(func(w http.ResponseWriter, _ *http.Request) {
			writeError(w, http.StatusTooManyRequests, "Rate limit exceeded: 60 requests per minute per token")
		}))
	}
	s.routes()
	s.defaultAccount = s.AddAccount(cfg.plan)
	s.defaultToken = s.AddToken(s.defaultAccount, ScopeRead, ScopeWrite)
	return s
}

// Token returns the default account's read+write API token.
func (s *Server) Token() string { return s.defaultToken }

// AccountID returns the default account's id.
func (s *Server) AccountID() string { return s.defaultAccount }

// RateLimit returns the server's limiter (nil when turned off), whose
// Refused and Admitted counts tests can read.
func (s *Server) RateLimit() *vendorkittest.RateLimit { return s.limit }

// SetListShape changes how lists are answered.
func (s *Server) SetListShape(shape ListShape) {
	s.mu.Lock()
	s.shape = shape
	s.mu.Unlock()
}

// AddAccount creates an account on plan, with one agent (the token owner)
// and one email inbox, and returns its id. Its webhook secret is random; see
// WebhookSecret.
func (s *Server) AddAccount(plan Plan) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := newAccount(newID(), plan, randomHex(16))
	s.accounts[a.id] = a
	return a.id
}

// SetPlan changes an account's plan.
func (s *Server) SetPlan(accountID string, plan Plan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accounts[accountID]; a != nil {
		a.plan = plan
	}
}

// WebhookSecret returns the secret the account's deliveries are signed with.
// Deskwoot's docs do not say where the key comes from; the fake has one per
// account, as a dashboard-shown secret would be.
func (s *Server) WebhookSecret(accountID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accounts[accountID]; a != nil {
		return a.secret
	}
	return ""
}

// AddToken mints an API token (dw_ + 64 hex digits) for the account with
// the given scopes and returns it.
func (s *Server) AddToken(accountID string, scopes ...string) string {
	return s.addToken("dw_"+randomHex(32), "api_token", accountID, scopes)
}

// AddMCPToken mints an MCP bot token (dw_mcp_…) with the given scopes; it
// authenticates like any other token and acts as the bot.
func (s *Server) AddMCPToken(accountID string, scopes ...string) string {
	return s.addToken("dw_mcp_"+randomHex(24), "mcp_bot_token", accountID, scopes)
}

func (s *Server) addToken(value, method, accountID string, scopes []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[accountID]
	if a == nil {
		panic("deskwoottest: AddToken: unknown account " + accountID)
	}
	t := &token{account: accountID, scopes: map[string]bool{}, method: method}
	for _, sc := range scopes {
		t.scopes[sc] = true
	}
	t.user = deskwoot.User{ID: a.owner.ID, Email: a.owner.Email, Name: a.owner.Name}
	if method == "mcp_bot_token" {
		t.user = deskwoot.User{ID: newID(), Name: "MCP bot"}
	}
	s.tokens[value] = t
	return value
}

// RevokeToken makes a token unknown (401).
func (s *Server) RevokeToken(value string) {
	s.mu.Lock()
	delete(s.tokens, value)
	s.mu.Unlock()
}

type ctxKey struct{}

// caller is what authentication found for a request.
type caller struct {
	tok   *token
	value string
}

// authenticate checks the Bearer token strictly (401) and the account's plan
// (403), then hands the caller to the routes.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		value, ok := vendorkittest.BearerToken(r)
		var tok *token
		var plan Plan
		if ok {
			s.mu.Lock()
			for v, t := range s.tokens {
				if vendorkittest.Equal(v, value) {
					tok = t
				}
			}
			if tok != nil {
				plan = s.accounts[tok.account].plan
			}
			s.mu.Unlock()
		}
		if tok == nil {
			writeError(w, http.StatusUnauthorized, "Invalid or missing API token")
			return
		}
		if plan != PlanEnterprise && plan != PlanTrial {
			writeError(w, http.StatusForbidden, "The REST API requires the Enterprise plan (or the 7-day Enterprise trial)")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, caller{tok: tok, value: value})))
	})
}

// allowed reports whether the token holds scope, where "read" and "write"
// cover every resource and "contacts:…"/"conversations:…" their own.
func (t *token) allowed(scope string) bool {
	if t.scopes[scope] {
		return true
	}
	if _, kind, ok := strings.Cut(scope, ":"); ok {
		return t.scopes[kind]
	}
	return false
}

func writeError(w http.ResponseWriter, status int, msg string) {
	vendorkittest.WriteJSON(w, status, map[string]string{"error": msg})
}

// newID returns a cuid-style id: "c", 24 lowercase base-36 characters
// (a time part, then randomness).
func newID() string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b strings.Builder
	b.WriteString("c")
	ts := time.Now().UnixMilli()
	var tsb [9]byte
	for i := len(tsb) - 1; i >= 0; i-- {
		tsb[i] = alphabet[ts%36]
		ts /= 36
	}
	b.Write(tsb[1:])
	var rnd [16]byte
	_, _ = rand.Read(rnd[:])
	for _, x := range rnd {
		b.WriteByte(alphabet[int(x)%36])
	}
	return b.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

func notFound(w http.ResponseWriter, what string) {
	writeError(w, http.StatusNotFound, fmt.Sprintf("%s not found", what))
}
