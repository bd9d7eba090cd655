package deskwoot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
	"github.com/vendorkit/vendorkit/runtime"
)

// ConversationFilter narrows ListConversations; zero fields do not filter.
type ConversationFilter struct {
	Status     ConversationStatus
	AssigneeID string
	TeamID     string
	InboxID    string
	LabelID    string
	// Page is 1-based (0 means 1); PageSize is at most 100 (0 means the
	// server's default).
	Page     int
	PageSize int
}

// ListConversations returns one page of the account's conversations.
func (c *Client) ListConversations(ctx context.Context, f ConversationFilter) (Page[Conversation], error) {
	const op = "ListConversations"
	ctx = runtime.WithOperation(ctx, op)
	page, size, err := pageParams(op, f.Page, f.PageSize)
	if err != nil {
		return Page[Conversation]{}, err
	}
	account, err := c.scoped(ctx, op)
	if err != nil {
		return Page[Conversation]{}, err
	}
	params := &api.ListConversationsParams{
		AssigneeID: optional(f.AssigneeID),
		TeamID:     optional(f.TeamID),
		InboxID:    optional(f.InboxID),
		LabelID:    optional(f.LabelID),
		Page:       page,
		PageSize:   size,
	}
	if f.Status != "" {
		params.Status = vendorkit.Ptr(api.ConversationStatus(f.Status))
	}
	resp, err := c.client().ListConversations(ctx, account, params)
	p, err := decodePage(resp, err, f.Page, f.PageSize, conversationFrom)
	if err != nil {
		return Page[Conversation]{}, fail(op, err)
	}
	return p, nil
}

// AllConversations walks every page of ListConversations lazily, from
// f.Page (default 1), 100 per page unless f.PageSize says otherwise. An error
// is yielded once and ends the walk.
func (c *Client) AllConversations(ctx context.Context, f ConversationFilter) iter.Seq2[Conversation, error] {
	return allPages(ctx, f.Page, f.PageSize, func(ctx context.Context, page, size int) (Page[Conversation], error) {
		g := f // each fetch gets its own copy: the iterator may be ranged more than once
		g.Page, g.PageSize = page, size
		return c.ListConversations(ctx, g)
	})
}

// GetConversation returns one conversation.
func (c *Client) GetConversation(ctx context.Context, conversationID string) (Conversation, error) {
	const op = "GetConversation"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "conversation id", conversationID); err != nil {
		return Conversation{}, err
	}
	return decodeOne(op, conversationFrom)(c.client().GetConversation(ctx, conversationID))
}

// CreateConversation opens a conversation in an inbox with a contact and a
// first message.
func (c *Client) CreateConversation(ctx context.Context, in NewConversation) (Conversation, error) {
	const op = "CreateConversation"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "inbox id", in.InboxID, "contact id", in.ContactID); err != nil {
		return Conversation{}, err
	}
	if strings.TrimSpace(in.Message) == "" {
		return Conversation{}, argErr(op, "the first message is empty")
	}
	account, err := c.scoped(ctx, op)
	if err != nil {
		return Conversation{}, err
	}
	return decodeOne(op, conversationFrom)(c.client().CreateConversation(ctx, account, in.wire()))
}

// UpdateConversation changes a conversation's status, priority, assignee,
// team or muting; see ConversationUpdate.
func (c *Client) UpdateConversation(ctx context.Context, conversationID string, u ConversationUpdate) (Conversation, error) {
	const op = "UpdateConversation"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "conversation id", conversationID); err != nil {
		return Conversation{}, err
	}
	if err := u.check(); err != nil {
		return Conversation{}, argErr(op, "%v", err)
	}
	body, err := json.Marshal(u)
	if err != nil {
		return Conversation{}, argErr(op, "%v", err)
	}
	return decodeOne(op, conversationFrom)(c.client().UpdateConversationWithBody(ctx, conversationID, "application/json", bytes.NewReader(body)))
}

// BulkUpdateConversations applies one action to many conversations.
func (c *Client) BulkUpdateConversations(ctx context.Context, a BulkConversationAction) error {
	const op = "BulkUpdateConversations"
	ctx = runtime.WithOperation(ctx, op)
	if !a.Action.Valid() {
		return argErr(op, "unknown bulk action %q", truncate(string(a.Action), 40))
	}
	if len(a.ConversationIDs) == 0 {
		return argErr(op, "no conversation ids")
	}
	for _, id := range a.ConversationIDs {
		if err := ids(op, "conversation id", id); err != nil {
			return err
		}
	}
	switch a.Action {
	case BulkChangeStatus, BulkAssignAgent, BulkAssignTeam, BulkChangePriority, BulkAddLabel:
		if a.Value == "" {
			return argErr(op, "action %s needs a value", a.Action)
		}
	}
	account, err := c.scoped(ctx, op)
	if err != nil {
		return err
	}
	return fail(op, noContent(c.client().BulkUpdateConversations(ctx, account, a.wire())))
}

// AddLabel puts a label on a conversation.
func (c *Client) AddLabel(ctx context.Context, conversationID, labelID string) error {
	const op = "AddLabel"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "conversation id", conversationID, "label id", labelID); err != nil {
		return err
	}
	return fail(op, noContent(c.client().AddConversationLabel(ctx, conversationID, api.LabelRef{LabelID: labelID})))
}

