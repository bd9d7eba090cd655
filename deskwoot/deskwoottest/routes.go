package deskwoottest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// x is one request being served, with the server's lock held.
type x struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	tok    *token
	a      *account
	events []event
}

type event struct {
	name deskwoot.EventName
	data any
}

func (e *x) emit(name deskwoot.EventName, data any) { e.events = append(e.events, event{name, data}) }

func (e *x) json(status int, v any) { vendorkittest.WriteJSON(e.w, status, v) }

func (e *x) fail(status int, format string, args ...any) {
	writeError(e.w, status, fmt.Sprintf(format, args...))
}

// decode reads a JSON body into v, answering 400 when it is not.
func (e *x) decode(v any) bool {
	if err := json.NewDecoder(io.LimitReader(e.r.Body, 1<<20)).Decode(v); err != nil {
		e.fail(http.StatusBadRequest, "Invalid JSON body")
		return false
	}
	return true
}

// list answers items in the server's list shape.
func (e *x) list(items any, page, pageSize, total int) {
	if e.s.shape == Envelope {
		e.json(http.StatusOK, map[string]any{"data": items, "page": page, "pageSize": pageSize, "total": total})
		return
	}
	e.json(http.StatusOK, items)
}

// handle registers a route that needs scope ("" for any valid token).
func (s *Server) handle(pattern, scope string, h func(*x)) {
	s.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		c, _ := r.Context().Value(ctxKey{}).(caller)
		if c.tok == nil {
			writeError(w, http.StatusUnauthorized, "Invalid or missing API token")
			return
		}
		if scope != "" && !c.tok.allowed(scope) {
			writeError(w, http.StatusForbidden, "Insufficient scope: this endpoint requires the "+scope+" scope")
			return
		}
		s.mu.Lock()
		e := &x{s: s, w: w, r: r, tok: c.tok, a: s.accounts[c.tok.account]}
		if id := r.PathValue("accountId"); id != "" && id != e.a.id {
			_, exists := s.accounts[id]
			s.mu.Unlock()
			if exists {
				writeError(w, http.StatusForbidden, "This token has no access to that account")
			} else {
				writeError(w, http.StatusNotFound, "Account not found")
			}
			return
		}
		h(e)
		events := e.events
		a := e.a
		s.mu.Unlock()
		for _, ev := range events {
			s.deliver(a.id, ev.name, ev.data)
		}
	})
}

func (s *Server) routes() {
	const acct = "/v1/accounts/{accountId}"
	const cr, cw = ScopeConversationsRead, ScopeConversationsWrite
	const pr, pw = ScopeContactsRead, ScopeContactsWrite
	const rd, wr = ScopeRead, ScopeWrite

	s.handle("GET /v1/me", "", s.me)
	s.handle("GET /v1/{$}", "", s.me) // the docs' connection test: GET https://deskwoot.com/api/v1/

	s.handle("GET "+acct+"/conversations", cr, s.listConversations)
	s.handle("POST "+acct+"/conversations", cw, s.createConversation)
	s.handle("POST "+acct+"/conversations/bulk", cw, s.bulkConversations)
	s.handle("GET /v1/conversations/{id}", cr, s.getConversation)
	s.handle("PATCH /v1/conversations/{id}", cw, s.updateConversation)
	s.handle("GET /v1/conversations/{id}/messages", cr, s.listMessages)
	s.handle("POST /v1/conversations/{id}/messages", cw, s.createMessage)
	s.handle("POST /v1/conversations/{id}/attachments", cw, s.uploadAttachment)
	s.handle("POST /v1/conversations/{id}/labels", cw, s.addConversationLabel)
	s.handle("DELETE /v1/conversations/{id}/labels", cw, s.removeConversationLabel)

	s.handle("GET "+acct+"/contacts", pr, s.listContacts)
	s.handle("POST "+acct+"/contacts", pw, s.createContact)
	s.handle("POST "+acct+"/contacts/merge", pw, s.mergeContacts)
	s.handle("GET "+acct+"/contacts/{id}", pr, s.getContact)
	s.handle("PATCH "+acct+"/contacts/{id}", pw, s.updateContact)
	s.handle("DELETE "+acct+"/contacts/{id}", pw, s.deleteContact)

	crud(s, acct+"/inboxes", rd, wr, func(a *account) *table[deskwoot.Inbox] { return a.inboxes }, "Inbox", true,
		[]string{"name", "channelType", "emailAddress", "enabled", "greetingEnabled", "greetingMessage"}, `{"enabled":true}`, newInbox)
	crud(s, acct+"/labels", rd, wr, func(a *account) *table[deskwoot.Label] { return a.labels }, "Label", false,
		[]string{"title", "color", "description"}, `{"color":"#1f93ff"}`, newLabel)
	crud(s, acct+"/teams", rd, wr, func(a *account) *table[deskwoot.Team] { return a.teams }, "Team", false,
		[]string{"name", "description", "allowAutoAssign"}, "", newTeam)
	crud(s, acct+"/agents", rd, wr, func(a *account) *table[deskwoot.Agent] { return a.agents }, "Agent", false,
		[]string{"email", "role"}, `{"role":"agent"}`, newAgent)
	crud(s, acct+"/canned-responses", rd, wr, func(a *account) *table[deskwoot.CannedResponse] { return a.canned }, "Canned response", false,
		[]string{"shortCode", "content"}, "", newCanned)
	crud(s, acct+"/automation-rules", rd, wr, func(a *account) *table[deskwoot.AutomationRule] { return a.rules }, "Automation rule", false,
		[]string{"name", "description", "eventName", "conditions", "actions", "active"}, `{"active":true}`, newRule)
	crud(s, acct+"/webhooks", rd, wr, func(a *account) *table[deskwoot.Webhook] { return a.webhooks }, "Webhook", false,
		[]string{"url", "events", "active"}, `{"active":true}`, newWebhook)
	crud(s, acct+"/bots", rd, wr, func(a *account) *table[deskwoot.Bot] { return a.bots }, "Bot", false,
		[]string{"name", "description"}, "", newBot)
	s.handle("POST "+acct+"/teams/{id}/members", wr, s.addTeamMember)
	s.handle("DELETE "+acct+"/teams/{id}/members", wr, s.removeTeamMember)
}

