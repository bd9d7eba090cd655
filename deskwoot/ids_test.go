package deskwoot_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
)

// TestDotSegmentIDsAreRefused: "/contacts/.." would resolve to the account
// itself, so a DELETE would hit another resource. Nothing is sent.
func TestDotSegmentIDsAreRefused(t *testing.T) {
	srv, c := setup(t)
	before := len(srv.Requests())
	for _, id := range []string{".", ".."} {
		require.ErrorIs(t, c.DeleteContact(context.Background(), id), vendorkit.ErrInvalidArgument)
		_, err := c.GetConversation(context.Background(), id)
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
		_, err = deskwoot.New(nil, "dw_x", deskwoot.WithAccountID(id))
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	}
	assert.Len(t, srv.Requests(), before, "nothing sent")
}
