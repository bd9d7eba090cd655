package crowtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	secret     = "crow-verification-secret-0123456789"
	apiKey     = "api-key-12345678"
	static     = "static-token-1234"
	serviceKey = "HCF8nVjR8YON5eBzlMHuTqO8IwD3c0DSynVnTKq5/80="
)

// consumerAPI is a consumer's API protected by the crow middleware, that
// records the headers of each request it sees.
type consumerAPI struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []http.Header
}

func newConsumerAPI(t *testing.T, cfg crow.Config) *consumerAPI {
	c := &consumerAPI{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/my/orders", func(w http.ResponseWriter, r *http.Request) {
		id, _ := crow.IdentityFrom(r.Context())
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"mode": id.Mode, "user_id": id.UserID, "email": id.Email, "tenant_id": id.TenantID, "product_id": id.ProductID})
	})
	mux.HandleFunc("POST /api/orders", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(body)
	})
	mw := crow.Middleware(cfg)(mux)
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.seen = append(c.seen, r.Header.Clone())
		c.mu.Unlock()
		mw.ServeHTTP(w, r)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *consumerAPI) last() http.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[len(c.seen)-1]
}

func getJSON(t *testing.T, c *crowtest.Caller, path string) (map[string]any, error) {
	t.Helper()
	resp, err := c.Get(t.Context(), path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out, nil
}

func TestCallerModes(t *testing.T) {
	api := newConsumerAPI(t, crow.Config{
		APIKeys: []string{apiKey}, BearerTokens: []string{static}, VerificationSecret: secret, ServiceKeys: []string{serviceKey},
	})
	base := api.srv.URL + "/api"
	for _, tc := range []struct {
		name    string
		mode    crow.Mode
		opts    []crowtest.CallerOption
		want    map[string]any
		headers map[string]string // exactly what Crow sends
	}{
		{name: "api key", mode: crow.ModeAPIKey, opts: []crowtest.CallerOption{crowtest.WithKey(apiKey)},
			want: map[string]any{"mode": "api_key"}, headers: map[string]string{"X-Api-Key": apiKey, "Authorization": ""}},
		{name: "bearer", mode: crow.ModeBearer, opts: []crowtest.CallerOption{crowtest.WithKey(static)},
			want: map[string]any{"mode": "bearer"}, headers: map[string]string{"Authorization": "Bearer " + static}},
		{name: "jwt forward", mode: crow.ModeJWTForward,
			opts: []crowtest.CallerOption{crowtest.WithSecret(secret), crowtest.WithIdentity(crow.Identity{UserID: "user_456", Email: "alice@example.com", TenantID: "t_789"})},
			want: map[string]any{"mode": "jwt_forward", "user_id": "user_456", "email": "alice@example.com", "tenant_id": "t_789"}},
		{name: "service key", mode: crow.ModeServiceKey,
			opts:    []crowtest.CallerOption{crowtest.WithKey(serviceKey), crowtest.WithIdentity(crow.Identity{UserID: "user_456", TenantID: "t_789", ProductID: "prod_1"})},
			want:    map[string]any{"mode": "service_key", "user_id": "user_456", "tenant_id": "t_789", "product_id": "prod_1", "email": ""},
			headers: map[string]string{"X-Service-Key": serviceKey, "X-User-Id": "user_456", "X-Tenant-Id": "t_789", "X-Product-Id": "prod_1", "X-Email": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := crowtest.NewCaller(tc.mode, base, tc.opts...)
			require.NoError(t, err)
			assert.Equal(t, tc.mode, c.Mode())
			got, err := getJSON(t, c, "/my/orders")
			require.NoError(t, err)
			for k, v := range tc.want {
				assert.Equal(t, v, got[k], k)
			}
			h := api.last()
			for k, v := range tc.headers {
				assert.Equal(t, v, h.Get(k), k)
				if v == "" {
					assert.NotContains(t, h, k, "header %s must not be sent", k)
				}
			}
		})
	}
}

func TestCallerForwardsFreshToken(t *testing.T) {
	api := newConsumerAPI(t, crow.Config{VerificationSecret: secret})
	c, err := crowtest.NewCaller(crow.ModeJWTForward, api.srv.URL+"/api",
		crowtest.WithSecret(secret), crowtest.WithIdentity(crow.Identity{UserID: "42", Claims: map[string]any{"plan": "pro"}}), crowtest.WithTokenTTL(5*time.Minute))
	require.NoError(t, err)
	resp, err := c.Call(t.Context(), http.MethodPost, "/orders", map[string]string{"sku": "A1"})
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.JSONEq(t, `{"sku":"A1"}`, string(b))

	tok, ok := strings.CutPrefix(api.last().Get("Authorization"), "Bearer ")
	require.True(t, ok)
	claims := jwt.MapClaims{}
	parsed, err := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"})).ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return []byte(secret), nil })
	require.NoError(t, err)
	require.True(t, parsed.Valid)
	assert.Equal(t, "42", claims["user_id"])
	assert.Equal(t, "pro", claims["plan"])
	expAt, _ := claims.GetExpirationTime()
	assert.WithinDuration(t, time.Now().Add(5*time.Minute), expAt.Time, 5*time.Second)
}

func TestCallerRefused(t *testing.T) {
	api := newConsumerAPI(t, crow.Config{APIKeys: []string{apiKey}, VerificationSecret: secret, ServiceKeys: []string{serviceKey}})
	base := api.srv.URL + "/api"
	for name, tc := range map[string]struct {
		mode crow.Mode
		opts []crowtest.CallerOption
	}{
		"wrong api key":           {crow.ModeAPIKey, []crowtest.CallerOption{crowtest.WithKey("api-key-00000000")}},
		"api key in other header": {crow.ModeAPIKey, []crowtest.CallerOption{crowtest.WithKey(apiKey), crowtest.WithAPIKeyHeader("X-Other-Key")}},
		"wrong secret":            {crow.ModeJWTForward, []crowtest.CallerOption{crowtest.WithSecret("another-secret-abcdefgh"), crowtest.WithIdentity(crow.Identity{UserID: "u"})}},
		"wrong service key":       {crow.ModeServiceKey, []crowtest.CallerOption{crowtest.WithKey("not-the-service-key")}},
		"bearer not configured":   {crow.ModeBearer, []crowtest.CallerOption{crowtest.WithKey(static)}},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := crowtest.NewCaller(tc.mode, base, tc.opts...)
			require.NoError(t, err)
			_, err = c.Get(t.Context(), "/my/orders")
			require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
			var apiErr *vendorkit.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.JSONEq(t, `{"error":"Invalid token"}`, string(apiErr.Body))
			assert.NotEmpty(t, apiErr.Header.Get("WWW-Authenticate"))
			assert.Equal(t, 1, apiErr.Attempts, "Crow's caller does not retry by default")
		})
	}
}