func (s *Server) me(e *x) {
	e.json(http.StatusOK, deskwoot.Me{
		User:       e.tok.user,
		AccountID:  e.a.id,
		AccountIDs: []string{e.a.id},
		AuthMethod: e.tok.method,
		Scopes:     sortedScopes(e.tok),
	})
}

func sortedScopes(t *token) []string {
	out := make([]string, 0, len(t.scopes))
	for k := range t.scopes {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// pagination reads page and pageSize (default 1 and 25; pageSize ≤ 100).
func (e *x) pagination() (page, size int, ok bool) {
	page, size = 1, 25
	q := e.r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			e.fail(http.StatusBadRequest, "page must be a positive integer")
			return 0, 0, false
		}
		page = n
	}
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			e.fail(http.StatusBadRequest, "pageSize must be between 1 and 100")
			return 0, 0, false
		}
		size = n
	}
	return page, size, true
}

func paginate[T any](items []T, page, size int) []T {
	from := min(len(items), (page-1)*size)
	to := min(len(items), from+size)
	return items[from:to]
}

// --- conversations -------------------------------------------------------

func (s *Server) listConversations(e *x) {
	page, size, ok := e.pagination()
	if !ok {
		return
	}
	q := e.r.URL.Query()
	status := q.Get("status")
	if status != "" && !deskwoot.ConversationStatus(status).Valid() {
		e.fail(http.StatusBadRequest, "Invalid status: use OPEN, PENDING, RESOLVED or SNOOZED")
		return
	}
	var out []deskwoot.Conversation
	for _, id := range e.a.conversations.ids {
		c := e.a.conversationView(id)
		if (status != "" && string(c.Status) != status) ||
			(q.Get("assignee_id") != "" && c.AssigneeID != q.Get("assignee_id")) ||
			(q.Get("team_id") != "" && c.TeamID != q.Get("team_id")) ||
			(q.Get("inbox_id") != "" && c.InboxID != q.Get("inbox_id")) ||
			(q.Get("label_id") != "" && !slices.Contains(e.a.convLabels[id], q.Get("label_id"))) {
			continue
		}
		out = append(out, c)
	}
	e.list(nonNil(paginate(out, page, size)), page, size, len(out))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) createConversation(e *x) {
	var in deskwoot.NewConversation
	if !e.decode(&in) {
		return
	}
	switch {
	case in.InboxID == "" || in.ContactID == "" || strings.TrimSpace(in.Message) == "":
		e.fail(http.StatusBadRequest, "inboxId, contactId and message are required")
		return
	case e.a.inboxes.get(in.InboxID) == nil:
		e.fail(http.StatusBadRequest, "Inbox not found in this account")
		return
	case e.a.contacts.get(in.ContactID) == nil:
		e.fail(http.StatusBadRequest, "Contact not found in this account")
		return
	case in.Status != "" && !in.Status.Valid():
		e.fail(http.StatusBadRequest, "Invalid status")
		return
	case in.AssigneeID != "" && e.a.agents.get(in.AssigneeID) == nil:
		e.fail(http.StatusBadRequest, "Assignee not found in this account")
		return
	case in.TeamID != "" && e.a.teams.get(in.TeamID) == nil:
		e.fail(http.StatusBadRequest, "Team not found in this account")
		return
	}
	t := now()
	e.a.displaySeq++
	c := &deskwoot.Conversation{
		ID: newID(), DisplayID: e.a.displaySeq, AccountID: e.a.id, InboxID: in.InboxID, ContactID: in.ContactID,
		AssigneeID: in.AssigneeID, TeamID: in.TeamID, Status: in.Status,
		LastActivityAt: t, CreatedAt: t, UpdatedAt: t,
	}
	if c.Status == "" {
		c.Status = deskwoot.StatusOpen
	}
	e.a.conversations.put(c.ID, c)
	msg := deskwoot.Message{ID: newID(), ConversationID: c.ID, Content: in.Message, MessageType: deskwoot.MessageOutgoing, ContentType: deskwoot.ContentText, CreatedAt: t}
	e.a.messages[c.ID] = append(e.a.messages[c.ID], msg)
	view := e.a.conversationView(c.ID)
	e.emit(deskwoot.EventConversationCreated, view)
	e.emit(deskwoot.EventMessageCreated, msg)
	e.json(http.StatusCreated, view)
}

