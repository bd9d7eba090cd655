package crow_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

const product = "prod_123"

func TestEndpointConfigsLifecycle(t *testing.T) {
	srv := crowtest.NewServer(t)
	c := srv.Client(t)
	ctx := t.Context()

	res, err := c.MergeEndpointConfigs(ctx, product, map[string]crow.EndpointConfig{
		"workspace1": {BaseURL: "https://workspace1.app.com/api", Auth: crow.BearerAuth("token-for-ws1")},
		"workspace2": {BaseURL: "https://workspace2.app.com/api", Auth: crow.BearerAuth("token-for-ws2")},
	})
	require.NoError(t, err)
	assert.Equal(t, crow.MergeResult{Added: 2, Updated: 0, Total: 2}, res)

	// The documented request: PATCH …/endpoint-configs with {"configs":{…}} and a Bearer token.
	last, _ := srv.LastRequest()
	assert.Equal(t, http.MethodPatch, last.Method)
	assert.Equal(t, "/api/products/prod_123/endpoint-configs", last.Path)
	assert.Equal(t, "Bearer "+crowtest.DefaultToken, last.Header.Get("Authorization"))
	assert.JSONEq(t, `{"configs":{
		"workspace1":{"api_base_url":"https://workspace1.app.com/api","api_auth_config":{"auth_type":"bearer","token":"token-for-ws1"}},
		"workspace2":{"api_base_url":"https://workspace2.app.com/api","api_auth_config":{"auth_type":"bearer","token":"token-for-ws2"}}}}`, string(last.Body))

	// Keys are case-sensitive: Workspace1 is a third key.
	res, err = c.MergeEndpointConfigs(ctx, product, map[string]crow.EndpointConfig{
		"workspace1": {BaseURL: "https://ws1.app.com/api", Auth: crow.APIKeyAuth("X-API-Key", "key-for-ws1")},
		"Workspace1": {BaseURL: "https://other.app.com", Auth: crow.NoAuth()},
	})
	require.NoError(t, err)
	assert.Equal(t, crow.MergeResult{Added: 1, Updated: 1, Total: 3}, res)

	list, err := c.ListEndpointConfigs(ctx, product)
	require.NoError(t, err)
	require.Len(t, list, 3)
	ws1 := list["workspace1"]
	assert.Equal(t, "https://ws1.app.com/api", ws1.BaseURL)
	assert.Equal(t, crow.AuthAPIKey, ws1.Auth.Type())
	assert.Equal(t, "X-API-Key", ws1.Auth.HeaderName())
	assert.Equal(t, "****-ws1", ws1.Auth.Token(), "tokens are masked to the last 4 characters")
	assert.True(t, ws1.Auth.Masked())
	assert.Equal(t, crow.AuthNone, list["Workspace1"].Auth.Type())
	assert.False(t, list["Workspace1"].Auth.Masked())
	assert.Equal(t, "****-ws2", list["workspace2"].Auth.Token())

	// A masked token cannot be written back: nothing is sent.
	n := srv.Count("", "")
	err = c.ReplaceEndpointConfigs(ctx, product, list)
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "masked")
	err = c.PutEndpointConfig(ctx, product, "workspace1", ws1)
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	assert.Equal(t, n, srv.Count("", ""))

	require.NoError(t, c.PutEndpointConfig(ctx, product, "workspace3", crow.EndpointConfig{BaseURL: "https://workspace3.app.com/api", Auth: crow.BearerAuth("token-for-ws3")}))
	last, _ = srv.LastRequest()
	assert.Equal(t, http.MethodPut, last.Method)
	assert.Equal(t, "/api/products/prod_123/endpoint-configs/workspace3", last.Path)
	assert.JSONEq(t, `{"api_base_url":"https://workspace3.app.com/api","api_auth_config":{"auth_type":"bearer","token":"token-for-ws3"}}`, string(last.Body))

	require.NoError(t, c.DeleteEndpointConfig(ctx, product, "workspace2"))
	err = c.DeleteEndpointConfig(ctx, product, "workspace2")
	require.ErrorIs(t, err, crow.ErrSubdomainNotFound)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "crow", apiErr.Vendor)
	assert.Equal(t, "DeleteEndpointConfig", apiErr.Operation)
	assert.Equal(t, "Subdomain not found", apiErr.Message)

	stored := srv.Configs(product)
	assert.Equal(t, []string{"Workspace1", "workspace1", "workspace3"}, sortedKeys(stored))
	assert.Equal(t, "key-for-ws1", stored["workspace1"].Auth.Token())

	require.NoError(t, c.ReplaceEndpointConfigs(ctx, product, map[string]crow.EndpointConfig{
		"workspace1": {BaseURL: "https://workspace1.app.com/api", Auth: crow.BearerAuth("token-for-ws1")},
	}))
	assert.Equal(t, []string{"workspace1"}, sortedKeys(srv.Configs(product)))
	require.NoError(t, c.ReplaceEndpointConfigs(ctx, product, map[string]crow.EndpointConfig{}))
	list, err = c.ListEndpointConfigs(ctx, product)
	require.NoError(t, err)
	assert.Empty(t, list)
}

