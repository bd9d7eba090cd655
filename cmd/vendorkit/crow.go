package main

import (
	"context"
	"fmt"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// fakeCrowProduct is the product the Crow fake serves with --fake.
const fakeCrowProduct = "prod_demo"

var crowVendor = &vendor{
	name:  "crow",
	env:   envNames{token: "CROW_TOKEN", base: "CROW_BASE_URL", product: "CROW_PRODUCT_ID"},
	gets:  []resource{{name: "endpoint-config", args: "<subdomain key>"}},
	lists: []resource{{name: "endpoint-configs", doc: "of CROW_PRODUCT_ID (or --product-id); tokens come back masked"}},
	startFake: func(t *vendorkittest.StandaloneT) settings {
		srv := crowtest.NewServer(t)
		srv.SetConfigs(fakeCrowProduct, map[string]crow.EndpointConfig{
			"workspace1": {BaseURL: "https://workspace1.app.com/api", Auth: crow.BearerAuth("token-for-ws1")},
			"workspace2": {BaseURL: "https://workspace2.app.com/api", Auth: crow.APIKeyAuth("X-API-Key", "key-for-ws2")},
		})
		return settings{token: srv.Token(), baseURL: srv.URL(), productID: fakeCrowProduct}
	},
	open: func(kit *vendorkit.Client, s settings) (*conn, error) {
		var opts []crow.Option
		if s.baseURL != "" {
			opts = append(opts, crow.WithBaseURL(s.baseURL))
		}
		c, err := crow.New(kit, s.token, opts...)
		if err != nil {
			return nil, err
		}
		product := s.productID
		configs := func(ctx context.Context) (map[string]crow.EndpointConfig, error) {
			if product == "" {
				return nil, usagef("crow: set CROW_PRODUCT_ID or --product-id")
			}
			return c.ListEndpointConfigs(ctx, product)
		}
		return &conn{
			// Crow's management API has no "who am I": the cheapest read is
			// the product's endpoint configs.
			check: func(ctx context.Context) (string, error) {
				m, err := configs(ctx)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("product %s, %d endpoint config(s)", product, len(m)), nil
			},
			get: map[string]func(context.Context, string) (any, error){
				"endpoint-config": func(ctx context.Context, key string) (any, error) {
					m, err := configs(ctx)
					if err != nil {
						return nil, err
					}
					cfg, ok := m[key]
					if !ok {
						return nil, fmt.Errorf("crow: endpoint config %q of product %s: %w", key, product, crow.ErrSubdomainNotFound)
					}
					return keyed[crow.EndpointConfig]{Key: key, Value: cfg}, nil
				},
			},
			list: map[string]func(context.Context, *filters, func(any) error) error{
				"endpoint-configs": func(ctx context.Context, _ *filters, emit func(any) error) error {
					m, err := configs(ctx)
					return emitMap(m, err, emit)
				},
			},
		}, nil
	},
}
