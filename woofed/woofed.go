package woofed

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/baseurl"
	"github.com/vendorkit/vendorkit/internal/setup"
	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/woofed/internal/api"
)

// DefaultBaseURL is Woofed CRM's cloud base URL for account 1, as the docs
// write it.
const DefaultBaseURL = "https://app.woofedcrm.com/api/v1/accounts/1"

// defaultOrigin is the cloud install's origin.
const defaultOrigin = "https://app.woofedcrm.com"

// API is the set of operations of Woofed CRM's REST API that *Client
// implements. It exists so that code using the client can be tested with a
// mock or a hand-written fake; woofedtest provides a fake server instead,
// which runs the real client, retries and error decoding.
type API interface {
	GetContact(ctx context.Context, id int64) (Contact, error)
	CreateContact(ctx context.Context, in ContactInput) (Contact, error)
	UpsertContact(ctx context.Context, in ContactInput) (c Contact, created bool, err error)
	SearchContacts(ctx context.Context, page int, where ...Predicate) (Page[Contact], error)
	AllContacts(ctx context.Context, where ...Predicate) iter.Seq2[Contact, error]
	DeleteContact(ctx context.Context, id int64) error

	GetDeal(ctx context.Context, id int64) (Deal, error)
	CreateDeal(ctx context.Context, in DealInput) (Deal, error)
	UpdateDeal(ctx context.Context, id int64, up DealUpdate) (Deal, error)
	UpsertDeal(ctx context.Context, in DealInput) (Deal, error)
	CreateDealEvent(ctx context.Context, dealID int64, in EventInput) (Event, error)

	GetProduct(ctx context.Context, id int64) (Product, error)
	CreateProduct(ctx context.Context, in ProductInput) (Product, error)
	UpdateProduct(ctx context.Context, id int64, up ProductUpdate) (Product, error)
	SearchProducts(ctx context.Context, page int, where ...Predicate) (Page[Product], error)
	AllProducts(ctx context.Context, where ...Predicate) iter.Seq2[Product, error]

	CreateDealProduct(ctx context.Context, in DealProductInput) (DealProduct, error)
	GetDealProduct(ctx context.Context, id int64) (DealProduct, error)
	UpdateDealProduct(ctx context.Context, id int64, up DealProductUpdate) (DealProduct, error)

	AssignDeal(ctx context.Context, dealID, userID int64) (DealAssignee, error)
	UnassignDeal(ctx context.Context, assignmentID int64) error

	CreateUser(ctx context.Context, in UserInput) (User, error)
	SearchUsers(ctx context.Context, page int, where ...Predicate) (Page[User], error)
	AllUsers(ctx context.Context, where ...Predicate) iter.Seq2[User, error]
}

var _ API = (*Client)(nil)

// Client calls one Woofed CRM account's REST API. Build it with New; it is
// cheap to build (no goroutines, no I/O) and safe for concurrent use.
type Client struct {
	wire.Printable // renders without the credential
	api            *api.Client
	endpoint       *runtime.Endpoint // for the reads built without the generated client (wire.Get)
	base           string
	accountID      int64
}

// Option configures New.
type Option func(*config) error

type config struct {
	baseURL    string
	accountID  int64
	accountSet bool
	credential vendorkit.Credential
}

// WithBaseURL points the client at a self-hosted install (or a fake). It
// accepts the bare origin ("https://crm.example.com"), the origin with a
// sub-path the install is mounted under, or the base URL exactly as the
// docs write it ("https://app.woofedcrm.com/api/v1/accounts/1"); the
// "/api/v1/accounts/{id}" part is never doubled. An account id in the URL
// becomes the client's account unless WithAccountID says otherwise, in
// which case the two must agree. https is required except for loopback
// hosts.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		c.baseURL = raw
		return nil
	}
}

