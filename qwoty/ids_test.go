package qwoty_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
)

// TestDotSegmentIDsAreRefused: "/payment-terms/.." would resolve to the API
// root, so a DELETE would hit another resource. Nothing is sent.
func TestDotSegmentIDsAreRefused(t *testing.T) {
	q, srv := setup(t, qwotytest.Token)
	for _, id := range []string{".", ".."} {
		require.ErrorIs(t, q.DeletePaymentTerm(context.Background(), id), vendorkit.ErrInvalidArgument)
		_, err := q.GetQuote(context.Background(), id)
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	}
	assert.Empty(t, srv.Requests(), "nothing sent")
}
