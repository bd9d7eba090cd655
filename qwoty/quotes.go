package qwoty

import (
	"context"

	"github.com/vendorkit/vendorkit/runtime"
)

// GetQuote returns the quote id, read from Qwoty's singular /quote/{id}
// endpoint and unwrapped from its {"data": {"quote": …}} envelope.
func (c *Client) GetQuote(ctx context.Context, id string) (Quote, error) {
	ctx = runtime.WithOperation(ctx, "GetQuote")
	if err := checkID("quote", id); err != nil {
		return Quote{}, fail("GetQuote", err)
	}
	q, err := decodeQuote(c.client().GetQuote(ctx, id))
	if err != nil {
		return Quote{}, fail("GetQuote", err)
	}
	return q, nil
}
