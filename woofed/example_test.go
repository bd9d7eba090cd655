package woofed_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// exampleClient runs the examples against the in-process fake; real code
// calls woofed.New(kit, os.Getenv("WOOFED_TOKEN")).
func exampleClient() (*woofed.Client, *woofedtest.Server, func()) {
	t := vendorkittest.Standalone()
	srv := woofedtest.NewServer(t)
	kit, err := vendorkit.New()
	if err != nil {
		panic(err)
	}
	crm, err := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	return crm, srv, t.Close
}

func Example() {
	crm, _, done := exampleClient()
	defer done()
	ctx := context.Background()

	c, created, err := crm.UpsertContact(ctx, woofed.ContactInput{FullName: "Ada Lovelace", Email: "ada@example.com", Phone: "+5511999990000"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.FullName, "created:", created)

	c, created, err = crm.UpsertContact(ctx, woofed.ContactInput{Email: "ada@example.com", FullName: "Ada King"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.FullName, "created:", created)
	// Output:
	// Ada Lovelace created: true
	// Ada King created: false
}

func ExampleClient_AllContacts() {
	crm, srv, done := exampleClient()
	defer done()
	for i := range 23 {
		srv.AddContact(woofed.Contact{FullName: fmt.Sprintf("Lead %d", i+1), Email: fmt.Sprintf("lead%d@example.com", i+1)})
	}

	n := 0
	for c, err := range crm.AllContacts(context.Background(), woofed.Cont("email", "@example.com")) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
		if n == 23 {
			fmt.Println("last:", c.FullName)
		}
	}
	fmt.Println(n, "contacts in", srv.Count("POST", "/contacts/search"), "pages")
	// Output:
	// last: Lead 23
	// 23 contacts in 3 pages
}

func ExampleClient_SearchContacts() {
	crm, srv, done := exampleClient()
	defer done()
	srv.AddContact(woofed.Contact{FullName: "Grace Hopper", Email: "grace@navy.example"})

	page, err := crm.SearchContacts(context.Background(), 1, woofed.Where("email_eq", "grace@navy.example"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(page.Data[0].FullName, page.Pagination.Count, page.Pagination.HasNext())
	// Output: Grace Hopper 1 false
}

func ExampleClient_GetContact_errors() {
	crm, _, done := exampleClient()
	defer done()

	_, err := crm.GetContact(context.Background(), 42)
	var apiErr *vendorkit.APIError
	if errors.Is(err, vendorkit.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message)
	}

	_, err = crm.CreateContact(context.Background(), woofed.ContactInput{Phone: "11 99999-0000"})
	fmt.Println(errors.Is(err, vendorkit.ErrInvalidArgument))
	// Output:
	// 404 Resource could not be found
	// true
}

func ExampleClient_CreateDeal() {
	crm, _, done := exampleClient()
	defer done()
	ctx := context.Background()

	// The contact is upserted by its email first (safe to retry), then
	// the deal is created with its id.
	deal, err := crm.CreateDeal(ctx, woofed.DealInput{
		Name:       "Annual plan",
		PipelineID: 1, // the pipeline's first stage
		Contact:    &woofed.ContactInput{FullName: "Buyer", Email: "buyer@example.com"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	deal, err = crm.UpdateDeal(ctx, deal.ID, woofed.DealUpdate{Status: vendorkit.Ptr(woofed.DealWon)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(deal.Name, deal.Status, deal.ContactID > 0, !deal.WonAt.IsZero())
	// Output: Annual plan won true true
}

// greeter is code under test that depends on woofed.API, not on *Client.
func greeter(ctx context.Context, crm woofed.API, id int64) string {
	c, err := crm.GetContact(ctx, id)
	if err != nil {
		return "error: " + err.Error()
	}
	return "Hello, " + c.FullName
}

// stubCRM is a hand-written stub: embedding the interface satisfies it, and
// only the methods the code under test calls are written out.
type stubCRM struct {
	woofed.API
}

func (stubCRM) GetContact(_ context.Context, id int64) (woofed.Contact, error) {
	return woofed.Contact{ID: id, FullName: "Stub"}, nil
}

// Example_mockAPI replaces the client by a stub of the API interface.
func Example_mockAPI() {
	fmt.Println(greeter(context.Background(), stubCRM{}, 7))
	// Output: Hello, Stub
}
