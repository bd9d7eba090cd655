package deskwoot_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// Example opens a conversation, adds a private note and walks the open
// conversations, against the fake server.
func Example() {
	t := vendorkittest.Standalone()
	defer t.Close()
	// The real limit is 60 requests/minute per token, and the client paces
	// itself at it; the example scales both sides up to run fast.
	srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 100))

	kit, _ := vendorkit.New()
	desk, err := deskwoot.New(kit, srv.Token(), deskwoot.WithBaseURL(srv.URL()), deskwoot.WithRateLimit(6000, 10))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	inboxes, _ := desk.ListInboxes(ctx)
	contact, _ := desk.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Grace Hopper"), Email: vendorkit.Ptr("grace@example.com")})
	conv, err := desk.CreateConversation(ctx, deskwoot.NewConversation{InboxID: inboxes[0].ID, ContactID: contact.ID, Message: "Your invoice is attached."})
	if err != nil {
		fmt.Println(err)
		return
	}
	note, _ := desk.SendMessage(ctx, conv.ID, deskwoot.NewMessage{Content: "Customer asked twice", Private: true})
	fmt.Println("conversation", conv.DisplayID, conv.Status, "note private:", note.Private)

	for c, err := range desk.AllConversations(ctx, deskwoot.ConversationFilter{Status: deskwoot.StatusOpen}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("open:", c.DisplayID, c.ContactID == contact.ID)
	}
	// Output:
	// conversation 1 OPEN note private: true
	// open: 1 true
}

// ExampleVerifyWebhook checks a delivery's X-Deskwoot-Signature before
// trusting its body.
func ExampleVerifyWebhook() {
	secret := "whsec_from_settings"
	body := []byte(`{"event":"contact.created","data":{"id":"cmk1","accountId":"cma1","name":"Ada"}}`)
	signature := deskwoot.SignWebhook(secret, body) // what Deskwoot sends

	if err := deskwoot.VerifyWebhook(secret, body, signature); err != nil {
		fmt.Println("refused:", err)
		return
	}
	e, _ := deskwoot.ParseEvent(body)
	if c, ok := e.(*deskwoot.ContactCreated); ok {
		fmt.Println(c.Name(), c.Contact.Name)
	}
	err := deskwoot.VerifyWebhook(secret, []byte(`{"event":"contact.created","data":{}}`), signature)
	fmt.Println(errors.Is(err, deskwoot.ErrInvalidSignature))
	// Output:
	// contact.created Ada
	// true
}

// Example_forbidden shows the two documented causes of a 403.
func Example_forbidden() {
	t := vendorkittest.Standalone()
	defer t.Close()
	srv := deskwoottest.NewServer(t)
	readOnly := srv.AddToken(srv.AccountID(), deskwoottest.ScopeRead)

	desk, _ := deskwoot.New(nil, readOnly, deskwoot.WithBaseURL(srv.URL()), deskwoot.WithAccountID(srv.AccountID()))
	_, err := desk.CreateLabel(context.Background(), deskwoot.LabelInput{Title: vendorkit.Ptr("vip")})
	fmt.Println(errors.Is(err, vendorkit.ErrForbidden), errors.Is(err, deskwoot.ErrMissingScope))

	var apiErr *vendorkit.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Message)
	}
	// Output:
	// true true
	// Insufficient scope: this endpoint requires the write scope (either the token lacks the scope this endpoint needs (edit or recreate it with the right access) or the account is not on the Enterprise plan or its 7-day trial, which the REST API requires)
}

// escalate is application code: it depends on deskwoot.API, not on
// *deskwoot.Client, so its tests can pass a stub.
func escalate(ctx context.Context, desk deskwoot.API, conversationID string) error {
	_, err := desk.UpdateConversation(ctx, conversationID, deskwoot.ConversationUpdate{Priority: vendorkit.Ptr(deskwoot.PriorityUrgent)})
	return err
}

// stubDesk implements deskwoot.API by embedding it (methods it does not
// override panic if called) and records UpdateConversation.
type stubDesk struct {
	deskwoot.API
	updates []deskwoot.ConversationUpdate
}

func (s *stubDesk) UpdateConversation(_ context.Context, id string, u deskwoot.ConversationUpdate) (deskwoot.Conversation, error) {
	s.updates = append(s.updates, u)
	return deskwoot.Conversation{ID: id, Priority: *u.Priority}, nil
}

// Example_mockAPI tests code written against deskwoot.API with a stub, no
// server at all (deskwoottest is the other way, for the whole HTTP path).
func Example_mockAPI() {
	stub := &stubDesk{}
	if err := escalate(context.Background(), stub, "cmconv1"); err != nil {
		fmt.Println(err)
	}
	fmt.Println(len(stub.updates), *stub.updates[0].Priority)
	// Output:
	// 1 URGENT
}

// ExampleClient_UpdateContact changes one field, clears another and leaves
// the rest as they are: nil fields are not sent, vendorkit.Ptr("") sends ""
// and clears the field.
func ExampleClient_UpdateContact() {
	t := vendorkittest.Standalone()
	defer t.Close()
	srv := deskwoottest.NewServer(t)
	ct := srv.AddContact(srv.AccountID(), deskwoot.ContactInput{
		Name: vendorkit.Ptr("Ada"), Company: vendorkit.Ptr("Acme"), Location: vendorkit.Ptr("London")})

	kit, _ := vendorkit.New()
	desk, _ := deskwoot.New(kit, srv.Token(), deskwoot.WithBaseURL(srv.URL()))
	updated, err := desk.UpdateContact(context.Background(), ct.ID, deskwoot.ContactInput{
		Name:    vendorkit.Ptr("Ada Lovelace"), // set
		Company: vendorkit.Ptr(""),             // clear
		// Location: nil — unchanged
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sent, _ := srv.LastRequest()
	fmt.Println(string(sent.Body))
	fmt.Printf("%s, company %q, %s\n", updated.Name, updated.Company, updated.Location)
	// Output:
	// {"company":"","name":"Ada Lovelace"}
	// Ada Lovelace, company "", London
}
