package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// Call is one logical call of a benchmark.
type Call func(ctx context.Context) error

// FacadeCase is one vendor's facade call, measured against the same call
// written by hand with net/http and encoding/json.
type FacadeCase struct {
	// Name is the facade method, e.g. "woofed.GetContact".
	Name string
	// fake starts the vendor's fake with what the call reads and returns
	// its base URL and token.
	fake func(t vendorkittest.T) (baseURL, token string)
	// facade builds the facade call against baseURL.
	facade func(kit *vendorkit.Client, baseURL, token string) (Call, error)
	// decode reads the answer as a hand-written client would: into the
	// same model (and envelope) the facade returns.
	decode func(body io.Reader) error
}

// Facades are the facade calls of every vendor.
var Facades = []FacadeCase{
	{
		Name: "woofed.GetContact",
		fake: func(t vendorkittest.T) (string, string) {
			srv := woofedtest.NewServer(t)
			srv.AddContact(woofed.Contact{FullName: "Ada Lovelace", Email: "ada@example.com", Phone: "+5511999999999", LabelList: []string{"vip", "lead"}})
			return srv.URL(), srv.Token()
		},
		facade: func(kit *vendorkit.Client, base, token string) (Call, error) {
			crm, err := woofed.New(kit, token, woofed.WithBaseURL(base))
			return func(ctx context.Context) error { _, err := crm.GetContact(ctx, 1); return err }, err
		},
		decode: decodeInto[woofed.Contact],
	},
	{
		Name: "woodpecker.Me",
		fake: func(t vendorkittest.T) (string, string) {
			srv := woodpeckertest.NewServer(t)
			return srv.URL(), woodpeckertest.HQKey
		},
		facade: func(kit *vendorkit.Client, base, token string) (Call, error) {
			wp, err := woodpecker.New(kit, token, woodpecker.WithBaseURL(base))
			return func(ctx context.Context) error { _, err := wp.Me(ctx); return err }, err
		},
		decode: decodeInto[woodpecker.Me],
	},
	{
		Name: "qwoty.GetPaymentTerm",
		fake: func(t vendorkittest.T) (string, string) {
			srv := qwotytest.NewServer(t)
			return srv.URL(), qwotytest.Token
		},
		facade: func(kit *vendorkit.Client, base, token string) (Call, error) {
			q, err := qwoty.New(kit, token, qwoty.WithBaseURL(base))
			return func(ctx context.Context) error { _, err := q.GetPaymentTerm(ctx, qwotytest.ThreeWayID); return err }, err
		},
		decode: decodeInto[struct {
			Success bool              `json:"success"`
			Data    qwoty.PaymentTerm `json:"data"`
		}],
	},
	{
		Name: "deskwoot.GetContact",
		fake: func(t vendorkittest.T) (string, string) {
			srv := deskwoottest.NewServer(t)
			c := srv.AddContact(srv.AccountID(), deskwoot.ContactInput{Name: vendorkit.Ptr("Grace Hopper"), Email: vendorkit.Ptr("grace@example.com")})
			deskwootContact, deskwootAccount = c.ID, srv.AccountID()
			return srv.URL(), srv.Token()
		},
		facade: func(kit *vendorkit.Client, base, token string) (Call, error) {
			desk, err := deskwoot.New(kit, token, deskwoot.WithBaseURL(base), deskwoot.WithAccountID(deskwootAccount), deskwoot.WithRateLimit(0, 0))
			id := deskwootContact
			return func(ctx context.Context) error { _, err := desk.GetContact(ctx, id); return err }, err
		},
		decode: decodeInto[deskwoot.Contact],
	},
	{
		Name: "crow.ListEndpointConfigs",
		fake: func(t vendorkittest.T) (string, string) {
			srv := crowtest.NewServer(t)
			srv.SetConfigs("prod_bench", map[string]crow.EndpointConfig{
				"workspace1": {BaseURL: "https://workspace1.app.com/api", Auth: crow.BearerAuth("token-for-ws1")},
				"workspace2": {BaseURL: "https://workspace2.app.com/api", Auth: crow.APIKeyAuth("X-API-Key", "key-for-ws2")},
			})
			return srv.URL(), srv.Token()
		},
		facade: func(kit *vendorkit.Client, base, token string) (Call, error) {
			c, err := crow.New(kit, token, crow.WithBaseURL(base))
			return func(ctx context.Context) error { _, err := c.ListEndpointConfigs(ctx, "prod_bench"); return err }, err
		},
		// The answer's envelope, {"configs": {key: config}}, around the
		// model: decoding it as a bare map would skip every config.
		decode: decodeInto[struct {
			Configs map[string]crow.EndpointConfig `json:"configs"`
		}],
	},
}

