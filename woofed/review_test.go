package woofed_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/woofed"
)

// A deal write that creates a nested contact is not repeated after a 5xx
// (the first attempt may have created the contact); one without is.
func TestNestedContactWritesAreNotRetried(t *testing.T) {
	srv, crm := setup(t)
	ctx := context.Background()
	c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)
	d, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "Deal", ContactID: c.ID, PipelineID: 1})
	require.NoError(t, err)

	srv.FailNext(1, http.StatusBadGateway, "", "")
	_, err = crm.UpdateDeal(ctx, d.ID, woofed.DealInput{NewContacts: []woofed.NewContact{{FullName: "New person"}}})
	require.ErrorIs(t, err, vendorkit.ErrServer)
	assert.Equal(t, 1, srv.Count(http.MethodPut, "/deals/"+itoa(d.ID)))

	srv.FailNext(1, http.StatusBadGateway, "", "")
	_, err = crm.UpdateDeal(ctx, d.ID, woofed.DealInput{Name: "Renamed"})
	require.NoError(t, err, "a plain update is retried")
}

// A deal refused as invalid leaves no nested contact behind in the fake,
// as Rails saves nested records with their parent or not at all.
func TestInvalidDealSavesNoNestedContact(t *testing.T) {
	srv, crm := setup(t)
	_, err := crm.CreateDeal(context.Background(), woofed.DealInput{Name: "x", StageID: 99,
		NewContacts: []woofed.NewContact{{FullName: "Ghost", Email: "ghost@example.com"}}})
	require.ErrorIs(t, err, woofed.ErrValidation)
	_, leaked := srv.Contact(1)
	assert.False(t, leaked)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