func sortedKeys(m map[string]crow.EndpointConfig) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func TestEndpointConfigsInvalidArguments(t *testing.T) {
	srv := crowtest.NewServer(t)
	c := srv.Client(t)
	ctx := t.Context()
	good := crow.EndpointConfig{BaseURL: "https://ws.app.com/api", Auth: crow.BearerAuth("tok-1234")}
	for name, call := range map[string]func() error{
		"empty product":          func() error { _, err := c.ListEndpointConfigs(ctx, ""); return err },
		"product with slash":     func() error { _, err := c.ListEndpointConfigs(ctx, "a/b"); return err },
		"dot-dot product":        func() error { return c.DeleteEndpointConfig(ctx, "..", "ws") },
		"empty key":              func() error { return c.PutEndpointConfig(ctx, product, "", good) },
		"key with slash":         func() error { return c.DeleteEndpointConfig(ctx, product, "ws/1") },
		"key with space":         func() error { return c.PutEndpointConfig(ctx, product, "ws 1", good) },
		"key too long":           func() error { return c.PutEndpointConfig(ctx, product, strings.Repeat("a", 64), good) },
		"key starting with dash": func() error { return c.PutEndpointConfig(ctx, product, "-ws", good) },
		"nil merge":              func() error { _, err := c.MergeEndpointConfigs(ctx, product, nil); return err },
		"empty merge": func() error {
			_, err := c.MergeEndpointConfigs(ctx, product, map[string]crow.EndpointConfig{})
			return err
		},
		"nil replace": func() error { return c.ReplaceEndpointConfigs(ctx, product, nil) },
		"bad key in merge": func() error {
			_, err := c.MergeEndpointConfigs(ctx, product, map[string]crow.EndpointConfig{"ok": good, "no way": good})
			return err
		},
		"relative base URL": func() error {
			return c.PutEndpointConfig(ctx, product, "ws", crow.EndpointConfig{BaseURL: "/api", Auth: crow.NoAuth()})
		},
		"http base URL": func() error {
			return c.PutEndpointConfig(ctx, product, "ws", crow.EndpointConfig{BaseURL: "http://ws.app.com/api", Auth: crow.NoAuth()})
		},
		"zero auth": func() error {
			return c.PutEndpointConfig(ctx, product, "ws", crow.EndpointConfig{BaseURL: "https://ws.app.com"})
		},
		"empty token": func() error {
			return c.PutEndpointConfig(ctx, product, "ws", crow.EndpointConfig{BaseURL: "https://ws.app.com", Auth: crow.BearerAuth("")})
		},
		"token with newline": func() error {
			return c.PutEndpointConfig(ctx, product, "ws", crow.EndpointConfig{BaseURL: "https://ws.app.com", Auth: crow.BearerAuth("tok\nen")})
		},
		"token with trailing space": func() error {
			return c.PutEndpointConfig(ctx, product, "ws", crow.EndpointConfig{BaseURL: "https://ws.app.com", Auth: crow.BearerAuth("token ")})
		},
		"bad api key header": func() error {
			return c.PutEndpointConfig(ctx, product, "ws", crow.EndpointConfig{BaseURL: "https://ws.app.com", Auth: crow.APIKeyAuth("X API", "tok")})
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.Error(t, err)
			assert.True(t, errors.Is(err, vendorkit.ErrInvalidArgument) || errors.Is(err, vendorkit.ErrInsecureURL), "%v", err)
			var apiErr *vendorkit.APIError
			assert.False(t, errors.As(err, &apiErr))
			assert.NotContains(t, err.Error(), "tok-1234")
		})
	}
	assert.Zero(t, srv.Count("", ""), "nothing is sent for invalid arguments")
}

