package deskwoottest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/vendorkit/vendorkit/deskwoot"
)

// table keeps one resource of an account in insertion order.
type table[T any] struct {
	ids  []string
	rows map[string]*T
}

func newTable[T any]() *table[T] { return &table[T]{rows: map[string]*T{}} }

func (t *table[T]) put(id string, v *T) {
	if _, ok := t.rows[id]; !ok {
		t.ids = append(t.ids, id)
	}
	t.rows[id] = v
}

func (t *table[T]) get(id string) *T { return t.rows[id] }

func (t *table[T]) del(id string) bool {
	if _, ok := t.rows[id]; !ok {
		return false
	}
	delete(t.rows, id)
	t.ids = slices.DeleteFunc(t.ids, func(x string) bool { return x == id })
	return true
}

// all returns copies of the rows, oldest first.
func (t *table[T]) all() []T {
	out := make([]T, 0, len(t.ids))
	for _, id := range t.ids {
		out = append(out, *t.rows[id])
	}
	return out
}

// account is one Deskwoot account's state.
type account struct {
	id     string
	plan   Plan
	secret string
	owner  deskwoot.Agent

	displaySeq    int64
	conversations *table[deskwoot.Conversation]
	convLabels    map[string][]string // conversation → label ids
	messages      map[string][]deskwoot.Message
	contacts      *table[deskwoot.Contact]
	inboxes       *table[deskwoot.Inbox]
	labels        *table[deskwoot.Label]
	teams         *table[deskwoot.Team]
	members       map[string][]string // team → agent ids
	agents        *table[deskwoot.Agent]
	canned        *table[deskwoot.CannedResponse]
	rules         *table[deskwoot.AutomationRule]
	webhooks      *table[deskwoot.Webhook]
	bots          *table[deskwoot.Bot]
}

func newAccount(id string, plan Plan, secret string) *account {
	a := &account{
		id: id, plan: plan, secret: secret,
		conversations: newTable[deskwoot.Conversation](),
		convLabels:    map[string][]string{},
		messages:      map[string][]deskwoot.Message{},
		contacts:      newTable[deskwoot.Contact](),
		inboxes:       newTable[deskwoot.Inbox](),
		labels:        newTable[deskwoot.Label](),
		teams:         newTable[deskwoot.Team](),
		members:       map[string][]string{},
		agents:        newTable[deskwoot.Agent](),
		canned:        newTable[deskwoot.CannedResponse](),
		rules:         newTable[deskwoot.AutomationRule](),
		webhooks:      newTable[deskwoot.Webhook](),
		bots:          newTable[deskwoot.Bot](),
	}
	a.owner = deskwoot.Agent{ID: newID(), Name: "Ada Admin", Email: "ada@example.com", Role: deskwoot.RoleAdmin, Availability: "ONLINE", CreatedAt: now()}
	a.agents.put(a.owner.ID, &a.owner)
	inbox := &deskwoot.Inbox{ID: newID(), AccountID: id, Name: "Support", ChannelType: deskwoot.ChannelEmail, EmailAddress: "support@example.com", Enabled: true, CreatedAt: now()}
	a.inboxes.put(inbox.ID, inbox)
	return a
}

// conversationView is a conversation with its labels.
func (a *account) conversationView(id string) deskwoot.Conversation {
	c := *a.conversations.get(id)
	c.Labels = nil
	for _, lid := range a.convLabels[id] {
		if l := a.labels.get(lid); l != nil {
			c.Labels = append(c.Labels, *l)
		}
	}
	return c
}

// patch overlays the allowed keys of body onto v (null clears a field): v is
// encoded to JSON, the keys replaced, and the result decoded back, so the
// fake applies a PATCH exactly as its JSON reads. A key that names one of
// T's other (read-only) fields — id, accountId, createdAt, … — is ignored,
// as the official client's update*(id, Partial<T>) may send them; any other
// key is an error.
func patch[T any](v *T, body map[string]json.RawMessage, allowed ...string) error {
	cur, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(cur, &m); err != nil {
		return err
	}
	known := jsonKeys(reflect.TypeFor[T]())
	for k, raw := range body {
		switch {
		case slices.Contains(allowed, k):
		case slices.Contains(known, k):
			continue // read-only: ignored
		default:
			return fmt.Errorf("unknown field %q", k)
		}
		if string(raw) == "null" {
			delete(m, k)
			continue
		}
		m[k] = raw
	}
	next, err := json.Marshal(m)
	if err != nil {
		return err
	}
	var out T
	if err := json.Unmarshal(next, &out); err != nil {
		return fmt.Errorf("invalid field value: %v", err)
	}
	*v = out
	return nil
}

// jsonKeys lists the JSON names of a struct type's fields.
func jsonKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}
