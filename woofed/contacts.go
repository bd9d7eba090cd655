package woofed

import (
	"context"
	"io"
	"iter"
	"net/http"
	"strconv"

	"github.com/vendorkit/vendorkit/internal/paging"
	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"
)

// GetContact returns a contact with its deals and events. A contact that
// does not exist, or belongs to another account, is an error matching
// vendorkit.ErrNotFound.
func (c *Client) GetContact(ctx context.Context, id int64) (Contact, error) {
	const op = "GetContact"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkID(op, "id", id); err != nil {
		return Contact{}, err
	}
	return decode[Contact](op)(c.get(ctx, "contacts", strconv.FormatInt(id, 10)))
}

// CreateContact creates a contact. The phone, when set, must be E.164.
// Invalid records answer an error matching ErrValidation.
func (c *Client) CreateContact(ctx context.Context, in ContactInput) (Contact, error) {
	const op = "CreateContact"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkContact(op, "contact", in); err != nil {
		return Contact{}, err
	}
	body, err := encode(op, in)
	if err != nil {
		return Contact{}, err
	}
	return decode[Contact](op)(c.client().CreateContactWithBody(ctx, jsonType, body))
}

// UpsertContact updates the contact that matches in's email or phone, or
// creates one, and reports whether it created it. Woofed matches loosely (a
// case-insensitive substring of the email, phone variants), so check the
// returned contact. in must have an email or a phone: without one the
// upsert would always create, and a retry would duplicate the contact.
//
// created reports what the last attempt did: when an attempt that created
// the contact lost its answer and the retry found it, created is false
// though this call created it. Pass a context from vendorkit.CaptureResponse
// to see the attempts; with Attempts > 1, do not rely on created.
func (c *Client) UpsertContact(ctx context.Context, in ContactInput) (contact Contact, created bool, err error) {
	const op = "UpsertContact"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkUpsertKey(op, "contact", in); err != nil {
		return Contact{}, false, err
	}
	body, err := encode(op, in)
	if err != nil {
		return Contact{}, false, err
	}
	resp, err := c.client().UpsertContactWithBody(ctx, jsonType, body)
	if err == nil {
		created = resp.StatusCode == http.StatusCreated
	}
	contact, err = decode[Contact](op)(resp, err)
	return contact, created && err == nil, err
}

// DeleteContact deletes a contact.
func (c *Client) DeleteContact(ctx context.Context, id int64) error {
	const op = "DeleteContact"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkID(op, "id", id); err != nil {
		return err
	}
	return opError(op, wire.Discard(c.client().DeleteContact(ctx, id)))
}

// SearchContacts returns one page (10 contacts) of the contacts matching
// every predicate; page counts from 1 (0 means 1). Searchable attributes:
// additional_attributes, app_id, app_type, created_at, custom_attributes,
// email, full_name, id, phone, updated_at. No predicates match all contacts.
func (c *Client) SearchContacts(ctx context.Context, page int, where ...Predicate) (Page[Contact], error) {
	const op = "SearchContacts"
	ctx = runtime.WithOperation(ctx, op)
	body, err := searchRequest(op, page, where)
	if err != nil {
		return Page[Contact]{}, err
	}
	return decode[Page[Contact]](op)(c.client().SearchContactsWithBody(ctx, jsonType, body))
}

// AllContacts yields every contact matching the predicates, fetching the
// pages lazily as the loop asks for more and stopping after the last page.
// An error is yielded once and ends the iteration.
func (c *Client) AllContacts(ctx context.Context, where ...Predicate) iter.Seq2[Contact, error] {
	return all(ctx, where, c.SearchContacts)
}

// all walks the pages of a search.
func all[T any](ctx context.Context, where []Predicate, search func(context.Context, int, ...Predicate) (Page[T], error)) iter.Seq2[T, error] {
	return paging.All(ctx, 1, func(ctx context.Context, page int) ([]T, bool, error) {
		p, err := search(ctx, page, where...)
		return p.Data, p.Pagination.HasNext(), err
	})
}

// searchRequest checks a search and encodes its body.
func searchRequest(op string, page int, where []Predicate) (io.Reader, error) {
	if page < 0 {
		return nil, invalid(op, "page must be ≥ 1, got %d", page)
	}
	q, err := buildQuery(op, where)
	if err != nil {
		return nil, err
	}
	return encode(op, searchBody{Query: q, Page: max(page, 1)})
}
