package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

var woofedVendor = &vendor{
	name: "woofed",
	env:  envNames{token: "WOOFED_TOKEN", base: "WOOFED_BASE_URL", account: "WOOFED_ACCOUNT_ID"},
	gets: []resource{
		{name: "contact", args: "<id>"}, {name: "deal", args: "<id>"},
		{name: "product", args: "<id>"}, {name: "deal-product", args: "<id>"},
	},
	lists: []resource{
		{name: "contacts", filters: []string{"*"}, doc: "Ransack predicates, e.g. --filter email_cont=@example.com"},
		{name: "products", filters: []string{"*"}, doc: "Ransack predicates, e.g. --filter name_cont=plan"},
		{name: "users", filters: []string{"*"}, doc: "Ransack predicates, e.g. --filter email_eq=ada@example.com"},
	},
	startFake: func(t *vendorkittest.StandaloneT) settings {
		srv := woofedtest.NewServer(t)
		for _, c := range []woofed.Contact{
			{FullName: "Ada Lovelace", Email: "ada@example.com", Phone: "+5511999990000"},
			{FullName: "Grace Hopper", Email: "grace@example.com"},
			{FullName: "Alan Turing", Email: "alan@example.org"},
		} {
			srv.AddContact(c)
		}
		srv.AddProduct(woofed.Product{Name: "Annual plan", Identifier: "annual", AmountInCents: 120000, QuantityAvailable: 10})
		return settings{token: srv.Token(), baseURL: srv.URL()}
	},
	open: func(kit *vendorkit.Client, s settings) (*conn, error) {
		var opts []woofed.Option
		if s.baseURL != "" {
			opts = append(opts, woofed.WithBaseURL(s.baseURL))
		}
		account := int64(1)
		if s.accountID != "" {
			id, err := parseID("woofed account id", s.accountID)
			if err != nil {
				return nil, err
			}
			account = id
			opts = append(opts, woofed.WithAccountID(id))
		}
		crm, err := woofed.New(kit, s.token, opts...)
		if err != nil {
			return nil, err
		}
		return &conn{
			// Woofed has no "who am I": the cheapest read is the first page
			// of the account's users.
			check: func(ctx context.Context) (string, error) {
				page, err := crm.SearchUsers(ctx, 1)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("account %d, %d user(s)", account, page.Pagination.Count), nil
			},
			get: map[string]func(context.Context, string) (any, error){
				"contact":      byNumericID(crm.GetContact),
				"deal":         byNumericID(crm.GetDeal),
				"product":      byNumericID(crm.GetProduct),
				"deal-product": byNumericID(crm.GetDealProduct),
			},
			list: map[string]func(context.Context, *filters, func(any) error) error{
				"contacts": func(ctx context.Context, f *filters, emit func(any) error) error {
					return emitAll(crm.AllContacts(ctx, ransack(f)...), emit)
				},
				"products": func(ctx context.Context, f *filters, emit func(any) error) error {
					return emitAll(crm.AllProducts(ctx, ransack(f)...), emit)
				},
				"users": func(ctx context.Context, f *filters, emit func(any) error) error {
					return emitAll(crm.AllUsers(ctx, ransack(f)...), emit)
				},
			},
		}, nil
	},
}

// ransack turns --filter key=value pairs into Woofed search predicates: a
// comma list for _in, a boolean for _null and _not_null, a string
// otherwise. woofed.Where refuses unknown predicates before sending.
func ransack(f *filters) []woofed.Predicate {
	var where []woofed.Predicate
	for _, k := range f.keys {
		v := f.vals[k]
		switch {
		case strings.HasSuffix(k, "_in"):
			where = append(where, woofed.Where(k, splitList(v)))
		case strings.HasSuffix(k, "_null"):
			b, err := strconv.ParseBool(v)
			if err != nil {
				where = append(where, woofed.Where(k, v)) // refused by the facade as invalid
				continue
			}
			where = append(where, woofed.Where(k, b))
		default:
			where = append(where, woofed.Where(k, v))
		}
	}
	return where
}
