package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func init() { demos = append(demos, demo{"crow", runCrow}) }

// runCrow shows both sides of Crow: an API protected for JWT Forward, called
// the way Crow calls it, and the endpoint-configs management API — against
// the fake, unless CROW_TOKEN is set: then it only lists the endpoint configs
// of CROW_PRODUCT_ID on Crow itself (CROW_BASE_URL optional).
func runCrow(ctx context.Context, kit *vendorkit.Client, out *printer) error {
	if err := crowTools(ctx, out); err != nil {
		return err
	}
	token, base, product := os.Getenv("CROW_TOKEN"), os.Getenv("CROW_BASE_URL"), os.Getenv("CROW_PRODUCT_ID")
	live := token != ""
	if live && product == "" {
		return fmt.Errorf("CROW_TOKEN is set: set CROW_PRODUCT_ID too")
	}
	if !live {
		t := vendorkittest.Standalone()
		defer t.Close()
		srv := crowtest.NewServer(t)
		token, base, product = srv.Token(), srv.URL(), "prod_demo"
		out.Printf("fake Crow endpoint-configs API at %s (set CROW_TOKEN and CROW_PRODUCT_ID to use the real API)", base)
	}
	var opts []crow.Option
	if base != "" {
		opts = append(opts, crow.WithBaseURL(base))
	}
	c, err := crow.New(kit, token, opts...)
	if err != nil {
		return err
	}
	if !live {
		res, err := c.MergeEndpointConfigs(ctx, product, map[string]crow.EndpointConfig{
			"workspace1": {BaseURL: "https://workspace1.app.com/api", Auth: crow.BearerAuth("token-for-ws1")},
			"workspace2": {BaseURL: "https://workspace2.app.com/api", Auth: crow.APIKeyAuth("X-API-Key", "key-for-ws2")},
		})
		if err != nil {
			return err
		}
		out.Printf("merged endpoint configs: added %d, updated %d, total %d", res.Added, res.Updated, res.Total)
	}
	configs, err := c.ListEndpointConfigs(ctx, product)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(configs))
	for k := range configs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out.Printf("subdomain %s → %s, auth %s (token masked: %s)", k, configs[k].BaseURL, configs[k].Auth.Type(), configs[k].Auth.Token())
	}
	return nil
}

// crowTools serves a JWT Forward tool in-process and calls it as Crow does.
func crowTools(ctx context.Context, out *printer) error {
	const secret = "quickstart-verification-secret"
	tool := crow.Middleware(crow.Config{VerificationSecret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := crow.IdentityFrom(r.Context())
		_ = json.NewEncoder(w).Encode(map[string]string{"user_id": id.UserID, "email": id.Email})
	}))
	srv := httptest.NewServer(tool)
	defer srv.Close()
	caller, err := crowtest.NewCaller(crow.ModeJWTForward, srv.URL, crowtest.WithSecret(secret),
		crowtest.WithIdentity(crow.Identity{UserID: "42", Email: "alice@example.com"}))
	if err != nil {
		return err
	}
	resp, err := caller.Get(ctx, "/my/orders")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var who map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&who); err != nil {
		return err
	}
	out.Printf("JWT Forward tool called as Crow does: verified user_id %s <%s>", who["user_id"], who["email"])
	return nil
}