func TestNewOptions(t *testing.T) {
	kit := vendorkittest.NewClient(t)
	for _, tc := range []struct{ in, want string }{
		{"", "https://api.usecrow.org/api"},
		{"https://api.usecrow.org", "https://api.usecrow.org/api"},
		{"https://api.usecrow.org/api", "https://api.usecrow.org/api"},
		{"https://api.usecrow.org/api/", "https://api.usecrow.org/api"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/api"},
	} {
		var opts []crow.Option
		if tc.in != "" {
			opts = append(opts, crow.WithBaseURL(tc.in))
		}
		c, err := crow.New(kit, "tok", opts...)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, c.BaseURL(), tc.in)
	}
	for name, tc := range map[string]struct {
		token string
		opts  []crow.Option
		want  error
	}{
		"empty token":      {"", nil, vendorkit.ErrInvalidArgument},
		"token with space": {"a b", nil, vendorkit.ErrInvalidArgument},
		"plain http":       {"tok", []crow.Option{crow.WithBaseURL("http://api.usecrow.org")}, vendorkit.ErrInsecureURL},
		"bad header":       {"tok", []crow.Option{crow.WithAuthHeader("X Key", "")}, vendorkit.ErrInvalidArgument},
		"token and cred":   {"tok", []crow.Option{crow.WithCredential(vendorkit.CredentialFunc(nil))}, vendorkit.ErrInvalidArgument},
		"nil credential":   {"", []crow.Option{crow.WithCredential(nil)}, vendorkit.ErrInvalidArgument},
	} {
		_, err := crow.New(kit, tc.token, tc.opts...)
		require.ErrorIs(t, err, tc.want, name)
	}
}

func TestCustomAuthHeader(t *testing.T) {
	srv := crowtest.NewServer(t, crowtest.WithAuthHeader("X-API-Key", ""), crowtest.WithToken("mgmt-key-123"))
	c := srv.Client(t)
	_, err := c.ListEndpointConfigs(t.Context(), product)
	require.NoError(t, err)
	last, _ := srv.LastRequest()
	assert.Equal(t, "mgmt-key-123", last.Header.Get("X-API-Key"))
	assert.Empty(t, last.Header.Get("Authorization"))

	// The default Bearer header is refused by this server.
	wrong, err := crow.New(vendorkittest.NewClient(t), "mgmt-key-123", crow.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	_, err = wrong.ListEndpointConfigs(t.Context(), product)
	require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
}

func TestEndpointConfigErrors(t *testing.T) {
	srv := crowtest.NewServer(t)
	c := srv.Client(t)
	ctx := t.Context()
	good := map[string]crow.EndpointConfig{"ws": {BaseURL: "https://ws.app.com", Auth: crow.BearerAuth("secret-token-abcd")}}
	for _, tc := range []struct {
		name       string
		status     int
		body       string
		want       []error
		message    string
		fields     map[string][]string
		retryAfter string
	}{
		{name: "unauthorized", status: 401, body: `{"detail":"Not authenticated"}`, want: []error{vendorkit.ErrUnauthorized}, message: "Not authenticated"},
		{name: "forbidden", status: 403, body: `{"detail":"Not your product"}`, want: []error{vendorkit.ErrForbidden}, message: "Not your product"},
		{name: "validation", status: 422,
			body: `{"detail":[{"type":"missing","loc":["body","configs","ws","api_base_url"],"msg":"Field required","input":{"api_auth_config":{"auth_type":"bearer","token":"secret-token-abcd"}}}]}`,
			want: []error{vendorkit.ErrBadRequest}, message: "configs.ws.api_base_url: Field required",
			fields: map[string][]string{"configs.ws.api_base_url": {"Field required"}}},
		{name: "error shape", status: 400, body: `{"error":"Invalid configs"}`, want: []error{vendorkit.ErrBadRequest}, message: "Invalid configs"},
		{name: "html", status: 502, body: `<html><title>Bad gateway</title></html>`, want: []error{vendorkit.ErrServer}, message: "Bad gateway"},
		{name: "rate limited", status: 429, body: `{"detail":"Too many requests"}`, want: []error{vendorkit.ErrRateLimited}, retryAfter: "120"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.FailNext(1, tc.status, tc.body, tc.retryAfter)
			_, err := c.MergeEndpointConfigs(ctx, product, good)
			for _, w := range tc.want {
				require.ErrorIs(t, err, w)
			}
			var apiErr *vendorkit.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "MergeEndpointConfigs", apiErr.Operation)
			if tc.message != "" {
				assert.Equal(t, tc.message, apiErr.Message)
			}
			if tc.fields != nil {
				assert.Equal(t, tc.fields, apiErr.Fields)
			}
			// The token echoed by the server never stays in the error.
			assert.NotContains(t, string(apiErr.Body), "secret-token-abcd")
			b, _ := json.Marshal(apiErr)
			assert.NotContains(t, string(b), "secret-token-abcd")
			assert.NotContains(t, err.Error(), "secret-token-abcd")
		})
	}
}

