package crowtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
)

// Caller calls your API the way Crow does in one auth mode. It sends
// through vendorkit's transport (credential bound to the base URL's origin,
// headers set on a clone of each request), so a non-2xx answer comes back as
// a *vendorkit.APIError with Vendor "crow" and the answer's StatusCode, Body
// and Header: errors.Is(err, vendorkit.ErrUnauthorized) tells that your API
// refused the call.
type Caller struct {
	mode     crow.Mode
	base     string
	endpoint *runtime.Endpoint
}

// CallerOption configures NewCaller.
type CallerOption func(*callerConfig) error

type callerConfig struct {
	kit       *vendorkit.Client
	key       string
	header    string
	secret    string
	identity  crow.Identity
	ttl       time.Duration
	idHeaders crow.IdentityHeaders
}

// WithKit sends through kit (its retry policy, logger, transport). The
// default is a kit that makes one attempt per call and never retries.
func WithKit(kit *vendorkit.Client) CallerOption {
	return func(c *callerConfig) error { c.kit = kit; return nil }
}

// WithKey sets the static credential: the API key (ModeAPIKey), the Bearer
// token (ModeBearer) or the service key (ModeServiceKey).
func WithKey(key string) CallerOption {
	return func(c *callerConfig) error { c.key = key; return nil }
}

// WithAPIKeyHeader sets the header the API key goes in (ModeAPIKey);
// default X-API-Key, as in Crow's dashboard.
func WithAPIKeyHeader(name string) CallerOption {
	return func(c *callerConfig) error { c.header = name; return nil }
}

// WithSecret sets the verification secret identity tokens are minted with
// (ModeJWTForward).
func WithSecret(secret string) CallerOption {
	return func(c *callerConfig) error { c.secret = secret; return nil }
}

// WithIdentity sets the widget user the calls are made for: the claims of
// the forwarded identity token (ModeJWTForward), or the identity headers
// (ModeServiceKey: X-User-ID, X-Email, X-Tenant-ID, X-Product-ID; a header
// whose value is empty is not sent, as Crow does for a claim the token lacks).
func WithIdentity(id crow.Identity) CallerOption {
	return func(c *callerConfig) error { c.identity = id; return nil }
}

// WithTokenTTL sets the lifetime of minted identity tokens; default
// crow.DefaultTokenTTL.
func WithTokenTTL(ttl time.Duration) CallerOption {
	return func(c *callerConfig) error { c.ttl = ttl; return nil }
}

// WithIdentityHeaders renames the identity headers (ModeServiceKey), as the
// dashboard's header mappings can.
func WithIdentityHeaders(h crow.IdentityHeaders) CallerOption {
	return func(c *callerConfig) error { c.idHeaders = h; return nil }
}

// NewCaller returns a Caller for the API at baseURL — the Base URL you
// configure in Crow's dashboard; paths are appended to it exactly as Crow
// does, so a base URL and paths that both carry a prefix reproduce the
// "/api/api/" trap. It needs WithKey in ModeAPIKey, ModeBearer and
// ModeServiceKey, and WithSecret plus WithIdentity (with a UserID) in
// ModeJWTForward, where every attempt forwards a freshly minted token.
func NewCaller(mode crow.Mode, baseURL string, opts ...CallerOption) (*Caller, error) {
	var c callerConfig
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	kit := c.kit
	if kit == nil {
		var err error
		if kit, err = vendorkit.New(vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1})); err != nil {
			return nil, err
		}
	}
	ec := runtime.EndpointConfig{Vendor: "crow", BaseURL: baseURL}
	var err error
	switch mode {
	case crow.ModeAPIKey, crow.ModeBearer, crow.ModeServiceKey:
		if ec.Credential, err = vendorkit.StaticToken(c.key); err != nil {
			return nil, fmt.Errorf("crowtest: %s: WithKey: %w", mode, err)
		}
	case crow.ModeJWTForward:
		if c.secret == "" || c.identity.UserID == "" {
			return nil, fmt.Errorf("crowtest: %w: jwt_forward needs WithSecret and WithIdentity with a UserID", vendorkit.ErrInvalidArgument)
		}
		secret, id, ttl := c.secret, c.identity, c.ttl
		// Probe once so that a bad identity fails here, not on the first call.
		if _, err := crow.MintIdentityToken(secret, id, ttl); err != nil {
			return nil, fmt.Errorf("crowtest: %w", err)
		}
		ec.Credential = vendorkit.CredentialFunc(func(context.Context) (string, error) {
			return crow.MintIdentityToken(secret, id, ttl)
		})
	default:
		return nil, fmt.Errorf("crowtest: %w: unknown mode %q", vendorkit.ErrInvalidArgument, mode)
	}
	switch mode {
	case crow.ModeAPIKey:
		ec.AuthHeader = crow.DefaultAPIKeyHeader
		if c.header != "" {
			ec.AuthHeader = c.header
		}
	case crow.ModeBearer, crow.ModeJWTForward:
		ec.AuthScheme = "Bearer"
	case crow.ModeServiceKey:
		ec.AuthHeader = crow.DefaultServiceKeyHeader
		h := c.idHeaders.WithDefaults()
		ec.Header = http.Header{}
		for name, v := range map[string]string{h.UserID: c.identity.UserID, h.Email: c.identity.Email, h.TenantID: c.identity.TenantID, h.ProductID: c.identity.ProductID} {
			if name != "" && v != "" {
				ec.Header.Set(name, v)
			}
		}
	}
	ep, err := runtime.NewEndpoint(kit, ec)
	if err != nil {
		return nil, fmt.Errorf("crowtest: %w", err)
	}
	return &Caller{mode: mode, base: strings.TrimRight(ep.BaseURL().String(), "/"), endpoint: ep}, nil
}

// Mode returns the caller's auth mode.
func (c *Caller) Mode() crow.Mode { return c.mode }

// Do sends req with the mode's credentials; see Caller.
func (c *Caller) Do(req *http.Request) (*http.Response, error) { return c.endpoint.Do(req) }

// Call sends method base+path with body as JSON (nil: no body) and returns
// the answer of a 2xx call; the caller closes its body.
func (c *Caller) Call(ctx context.Context, method, path string, body any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("crowtest: encoding body: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, fmt.Errorf("crowtest: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	return c.Do(req)
}

// Get is Call with GET and no body.
func (c *Caller) Get(ctx context.Context, path string) (*http.Response, error) {
	return c.Call(ctx, http.MethodGet, path, nil)
}
