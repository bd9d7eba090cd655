package deskwoot

import (
	"context"
	"iter"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"
)

// ContactFilter narrows ListContacts; zero fields do not filter.
type ContactFilter struct {
	// Search matches name, email, phone and the like (server-defined).
	Search  string
	Segment ContactSegment
	// Page is 1-based (0 means 1); PageSize is at most 100 (0 means the
	// server's default).
	Page     int
	PageSize int
}

// ListContacts returns one page of the account's contacts.
func (c *Client) ListContacts(ctx context.Context, f ContactFilter) (Page[Contact], error) {
	const op = "ListContacts"
	ctx = runtime.WithOperation(ctx, op)
	page, size, err := pageParams(op, f.Page, f.PageSize)
	if err != nil {
		return Page[Contact]{}, err
	}
	account, err := c.scoped(ctx, op)
	if err != nil {
		return Page[Contact]{}, err
	}
	params := &api.ListContactsParams{Search: optional(f.Search), Page: page, PageSize: size}
	if f.Segment != "" {
		params.Segment = vendorkit.Ptr(api.ContactSegment(f.Segment))
	}
	resp, err := c.client().ListContacts(ctx, account, params)
	p, err := decodePage(resp, err, f.Page, f.PageSize, contactFrom)
	if err != nil {
		return Page[Contact]{}, fail(op, err)
	}
	return p, nil
}

// AllContacts walks every page of ListContacts lazily, from f.Page (default
// 1), 100 per page unless f.PageSize says otherwise. An error is yielded once
// and ends the walk.
func (c *Client) AllContacts(ctx context.Context, f ContactFilter) iter.Seq2[Contact, error] {
	return allPages(ctx, f.Page, f.PageSize, func(ctx context.Context, page, size int) (Page[Contact], error) {
		g := f // each fetch gets its own copy: the iterator may be ranged more than once
		g.Page, g.PageSize = page, size
		return c.ListContacts(ctx, g)
	})
}

// GetContact returns one contact.
func (c *Client) GetContact(ctx context.Context, contactID string) (Contact, error) {
	const op = "GetContact"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "contact id", contactID); err != nil {
		return Contact{}, err
	}
	account, err := c.scoped(ctx, op)
	if err != nil {
		return Contact{}, err
	}
	// Contact decodes as api.Contact does (TestDirectDecodes), so the
	// answer is read straight into it, without the generated type.
	contact, err := wire.Decode[Contact](c.get(ctx, "v1", "accounts", account, "contacts", contactID))
	if err != nil {
		return Contact{}, fail(op, err)
	}
	return contact, nil
}

// CreateContact creates a contact. A duplicate (e.g. an email already in
// use) is an error matching vendorkit.ErrConflict.
func (c *Client) CreateContact(ctx context.Context, in ContactInput) (Contact, error) {
	const op = "CreateContact"
	ctx = runtime.WithOperation(ctx, op)
	account, err := c.scoped(ctx, op)
	if err != nil {
		return Contact{}, err
	}
	return decodeOne(op, contactFrom)(c.client().CreateContact(ctx, account, in.wire()))
}

// UpdateContact changes the fields of in that are set (non-nil); vendorkit.Ptr("")
// clears a field (see ContactInput).
func (c *Client) UpdateContact(ctx context.Context, contactID string, in ContactInput) (Contact, error) {
	const op = "UpdateContact"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "contact id", contactID); err != nil {
		return Contact{}, err
	}
	account, err := c.scoped(ctx, op)
	if err != nil {
		return Contact{}, err
	}
	return decodeOne(op, contactFrom)(c.client().UpdateContact(ctx, account, contactID, in.wire()))
}

// DeleteContact deletes a contact.
func (c *Client) DeleteContact(ctx context.Context, contactID string) error {
	const op = "DeleteContact"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "contact id", contactID); err != nil {
		return err
	}
	account, err := c.scoped(ctx, op)
	if err != nil {
		return err
	}
	return fail(op, noContent(c.client().DeleteContact(ctx, account, contactID)))
}

// MergeContacts merges the secondary contact into the primary one, which
// remains, and returns it; the secondary is removed.
func (c *Client) MergeContacts(ctx context.Context, primaryID, secondaryID string) (Contact, error) {
	const op = "MergeContacts"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "primary contact id", primaryID, "secondary contact id", secondaryID); err != nil {
		return Contact{}, err
	}
	if primaryID == secondaryID {
		return Contact{}, argErr(op, "a contact cannot be merged into itself")
	}
	account, err := c.scoped(ctx, op)
	if err != nil {
		return Contact{}, err
	}
	return decodeOne(op, contactFrom)(c.client().MergeContacts(ctx, account, api.ContactMerge{PrimaryContactID: primaryID, SecondaryContactID: secondaryID}))
}