func TestRetriesAgainstFake(t *testing.T) {
	srv := crowtest.NewServer(t)
	c := srv.Client(t)
	srv.SetConfigs(product, map[string]crow.EndpointConfig{"ws": {BaseURL: "https://ws.app.com", Auth: crow.NoAuth()}})
	srv.FailNext(2, 503, `{"detail":"down"}`, "")
	list, err := c.ListEndpointConfigs(t.Context(), product)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	assert.Equal(t, 3, srv.Count("GET", "/products/prod_123/endpoint-configs"))

	// A merge (PATCH) is not repeated after a 5xx: the server may have acted.
	srv.FailNext(1, 500, `{"detail":"oops"}`, "")
	_, err = c.MergeEndpointConfigs(t.Context(), product, map[string]crow.EndpointConfig{"ws": {BaseURL: "https://ws.app.com", Auth: crow.NoAuth()}})
	require.ErrorIs(t, err, vendorkit.ErrServer)
	assert.Equal(t, 1, srv.Count("PATCH", "/products/prod_123/endpoint-configs"))
}

func TestAuthConfigNeverPrintsToken(t *testing.T) {
	const tok = "super-secret-token-9876"
	cfg := crow.EndpointConfig{BaseURL: "https://ws.app.com", Auth: crow.APIKeyAuth("X-API-Key", tok)}
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("config", "auth", cfg.Auth, "cfg", cfg)
	logger.Info("configs", "m", map[string]crow.EndpointConfig{"ws": cfg})
	for _, s := range []string{
		fmt.Sprint(cfg), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg.Auth), fmt.Sprintf("%#v", cfg.Auth),
		fmt.Sprint(map[string]crow.EndpointConfig{"ws": cfg}), logs.String(),
	} {
		assert.NotContains(t, s, tok)
	}
	assert.Contains(t, cfg.Auth.String(), "X-API-Key")

	// Marshalled JSON is redacted; Crow's wire format is read in full.
	b, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"api_base_url":"https://ws.app.com","api_auth_config":{"auth_type":"api_key","header_name":"X-API-Key","token":"<redacted>"}}`, string(b))
	var back crow.EndpointConfig
	require.NoError(t, json.Unmarshal([]byte(`{"api_base_url":"https://ws.app.com","api_auth_config":{"auth_type":"api_key","header_name":"X-API-Key","token":"super-secret-token-9876"}}`), &back))
	assert.Equal(t, cfg, back)

	var unknown crow.AuthConfig
	require.NoError(t, json.Unmarshal([]byte(`{"auth_type":"basic","token":"abc"}`), &unknown))
	assert.Equal(t, crow.AuthType("basic"), unknown.Type())
	assert.Equal(t, "abc", unknown.Token())
	require.Error(t, json.Unmarshal([]byte(`{"token":"abc"}`), &unknown))
}
