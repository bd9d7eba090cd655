package deskwoot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
	"github.com/vendorkit/vendorkit/internal/baseurl"
	"github.com/vendorkit/vendorkit/internal/setup"
	"github.com/vendorkit/vendorkit/internal/wire"
)

// DefaultBaseURL is Deskwoot's API root. The docs write the base URL as
// https://deskwoot.com/api/v1/; WithBaseURL accepts that form, this one, or a
// bare origin.
const DefaultBaseURL = "https://deskwoot.com/api"

// DefaultRequestsPerMinute is Deskwoot's documented rate limit: 60 requests
// per minute per token.
const DefaultRequestsPerMinute = 60

// DefaultLimit returns the client-side pacing used unless WithRateLimit says
// otherwise: one request per second with a burst of 1. A token bucket of rate
// r and burst b admits at most b + 60r − 1 requests in any 60-second window,
// so at r = 1/s only b = 1 keeps every window — fixed minutes or sliding — at
// or under 60; it also never outruns a server-side token bucket of 60/min.
func DefaultLimit() vendorkit.Limit { return vendorkit.PerMinute(DefaultRequestsPerMinute, 1) }

// Client is a Deskwoot REST client for one token. It is cheap to build (no
// goroutines, no I/O) and safe for concurrent use; clients built on one
// *vendorkit.Client with the same token share one rate limiter.
type Client struct {
	wire.Printable // renders without the credential
	ep             *runtime.Endpoint
	api            *api.Client
	account        accountCache
}

// Option configures a Client; see New.
type Option func(*settings) error

type settings struct {
	baseURL    string
	accountID  string
	limit      vendorkit.Limit
	credential vendorkit.Credential
}

// WithBaseURL sets the API root: a bare origin (https://desk.example.com,
// for a fake or a self-hosted install), https://deskwoot.com/api, or the
// documented https://deskwoot.com/api/v1/. A URL ending in
// /v1/accounts/{accountId} also sets the account, which must then agree with
// WithAccountID. The path prefix is never doubled.
func WithBaseURL(raw string) Option {
	return func(s *settings) error {
		s.baseURL = raw
		return nil
	}
}

// WithAccountID sets the account (its cuid, e.g. "cmabc…") that
// account-scoped calls use. Without it the account is the one GET /v1/me
// reports for the token, looked up on first use and cached.
func WithAccountID(id string) Option {
	return func(s *settings) error {
		id = strings.TrimSpace(id)
		if err := checkID("account id", id); err != nil {
			return err
		}
		s.accountID = id
		return nil
	}
}

// WithRateLimit paces requests at perMinute requests per minute with the
// given burst, in place of DefaultLimit() (60/min, burst 1). Use it when your
// account has another limit, or with 0 to turn client-side pacing off (for
// instance when a shared limiter such as redislimit paces elsewhere). A 429
// is retried with backoff either way. The limiter is shared by every client
// of one *vendorkit.Client and token: the first client built sets its limit.
func WithRateLimit(perMinute, burst int) Option {
	return func(s *settings) error {
		switch {
		case perMinute < 0 || burst < 0:
			return fmt.Errorf("deskwoot: WithRateLimit: %w: negative rate or burst", vendorkit.ErrInvalidArgument)
		case perMinute == 0:
			s.limit = vendorkit.Limit{}
		default:
			s.limit = vendorkit.PerMinute(perMinute, max(1, burst))
		}
		return nil
	}
}

// WithCredential makes c the source of the token, asked again on every
// attempt (for rotation); New's token argument must then be "".
func WithCredential(c vendorkit.Credential) Option {
	return func(s *settings) error {
		s.credential = c
		return setup.CheckCredential(c)
	}
}

// accountInURL matches a base URL that names an account.
var accountInURL = regexp.MustCompile(`/v1/accounts/([^/]+)/?$`)

// New returns a client for token (an API token dw_… or an MCP bot token
// dw_mcp_…; both are sent as "Authorization: Bearer <token>"). A nil kit
// means vendorkit.Default(). Errors wrap vendorkit.ErrInvalidArgument or
// vendorkit.ErrInsecureURL; New makes no request.
func New(kit *vendorkit.Client, token string, opts ...Option) (*Client, error) {
	s := settings{baseURL: DefaultBaseURL, limit: DefaultLimit()}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	cred, err := setup.Credential(token, s.credential, "Bearer")
	if err != nil {
		return nil, fmt.Errorf("deskwoot: %w", err)
	}
	raw := strings.TrimSpace(s.baseURL)
	if m := accountInURL.FindStringSubmatchIndex(raw); m != nil {
		id, err := url.PathUnescape(raw[m[2]:m[3]])
		if err != nil || checkID("account id", id) != nil {
			return nil, fmt.Errorf("deskwoot: %w: base URL names an invalid account id", vendorkit.ErrInvalidArgument)
		}
		if s.accountID != "" && s.accountID != id {
			return nil, fmt.Errorf("deskwoot: %w: base URL names account %q but WithAccountID says %q", vendorkit.ErrInvalidArgument, id, s.accountID)
		}
		s.accountID = id
		raw = raw[:m[0]] + "/v1"
	}
	base, err := baseurl.Resolve(raw, "/api", "/api/v1")
	if err != nil {
		return nil, fmt.Errorf("deskwoot: %w", err)
	}
	ep, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{
		Vendor:     "deskwoot",
		BaseURL:    base.String(),
		Credential: cred,
		AuthScheme: "Bearer",
		Decode:     decodeError,
		Limit:      s.limit,
	})
	if err != nil {
		return nil, err
	}
	client, err := api.NewClient(base.String(), api.WithHTTPClient(ep))
	if err != nil {
		return nil, fmt.Errorf("deskwoot: %w: %v", vendorkit.ErrInvalidArgument, err)
	}
	c := &Client{Printable: wire.NewPrintable("deskwoot", ep), ep: ep, api: client}
	c.account.init(s.accountID)
	return c, nil
}

