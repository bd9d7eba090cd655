package deskwoot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
)

func TestConversationLifecycle(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	contact, conv := seed(t, c)

	assert.True(t, strings.HasPrefix(conv.ID, "c") && len(conv.ID) == 25, "cuid-style id %q", conv.ID)
	assert.Equal(t, srv.AccountID(), conv.AccountID)
	assert.Equal(t, contact.ID, conv.ContactID)
	assert.Equal(t, deskwoot.StatusOpen, conv.Status)
	assert.Equal(t, int64(1), conv.DisplayID)

	got, err := c.GetConversation(ctx, conv.ID)
	require.NoError(t, err)
	assert.Equal(t, conv.ID, got.ID)
	assert.Equal(t, "grace@example.com", got.Contact.Email, "GET embeds the contact")

	agents, err := c.ListAgents(ctx)
	require.NoError(t, err)
	team, err := c.CreateTeam(ctx, deskwoot.TeamInput{Name: vendorkit.Ptr("Billing")})
	require.NoError(t, err)

	upd, err := c.UpdateConversation(ctx, conv.ID, deskwoot.ConversationUpdate{
		Status: vendorkit.Ptr(deskwoot.StatusPending), Priority: vendorkit.Ptr(deskwoot.PriorityHigh),
		AssigneeID: vendorkit.Ptr(agents[0].ID), TeamID: vendorkit.Ptr(team.ID), Muted: vendorkit.Ptr(true),
	})
	require.NoError(t, err)
	assert.Equal(t, deskwoot.StatusPending, upd.Status)
	assert.Equal(t, deskwoot.PriorityHigh, upd.Priority)
	assert.Equal(t, agents[0].ID, upd.AssigneeID)
	assert.Equal(t, team.ID, upd.TeamID)
	assert.True(t, upd.Muted)

	// Unassign: "" is sent as null; muted false is sent, not dropped.
	upd, err = c.UpdateConversation(ctx, conv.ID, deskwoot.ConversationUpdate{AssigneeID: vendorkit.Ptr(""), Muted: vendorkit.Ptr(false)})
	require.NoError(t, err)
	last, _ := srv.LastRequest()
	assert.JSONEq(t, `{"assigneeId":null,"muted":false}`, string(last.Body))
	assert.Empty(t, upd.AssigneeID)
	assert.Equal(t, team.ID, upd.TeamID, "fields not named are unchanged")
	assert.False(t, upd.Muted)
	assert.Equal(t, deskwoot.StatusPending, upd.Status)

	_, err = c.UpdateConversation(ctx, conv.ID, deskwoot.ConversationUpdate{Status: vendorkit.Ptr(deskwoot.ConversationStatus("CLOSED"))})
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)

	_, err = c.GetConversation(ctx, "cmissing000000000000000000")
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Conversation not found", apiErr.Message)
	assert.Equal(t, "GetConversation", apiErr.Operation)
	assert.Equal(t, "deskwoot", apiErr.Vendor)
}

func TestListConversationsFilters(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	_, first := seed(t, c)
	ct2, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Alan")})
	require.NoError(t, err)
	second, err := c.CreateConversation(ctx, deskwoot.NewConversation{InboxID: first.InboxID, ContactID: ct2.ID, Message: "Hi", Status: deskwoot.StatusPending})
	require.NoError(t, err)
	label, err := c.CreateLabel(ctx, deskwoot.LabelInput{Title: vendorkit.Ptr("vip")})
	require.NoError(t, err)
	require.NoError(t, c.AddLabel(ctx, second.ID, label.ID))

	for name, tc := range map[string]struct {
		f     deskwoot.ConversationFilter
		want  []string
		query string
	}{
		"all":     {want: []string{first.ID, second.ID}},
		"status":  {f: deskwoot.ConversationFilter{Status: deskwoot.StatusPending}, want: []string{second.ID}, query: "status=PENDING"},
		"label":   {f: deskwoot.ConversationFilter{LabelID: label.ID}, want: []string{second.ID}, query: "label_id=" + label.ID},
		"inbox":   {f: deskwoot.ConversationFilter{InboxID: first.InboxID}, want: []string{first.ID, second.ID}, query: "inbox_id=" + first.InboxID},
		"nothing": {f: deskwoot.ConversationFilter{AssigneeID: "cnobody", TeamID: "cnoteam"}, want: nil, query: "assignee_id=cnobody"},
		"page 2":  {f: deskwoot.ConversationFilter{Page: 2, PageSize: 1}, want: []string{second.ID}, query: "page=2&pageSize=1"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := c.ListConversations(ctx, tc.f)
			require.NoError(t, err)
			var got []string
			for _, conv := range p.Items {
				got = append(got, conv.ID)
			}
			assert.Equal(t, tc.want, got)
			last, _ := srv.LastRequest()
			assert.Contains(t, last.RawQuery, tc.query)
			if tc.query == "" {
				assert.Empty(t, last.RawQuery, "unset filters are not sent")
			}
		})
	}
}