// conversation finds the path's conversation in the caller's account.
func (e *x) conversation() *deskwoot.Conversation {
	c := e.a.conversations.get(e.r.PathValue("id"))
	if c == nil {
		notFound(e.w, "Conversation")
	}
	return c
}

func (s *Server) getConversation(e *x) {
	c := e.conversation()
	if c == nil {
		return
	}
	view := e.a.conversationView(c.ID)
	if ct := e.a.contacts.get(c.ContactID); ct != nil {
		view.Contact = *ct
	}
	e.json(http.StatusOK, view)
}

func (s *Server) updateConversation(e *x) {
	c := e.conversation()
	if c == nil {
		return
	}
	var body map[string]json.RawMessage
	if !e.decode(&body) {
		return
	}
	next := *c
	if err := patch(&next, body, "status", "priority", "assigneeId", "teamId", "muted"); err != nil {
		e.fail(http.StatusBadRequest, "%v", err)
		return
	}
	if !e.validConversation(next) {
		return
	}
	next.UpdatedAt = now()
	*c = next
	view := e.a.conversationView(c.ID)
	e.emit(deskwoot.EventConversationUpdated, view)
	e.json(http.StatusOK, view)
}

func (e *x) validConversation(c deskwoot.Conversation) bool {
	switch {
	case !c.Status.Valid():
		e.fail(http.StatusBadRequest, "Invalid status: use OPEN, PENDING, RESOLVED or SNOOZED")
	case c.Priority != "" && !c.Priority.Valid():
		e.fail(http.StatusBadRequest, "Invalid priority: use URGENT, HIGH, MEDIUM or LOW")
	case c.AssigneeID != "" && e.a.agents.get(c.AssigneeID) == nil:
		e.fail(http.StatusBadRequest, "Assignee not found in this account")
	case c.TeamID != "" && e.a.teams.get(c.TeamID) == nil:
		e.fail(http.StatusBadRequest, "Team not found in this account")
	default:
		return true
	}
	return false
}

