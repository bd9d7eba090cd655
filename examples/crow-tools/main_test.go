package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowspec"
	"github.com/vendorkit/vendorkit/crow/crowtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	secret = "demo-verification-secret-0123456789"
	apiKey = "demo-tools-key-0123456789"
)

func start(t *testing.T) *httptest.Server {
	h, err := newHandler(config{secret: secret, apiKeys: []string{apiKey}})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestOpenAPIDocumentPassesTheLinter(t *testing.T) {
	findings, err := crowspec.Lint(t.Context(), openapiDoc, crowspec.Options{Auth: crow.ModeJWTForward, BaseURL: "https://acme.example.com/api"})
	require.NoError(t, err)
	assert.Empty(t, findings)
	// /products also accepts the static key.
	findings, err = crowspec.Lint(t.Context(), openapiDoc, crowspec.Options{Auth: crow.ModeAPIKey})
	require.NoError(t, err)
	require.Len(t, findings, 1)
	assert.Equal(t, "/security", findings[0].Pointer, "only /my/orders needs a user")
}

func TestWalkthrough(t *testing.T) {
	srv := start(t)
	ctx := t.Context()

	// 1. The frontend fetches a Crow token with the app's own session.
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/crow-token", nil)
	req.Header.Set("X-Session", "alice-session")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	var body struct{ Token string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	resp.Body.Close()
	id, err := crow.ParseIdentityToken(secret, body.Token, 0, nil)
	require.NoError(t, err)
	assert.Equal(t, "42", id.UserID)

	// Without a session: 401.
	resp, err = srv.Client().Get(srv.URL + "/api/crow-token")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// 2. Crow forwards Alice's identity token to the tool.
	alice, err := crowtest.NewCaller(crow.ModeJWTForward, srv.URL+"/api", crowtest.WithSecret(secret), crowtest.WithIdentity(crow.Identity{UserID: "42"}))
	require.NoError(t, err)
	var got []Order
	getJSON(t, alice, "/my/orders", &got)
	assert.Equal(t, orders["42"], got)

	// 3. A static-key call reaches /products, not /my/orders.
	keyed, err := crowtest.NewCaller(crow.ModeAPIKey, srv.URL+"/api", crowtest.WithKey(apiKey))
	require.NoError(t, err)
	var prods []Product
	getJSON(t, keyed, "/products", &prods)
	assert.Equal(t, products, prods)
	_, err = keyed.Get(ctx, "/my/orders")
	require.ErrorIs(t, err, vendorkit.ErrUnauthorized)

	// A token signed with another secret is refused.
	forged, err := crowtest.NewCaller(crow.ModeJWTForward, srv.URL+"/api", crowtest.WithSecret("not-the-secret-0123456789"), crowtest.WithIdentity(crow.Identity{UserID: "43"}))
	require.NoError(t, err)
	_, err = forged.Get(ctx, "/my/orders")
	require.ErrorIs(t, err, vendorkit.ErrUnauthorized)

	// The document is served for upload.
	resp, err = srv.Client().Get(srv.URL + "/openapi.yaml")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, openapiDoc, b)
}

func getJSON(t *testing.T, c *crowtest.Caller, path string, v any) {
	t.Helper()
	resp, err := c.Get(t.Context(), path)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
}
