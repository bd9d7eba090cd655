package deskwoottest

import (
	"github.com/vendorkit/vendorkit/deskwoot"
)

// The Add* helpers put data straight into an account, without a request (so
// without using up the token's rate limit), for tests that need existing
// data. They panic on an unknown account or reference, as test set-up bugs.

// AddContact stores a contact and returns it.
func (s *Server) AddContact(accountID string, in deskwoot.ContactInput) deskwoot.Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(accountID)
	c := newContact(a.id, in)
	a.contacts.put(c.ID, c)
	return *c
}

// AddConversation stores a conversation with contactID in the account's
// first inbox, opened by an incoming message, and returns it.
func (s *Server) AddConversation(accountID, contactID, message string, status deskwoot.ConversationStatus) deskwoot.Conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(accountID)
	if a.contacts.get(contactID) == nil {
		panic("deskwoottest: AddConversation: unknown contact " + contactID)
	}
	if status == "" {
		status = deskwoot.StatusOpen
	}
	t := now()
	a.displaySeq++
	c := &deskwoot.Conversation{ID: newID(), DisplayID: a.displaySeq, AccountID: a.id, InboxID: a.inboxes.ids[0], ContactID: contactID,
		Status: status, LastActivityAt: t, CreatedAt: t, UpdatedAt: t}
	a.conversations.put(c.ID, c)
	a.messages[c.ID] = append(a.messages[c.ID], deskwoot.Message{ID: newID(), ConversationID: c.ID, Content: message,
		MessageType: deskwoot.MessageIncoming, ContentType: deskwoot.ContentText, CreatedAt: t})
	return a.conversationView(c.ID)
}

// Messages returns a conversation's messages, private notes included.
func (s *Server) Messages(accountID, conversationID string) []deskwoot.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]deskwoot.Message(nil), s.account(accountID).messages[conversationID]...)
}

func (s *Server) account(id string) *account {
	a := s.accounts[id]
	if a == nil {
		panic("deskwoottest: unknown account " + id)
	}
	return a
}

// newContact builds a contact of account from a create body.
func newContact(account string, in deskwoot.ContactInput) *deskwoot.Contact {
	v := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	t := now()
	return &deskwoot.Contact{ID: newID(), AccountID: account, Name: v(in.Name), Email: v(in.Email), Phone: v(in.Phone),
		Company: v(in.Company), Location: v(in.Location), Description: v(in.Description), CustomAttributes: in.CustomAttributes,
		CreatedAt: t, UpdatedAt: t}
}