// BaseURL returns the API root the client sends requests to (ending in /api).
func (c *Client) BaseURL() string { return c.ep.BaseURL().String() }

// Me returns the token's user, account(s), auth method and scopes
// (GET /v1/me). When no account was configured, the first successful Me also
// fixes the account used by account-scoped calls.
func (c *Client) Me(ctx context.Context) (Me, error) {
	ctx = runtime.WithOperation(ctx, "Me")
	me, err := decodeOne("Me", meFrom)(c.client().GetMe(ctx))
	if err != nil {
		return Me{}, err
	}
	if me.AccountID != "" {
		c.account.offer(me.AccountID)
	}
	return me, nil
}

// AccountID returns the account that account-scoped calls use: the one set
// by WithAccountID (or the base URL), else the one GET /v1/me reports, looked
// up once and cached. A failed lookup is not cached.
func (c *Client) AccountID(ctx context.Context) (string, error) {
	ctx = runtime.WithOperation(ctx, "AccountID")
	id, err := c.accountID(ctx)
	if err != nil {
		return "", fail("AccountID", err)
	}
	return id, nil
}

func (c *Client) accountID(ctx context.Context) (string, error) {
	if c == nil || c.api == nil {
		return "", notBuilt.Err()
	}
	id, err := c.account.get(ctx, func(ctx context.Context) (string, error) {
		me, err := wire.Decode[api.Me](c.client().GetMe(ctx))
		if err != nil {
			return "", err
		}
		if me.AccountID == "" {
			return "", fmt.Errorf("GET /v1/me named no account")
		}
		return me.AccountID, nil
	})
	if err != nil {
		return "", fmt.Errorf("deskwoot: resolving the account from /v1/me: %w", err)
	}
	return id, nil
}

// accountCache holds the account id. Lookups are serialised by a one-slot
// semaphore (not a mutex) so that a waiting caller can still give up when its
// context ends; nothing runs in the background.
type accountCache struct {
	sem   chan struct{}
	fixed bool
	id    string // guarded by sem once the client is shared
}

func (a *accountCache) init(id string) {
	a.sem = make(chan struct{}, 1)
	a.id = id
	a.fixed = id != ""
}

func (a *accountCache) get(ctx context.Context, lookup func(context.Context) (string, error)) (string, error) {
	if a.fixed {
		return a.id, nil
	}
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-a.sem }()
	if a.id != "" {
		return a.id, nil
	}
	id, err := lookup(ctx)
	if err != nil {
		return "", err
	}
	a.id = id
	return id, nil
}

// offer records id when no account is known yet, without waiting.
func (a *accountCache) offer(id string) {
	if a.fixed {
		return
	}
	select {
	case a.sem <- struct{}{}:
		if a.id == "" {
			a.id = id
		}
		<-a.sem
	default:
	}
}

// fail names the facade operation on err (see wire.Fail).
func fail(op string, err error) error { return wire.Fail("deskwoot", op, err) }

// checkID rejects an id that cannot be one path segment (see wire.CheckID).
func checkID(what, id string) error { return wire.CheckID(what, id) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// argErr is an error raised before sending: it wraps ErrInvalidArgument.
func argErr(op, format string, args ...any) error {
	return fmt.Errorf("deskwoot: %s: %w: "+format, append([]any{op, vendorkit.ErrInvalidArgument}, args...)...)
}

// ids checks ids before a request is built.
func ids(op string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := checkID(pairs[i], pairs[i+1]); err != nil {
			return fmt.Errorf("deskwoot: %s: %w", op, err)
		}
	}
	return nil
}

// notBuilt and unbuilt serve the calls of a nil or zero Client: each fails
// with an error that says to use New.
const notBuilt = wire.NotBuilt("deskwoot")

var unbuilt, _ = api.NewClient("http://unbuilt.invalid", api.WithHTTPClient(notBuilt))

// client returns the generated client c sends through, or unbuilt.
func (c *Client) client() *api.Client {
	if c == nil || c.api == nil {
		return unbuilt
	}
	return c.api
}

// get sends a GET for the base URL followed by segments, built from the
// parsed base URL (wire.Get) instead of by the generated client.
func (c *Client) get(ctx context.Context, segments ...string) (*http.Response, error) {
	var ep *runtime.Endpoint
	if c != nil {
		ep = c.ep
	}
	return wire.Get(ctx, ep, notBuilt, "", segments...)
}

// scoped resolves the account for an account-scoped operation.
func (c *Client) scoped(ctx context.Context, op string) (string, error) {
	id, err := c.accountID(ctx)
	if err != nil {
		return "", fail(op, err)
	}
	return id, nil
}

// noContent discards a success body that carries nothing the caller needs.
func noContent(resp *http.Response, err error) error { return wire.Discard(resp, err) }