func TestListEnvelopes(t *testing.T) {
	for _, shape := range []deskwoottest.ListShape{deskwoottest.BareArray, deskwoottest.Envelope} {
		srv, c := setup(t, deskwoottest.WithListShape(shape))
		ctx := context.Background()
		inboxes, err := c.ListInboxes(ctx)
		require.NoError(t, err)
		for i := range 5 {
			ct, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("c" + string(rune('a'+i)))})
			require.NoError(t, err)
			_, err = c.CreateConversation(ctx, deskwoot.NewConversation{InboxID: inboxes[0].ID, ContactID: ct.ID, Message: "m"})
			require.NoError(t, err)
		}
		last, _ := srv.LastRequest()
		_ = last

		p, err := c.ListConversations(ctx, deskwoot.ConversationFilter{Page: 1, PageSize: 2})
		require.NoError(t, err)
		assert.Len(t, p.Items, 2)
		assert.True(t, p.HasMore)
		assert.Equal(t, shape == deskwoottest.Envelope, p.TotalKnown)
		if p.TotalKnown {
			assert.Equal(t, 5, p.Total)
		}

		srv.ResetRequests()
		var n int
		for conv, err := range c.AllConversations(ctx, deskwoot.ConversationFilter{PageSize: 2}) {
			require.NoError(t, err)
			require.NotEmpty(t, conv.ID)
			n++
		}
		assert.Equal(t, 5, n)
		// Envelope: the total says page 3 is the last; bare arrays: a short
		// page says so.
		assert.Equal(t, 3, srv.Count("GET", "/v1/accounts/"+srv.AccountID()+"/conversations"))

		contacts := 0
		for _, err := range c.AllContacts(ctx, deskwoot.ContactFilter{}) {
			require.NoError(t, err)
			contacts++
		}
		assert.Equal(t, 5, contacts)
		msgs, err := c.ListMessages(ctx, p.Items[0].ID)
		require.NoError(t, err)
		assert.Len(t, msgs, 1)
	}
}

func TestAllConversationsStopsOnErrorAndBreak(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	seed(t, c)
	srv.FailNext(1, 400, `{"error":"bad filter"}`, "")
	var errs int
	for _, err := range c.AllConversations(ctx, deskwoot.ConversationFilter{}) {
		require.ErrorIs(t, err, vendorkit.ErrBadRequest)
		errs++
	}
	assert.Equal(t, 1, errs)
	srv.ResetRequests()
	for range c.AllConversations(ctx, deskwoot.ConversationFilter{PageSize: 1}) {
		break
	}
	assert.Equal(t, 1, srv.Count("GET", ""))
}

func TestBulkUpdateConversations(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	_, a := seed(t, c)
	ct, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("B")})
	require.NoError(t, err)
	b, err := c.CreateConversation(ctx, deskwoot.NewConversation{InboxID: a.InboxID, ContactID: ct.ID, Message: "x"})
	require.NoError(t, err)
	label, err := c.CreateLabel(ctx, deskwoot.LabelInput{Title: vendorkit.Ptr("urgent")})
	require.NoError(t, err)
	both := []string{a.ID, b.ID}

	require.NoError(t, c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: deskwoot.BulkChangeStatus, ConversationIDs: both, Value: string(deskwoot.StatusResolved)}))
	last, _ := srv.LastRequest()
	assert.JSONEq(t, `{"action":"change_status","conversationIds":["`+a.ID+`","`+b.ID+`"],"value":"RESOLVED"}`, string(last.Body))
	require.NoError(t, c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: deskwoot.BulkAddLabel, ConversationIDs: both, Value: label.ID}))
	require.NoError(t, c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: deskwoot.BulkMute, ConversationIDs: both}))
	p, err := c.ListConversations(ctx, deskwoot.ConversationFilter{Status: deskwoot.StatusResolved, LabelID: label.ID})
	require.NoError(t, err)
	require.Len(t, p.Items, 2)
	for _, conv := range p.Items {
		assert.True(t, conv.Muted)
		require.Len(t, conv.Labels, 1)
		assert.Equal(t, "urgent", conv.Labels[0].Title)
	}
	require.NoError(t, c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: deskwoot.BulkDelete, ConversationIDs: []string{a.ID}}))
	_, err = c.GetConversation(ctx, a.ID)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	err = c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: deskwoot.BulkMute, ConversationIDs: []string{a.ID}})
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
}

