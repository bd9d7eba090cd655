package deskwoot_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// setup starts a fake and a client for its default token, without retry
// sleeps.
func setup(t *testing.T, opts ...deskwoottest.Option) (*deskwoottest.Server, *deskwoot.Client) {
	t.Helper()
	srv := deskwoottest.NewServer(t, opts...)
	return srv, clientFor(t, srv, srv.Token())
}

func clientFor(t *testing.T, srv *deskwoottest.Server, token string, opts ...deskwoot.Option) *deskwoot.Client {
	t.Helper()
	// Client-side pacing off: the fake's own limit (60/min, burst 60 per
	// token) is far above what one test sends; rate tests set their own.
	base := []deskwoot.Option{deskwoot.WithBaseURL(srv.URL()), deskwoot.WithRateLimit(0, 0)}
	c, err := deskwoot.New(vendorkittest.NewClient(t), token, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// seed creates a contact and a conversation and returns them.
func seed(t *testing.T, c *deskwoot.Client) (deskwoot.Contact, deskwoot.Conversation) {
	t.Helper()
	ctx := context.Background()
	inboxes, err := c.ListInboxes(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, inboxes)
	ct, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Grace Hopper"), Email: vendorkit.Ptr("grace@example.com")})
	require.NoError(t, err)
	conv, err := c.CreateConversation(ctx, deskwoot.NewConversation{InboxID: inboxes[0].ID, ContactID: ct.ID, Message: "Hello"})
	require.NoError(t, err)
	return ct, conv
}
