package runtime_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// TestFacadesNameTheirOperation checks that each vendor's methods report
// their own name to the observer, including the page calls of an iterator.
func TestFacadesNameTheirOperation(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	kit := vendorkittest.NewClient(t, vendorkit.WithObserver(rec))

	wf := woofedtest.NewServer(t)
	crm, err := woofed.New(kit, wf.Token(), woofed.WithBaseURL(wf.URL()))
	require.NoError(t, err)
	_, err = crm.GetContact(ctx, 7)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	for _, err := range crm.AllUsers(ctx) {
		require.NoError(t, err)
	}

	wp := woodpeckertest.NewServer(t)
	pecker, err := woodpecker.New(kit, woodpeckertest.HQKey, woodpecker.WithBaseURL(wp.URL()))
	require.NoError(t, err)
	_, err = pecker.ListMailboxes(ctx)
	require.NoError(t, err)

	qs := qwotytest.NewServer(t)
	q, err := qwoty.New(kit, qwotytest.Token, qwoty.WithBaseURL(qs.URL()))
	require.NoError(t, err)
	_, err = q.GetQuote(ctx, qwotytest.QuoteID)
	require.NoError(t, err)

	ds := deskwoottest.NewServer(t)
	desk, err := deskwoot.New(kit, ds.Token(), deskwoot.WithBaseURL(ds.URL()), deskwoot.WithRateLimit(0, 0))
	require.NoError(t, err)
	_, err = desk.ListInboxes(ctx) // looks the account up with Me first
	require.NoError(t, err)

	cs := crowtest.NewServer(t)
	cr, err := crow.New(kit, cs.Token(), crow.WithBaseURL(cs.URL()))
	require.NoError(t, err)
	_, err = cr.ListEndpointConfigs(ctx, "prod_1")
	require.NoError(t, err)

	var got []string
	for _, c := range rec.calls {
		got = append(got, c.Vendor+"."+c.Operation)
	}
	assert.Equal(t, []string{
		"woofed.GetContact", "woofed.SearchUsers", "woodpecker.ListMailboxes", "qwoty.GetQuote",
		"deskwoot.ListInboxes", "deskwoot.ListInboxes", "crow.ListEndpointConfigs",
	}, got)
}
