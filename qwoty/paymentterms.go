package qwoty

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"

	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"
)

const contentJSON = "application/json"

// fail names the facade operation op on err; see wire.Fail.
func fail(op string, err error) error { return wire.Fail("qwoty", op, err) }

// ListPaymentTerms returns every payment term of the token's workspace.
// Qwoty documents no pagination for this list, so it comes in one answer.
func (c *Client) ListPaymentTerms(ctx context.Context) ([]PaymentTerm, error) {
	ctx = runtime.WithOperation(ctx, "ListPaymentTerms")
	terms, err := decodePaymentTerms(c.client().ListPaymentTerms(ctx))
	if err != nil {
		return nil, fail("ListPaymentTerms", err)
	}
	return terms, nil
}

// AllPaymentTerms yields the workspace's payment terms, for callers that
// range over lists the same way for every vendor. Qwoty's list has one page,
// so this is one request; an error is yielded once, last.
func (c *Client) AllPaymentTerms(ctx context.Context) iter.Seq2[PaymentTerm, error] {
	return func(yield func(PaymentTerm, error) bool) {
		terms, err := c.ListPaymentTerms(ctx)
		if err != nil {
			yield(PaymentTerm{}, err)
			return
		}
		for _, t := range terms {
			if !yield(t, nil) {
				return
			}
		}
	}
}

// GetPaymentTerm returns the payment term id (a UUID). An unknown id, or one
// of another workspace, is an error matching vendorkit.ErrNotFound.
func (c *Client) GetPaymentTerm(ctx context.Context, id string) (PaymentTerm, error) {
	ctx = runtime.WithOperation(ctx, "GetPaymentTerm")
	if err := checkID("payment term", id); err != nil {
		return PaymentTerm{}, fail("GetPaymentTerm", err)
	}
	pt, err := decodeData[PaymentTerm](c.get(ctx, "payment-terms", id))
	if err != nil {
		return PaymentTerm{}, fail("GetPaymentTerm", err)
	}
	return pt, nil
}

// CreatePaymentTerm creates a payment term and returns it as Qwoty stored it.
// The input is checked first, and nothing is sent when it breaks a
// documented rule (the error wraps vendorkit.ErrInvalidArgument and names the
// rule): Name required and at most 50 characters, APIName a required slug,
// Reference at most 50 characters, installment percentages summing to
// exactly 100. A duplicate APIName comes back as ErrAPINameTaken; a token
// without write permission as vendorkit.ErrForbidden.
//
// A create is not retried after a server error (it may have been stored);
// it is after a 429.
func (c *Client) CreatePaymentTerm(ctx context.Context, in PaymentTermInput) (PaymentTerm, error) {
	const op = "CreatePaymentTerm"
	ctx = runtime.WithOperation(ctx, op)
	if err := in.validate(); err != nil {
		return PaymentTerm{}, fail(op, err)
	}
	body, err := json.Marshal(in)
	if err != nil {
		return PaymentTerm{}, fail(op, err)
	}
	pt, err := decodeData[PaymentTerm](c.client().CreatePaymentTermWithBody(ctx, contentJSON, bytes.NewReader(body)))
	if err != nil {
		return PaymentTerm{}, fail(op, err)
	}
	return pt, nil
}

// UpdatePaymentTerm changes the fields of up that are set, and only those:
// the request body holds nothing else (Qwoty applies partial updates). The
// set fields are checked like CreatePaymentTerm's; an update that sets no
// field is refused before sending.
func (c *Client) UpdatePaymentTerm(ctx context.Context, id string, up PaymentTermUpdate) (PaymentTerm, error) {
	const op = "UpdatePaymentTerm"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkID("payment term", id); err != nil {
		return PaymentTerm{}, fail(op, err)
	}
	if err := up.validate(); err != nil {
		return PaymentTerm{}, fail(op, err)
	}
	body, err := json.Marshal(up)
	if err != nil {
		return PaymentTerm{}, fail(op, err)
	}
	pt, err := decodeData[PaymentTerm](c.client().UpdatePaymentTermWithBody(ctx, id, contentJSON, bytes.NewReader(body)))
	if err != nil {
		return PaymentTerm{}, fail(op, err)
	}
	return pt, nil
}

// DeletePaymentTerm deletes the payment term id. Qwoty refuses while active
// quotes or contracts use the term: that error matches ErrPaymentTermInUse
// (and vendorkit.ErrConflict); deactivate the term instead.
func (c *Client) DeletePaymentTerm(ctx context.Context, id string) error {
	const op = "DeletePaymentTerm"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkID("payment term", id); err != nil {
		return fail(op, err)
	}
	if _, err := readEnvelope(c.client().DeletePaymentTerm(ctx, id)); err != nil {
		return fail(op, err)
	}
	return nil
}