func TestLabelsOnConversations(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	_, conv := seed(t, c)
	label, err := c.CreateLabel(ctx, deskwoot.LabelInput{Title: vendorkit.Ptr("refund"), Color: vendorkit.Ptr("#ff0000")})
	require.NoError(t, err)
	require.NoError(t, c.AddLabel(ctx, conv.ID, label.ID))
	last, _ := srv.LastRequest()
	assert.Equal(t, "POST", last.Method)
	assert.JSONEq(t, `{"labelId":"`+label.ID+`"}`, string(last.Body))
	got, err := c.GetConversation(ctx, conv.ID)
	require.NoError(t, err)
	require.Len(t, got.Labels, 1)
	assert.Equal(t, "#ff0000", got.Labels[0].Color)

	require.NoError(t, c.RemoveLabel(ctx, conv.ID, label.ID))
	last, _ = srv.LastRequest()
	assert.Equal(t, "DELETE", last.Method)
	assert.JSONEq(t, `{"labelId":"`+label.ID+`"}`, string(last.Body), "the label goes in the DELETE body, as the official client sends it")
	got, err = c.GetConversation(ctx, conv.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Labels)
	require.ErrorIs(t, c.RemoveLabel(ctx, conv.ID, label.ID), vendorkit.ErrNotFound)
	require.ErrorIs(t, c.AddLabel(ctx, conv.ID, "cnolabel"), vendorkit.ErrNotFound)
}

func TestMessages(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	_, conv := seed(t, c)
	reply, err := c.SendMessage(ctx, conv.ID, deskwoot.NewMessage{Content: "<p>On it</p>", ContentType: deskwoot.ContentHTML, Cc: []string{"boss@example.com"}, Bcc: []string{"audit@example.com"}})
	require.NoError(t, err)
	assert.Equal(t, deskwoot.MessageOutgoing, reply.MessageType)
	assert.Equal(t, deskwoot.ContentHTML, reply.ContentType)
	assert.False(t, reply.Private)
	last, _ := srv.LastRequest()
	var sent map[string]any
	require.NoError(t, json.Unmarshal(last.Body, &sent))
	assert.Equal(t, []any{"boss@example.com"}, sent["cc"])
	assert.Equal(t, []any{"audit@example.com"}, sent["bcc"])

	note, err := c.SendMessage(ctx, conv.ID, deskwoot.NewMessage{Content: "Customer is VIP", Private: true})
	require.NoError(t, err)
	assert.True(t, note.Private)
	assert.Equal(t, deskwoot.ContentText, note.ContentType)

	msgs, err := c.ListMessages(ctx, conv.ID)
	require.NoError(t, err)
	require.Len(t, msgs, 3)
	assert.Equal(t, "Hello", msgs[0].Content)
	assert.True(t, msgs[2].Private)

	_, err = c.SendMessage(ctx, conv.ID, deskwoot.NewMessage{Content: "x", Cc: []string{"not an address"}})
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	_, err = c.ListMessages(ctx, "cnothere")
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
}

func TestUploadAttachment(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	_, conv := seed(t, c)
	content := bytes.Repeat([]byte("\x89PNG....."), 100)
	att, err := c.UploadAttachment(ctx, conv.ID, "screenshots/error.png", "", bytes.NewReader(content))
	require.NoError(t, err)
	assert.Equal(t, "error.png", att.FileName)
	assert.Equal(t, int64(len(content)), att.FileSize)
	assert.Equal(t, deskwoot.FileImage, att.FileType)
	assert.Equal(t, "image/png", att.ContentType)

	last, _ := srv.LastRequest()
	mt, params, err := mime.ParseMediaType(last.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/form-data", mt)
	part, err := multipart.NewReader(bytes.NewReader(last.Body), params["boundary"]).NextPart()
	require.NoError(t, err)
	assert.Equal(t, "file", part.FormName())

	t.Run("exactly 10 MiB is sent", func(t *testing.T) {
		att, err := c.UploadAttachment(ctx, conv.ID, "big.bin", "application/octet-stream", bytes.NewReader(make([]byte, deskwoot.MaxAttachmentSize)))
		require.NoError(t, err)
		assert.Equal(t, int64(deskwoot.MaxAttachmentSize), att.FileSize)
		assert.Equal(t, deskwoot.FileOther, att.FileType)
	})
	t.Run("over 10 MiB is refused before sending", func(t *testing.T) {
		srv.ResetRequests()
		_, err := c.UploadAttachment(ctx, conv.ID, "huge.bin", "", bytes.NewReader(make([]byte, deskwoot.MaxAttachmentSize+1)))
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "10 MB")
		assert.Empty(t, srv.Requests(), "nothing was sent")
	})
	t.Run("bad names", func(t *testing.T) {
		for _, name := range []string{"", "a\"b", "x\ny"} {
			_, err := c.UploadAttachment(ctx, conv.ID, name, "", strings.NewReader("x"))
			require.ErrorIs(t, err, vendorkit.ErrInvalidArgument, name)
		}
		_, err := c.UploadAttachment(ctx, conv.ID, "a.txt", "", nil)
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	})
}