func (s *Server) bulkConversations(e *x) {
	var in deskwoot.BulkConversationAction
	if !e.decode(&in) {
		return
	}
	if !in.Action.Valid() || len(in.ConversationIDs) == 0 {
		e.fail(http.StatusBadRequest, "action (a known bulk action) and conversationIds are required")
		return
	}
	for _, id := range in.ConversationIDs {
		if e.a.conversations.get(id) == nil {
			e.fail(http.StatusNotFound, "Conversation %s not found", id)
			return
		}
	}
	updated := 0
	for _, id := range in.ConversationIDs {
		c := e.a.conversations.get(id)
		next := *c
		switch in.Action {
		case deskwoot.BulkChangeStatus:
			next.Status = deskwoot.ConversationStatus(in.Value)
		case deskwoot.BulkAssignAgent:
			next.AssigneeID = in.Value
		case deskwoot.BulkAssignTeam:
			next.TeamID = in.Value
		case deskwoot.BulkChangePriority:
			next.Priority = deskwoot.Priority(in.Value)
		case deskwoot.BulkAddLabel:
			if e.a.labels.get(in.Value) == nil {
				e.fail(http.StatusBadRequest, "Label not found in this account")
				return
			}
			if !slices.Contains(e.a.convLabels[id], in.Value) {
				e.a.convLabels[id] = append(e.a.convLabels[id], in.Value)
			}
		case deskwoot.BulkMute:
			next.Muted = true
		case deskwoot.BulkUnmute:
			next.Muted = false
		case deskwoot.BulkSnooze:
			next.Status = deskwoot.StatusSnoozed
		case deskwoot.BulkMarkUnread:
		case deskwoot.BulkDelete:
			e.a.conversations.del(id)
			delete(e.a.messages, id)
			delete(e.a.convLabels, id)
			updated++
			continue
		}
		if !e.validConversation(next) {
			return
		}
		next.UpdatedAt = now()
		*c = next
		updated++
		e.emit(deskwoot.EventConversationUpdated, e.a.conversationView(id))
	}
	e.json(http.StatusOK, map[string]any{"success": true, "count": updated})
}

func (s *Server) listMessages(e *x) {
	c := e.conversation()
	if c == nil {
		return
	}
	msgs := nonNil(e.a.messages[c.ID])
	e.list(msgs, 1, len(msgs), len(msgs))
}

func (s *Server) createMessage(e *x) {
	c := e.conversation()
	if c == nil {
		return
	}
	var in deskwoot.NewMessage
	if !e.decode(&in) {
		return
	}
	switch {
	case strings.TrimSpace(in.Content) == "":
		e.fail(http.StatusBadRequest, "content is required")
		return
	case in.MessageType != "" && in.MessageType != deskwoot.MessageOutgoing && in.MessageType != deskwoot.MessageIncoming:
		e.fail(http.StatusBadRequest, "messageType must be OUTGOING or INCOMING")
		return
	case in.ContentType != "" && !in.ContentType.Valid():
		e.fail(http.StatusBadRequest, "contentType must be TEXT or HTML")
		return
	}
	for _, addr := range append(slices.Clone(in.Cc), in.Bcc...) {
		if _, err := mail.ParseAddress(addr); err != nil {
			e.fail(http.StatusBadRequest, "Invalid cc/bcc address")
			return
		}
	}
	m := deskwoot.Message{ID: newID(), ConversationID: c.ID, Content: in.Content, MessageType: in.MessageType, ContentType: in.ContentType, Private: in.Private, CreatedAt: now()}
	if m.MessageType == "" {
		m.MessageType = deskwoot.MessageOutgoing
	}
	if m.ContentType == "" {
		m.ContentType = deskwoot.ContentText
	}
	e.a.messages[c.ID] = append(e.a.messages[c.ID], m)
	c.LastActivityAt = m.CreatedAt
	e.emit(deskwoot.EventMessageCreated, m)
	e.json(http.StatusCreated, m)
}

// MaxUpload is the attachment limit the fake enforces (10 MiB).
const MaxUpload = 10 << 20

func (s *Server) uploadAttachment(e *x) {
	c := e.conversation()
	if c == nil {
		return
	}
	e.r.Body = http.MaxBytesReader(e.w, e.r.Body, MaxUpload+64<<10)
	mt, _, err := mime.ParseMediaType(e.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		e.fail(http.StatusBadRequest, "Expected multipart/form-data")
		return
	}
	f, hdr, err := e.r.FormFile("file")
	if err != nil {
		e.fail(http.StatusBadRequest, "A file field is required (max 10 MB)")
		return
	}
	defer f.Close()
	if hdr.Size > MaxUpload {
		e.fail(http.StatusBadRequest, "File too large: the limit is 10 MB")
		return
	}
	ct := hdr.Header.Get("Content-Type")
	ft := deskwoot.FileOther
	switch {
	case strings.HasPrefix(ct, "image/"):
		ft = deskwoot.FileImage
	case strings.HasPrefix(ct, "audio/"):
		ft = deskwoot.FileAudio
	case strings.HasPrefix(ct, "video/"):
		ft = deskwoot.FileVideo
	}
	id := newID()
	att := deskwoot.Attachment{ID: id, FileName: hdr.Filename, FileSize: hdr.Size, ContentType: ct, FileType: ft,
		FileURL: "https://files.deskwoot.test/" + id + "/" + hdr.Filename}
	e.json(http.StatusCreated, att)
}

