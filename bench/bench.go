// Package bench compares vendorkit's transport with the alternatives a Go
// team would otherwise use: a hand-written net/http + encoding/json call, and
// go-retryablehttp with an auth RoundTripper. It lives in its own module so
// that the peers it measures never enter the SDK's dependencies.
//
// Run the comparison with `go run ./cmd/compare` and the 429-storm scenario
// with `go run ./cmd/storm` (from this folder); results are in README.md.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vendorkit/vendorkit"
)

// Contact is the decoded payload of the benchmark's GET.
type Contact struct {
	ID               int64          `json:"id"`
	FullName         string         `json:"full_name"`
	Email            string         `json:"email"`
	Phone            string         `json:"phone"`
	LabelList        []string       `json:"label_list"`
	CustomAttributes map[string]any `json:"custom_attributes"`
	CreatedAt        string         `json:"created_at"`
	UpdatedAt        string         `json:"updated_at"`
}

const token = "bench-token-0123456789abcdef"

var contactJSON = []byte(`{"id":42,"full_name":"Ada Lovelace","email":"ada@example.com","phone":"+5511999999999",` +
	`"label_list":["vip","lead"],"custom_attributes":{"plan":"pro"},"created_at":"2026-11-25T10:00:00.000-03:00",` +
	`"updated_at":"2026-11-25T10:00:00.000-03:00"}`)

// NewServer starts a loopback server answering GET /api/contacts/42 with a
// small contact, checking the Bearer token like a vendor would.
func NewServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(contactJSON)
	}))
}

// Getter performs the benchmark's one logical call.
type Getter func(ctx context.Context) (Contact, error)

func decode(resp *http.Response) (Contact, error) {
	defer resp.Body.Close()
	var c Contact
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return c, fmt.Errorf("status %d", resp.StatusCode)
	}
	err := json.NewDecoder(resp.Body).Decode(&c)
	return c, err
}

func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// NetHTTP is the baseline (a): net/http and encoding/json by hand.
func NetHTTP(baseURL string) Getter {
	client := &http.Client{Transport: newTransport()}
	url := baseURL + "/api/contacts/42"
	return func(ctx context.Context) (Contact, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return Contact{}, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return Contact{}, err
		}
		return decode(resp)
	}
}

// authTransport is the usual hand-written credential RoundTripper.
type authTransport struct{ base http.RoundTripper }

func (a authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.Header.Set("Authorization", "Bearer "+token)
	return a.base.RoundTrip(r2)
}

// RetryableHTTP is peer (b): go-retryablehttp with an auth RoundTripper.
func RetryableHTTP(baseURL string) Getter {
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.HTTPClient = &http.Client{Transport: authTransport{newTransport()}}
	url := baseURL + "/api/contacts/42"
	return func(ctx context.Context) (Contact, error) {
		req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return Contact{}, err
		}
		resp, err := rc.Do(req)
		if err != nil {
			return Contact{}, err
		}
		return decode(resp)
	}
}

// Vendorkit is (c): the same call through a vendorkit Endpoint.
func Vendorkit(baseURL string) Getter {
	// vendorkit's own transport, as its users get it (the same pool size as
	// newTransport's).
	kit, err := vendorkit.New()
	if err != nil {
		panic(err)
	}
	cred, err := vendorkit.StaticToken(token)
	if err != nil {
		panic(err)
	}
	e, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "bench", BaseURL: baseURL + "/api", Credential: cred, AuthScheme: "Bearer"})
	if err != nil {
		panic(err)
	}
	url := baseURL + "/api/contacts/42"
	return func(ctx context.Context) (Contact, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return Contact{}, err
		}
		resp, err := e.Do(req)
		if err != nil {
			return Contact{}, err
		}
		return decode(resp)
	}
}

// Peers lists the contenders in report order; the first is the baseline.
var Peers = []struct {
	Name string
	New  func(baseURL string) Getter
}{
	{"net/http+json (a)", NetHTTP},
	{"retryablehttp+auth (b)", RetryableHTTP},
	{"vendorkit (c)", Vendorkit},
}
