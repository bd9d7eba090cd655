package woofed

import (
	"context"
	"fmt"
	"time"

	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"
)

// GetDeal returns a deal with its contact, stage and pipeline.
func (c *Client) GetDeal(ctx context.Context, id int64) (Deal, error) {
	const op = "GetDeal"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkID(op, "id", id); err != nil {
		return Deal{}, err
	}
	return decode[Deal](op)(c.client().GetDeal(ctx, id))
}

// CreateDeal creates a deal. Give its contact as ContactID, or as Contact
// to create or find it by email or phone first (two requests: the contact
// upsert, then the deal); give its place as StageID, or PipelineID for the
// pipeline's first stage. When the deal is refused after its contact was
// upserted, the contact stays (calling again reuses it).
func (c *Client) CreateDeal(ctx context.Context, in DealInput) (Deal, error) {
	const op = "CreateDeal"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkDeal(op, in); err != nil {
		return Deal{}, err
	}
	in, err := c.resolveContact(ctx, op, in)
	if err != nil {
		return Deal{}, err
	}
	body, err := encode(op, in)
	if err != nil {
		return Deal{}, err
	}
	return decode[Deal](op)(c.client().CreateDealWithBody(ctx, jsonType, body))
}

// UpdateDeal changes the fields of a deal that up sets (e.g. Status, or
// StageID to move it). It is a PUT, retried after a server error.
func (c *Client) UpdateDeal(ctx context.Context, id int64, up DealUpdate) (Deal, error) {
	const op = "UpdateDeal"
	ctx = runtime.WithOperation(ctx, op)
	if err := firstErr(checkID(op, "id", id), checkDealUpdate(op, up)); err != nil {
		return Deal{}, err
	}
	body, err := encode(op, up)
	if err != nil {
		return Deal{}, err
	}
	return decode[Deal](op)(c.client().UpdateDealWithBody(ctx, id, jsonType, body))
}

// UpsertDeal updates the first deal of the contact — in any pipeline, as
// Woofed matches on the contact only — or creates one. The contact is
// in.ContactID, or in.Contact upserted first as CreateDeal does; one of
// them is required. Woofed answers 200 whether it created or updated (its
// docs say 201 on create), so the result does not tell which.
func (c *Client) UpsertDeal(ctx context.Context, in DealInput) (Deal, error) {
	const op = "UpsertDeal"
	ctx = runtime.WithOperation(ctx, op)
	if in.Contact == nil {
		if err := checkID(op, "contact id", in.ContactID); err != nil {
			return Deal{}, err
		}
	}
	if err := checkDeal(op, in); err != nil {
		return Deal{}, err
	}
	in, err := c.resolveContact(ctx, op, in)
	if err != nil {
		return Deal{}, err
	}
	body, err := encode(op, in)
	if err != nil {
		return Deal{}, err
	}
	return decode[Deal](op)(c.client().UpsertDealWithBody(ctx, jsonType, body))
}

// resolveContact upserts in.Contact, when given, and returns in with its
// ContactID. The upsert matches on the email or phone, so it is safe to
// retry and a repeated CreateDeal reuses the contact.
func (c *Client) resolveContact(ctx context.Context, op string, in DealInput) (DealInput, error) {
	if in.Contact == nil {
		return in, nil
	}
	contact, _, err := c.UpsertContact(ctx, *in.Contact)
	if err != nil {
		return in, fmt.Errorf("%s: the deal's contact: %w", op, err) // err names the vendor
	}
	in.ContactID, in.Contact = contact.ID, nil
	return in, nil
}

// CreateDealEvent adds an event (a note, an activity, a message …) to a
// deal. in.Kind is required.
func (c *Client) CreateDealEvent(ctx context.Context, dealID int64, in EventInput) (Event, error) {
	const op = "CreateDealEvent"
	ctx = runtime.WithOperation(ctx, op)
	if err := firstErr(checkID(op, "deal id", dealID), checkOptID(op, "app id", in.AppID)); err != nil {
		return Event{}, err
	}
	if in.Kind == "" {
		return Event{}, invalid(op, "kind is required (e.g. woofed.EventNote)")
	}
	// Woofed's docs accept datetimes in UTC only ("2025-01-20T14:00:00Z").
	in.DoneAt, in.ScheduledAt = utc(in.DoneAt), utc(in.ScheduledAt)
	body, err := encode(op, in)
	if err != nil {
		return Event{}, err
	}
	return decode[Event](op)(c.client().CreateDealEventWithBody(ctx, dealID, jsonType, body))
}

// AssignDeal assigns a user to a deal. Keep the returned assignment's ID to
// undo it with UnassignDeal.
func (c *Client) AssignDeal(ctx context.Context, dealID, userID int64) (DealAssignee, error) {
	const op = "AssignDeal"
	ctx = runtime.WithOperation(ctx, op)
	if err := firstErr(checkID(op, "deal id", dealID), checkID(op, "user id", userID)); err != nil {
		return DealAssignee{}, err
	}
	body, err := encode(op, map[string]int64{"deal_id": dealID, "user_id": userID})
	if err != nil {
		return DealAssignee{}, err
	}
	return decode[DealAssignee](op)(c.client().CreateDealAssigneeWithBody(ctx, jsonType, body))
}

// UnassignDeal removes an assignment made by AssignDeal; assignmentID is
// the DealAssignee's ID, not the user's.
func (c *Client) UnassignDeal(ctx context.Context, assignmentID int64) error {
	const op = "UnassignDeal"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkID(op, "assignment id", assignmentID); err != nil {
		return err
	}
	return opError(op, wire.Discard(c.client().DeleteDealAssignee(ctx, assignmentID)))
}

// checkDeal validates a deal body.
func checkDeal(op string, in DealInput) error {
	if in.Contact != nil {
		if in.ContactID != 0 {
			return invalid(op, "give the contact as ContactID or Contact, not both")
		}
		if err := checkUpsertKey(op, "contact", *in.Contact); err != nil {
			return err
		}
	}
	return firstErr(
		checkStatus(op, in.Status),
		checkOptID(op, "stage id", in.StageID),
		checkOptID(op, "pipeline id", in.PipelineID),
		checkOptID(op, "contact id", in.ContactID),
	)
}

// checkDealUpdate validates an update: a set id must be > 0.
func checkDealUpdate(op string, up DealUpdate) error {
	var status DealStatus
	if up.Status != nil {
		if status = *up.Status; status == "" {
			return invalid(op, "status must be open, won or lost (nil leaves it unchanged)")
		}
	}
	return firstErr(
		checkStatus(op, status),
		checkSetID(op, "stage id", up.StageID),
		checkSetID(op, "pipeline id", up.PipelineID),
		checkSetID(op, "contact id", up.ContactID),
	)
}

func checkStatus(op string, s DealStatus) error {
	switch s {
	case "", DealOpen, DealWon, DealLost:
		return nil
	}
	return invalid(op, "status %q is not open, won or lost", string(s))
}

// utc returns t in UTC, which is how Woofed asks for datetimes; the zero
// time stays zero (and is not sent).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