func (s *Server) addConversationLabel(e *x) {
	c := e.conversation()
	if c == nil {
		return
	}
	var in struct {
		LabelID string `json:"labelId"`
	}
	if !e.decode(&in) {
		return
	}
	if e.a.labels.get(in.LabelID) == nil {
		notFound(e.w, "Label")
		return
	}
	if !slices.Contains(e.a.convLabels[c.ID], in.LabelID) {
		e.a.convLabels[c.ID] = append(e.a.convLabels[c.ID], in.LabelID)
	}
	e.json(http.StatusOK, map[string]bool{"success": true})
}

func (s *Server) removeConversationLabel(e *x) {
	c := e.conversation()
	if c == nil {
		return
	}
	var in struct {
		LabelID string `json:"labelId"`
	}
	if !e.decode(&in) {
		return
	}
	if !slices.Contains(e.a.convLabels[c.ID], in.LabelID) {
		notFound(e.w, "Label on this conversation")
		return
	}
	e.a.convLabels[c.ID] = slices.DeleteFunc(e.a.convLabels[c.ID], func(id string) bool { return id == in.LabelID })
	e.w.WriteHeader(http.StatusNoContent)
}

// --- contacts ---------------------------------------------------------------

func (s *Server) listContacts(e *x) {
	page, size, ok := e.pagination()
	if !ok {
		return
	}
	q := e.r.URL.Query()
	search := strings.ToLower(q.Get("search"))
	seg := deskwoot.ContactSegment(q.Get("segment"))
	if seg != "" && !seg.Valid() {
		e.fail(http.StatusBadRequest, "Invalid segment")
		return
	}
	t := time.Now()
	var out []deskwoot.Contact
	for _, c := range e.a.contacts.all() {
		if search != "" && !strings.Contains(strings.ToLower(strings.Join([]string{c.Name, c.Email, c.Phone, c.Company, c.Identifier}, "\x00")), search) {
			continue
		}
		keep := true
		switch seg {
		case deskwoot.SegmentActive7d:
			keep = !c.LastActivityAt.IsZero() && t.Sub(c.LastActivityAt) <= 7*24*time.Hour
		case deskwoot.SegmentActive30d:
			keep = !c.LastActivityAt.IsZero() && t.Sub(c.LastActivityAt) <= 30*24*time.Hour
		case deskwoot.SegmentNoEmail:
			keep = c.Email == ""
		case deskwoot.SegmentHasEmail:
			keep = c.Email != ""
		case deskwoot.SegmentHasPhone:
			keep = c.Phone != ""
		case deskwoot.SegmentNew:
			keep = t.Sub(c.CreatedAt) <= 7*24*time.Hour
		}
		if keep {
			out = append(out, c)
		}
	}
	e.list(nonNil(paginate(out, page, size)), page, size, len(out))
}

func (e *x) emailTaken(email, except string) bool {
	if email == "" {
		return false
	}
	for _, c := range e.a.contacts.rows {
		if c.ID != except && strings.EqualFold(c.Email, email) {
			return true
		}
	}
	return false
}

func (s *Server) createContact(e *x) {
	var in deskwoot.ContactInput
	if !e.decode(&in) {
		return
	}
	c := newContact(e.a.id, in)
	if c.Email != "" {
		if _, err := mail.ParseAddress(c.Email); err != nil {
			e.fail(http.StatusBadRequest, "Invalid email")
			return
		}
	}
	if e.emailTaken(c.Email, "") {
		e.fail(http.StatusConflict, "A contact with this email already exists")
		return
	}
	e.a.contacts.put(c.ID, c)
	e.emit(deskwoot.EventContactCreated, *c)
	e.json(http.StatusCreated, c)
}

