package qwoty

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/baseurl"
	"github.com/vendorkit/vendorkit/internal/setup"
	"github.com/vendorkit/vendorkit/qwoty/internal/api"
)

// Base URLs documented by Qwoty. The docs use both; DefaultBaseURL is the one
// most pages (and the authentication example) show.
const (
	DefaultBaseURL   = "https://qwoty.app/api"
	AlternateBaseURL = "https://app.qwoty.io/api"
)

// apiPrefix is the path every documented base URL ends in.
const apiPrefix = "/api"

// API is the Qwoty facade. *Client satisfies it; consumers' tests may mock
// it (with testify's mock or a hand-written fake) instead of running the
// qwotytest fake server.
type API interface {
	ListPaymentTerms(ctx context.Context) ([]PaymentTerm, error)
	AllPaymentTerms(ctx context.Context) iter.Seq2[PaymentTerm, error]
	GetPaymentTerm(ctx context.Context, id string) (PaymentTerm, error)
	CreatePaymentTerm(ctx context.Context, in PaymentTermInput) (PaymentTerm, error)
	UpdatePaymentTerm(ctx context.Context, id string, up PaymentTermUpdate) (PaymentTerm, error)
	DeletePaymentTerm(ctx context.Context, id string) error
	GetQuote(ctx context.Context, id string) (Quote, error)
}

var _ API = (*Client)(nil)

// Client is a Qwoty client bound to one API token, hence to one workspace.
// It is cheap to build (no goroutines, no I/O) and safe for concurrent use.
type Client struct {
	wire.Printable // renders without the credential
	endpoint       *runtime.Endpoint
	api            *api.Client
}

// Option configures New.
type Option func(*settings) error

type settings struct {
	baseURL    string
	credential vendorkit.Credential
}

// WithBaseURL sets the API's base URL. It accepts a documented base URL
// (DefaultBaseURL, AlternateBaseURL), another origin with or without the
// "/api" suffix (a proxy, the qwotytest fake), and never doubles "/api".
// Only https is accepted, and plain http for loopback hosts (tests).
func WithBaseURL(u string) Option {
	return func(s *settings) error {
		s.baseURL = u
		return nil
	}
}

// WithCredential makes c the source of the token, for keys that rotate: c is
// asked again on every attempt, and what it yields is normalized like New's
// token argument (a "Bearer " prefix is stripped). Pass an empty token to New
// with this option; a token as well is an ErrInvalidArgument.
func WithCredential(c vendorkit.Credential) Option {
	return func(s *settings) error {
		if c == nil {
			return fmt.Errorf("qwoty: WithCredential: %w: nil credential", vendorkit.ErrInvalidArgument)
		}
		s.credential = c
		return nil
	}
}

// New returns a client for the workspace of token, built on kit (nil means
// vendorkit.Default()). The token is the one created under Settings →
// Developer → API Tokens, pasted with or without its "Bearer " prefix; it is
// otherwise opaque (both qwt_prod_… and qwoty_… forms appear in the docs).
// An empty token, or one with CR, LF or inner spaces, is an error wrapping
// vendorkit.ErrInvalidArgument; a bad base URL wraps ErrInvalidArgument or
// ErrInsecureURL.
//
// Qwoty's rate limits are "workspace-level" and publish no numbers: the
// client starts unpaced and, after a 429, makes every client of the same
// token on kit wait the Retry-After out.
func New(kit *vendorkit.Client, token string, opts ...Option) (*Client, error) {
	s := settings{baseURL: DefaultBaseURL}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	base, err := baseurl.Resolve(s.baseURL, apiPrefix)
	if err != nil {
		return nil, fmt.Errorf("qwoty: %w", err)
	}
	cred, err := setup.Credential(token, s.credential, "Bearer")
	if err != nil {
		return nil, fmt.Errorf("qwoty: %w", err)
	}
	if kit == nil {
		kit = vendorkit.Default()
	}
	ep, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{
		Vendor:      "qwoty",
		BaseURL:     base.String(),
		Credential:  cred,
		AuthScheme:  "Bearer",
		Decode:      decodeError,
		Classify:    classify,
		InspectBody: inspectBody,
		// Limit stays zero: no numbers are documented, so the limiter starts
		// open and adapts to 429s.
	})
	if err != nil {
		return nil, err
	}
	c, err := api.NewClient(base.String(), api.WithHTTPClient(ep))
	if err != nil {
		return nil, fmt.Errorf("qwoty: %w: %v", vendorkit.ErrInvalidArgument, err)
	}
	return &Client{Printable: wire.NewPrintable("qwoty", ep), endpoint: ep, api: c}, nil
}

// Endpoint returns the vendorkit endpoint the client sends through (its
// base URL and limiter), for diagnostics.
func (c *Client) Endpoint() *runtime.Endpoint {
	if c == nil {
		return nil
	}
	return c.endpoint
}

// notBuilt and unbuilt serve the calls of a nil or zero Client: each fails
// with an error that says to use New.
const notBuilt = wire.NotBuilt("qwoty")

var unbuilt, _ = api.NewClient("http://unbuilt.invalid", api.WithHTTPClient(notBuilt))

// get sends a GET for the base URL followed by segments, built from the
// parsed base URL (wire.Get) instead of by the generated client.
func (c *Client) get(ctx context.Context, segments ...string) (*http.Response, error) {
	var ep *runtime.Endpoint
	if c != nil {
		ep = c.endpoint
	}
	return wire.Get(ctx, ep, notBuilt, "", segments...)
}

// client returns the generated client c sends through, or unbuilt.
func (c *Client) client() *api.Client {
	if c == nil || c.api == nil {
		return unbuilt
	}
	return c.api
}
