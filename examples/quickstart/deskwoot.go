package main

import (
	"context"
	"errors"
	"os"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func init() { demos = append(demos, demo{"deskwoot", runDeskwoot}) }

// runDeskwoot reads the token's account and the open conversations; against
// the fake it also opens a conversation, adds a private note and checks a
// signed webhook delivery. With DESKWOOT_TOKEN set it runs read-only against
// Deskwoot itself (DESKWOOT_BASE_URL overrides https://deskwoot.com/api),
// paced at the documented 60 requests/minute.
func runDeskwoot(ctx context.Context, kit *vendorkit.Client, out *printer) error {
	token := os.Getenv("DESKWOOT_TOKEN")
	base := os.Getenv("DESKWOOT_BASE_URL")
	var opts []deskwoot.Option
	var srv *deskwoottest.Server
	if token == "" {
		t := vendorkittest.Standalone()
		defer t.Close()
		// The fake enforces the real per-token limit scaled by 100, and the
		// client paces itself to match, so the demo runs in milliseconds.
		srv = deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 100))
		token, base = srv.Token(), srv.URL()
		opts = append(opts, deskwoot.WithRateLimit(6000, 10))
		out.Printf("fake Deskwoot at %s (set DESKWOOT_TOKEN to use the real API)", base)
	}
	if base != "" {
		opts = append(opts, deskwoot.WithBaseURL(base))
	}
	desk, err := deskwoot.New(kit, token, opts...)
	if err != nil {
		return err
	}

	me, err := desk.Me(ctx)
	if err != nil {
		if errors.Is(err, vendorkit.ErrForbidden) {
			out.Printf("forbidden: %v", err) // missing scope, or no Enterprise plan/trial
		}
		return err
	}
	out.Printf("account %s, auth %s, scopes %v", me.AccountID, me.AuthMethod, me.Scopes)

	if srv != nil {
		inboxes, err := desk.ListInboxes(ctx)
		if err != nil {
			return err
		}
		contact, err := desk.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Grace Hopper"), Email: vendorkit.Ptr("grace@example.com")})
		if err != nil {
			return err
		}
		conv, err := desk.CreateConversation(ctx, deskwoot.NewConversation{InboxID: inboxes[0].ID, ContactID: contact.ID, Message: "Thanks for reaching out!"})
		if err != nil {
			return err
		}
		if _, err := desk.SendMessage(ctx, conv.ID, deskwoot.NewMessage{Content: "VIP customer", Private: true}); err != nil {
			return err
		}
		out.Printf("opened conversation #%d in %q with a private note", conv.DisplayID, inboxes[0].Name)

		secret := srv.WebhookSecret(me.AccountID)
		body := []byte(`{"event":"conversation.created","data":{"id":"` + conv.ID + `","status":"OPEN"}}`)
		sig := deskwoot.SignWebhook(secret, body)
		out.Printf("webhook signature valid: %t, tampered: %v", deskwoot.VerifyWebhook(secret, body, sig) == nil,
			deskwoot.VerifyWebhook(secret, append(body, ' '), sig))
	}

	page, err := desk.ListConversations(ctx, deskwoot.ConversationFilter{Status: deskwoot.StatusOpen, PageSize: 25})
	if err != nil {
		return err
	}
	out.Printf("%d open conversation(s) on the first page", len(page.Items))
	for _, c := range page.Items {
		out.Printf("  #%d %s priority=%q updated %s", c.DisplayID, c.Status, c.Priority, c.UpdatedAt.Format("2006-01-02 15:04"))
	}
	return nil
}