func TestCallerDoublePrefix(t *testing.T) {
	// Base URL and paths both carrying /api is the trap the docs warn about:
	// the caller reproduces it, as Crow would.
	api := newConsumerAPI(t, crow.Config{APIKeys: []string{apiKey}})
	c, err := crowtest.NewCaller(crow.ModeAPIKey, api.srv.URL+"/api", crowtest.WithKey(apiKey))
	require.NoError(t, err)
	_, err = c.Get(t.Context(), "/api/my/orders")
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "/api/api/my/orders", apiErr.Path)
}

func TestNewCallerErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		mode crow.Mode
		base string
		opts []crowtest.CallerOption
	}{
		"no key":              {crow.ModeAPIKey, "http://127.0.0.1:1", nil},
		"key with newline":    {crow.ModeBearer, "http://127.0.0.1:1", []crowtest.CallerOption{crowtest.WithKey("a\nb")}},
		"no secret":           {crow.ModeJWTForward, "http://127.0.0.1:1", []crowtest.CallerOption{crowtest.WithIdentity(crow.Identity{UserID: "u"})}},
		"no user":             {crow.ModeJWTForward, "http://127.0.0.1:1", []crowtest.CallerOption{crowtest.WithSecret(secret)}},
		"unknown mode":        {crow.Mode("basic"), "http://127.0.0.1:1", []crowtest.CallerOption{crowtest.WithKey("k")}},
		"bad identity header": {crow.ModeServiceKey, "http://127.0.0.1:1", []crowtest.CallerOption{crowtest.WithKey("k"), crowtest.WithIdentity(crow.Identity{UserID: "u\r\nx"})}},
	} {
		_, err := crowtest.NewCaller(tc.mode, tc.base, tc.opts...)
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument, name)
	}
	_, err := crowtest.NewCaller(crow.ModeAPIKey, "http://example.com", crowtest.WithKey("k"))
	require.ErrorIs(t, err, vendorkit.ErrInsecureURL)
}