var deskwootContact, deskwootAccount string

// recorded is one exchange captured from a vendor's fake.
type recorded struct {
	method, path, rawQuery string
	header                 http.Header // the request's, credential included
	status                 int
	contentType            string
	body                   []byte
}

type recordingTransport struct {
	base http.RoundTripper
	last *recorded
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.last = &recorded{method: req.Method, path: req.URL.Path, rawQuery: req.URL.RawQuery, header: req.Header.Clone(),
		status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: body}
	return resp, nil
}

// FacadeBench is a facade case ready to run: a loopback server that
// replays the vendor's answer, the facade call and the hand-written one.
type FacadeBench struct {
	Name    string
	NetHTTP Call
	// NetHTTPAgain is NetHTTP again on a client and pool of its own: as a
	// contender it measures the harness's own noise and order bias (the
	// same code should read 1.00×).
	NetHTTPAgain Call
	srv          *httptest.Server
	base         string
	token        string
	facade       func(kit *vendorkit.Client, baseURL, token string) (Call, error)
	closeAll     func()
	answer       *recorded                                     // the vendor's answer the server replays
	twin         func(client *http.Client, target string) Call // the net/http call, on client
	target       string                                        // the request's path and query
}

// Facade builds the facade call on kit.
func (b *FacadeBench) Facade(kit *vendorkit.Client) (Call, error) {
	return b.facade(kit, b.base, b.token)
}

// Close stops the server.
func (b *FacadeBench) Close() { b.closeAll() }

// NewFacadeBench records the case's call against the vendor's fake, then
// serves the same answer from a plain loopback handler (no fake logic, no
// request recording), which both contenders call.
func NewFacadeBench(fc FacadeCase) (*FacadeBench, error) {
	t := vendorkittest.Standalone()
	defer t.Close()
	fakeBase, token := fc.fake(t)
	rec := &recordingTransport{base: http.DefaultTransport}
	kit, err := vendorkit.New(vendorkit.WithTransport(rec))
	if err != nil {
		return nil, err
	}
	call, err := fc.facade(kit, fakeBase, token)
	if err != nil {
		return nil, err
	}
	if err := call(context.Background()); err != nil {
		return nil, fmt.Errorf("%s against the fake: %w", fc.Name, err)
	}
	r := rec.last
	if r == nil || r.status != http.StatusOK {
		return nil, fmt.Errorf("%s: no 200 answer recorded", fc.Name)
	}
	// The credential header the fake accepted.
	authName, authValue := "Authorization", r.header.Get("Authorization")
	if authValue == "" {
		authName, authValue = "X-Api-Key", r.header.Get("X-Api-Key")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get(authName) != authValue || req.URL.Path != r.path || req.Method != r.method {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", r.contentType)
		_, _ = w.Write(r.body)
	}))
	fake, _ := url.Parse(fakeBase)
	base := srv.URL + fake.Path
	target := srv.URL + r.path
	if r.rawQuery != "" {
		target += "?" + r.rawQuery
	}
	client := &http.Client{Transport: newTransport()}
	twin := func(client *http.Client, target string) Call {
		return func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, r.method, target, nil)
			if err != nil {
				return err
			}
			req.Header.Set(authName, authValue)
			req.Header.Set("Accept", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				_, _ = io.Copy(io.Discard, resp.Body)
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return fc.decode(resp.Body)
		}
	}
	again := &http.Client{Transport: newTransport()}
	return &FacadeBench{Name: fc.Name, NetHTTP: twin(client, target), NetHTTPAgain: twin(again, target), srv: srv, base: base, token: token, facade: fc.facade,
		closeAll: func() { srv.Close(); client.CloseIdleConnections(); again.CloseIdleConnections() }, answer: r, twin: twin, target: strings.TrimPrefix(target, srv.URL)}, nil
}

// String names the case.
func (b *FacadeBench) String() string { return strings.TrimSpace(b.Name) }

func decodeInto[T any](body io.Reader) error {
	var v T
	return json.NewDecoder(body).Decode(&v)
}