func (s *Server) getContact(e *x) {
	c := e.a.contacts.get(e.r.PathValue("id"))
	if c == nil {
		notFound(e.w, "Contact")
		return
	}
	e.json(http.StatusOK, c)
}

func (s *Server) updateContact(e *x) {
	c := e.a.contacts.get(e.r.PathValue("id"))
	if c == nil {
		notFound(e.w, "Contact")
		return
	}
	var body map[string]json.RawMessage
	if !e.decode(&body) {
		return
	}
	next := *c
	if err := patch(&next, body, "name", "email", "phone", "company", "location", "description", "customAttributes", "identifier"); err != nil {
		e.fail(http.StatusBadRequest, "%v", err)
		return
	}
	if next.Email != "" {
		if _, err := mail.ParseAddress(next.Email); err != nil {
			e.fail(http.StatusBadRequest, "Invalid email")
			return
		}
	}
	if e.emailTaken(next.Email, c.ID) {
		e.fail(http.StatusConflict, "A contact with this email already exists")
		return
	}
	next.UpdatedAt = now()
	*c = next
	e.emit(deskwoot.EventContactUpdated, *c)
	e.json(http.StatusOK, c)
}

func (s *Server) deleteContact(e *x) {
	id := e.r.PathValue("id")
	if !e.a.contacts.del(id) {
		notFound(e.w, "Contact")
		return
	}
	e.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) mergeContacts(e *x) {
	var in struct {
		Primary   string `json:"primaryContactId"`
		Secondary string `json:"secondaryContactId"`
	}
	if !e.decode(&in) {
		return
	}
	if in.Primary == "" || in.Secondary == "" || in.Primary == in.Secondary {
		e.fail(http.StatusBadRequest, "primaryContactId and secondaryContactId are required and must differ")
		return
	}
	p, sec := e.a.contacts.get(in.Primary), e.a.contacts.get(in.Secondary)
	if p == nil || sec == nil {
		notFound(e.w, "Contact")
		return
	}
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&p.Name, sec.Name)
	fill(&p.Email, sec.Email)
	fill(&p.Phone, sec.Phone)
	fill(&p.Company, sec.Company)
	fill(&p.Location, sec.Location)
	fill(&p.Description, sec.Description)
	for k, v := range sec.CustomAttributes {
		if p.CustomAttributes == nil {
			p.CustomAttributes = map[string]any{}
		}
		if _, ok := p.CustomAttributes[k]; !ok {
			p.CustomAttributes[k] = v
		}
	}
	for _, c := range e.a.conversations.rows {
		if c.ContactID == sec.ID {
			c.ContactID = p.ID
		}
	}
	e.a.contacts.del(sec.ID)
	p.UpdatedAt = now()
	e.emit(deskwoot.EventContactUpdated, *p)
	e.json(http.StatusOK, p)
}

// --- teams ------------------------------------------------------------------

func (s *Server) teamMember(e *x) (team *deskwoot.Team, agentID string, ok bool) {
	team = e.a.teams.get(e.r.PathValue("id"))
	if team == nil {
		notFound(e.w, "Team")
		return nil, "", false
	}
	var in struct {
		AgentID string `json:"agentId"`
	}
	if !e.decode(&in) {
		return nil, "", false
	}
	if e.a.agents.get(in.AgentID) == nil {
		notFound(e.w, "Agent")
		return nil, "", false
	}
	return team, in.AgentID, true
}

func (s *Server) addTeamMember(e *x) {
	team, agent, ok := s.teamMember(e)
	if !ok {
		return
	}
	if !slices.Contains(e.a.members[team.ID], agent) {
		e.a.members[team.ID] = append(e.a.members[team.ID], agent)
	}
	team.MemberCount = len(e.a.members[team.ID])
	e.json(http.StatusOK, map[string]bool{"success": true})
}

func (s *Server) removeTeamMember(e *x) {
	team, agent, ok := s.teamMember(e)
	if !ok {
		return
	}
	if !slices.Contains(e.a.members[team.ID], agent) {
		notFound(e.w, "Team member")
		return
	}
	e.a.members[team.ID] = slices.DeleteFunc(e.a.members[team.ID], func(id string) bool { return id == agent })
	team.MemberCount = len(e.a.members[team.ID])
	e.w.WriteHeader(http.StatusNoContent)
}
