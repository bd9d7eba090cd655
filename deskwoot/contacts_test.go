package deskwoot_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
)

func TestContactLifecycle(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	ct, err := c.CreateContact(ctx, deskwoot.ContactInput{
		Name: vendorkit.Ptr("Ada Lovelace"), Email: vendorkit.Ptr("ada@engine.example"), Phone: vendorkit.Ptr("+441234"),
		Company: vendorkit.Ptr("Analytical"), CustomAttributes: map[string]any{"tier": "gold"},
	})
	require.NoError(t, err)
	assert.Equal(t, srv.AccountID(), ct.AccountID)
	assert.Equal(t, "gold", ct.CustomAttributes["tier"])
	assert.False(t, ct.CreatedAt.IsZero())
	last, _ := srv.LastRequest()
	assert.JSONEq(t, `{"name":"Ada Lovelace","email":"ada@engine.example","phone":"+441234","company":"Analytical","customAttributes":{"tier":"gold"}}`, string(last.Body), "camelCase, empty fields omitted")

	got, err := c.GetContact(ctx, ct.ID)
	require.NoError(t, err)
	assert.Equal(t, ct.Email, got.Email)

	_, err = c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Dup"), Email: vendorkit.Ptr("ADA@engine.example")})
	require.ErrorIs(t, err, vendorkit.ErrConflict)

	upd, err := c.UpdateContact(ctx, ct.ID, deskwoot.ContactInput{Location: vendorkit.Ptr("London")})
	require.NoError(t, err)
	assert.Equal(t, "London", upd.Location)
	assert.Equal(t, "Ada Lovelace", upd.Name, "unset fields keep their value")

	require.NoError(t, c.DeleteContact(ctx, ct.ID))
	_, err = c.GetContact(ctx, ct.ID)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	require.ErrorIs(t, c.DeleteContact(ctx, ct.ID), vendorkit.ErrNotFound)
}

func TestListContactsSearchAndSegment(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	withEmail, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Mail Person"), Email: vendorkit.Ptr("m@example.com")})
	require.NoError(t, err)
	withPhone, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Phone Person"), Phone: vendorkit.Ptr("+100")})
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		f     deskwoot.ContactFilter
		want  []string
		query string
	}{
		"search":    {f: deskwoot.ContactFilter{Search: "mail"}, want: []string{withEmail.ID}, query: "search=mail"},
		"has-email": {f: deskwoot.ContactFilter{Segment: deskwoot.SegmentHasEmail}, want: []string{withEmail.ID}, query: "segment=has-email"},
		"no-email":  {f: deskwoot.ContactFilter{Segment: deskwoot.SegmentNoEmail}, want: []string{withPhone.ID}},
		"has-phone": {f: deskwoot.ContactFilter{Segment: deskwoot.SegmentHasPhone}, want: []string{withPhone.ID}},
		"new":       {f: deskwoot.ContactFilter{Segment: deskwoot.SegmentNew}, want: []string{withEmail.ID, withPhone.ID}},
		"active-7d": {f: deskwoot.ContactFilter{Segment: deskwoot.SegmentActive7d}},
		"paged":     {f: deskwoot.ContactFilter{Page: 2, PageSize: 1}, want: []string{withPhone.ID}, query: "page=2&pageSize=1"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := c.ListContacts(ctx, tc.f)
			require.NoError(t, err)
			var got []string
			for _, ct := range p.Items {
				got = append(got, ct.ID)
			}
			assert.Equal(t, tc.want, got)
			last, _ := srv.LastRequest()
			assert.Contains(t, last.RawQuery, tc.query)
		})
	}
	_, err = c.ListContacts(ctx, deskwoot.ContactFilter{Segment: "vip"})
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
}

func TestMergeContacts(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	primary, conv := seed(t, c)
	secondary, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("G. Hopper"), Phone: vendorkit.Ptr("+1555"), Company: vendorkit.Ptr("Navy")})
	require.NoError(t, err)
	conv2, err := c.CreateConversation(ctx, deskwoot.NewConversation{InboxID: conv.InboxID, ContactID: secondary.ID, Message: "dup"})
	require.NoError(t, err)

	merged, err := c.MergeContacts(ctx, primary.ID, secondary.ID)
	require.NoError(t, err)
	last, _ := srv.LastRequest()
	assert.JSONEq(t, `{"primaryContactId":"`+primary.ID+`","secondaryContactId":"`+secondary.ID+`"}`, string(last.Body))
	assert.Equal(t, primary.ID, merged.ID)
	assert.Equal(t, "Grace Hopper", merged.Name, "the primary's fields win")
	assert.Equal(t, "+1555", merged.Phone, "empty fields are filled from the secondary")
	_, err = c.GetContact(ctx, secondary.ID)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	moved, err := c.GetConversation(ctx, conv2.ID)
	require.NoError(t, err)
	assert.Equal(t, primary.ID, moved.ContactID)

	_, err = c.MergeContacts(ctx, primary.ID, secondary.ID)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
}

// TestUpdateContactSendsOnlySetFieldsAndClears: nil fields are not sent,
// Ptr("") sends "" and clears the field (issue 17 point 14).
func TestUpdateContactSendsOnlySetFieldsAndClears(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	ct, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Ada"), Company: vendorkit.Ptr("Acme"), Location: vendorkit.Ptr("London")})
	require.NoError(t, err)
	require.Equal(t, "Acme", ct.Company)

	got, err := c.UpdateContact(ctx, ct.ID, deskwoot.ContactInput{Company: vendorkit.Ptr("")})
	require.NoError(t, err)
	last, ok := srv.LastRequest()
	require.True(t, ok)
	assert.JSONEq(t, `{"company":""}`, string(last.Body))
	assert.Empty(t, got.Company, "cleared")
	assert.Equal(t, "London", got.Location, "unchanged")
	assert.Equal(t, "Ada", got.Name, "unchanged")

	again, err := c.GetContact(ctx, ct.ID)
	require.NoError(t, err)
	assert.Empty(t, again.Company)

	_, err = c.UpdateContact(ctx, ct.ID, deskwoot.ContactInput{Name: vendorkit.Ptr("Ada L.")})
	require.NoError(t, err)
	last, _ = srv.LastRequest()
	assert.JSONEq(t, `{"name":"Ada L."}`, string(last.Body))
}
