package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

var woodpeckerVendor = &vendor{
	name: "woodpecker",
	env:  envNames{token: "WOODPECKER_API_KEY", base: "WOODPECKER_BASE_URL", company: "WOODPECKER_COMPANY_ID"},
	gets: []resource{{name: "me"}, {name: "mailbox", args: "<id>"}, {name: "campaign", args: "<id>"}},
	lists: []resource{
		{name: "mailboxes"},
		{name: "campaigns", filters: []string{"status", "id"}, doc: "status and id take comma lists"},
		{name: "prospects", filters: []string{"status", "campaign", "activity", "sort", "id", "search.<field>"}, doc: "e.g. --filter search.email=x@y.com"},
		{name: "users", filters: []string{"sort"}},
		{name: "companies", filters: []string{"active"}, doc: "agency HQ key"},
		{name: "api-keys", filters: []string{"company"}, doc: "agency HQ key; --filter company=ID is required"},
		{name: "email-accounts", filters: []string{"company"}, doc: "agency HQ key; --filter company=ID is required"},
	},
	startFake: func(t *vendorkittest.StandaloneT) settings {
		srv := woodpeckertest.NewServer(t, woodpeckertest.WithProcessingTime(time.Millisecond))
		return settings{token: woodpeckertest.HQKey, baseURL: srv.URL()}
	},
	open: func(kit *vendorkit.Client, s settings) (*conn, error) {
		var opts []woodpecker.Option
		if s.baseURL != "" {
			opts = append(opts, woodpecker.WithBaseURL(s.baseURL))
		}
		wp, err := woodpecker.New(kit, s.token, opts...)
		if err != nil {
			return nil, err
		}
		if s.companyID != "" {
			id, err := parseID("woodpecker company id", s.companyID)
			if err != nil {
				return nil, err
			}
			if wp, err = wp.ForCompany(id); err != nil {
				return nil, err
			}
		}
		return &conn{
			check: func(ctx context.Context) (string, error) {
				me, err := wp.Me(ctx)
				if err != nil {
					return "", err
				}
				who := me.Name
				if me.Email != "" {
					who = strings.TrimSpace(who + " <" + me.Email + ">")
				}
				return fmt.Sprintf("%s, company %q (%d)", who, me.CompanyName, me.CompanyID), nil
			},
			get: map[string]func(context.Context, string) (any, error){
				"me":       noID(wp.Me),
				"mailbox":  byNumericID(wp.GetMailbox),
				"campaign": byNumericID(wp.GetCampaign),
			},
			list: map[string]func(context.Context, *filters, func(any) error) error{
				"mailboxes": func(ctx context.Context, _ *filters, emit func(any) error) error {
					boxes, err := wp.ListMailboxes(ctx)
					return emitSlice(boxes, err, emit)
				},
				"campaigns": func(ctx context.Context, f *filters, emit func(any) error) error {
					var cf woodpecker.CampaignFilter
					for _, s := range splitList(f.str("status")) {
						cf.Statuses = append(cf.Statuses, woodpecker.CampaignStatus(strings.ToUpper(s)))
					}
					ids, err := f.ids("id")
					if err != nil {
						return err
					}
					cf.IDs = ids
					cs, err := wp.ListCampaigns(ctx, cf)
					return emitSlice(cs, err, emit)
				},
				"prospects": func(ctx context.Context, f *filters, emit func(any) error) error {
					q := woodpecker.ProspectQuery{
						Status:   woodpecker.ProspectStatus(strings.ToUpper(f.str("status"))),
						Activity: f.str("activity"),
						Sort:     f.str("sort"),
					}
					var err error
					if q.IDs, err = f.ids("id"); err != nil {
						return err
					}
					if q.CampaignIDs, err = f.ids("campaign"); err != nil {
						return err
					}
					for _, k := range f.keys {
						if field, ok := strings.CutPrefix(k, "search."); ok {
							if q.Search == nil {
								q.Search = map[string]string{}
							}
							q.Search[field] = f.vals[k]
						}
					}
					return emitAll(wp.AllProspects(ctx, q), emit)
				},
				"users": func(ctx context.Context, f *filters, emit func(any) error) error {
					return emitAll(wp.AllUsers(ctx, woodpecker.ListUsersOptions{Sort: f.str("sort")}), emit)
				},
				"companies": func(ctx context.Context, f *filters, emit func(any) error) error {
					active, err := f.boolPtr("active")
					if err != nil {
						return err
					}
					return emitAll(wp.AllCompanies(ctx, woodpecker.ListCompaniesOptions{Active: active}), emit)
				},
				"api-keys": func(ctx context.Context, f *filters, emit func(any) error) error {
					id, err := requiredID(f, "company")
					if err != nil {
						return err
					}
					return emitAll(wp.AllCompanyAPIKeys(ctx, id), emit)
				},
				"email-accounts": func(ctx context.Context, f *filters, emit func(any) error) error {
					id, err := requiredID(f, "company")
					if err != nil {
						return err
					}
					as, err := wp.ListCompanyEmailAccounts(ctx, id)
					return emitSlice(as, err, emit)
				},
			},
		}, nil
	},
}

func requiredID(f *filters, key string) (int64, error) {
	id, err := f.id(key)
	if err == nil && id == 0 {
		err = usagef("--filter %s=ID is required", key)
	}
	return id, err
}
