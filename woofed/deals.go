package woofed

import (
	"context"
	"strconv"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/wire"
)

// GetDeal returns a deal with its contact, stage and pipeline.
func (c *Client) GetDeal(ctx context.Context, id int64) (Deal, error) {
	const op = "GetDeal"
	if err := checkID(op, "id", id); err != nil {
		return Deal{}, err
	}
	return decode[Deal](op)(c.api.GetDeal(ctx, id))
}

// CreateDeal creates a deal. Give its contact as ContactID or NewContacts
// and its place as StageID, or PipelineID for the pipeline's first stage.
func (c *Client) CreateDeal(ctx context.Context, in DealInput) (Deal, error) {
	const op = "CreateDeal"
	if err := checkDeal(op, in); err != nil {
		return Deal{}, err
	}
	body, err := encode(op, in)
	if err != nil {
		return Deal{}, err
	}
	return decode[Deal](op)(c.api.CreateDealWithBody(ctx, jsonType, body))
}

// UpdateDeal changes the fields of a deal that in sets (e.g. Status with
// LostReason, or StageID to move it). It is retried after a server error,
// unless in.NewContacts would create a contact: then, as for a create, only
// when Woofed cannot have acted.
func (c *Client) UpdateDeal(ctx context.Context, id int64, in DealInput) (Deal, error) {
	const op = "UpdateDeal"
	if err := firstErr(checkID(op, "id", id), checkDeal(op, in)); err != nil {
		return Deal{}, err
	}
	ctx = createsRecords(ctx, in)
	body, err := encode(op, in)
	if err != nil {
		return Deal{}, err
	}
	return decode[Deal](op)(c.api.UpdateDealWithBody(ctx, id, jsonType, body))
}

// UpsertDeal updates the first deal of in.ContactID — in any pipeline, as
// Woofed matches on the contact only — or creates one. ContactID is
// required. Woofed answers 200 whether it created or updated (its docs say
// 201 on create), so the result does not tell which.
func (c *Client) UpsertDeal(ctx context.Context, in DealInput) (Deal, error) {
	const op = "UpsertDeal"
	if err := firstErr(checkID(op, "contact id", in.ContactID), checkDeal(op, in)); err != nil {
		return Deal{}, err
	}
	ctx = createsRecords(ctx, in)
	body, err := encode(op, in)
	if err != nil {
		return Deal{}, err
	}
	return decode[Deal](op)(c.api.UpsertDealWithBody(ctx, jsonType, body))
}

// createsRecords marks a deal write whose nested contacts_attributes would
// create a contact as not idempotent: repeating it after a lost answer could
// create the contact twice.
func createsRecords(ctx context.Context, in DealInput) context.Context {
	if len(in.NewContacts) > 0 {
		return vendorkit.NonIdempotent(ctx)
	}
	return ctx
}

// CreateDealEvent adds an event (a note, an activity, a message …) to a
// deal. in.Kind is required.
func (c *Client) CreateDealEvent(ctx context.Context, dealID int64, in EventInput) (Event, error) {
	const op = "CreateDealEvent"
	if err := firstErr(checkID(op, "deal id", dealID), checkOptID(op, "app id", in.AppID)); err != nil {
		return Event{}, err
	}
	if in.Kind == "" {
		return Event{}, invalid(op, "kind is required (e.g. woofed.EventNote)")
	}
	body, err := encode(op, in)
	if err != nil {
		return Event{}, err
	}
	return decode[Event](op)(c.api.CreateDealEventWithBody(ctx, dealID, jsonType, body))
}

// AssignDeal assigns a user to a deal. Keep the returned assignment's ID to
// undo it with UnassignDeal.
func (c *Client) AssignDeal(ctx context.Context, dealID, userID int64) (DealAssignee, error) {
	const op = "AssignDeal"
	if err := firstErr(checkID(op, "deal id", dealID), checkID(op, "user id", userID)); err != nil {
		return DealAssignee{}, err
	}
	body, err := encode(op, map[string]int64{"deal_id": dealID, "user_id": userID})
	if err != nil {
		return DealAssignee{}, err
	}
	return decode[DealAssignee](op)(c.api.CreateDealAssigneeWithBody(ctx, jsonType, body))
}

// UnassignDeal removes an assignment made by AssignDeal; assignmentID is
// the DealAssignee's ID, not the user's.
func (c *Client) UnassignDeal(ctx context.Context, assignmentID int64) error {
	const op = "UnassignDeal"
	if err := checkID(op, "assignment id", assignmentID); err != nil {
		return err
	}
	return opError(op, wire.Discard(c.api.DeleteDealAssignee(ctx, assignmentID)))
}

// checkDeal validates a deal body.
func checkDeal(op string, in DealInput) error {
	switch in.Status {
	case "", DealOpen, DealWon, DealLost:
	default:
		return invalid(op, "status %q is not open, won or lost", string(in.Status))
	}
	err := firstErr(
		checkOptID(op, "stage id", in.StageID),
		checkOptID(op, "pipeline id", in.PipelineID),
		checkOptID(op, "contact id", in.ContactID),
	)
	if err != nil {
		return err
	}
	for i, nc := range in.NewContacts {
		if err := checkPhone(op, "new contact "+strconv.Itoa(i)+" phone", nc.Phone); err != nil {
			return err
		}
	}
	return nil
}
