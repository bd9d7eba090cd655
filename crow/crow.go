package crow

import (
	"context"
	"fmt"
	"net/http"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow/internal/api"
	"github.com/vendorkit/vendorkit/internal/baseurl"
	"github.com/vendorkit/vendorkit/internal/setup"
	"github.com/vendorkit/vendorkit/internal/wire"
)

// DefaultBaseURL is the base URL of Crow's management API, as Crow's docs
// write it.
const DefaultBaseURL = "https://api.usecrow.org/api"

// apiPrefix is the path every Crow management route lives under.
const apiPrefix = "/api"

// API is the set of endpoint-configs operations *Client implements. It
// exists so that code using the client can be tested with a mock or a
// hand-written fake; crowtest provides a fake server instead, which runs the
// real client, retries and error decoding.
type API interface {
	ListEndpointConfigs(ctx context.Context, productID string) (map[string]EndpointConfig, error)
	MergeEndpointConfigs(ctx context.Context, productID string, configs map[string]EndpointConfig) (MergeResult, error)
	ReplaceEndpointConfigs(ctx context.Context, productID string, configs map[string]EndpointConfig) error
	PutEndpointConfig(ctx context.Context, productID, key string, cfg EndpointConfig) error
	DeleteEndpointConfig(ctx context.Context, productID, key string) error
}

var _ API = (*Client)(nil)

// Client calls Crow's endpoint-configs API. Build it with New; it is cheap
// to build (no goroutines, no I/O) and safe for concurrent use.
type Client struct {
	wire.Printable // renders without the credential
	endpoint       *runtime.Endpoint
	api            *api.Client
	base           string
}

// Option configures New.
type Option func(*config) error

type config struct {
	baseURL    string
	header     string
	scheme     string
	headerSet  bool
	credential vendorkit.Credential
}

// WithBaseURL points the client at another server (or a fake). It accepts
// the bare origin ("https://api.usecrow.org") or the base URL exactly as the
// docs write it ("https://api.usecrow.org/api"); the /api prefix is never
// doubled (the "/api/api/" trap Crow's docs warn about). https is required
// except for loopback hosts.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		c.baseURL = raw
		return nil
	}
}

// WithAuthHeader sends the credential in header, after scheme when scheme
// is not empty. Crow does not document how its management API
// authenticates; the default is "Authorization: Bearer <token>". For
// example WithAuthHeader("X-API-Key", "") sends the bare token in X-API-Key.
func WithAuthHeader(header, scheme string) Option {
	return func(c *config) error {
		if !validHeaderName(header) {
			return fmt.Errorf("%w: WithAuthHeader: %q is not a valid header name", vendorkit.ErrInvalidArgument, header)
		}
		if scheme != "" && !validHeaderName(scheme) {
			return fmt.Errorf("%w: WithAuthHeader: scheme %q must be a single word", vendorkit.ErrInvalidArgument, scheme)
		}
		c.header, c.scheme, c.headerSet = header, scheme, true
		return nil
	}
}

// WithCredential makes the client ask cred for the token on every attempt
// (for tokens kept in a secret manager and rotated), instead of the static
// token given to New, which must then be empty.
func WithCredential(cred vendorkit.Credential) Option {
	return func(c *config) error {
		c.credential = cred
		return setup.CheckCredential(cred)
	}
}

// New returns a client of Crow's endpoint-configs API that authenticates
// with token. The token is trimmed; an empty one, or one holding CR, LF or
// inner whitespace, is an error that wraps vendorkit.ErrInvalidArgument. A
// nil kit means vendorkit.Default().
func New(kit *vendorkit.Client, token string, opts ...Option) (*Client, error) {
	cfg := config{header: "Authorization", scheme: "Bearer"}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("crow: %w", err)
		}
	}
	raw := cfg.baseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := baseurl.Resolve(raw, apiPrefix)
	if err != nil {
		return nil, fmt.Errorf("crow: %w", err)
	}
	base := u.String()
	cred, err := setup.Credential(token, cfg.credential, cfg.scheme)
	if err != nil {
		return nil, fmt.Errorf("crow: %w", err)
	}
	ep, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{
		Vendor:     "crow",
		BaseURL:    base,
		Credential: cred,
		AuthHeader: cfg.header,
		AuthScheme: cfg.scheme,
		Decode:     decodeError,
		// Crow publishes no rate limit: the zero Limit starts open and adapts
		// to 429 answers. PATCH (merge) is not marked idempotent: a retried
		// merge is harmless to the stored state, but its added/updated counts
		// would describe the retry, not the caller's change.
	})
	if err != nil {
		return nil, err
	}
	client, err := api.NewClient(base, api.WithHTTPClient(ep))
	if err != nil {
		return nil, fmt.Errorf("crow: %w", err)
	}
	return &Client{Printable: wire.NewPrintable("crow", ep), endpoint: ep, api: client, base: base}, nil
}

// unbuilt serves the calls of a nil or zero Client: each fails with an
// error that says to use New (see wire.NotBuilt).
var unbuilt, _ = api.NewClient("http://unbuilt.invalid", api.WithHTTPClient(wire.NotBuilt("crow")))

// get sends a GET for the base URL followed by segments, built from the
// parsed base URL (wire.Get) instead of by the generated client.
func (c *Client) get(ctx context.Context, segments ...string) (*http.Response, error) {
	var ep *runtime.Endpoint
	if c != nil {
		ep = c.endpoint
	}
	return wire.Get(ctx, ep, wire.NotBuilt("crow"), "", segments...)
}

// client returns the generated client c sends through, or unbuilt.
func (c *Client) client() *api.Client {
	if c == nil || c.api == nil {
		return unbuilt
	}
	return c.api
}

// BaseURL returns the resolved base URL, ending in /api.
func (c *Client) BaseURL() string {
	if c == nil {
		return ""
	}
	return c.base
}
