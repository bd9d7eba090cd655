package woofedmock_test

import (
	"context"
	"fmt"

	"github.com/stretchr/testify/mock"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedmock"
)

// countContacts is code under test: it walks every contact of the CRM.
func countContacts(ctx context.Context, crm woofed.API) (int, error) {
	n := 0
	for _, err := range crm.AllContacts(ctx) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// A mocked All* method returns an iterator: vendorkittest.Seq2 builds one
// from a slice and, here, a failure on a later page.
func ExampleAPI() {
	crm := new(woofedmock.API) // in a test: woofedmock.NewAPI(t), which also asserts the expectations
	crm.EXPECT().AllContacts(mock.Anything).Return(vendorkittest.Seq2(
		[]woofed.Contact{{ID: 1}, {ID: 2}},
		&vendorkit.APIError{Vendor: "woofed", StatusCode: 503},
	))

	n, err := countContacts(context.Background(), crm)
	fmt.Println(n, err != nil)
	// Output: 2 true
}
