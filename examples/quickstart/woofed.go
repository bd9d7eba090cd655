package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

func init() { demos = append(demos, demo{"woofed", runWoofed}) }

// runWoofed creates, upserts and searches contacts against the fake, unless
// WOOFED_TOKEN is set: then against Woofed CRM itself (WOOFED_BASE_URL, a
// self-hosted origin or the documented base URL, and WOOFED_ACCOUNT_ID
// optional), where it only searches — and, with -write, first upserts one
// demo contact (an upsert by email does not duplicate it when run again).
func runWoofed(ctx context.Context, kit *vendorkit.Client, out *printer) error {
	token := os.Getenv("WOOFED_TOKEN")
	base := os.Getenv("WOOFED_BASE_URL")
	live := token != ""
	var opts []woofed.Option
	if live {
		if s := os.Getenv("WOOFED_ACCOUNT_ID"); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return fmt.Errorf("WOOFED_ACCOUNT_ID: %w", err)
			}
			opts = append(opts, woofed.WithAccountID(id))
		}
	} else {
		t := vendorkittest.Standalone()
		defer t.Close()
		srv := woofedtest.NewServer(t)
		token, base = srv.Token(), srv.URL()
		out.Printf("fake Woofed CRM at %s (set WOOFED_TOKEN to use the real API)", base)
	}
	if base != "" {
		opts = append(opts, woofed.WithBaseURL(base))
	}
	crm, err := woofed.New(kit, token, opts...)
	if err != nil {
		return err
	}

	if !live {
		c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Ada Lovelace", Email: "ada@example.com", Phone: "+5511999990000", LabelList: []string{"vip"}})
		if err != nil {
			return err
		}
		out.Printf("created contact %d %s <%s>", c.ID, c.FullName, c.Email)
	}

	var c woofed.Contact
	if !live || liveWrites {
		var created bool
		c, created, err = crm.UpsertContact(ctx, woofed.ContactInput{FullName: "Ada King", Email: "ada@example.com"})
		if err != nil {
			return err
		}
		out.Printf("upserted contact %d %s (created=%t)", c.ID, c.FullName, created)
	}

	page, err := crm.SearchContacts(ctx, 1, woofed.Cont("email", "ada@"))
	if err != nil {
		return err
	}
	out.Printf("search email_cont=ada@: %d match(es), page %d of %d", page.Pagination.Count, page.Pagination.Page, page.Pagination.Pages)
	if live {
		return nil
	}

	deal, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "Analytical Engine", ContactID: c.ID, PipelineID: 1})
	if err != nil {
		return err
	}
	ev, err := crm.CreateDealEvent(ctx, deal.ID, woofed.EventInput{Kind: woofed.EventNote, Content: "Sent the proposal"})
	if err != nil {
		return err
	}
	out.Printf("deal %d %q (%s) with a %s event", deal.ID, deal.Name, deal.Status, ev.Kind)

	for i := range 21 {
		if _, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: fmt.Sprintf("Lead %d", i+1), Email: fmt.Sprintf("lead%d@example.com", i+1)}); err != nil {
			return err
		}
	}
	n := 0
	for _, err := range crm.AllContacts(ctx, woofed.Cont("email", "@example.com")) {
		if err != nil {
			return err
		}
		n++
	}
	out.Printf("AllContacts walked %d contacts over 3 pages of 10", n)

	_, err = crm.CreateContact(ctx, woofed.ContactInput{Phone: "(11) 99999-0000"})
	out.Printf("phone not in E.164: refused before sending=%t", errors.Is(err, vendorkit.ErrInvalidArgument))
	_, err = crm.GetContact(ctx, 9999)
	var apiErr *vendorkit.APIError
	if errors.As(err, &apiErr) {
		out.Printf("get a missing contact: %d %q, not found=%t", apiErr.StatusCode, apiErr.Message, errors.Is(err, vendorkit.ErrNotFound))
	}
	return nil
}