// WithAccountID selects the account (default 1, which is the only account
// of most self-hosted installs). It must be > 0.
func WithAccountID(id int64) Option {
	return func(c *config) error {
		if id <= 0 {
			return fmt.Errorf("%w: account id must be > 0, got %d", vendorkit.ErrInvalidArgument, id)
		}
		c.accountID, c.accountSet = id, true
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

// New returns a client for one Woofed CRM account that authenticates with
// token (the user's JWT, sent as "Authorization: Bearer <token>"). The token
// is trimmed; an empty one, or one holding CR, LF or inner whitespace, is an
// error that wraps vendorkit.ErrInvalidArgument. A nil kit means
// vendorkit.Default().
func New(kit *vendorkit.Client, token string, opts ...Option) (*Client, error) {
	cfg := config{accountID: 1}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("woofed: %w", err)
		}
	}
	raw := cfg.baseURL
	if raw == "" {
		raw = defaultOrigin
	}
	base, account, err := resolveBaseURL(raw, cfg.accountID, cfg.accountSet)
	if err != nil {
		return nil, fmt.Errorf("woofed: %w", err)
	}
	cred, err := setup.Credential(token, cfg.credential, "Bearer")
	if err != nil {
		return nil, fmt.Errorf("woofed: %w", err)
	}
	ep, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{
		Vendor:     "woofed",
		BaseURL:    base,
		Credential: cred,
		AuthScheme: "Bearer",
		Decode:     decodeError,
		Idempotent: idempotent,
		// Woofed publishes no rate limit: the zero Limit starts open and
		// adapts to 429 answers.
	})
	if err != nil {
		return nil, err
	}
	client, err := api.NewClient(base, api.WithHTTPClient(ep))
	if err != nil {
		return nil, fmt.Errorf("woofed: %w", err)
	}
	return &Client{Printable: wire.NewPrintable("woofed", ep), api: client, endpoint: ep, base: base, accountID: account}, nil
}

// AccountID returns the account the client acts on.
func (c *Client) AccountID() int64 {
	if c == nil {
		return 0
	}
	return c.accountID
}

// BaseURL returns the resolved base URL, ending in /api/v1/accounts/{id}.
func (c *Client) BaseURL() string {
	if c == nil {
		return ""
	}
	return c.base
}

// notBuilt and unbuilt serve the calls of a nil or zero Client: each fails
// with an error that says to use New.
const notBuilt = wire.NotBuilt("woofed")

var unbuilt, _ = api.NewClient("http://unbuilt.invalid", api.WithHTTPClient(notBuilt))

// client returns the generated client c sends through, or unbuilt.
func (c *Client) client() *api.Client {
	if c == nil || c.api == nil {
		return unbuilt
	}
	return c.api
}

// get sends a GET for the account's base URL followed by segments, built
// from the parsed base URL (wire.Get) instead of by the generated client.
func (c *Client) get(ctx context.Context, segments ...string) (*http.Response, error) {
	var ep *runtime.Endpoint
	if c != nil {
		ep = c.endpoint
	}
	return wire.Get(ctx, ep, notBuilt, "", segments...)
}

// idempotent marks the POSTs that may be retried after a 5xx or a timeout:
// the documented upserts (a retry matches the record the first attempt may
// have created, by email/phone or by contact_id, which UpsertContact and
// UpsertDeal require) and the read-only searches.
func idempotent(req *http.Request) bool {
	if req.Method != http.MethodPost {
		return false
	}
	for _, suffix := range []string{"/contacts/upsert", "/deals/upsert", "/contacts/search", "/products/search", "/users/search"} {
		if strings.HasSuffix(req.URL.Path, suffix) {
			return true
		}
	}
	return false
}

var accountPath = regexp.MustCompile(`^(.*)/api/v1/accounts/([^/]*)$`)

// resolveBaseURL turns what WithBaseURL was given into the account's base
// URL, and returns the account id in effect.
func resolveBaseURL(raw string, account int64, explicit bool) (string, int64, error) {
	u, err := runtime.ParseBaseURL(raw)
	if err != nil {
		return "", 0, err
	}
	p := u.Path
	switch m := accountPath.FindStringSubmatch(p); {
	case m != nil:
		p = m[1]
		if id := m[2]; id != "{account_id}" && id != ":account_id" {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil || n <= 0 {
				return "", 0, fmt.Errorf("%w: base URL account id %q is not a positive number", vendorkit.ErrInvalidArgument, id)
			}
			if explicit && n != account {
				return "", 0, fmt.Errorf("%w: base URL names account %d but WithAccountID gives %d", vendorkit.ErrInvalidArgument, n, account)
			}
			account = n
		}
	case strings.HasSuffix(p, "/api/v1/accounts"):
		p = strings.TrimSuffix(p, "/api/v1/accounts")
	case strings.HasSuffix(p, "/api/v1"):
		p = strings.TrimSuffix(p, "/api/v1")
	}
	if err := baseurl.Repeats(u, p, "/api/v1"); err != nil {
		return "", 0, err
	}
	u.Path = p + "/api/v1/accounts/" + strconv.FormatInt(account, 10)
	return u.String(), account, nil
}

// opError adds the operation to err; see wire.Fail.
func opError(op string, err error) error { return wire.Fail("woofed", op, err) }

// invalid returns the error of an argument refused before sending.
func invalid(op, format string, args ...any) error {
	return fmt.Errorf("woofed: %s: %w: %s", op, vendorkit.ErrInvalidArgument, fmt.Sprintf(format, args...))
}
