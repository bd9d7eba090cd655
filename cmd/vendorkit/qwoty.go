package main

import (
	"context"
	"fmt"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

var qwotyVendor = &vendor{
	name:  "qwoty",
	env:   envNames{token: "QWOTY_TOKEN", base: "QWOTY_BASE_URL"},
	gets:  []resource{{name: "payment-term", args: "<id>"}, {name: "quote", args: "<id>"}},
	lists: []resource{{name: "payment-terms"}},
	startFake: func(t *vendorkittest.StandaloneT) settings {
		srv := qwotytest.NewServer(t)
		return settings{token: qwotytest.Token, baseURL: srv.URL()}
	},
	open: func(kit *vendorkit.Client, s settings) (*conn, error) {
		var opts []qwoty.Option
		if s.baseURL != "" {
			opts = append(opts, qwoty.WithBaseURL(s.baseURL))
		}
		q, err := qwoty.New(kit, s.token, opts...)
		if err != nil {
			return nil, err
		}
		return &conn{
			// Qwoty has no "who am I": the cheapest read is the token's
			// workspace's payment terms.
			check: func(ctx context.Context) (string, error) {
				terms, err := q.ListPaymentTerms(ctx)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("workspace with %d payment term(s)", len(terms)), nil
			},
			get: map[string]func(context.Context, string) (any, error){
				"payment-term": byID(q.GetPaymentTerm),
				"quote":        byID(q.GetQuote),
			},
			list: map[string]func(context.Context, *filters, func(any) error) error{
				"payment-terms": func(ctx context.Context, _ *filters, emit func(any) error) error {
					return emitAll(q.AllPaymentTerms(ctx), emit)
				},
			},
		}, nil
	},
}