// RemoveLabel takes a label off a conversation.
func (c *Client) RemoveLabel(ctx context.Context, conversationID, labelID string) error {
	const op = "RemoveLabel"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "conversation id", conversationID, "label id", labelID); err != nil {
		return err
	}
	return fail(op, noContent(c.client().RemoveConversationLabel(ctx, conversationID, api.LabelRef{LabelID: labelID})))
}

// ListMessages returns a conversation's messages, private notes included.
func (c *Client) ListMessages(ctx context.Context, conversationID string) ([]Message, error) {
	const op = "ListMessages"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "conversation id", conversationID); err != nil {
		return nil, err
	}
	resp, err := c.client().ListMessages(ctx, conversationID)
	msgs, err := decodeList(resp, err, messageFrom)
	if err != nil {
		return nil, fail(op, err)
	}
	return msgs, nil
}

// SendMessage adds a message to a conversation: a reply (OUTGOING, the
// default), an INCOMING message, or, with Private, a private note.
func (c *Client) SendMessage(ctx context.Context, conversationID string, m NewMessage) (Message, error) {
	const op = "SendMessage"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "conversation id", conversationID); err != nil {
		return Message{}, err
	}
	if strings.TrimSpace(m.Content) == "" {
		return Message{}, argErr(op, "empty content")
	}
	return decodeOne(op, messageFrom)(c.client().CreateMessage(ctx, conversationID, m.wire()))
}

// MaxAttachmentSize is the largest file UploadAttachment sends: 10 MB, read
// as 10 MiB (10 × 1024 × 1024 bytes), the usual multipart limit.
const MaxAttachmentSize = 10 << 20

// UploadAttachment uploads one file to a conversation as multipart/form-data
// (form field "file"; the docs do not name it). A file over
// MaxAttachmentSize is refused before anything is sent, with an error that
// wraps vendorkit.ErrInvalidArgument. contentType may be "" to guess it
// from the name and content.
func (c *Client) UploadAttachment(ctx context.Context, conversationID, fileName, contentType string, content io.Reader) (Attachment, error) {
	const op = "UploadAttachment"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "conversation id", conversationID); err != nil {
		return Attachment{}, err
	}
	fileName = strings.TrimSpace(filepath.Base(fileName))
	if fileName == "" || fileName == "." || fileName == string(filepath.Separator) || strings.ContainsAny(fileName, "\r\n\"") {
		return Attachment{}, argErr(op, "a file name without quotes or line breaks is required")
	}
	if content == nil {
		return Attachment{}, argErr(op, "nil content")
	}
	data, err := io.ReadAll(io.LimitReader(content, MaxAttachmentSize+1))
	if err != nil {
		return Attachment{}, argErr(op, "reading the file: %v", err)
	}
	if len(data) > MaxAttachmentSize {
		return Attachment{}, argErr(op, "the file is larger than Deskwoot's 10 MB limit")
	}
	if contentType == "" {
		contentType = mime.TypeByExtension(filepath.Ext(fileName))
	}
	if contentType == "" {
		contentType = http.DetectContentType(data)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "file", "filename": fileName}))
	h.Set("Content-Type", contentType)
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return Attachment{}, argErr(op, "building the form: %v", err)
	}
	return decodeOne(op, attachmentFrom)(c.client().UploadAttachmentWithBody(ctx, conversationID, w.FormDataContentType(), &buf))
}

// ConversationUpdate is the body of UpdateConversation. A nil field is not
// sent and stays unchanged. AssigneeID and TeamID set to vendorkit.Ptr("") unassign
// (sent as null, as the official client types them); Status and Priority
// cannot be cleared (the docs name no way), so Ptr of "" is refused.
type ConversationUpdate struct {
	Status     *ConversationStatus
	Priority   *Priority
	AssigneeID *string
	TeamID     *string
	Muted      *bool
}

// MarshalJSON writes only the fields to change, with null for an unassign.
func (u ConversationUpdate) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if u.Status != nil {
		m["status"] = *u.Status
	}
	if u.Priority != nil {
		m["priority"] = *u.Priority
	}
	for k, p := range map[string]*string{"assigneeId": u.AssigneeID, "teamId": u.TeamID} {
		switch {
		case p == nil:
		case *p == "":
			m[k] = nil
		default:
			m[k] = *p
		}
	}
	if u.Muted != nil {
		m["muted"] = *u.Muted
	}
	return json.Marshal(m)
}

func (u ConversationUpdate) check() error {
	for what, p := range map[string]*string{"assignee id": u.AssigneeID, "team id": u.TeamID} {
		if p != nil && *p != "" {
			if err := checkID(what, *p); err != nil {
				return err
			}
		}
	}
	switch {
	case u.Status != nil && *u.Status == "":
		return fmt.Errorf("%w: a status cannot be cleared", vendorkit.ErrInvalidArgument)
	case u.Priority != nil && *u.Priority == "":
		return fmt.Errorf("%w: a priority cannot be cleared", vendorkit.ErrInvalidArgument)
	case u.Status == nil && u.Priority == nil && u.AssigneeID == nil && u.TeamID == nil && u.Muted == nil:
		return fmt.Errorf("%w: nothing to update", vendorkit.ErrInvalidArgument)
	}
	return nil
}
