package crow_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// A JWT Forward tool: Crow forwards the widget user's identity token, the
// middleware verifies it and the handler reads who the user is.
func ExampleMiddleware() {
	secret := "crow-verification-secret" // os.Getenv("CROW_VERIFICATION_SECRET")
	orders := crow.Middleware(crow.Config{VerificationSecret: secret})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := crow.IdentityFrom(r.Context())
			fmt.Fprintf(w, "orders of user %s (%s)", id.UserID, id.Mode)
		}))

	token, _ := crow.MintIdentityToken(secret, crow.Identity{UserID: "42"}, time.Hour)
	for _, auth := range []string{"Bearer " + token, ""} {
		req := httptest.NewRequest(http.MethodGet, "/my/orders", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		orders.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Body.String())
	}
	// Output:
	// 200 orders of user 42 (jwt_forward)
	// 401 {"error":"Invalid token"}
}

// Several modes at once, with two API keys valid during a rotation.
func ExampleNewAuthenticator() {
	auth, err := crow.NewAuthenticator(crow.Config{
		APIKeys:     []string{"old-key-123456", "new-key-654321"},
		ServiceKeys: []string{"mcp-service-key-0001"},
	})
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/tools/search", nil)
	req.Header.Set("X-Service-Key", "mcp-service-key-0001")
	req.Header.Set("X-User-ID", "user_456")
	req.Header.Set("X-Tenant-ID", "t_789")
	id, err := auth.Authenticate(req)
	fmt.Println(id.Mode, id.UserID, id.TenantID, err)

	req.Header.Set("X-Service-Key", "guess")
	_, err = auth.Authenticate(req)
	fmt.Println(errors.Is(err, crow.ErrKeyMismatch), errors.Is(err, vendorkit.ErrUnauthorized))
	// Output:
	// service_key user_456 t_789 <nil>
	// true true
}

// The documented token endpoint, GET /api/crow-token, behind your own login.
func ExampleTokenHandler() {
	secret := "crow-verification-secret"
	h := crow.TokenHandler(secret, func(r *http.Request) (crow.Identity, error) {
		if r.Header.Get("Cookie") != "session=alice" { // your own session check
			return crow.Identity{}, errors.New("not signed in")
		}
		return crow.Identity{UserID: "42", Email: "alice@example.com"}, nil
	})
	req := httptest.NewRequest(http.MethodGet, "/api/crow-token", nil)
	req.Header.Set("Cookie", "session=alice")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body struct{ Token string }
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	id, err := crow.ParseIdentityToken(secret, body.Token, 0, nil)
	fmt.Println(rec.Code, id.UserID, id.Email, err)
	// Output: 200 42 alice@example.com <nil>
}

// Managing multi-subdomain endpoint configs, here against the fake.
func ExampleClient_MergeEndpointConfigs() {
	t := vendorkittest.Standalone()
	defer t.Close()
	srv := crowtest.NewServer(t)

	c, err := crow.New(nil, srv.Token(), crow.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	res, err := c.MergeEndpointConfigs(ctx, "prod_123", map[string]crow.EndpointConfig{
		"workspace1": {BaseURL: "https://workspace1.app.com/api", Auth: crow.BearerAuth("token-for-ws1")},
		"workspace2": {BaseURL: "https://workspace2.app.com/api", Auth: crow.APIKeyAuth("X-API-Key", "key-for-ws2")},
	})
	fmt.Printf("%+v %v\n", res, err)

	configs, _ := c.ListEndpointConfigs(ctx, "prod_123")
	ws1 := configs["workspace1"]
	fmt.Println(ws1.Auth.Token(), ws1.Auth.Masked(), ws1.Auth)

	err = c.DeleteEndpointConfig(ctx, "prod_123", "Workspace1") // keys are case-sensitive
	fmt.Println(errors.Is(err, crow.ErrSubdomainNotFound))
	// Output:
	// {Added:2 Updated:0 Total:2} <nil>
	// ****-ws1 true bearer(token=<masked>)
	// true
}
