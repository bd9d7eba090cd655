// Package leads shows the three ways to test code that uses vendorkit,
// on a small piece of "your" code: SyncLead, which files a web-form lead as
// a Woofed CRM contact.
//
//  1. Mock the facade interface (woofed.API) — here with testify's mock —
//     when the unit under test only needs canned answers.
//  2. Run the vendor's fake server (woofedtest) when you want the real
//     client, retries and error mapping to run: it speaks Woofed's exact
//     wire format, records requests and injects faults.
//  3. Remove retry sleeps with vendorkittest.NewClient (or the
//     vendorkittest.NoSleep option) so retry paths run instantly.
//
// Run it with: go test ./examples/testing
package leads

import (
	"context"
	"errors"
	"fmt"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/woofed"
)

// Lead is a web-form submission.
type Lead struct {
	Name, Email string
}

// SyncLead files the lead as a Woofed contact (an upsert by email, so a
// resubmitted form does not duplicate it) and reports whether it was new.
// A lead Woofed refuses as invalid is skipped, not retried.
func SyncLead(ctx context.Context, crm woofed.API, l Lead) (id int64, created bool, err error) {
	c, created, err := crm.UpsertContact(ctx, woofed.ContactInput{FullName: l.Name, Email: l.Email})
	switch {
	case errors.Is(err, vendorkit.ErrBadRequest), errors.Is(err, vendorkit.ErrInvalidArgument):
		return 0, false, fmt.Errorf("lead %q skipped: %w", l.Email, err)
	case err != nil:
		return 0, false, fmt.Errorf("sync lead: %w", err)
	}
	return c.ID, created, nil
}
