package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

var deskwootVendor = &vendor{
	name: "deskwoot",
	env:  envNames{token: "DESKWOOT_TOKEN", base: "DESKWOOT_BASE_URL"},
	gets: []resource{
		{name: "me"}, {name: "conversation", args: "<id>"}, {name: "contact", args: "<id>"}, {name: "inbox", args: "<id>"},
	},
	lists: []resource{
		{name: "conversations", filters: []string{"status", "assignee", "team", "inbox", "label", "page_size"}},
		{name: "contacts", filters: []string{"search", "segment", "page_size"}},
		{name: "messages", filters: []string{"conversation"}, doc: "--filter conversation=ID is required"},
		{name: "inboxes"}, {name: "labels"}, {name: "teams"}, {name: "agents"},
		{name: "canned-responses"}, {name: "automation-rules"}, {name: "webhooks"}, {name: "bots"},
	},
	startFake: func(t *vendorkittest.StandaloneT) settings {
		// The fake enforces the real limit scaled by 100 and the client is
		// paced to match (see open), as in the quickstart.
		srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 100))
		acct := srv.AccountID()
		grace := srv.AddContact(acct, deskwoot.ContactInput{Name: vendorkit.Ptr("Grace Hopper"), Email: vendorkit.Ptr("grace@example.com")})
		srv.AddConversation(acct, grace.ID, "The compiler is down", deskwoot.StatusOpen)
		srv.AddConversation(acct, grace.ID, "Thanks, fixed", deskwoot.StatusResolved)
		return settings{token: srv.Token(), baseURL: srv.URL()}
	},
	open: func(kit *vendorkit.Client, s settings) (*conn, error) {
		var opts []deskwoot.Option
		if s.baseURL != "" {
			opts = append(opts, deskwoot.WithBaseURL(s.baseURL))
		}
		if s.accountID != "" {
			opts = append(opts, deskwoot.WithAccountID(s.accountID))
		}
		if s.fake {
			opts = append(opts, deskwoot.WithRateLimit(6000, 10))
		}
		desk, err := deskwoot.New(kit, s.token, opts...)
		if err != nil {
			return nil, err
		}
		return &conn{
			check: func(ctx context.Context) (string, error) {
				me, err := desk.Me(ctx)
				if err != nil {
					return "", err
				}
				who := me.User.Email
				if who == "" {
					who = me.AuthMethod
				}
				return fmt.Sprintf("%s, account %s, scopes %s", who, me.AccountID, strings.Join(me.Scopes, " ")), nil
			},
			get: map[string]func(context.Context, string) (any, error){
				"me":           noID(desk.Me),
				"conversation": byID(desk.GetConversation),
				"contact":      byID(desk.GetContact),
				"inbox":        byID(desk.GetInbox),
			},
			list: map[string]func(context.Context, *filters, func(any) error) error{
				"conversations": func(ctx context.Context, f *filters, emit func(any) error) error {
					size, err := f.int("page_size")
					if err != nil {
						return err
					}
					return emitAll(desk.AllConversations(ctx, deskwoot.ConversationFilter{
						Status: deskwoot.ConversationStatus(strings.ToUpper(f.str("status"))), AssigneeID: f.str("assignee"),
						TeamID: f.str("team"), InboxID: f.str("inbox"), LabelID: f.str("label"), PageSize: size,
					}), emit)
				},
				"contacts": func(ctx context.Context, f *filters, emit func(any) error) error {
					size, err := f.int("page_size")
					if err != nil {
						return err
					}
					return emitAll(desk.AllContacts(ctx, deskwoot.ContactFilter{
						Search: f.str("search"), Segment: deskwoot.ContactSegment(strings.ToLower(f.str("segment"))), PageSize: size,
					}), emit)
				},
				"messages": func(ctx context.Context, f *filters, emit func(any) error) error {
					id := f.str("conversation")
					if id == "" {
						return usagef("--filter conversation=ID is required")
					}
					ms, err := desk.ListMessages(ctx, id)
					return emitSlice(ms, err, emit)
				},
				"inboxes": func(ctx context.Context, _ *filters, emit func(any) error) error {
					v, err := desk.ListInboxes(ctx)
					return emitSlice(v, err, emit)
				},
				"labels": func(ctx context.Context, _ *filters, emit func(any) error) error {
					v, err := desk.ListLabels(ctx)
					return emitSlice(v, err, emit)
				},
				"teams": func(ctx context.Context, _ *filters, emit func(any) error) error {
					v, err := desk.ListTeams(ctx)
					return emitSlice(v, err, emit)
				},
				"agents": func(ctx context.Context, _ *filters, emit func(any) error) error {
					v, err := desk.ListAgents(ctx)
					return emitSlice(v, err, emit)
				},
				"canned-responses": func(ctx context.Context, _ *filters, emit func(any) error) error {
					v, err := desk.ListCannedResponses(ctx)
					return emitSlice(v, err, emit)
				},
				"automation-rules": func(ctx context.Context, _ *filters, emit func(any) error) error {
					v, err := desk.ListAutomationRules(ctx)
					return emitSlice(v, err, emit)
				},
				"webhooks": func(ctx context.Context, _ *filters, emit func(any) error) error {
					v, err := desk.ListWebhooks(ctx)
					return emitSlice(v, err, emit)
				},
				"bots": func(ctx context.Context, _ *filters, emit func(any) error) error {
					v, err := desk.ListBots(ctx)
					return emitSlice(v, err, emit)
				},
			},
		}, nil
	},
}
