package woofedtest

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"slices"

	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
)

// Webhooks, as Woofed CRM sends them (douglara/woofed-crm
// app/listeners/webhook_listener.rb, app/workers/webhook_worker.rb): every
// webhook gets every event; after a write commits a contact, deal or
// timeline event, each webhook URL receives
// {"event": "<model>_created|_updated", "data": {<record>, <includes>,
// "changed_attributes": [...]}} — contacts with their deals, deals with
// their contact, events with their deal, contact and content (plain text
// for message kinds, the ActionText object otherwise). Deliveries are
// unsigned. An HTTP error answer is not retried; a failed connection is
// (Sidekiq), here up to the sender's bound with a short backoff.

// AddWebhook registers url as a webhook of the account, as Settings →
// Webhooks does; from then on every write of a contact, deal or event
// delivers to it (loopback URLs only), before the write's answer.
func (s *Server) AddWebhook(url string) {
	s.mu.Lock()
	first := s.hookURLs == nil
	s.hookURLs = append(s.hookURLs, url)
	if s.hooks == nil {
		s.hooks = vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{
			Vendor: "woofed", UserAgent: "Faraday v2.10.1", Retry: vendorkittest.RetryOnConnectionError,
		})
	}
	s.mu.Unlock()
	if first {
		s.Use(s.webhookChanges)
	}
}

// Deliveries returns the webhook deliveries made so far, oldest first.
func (s *Server) Deliveries() []vendorkittest.WebhookDelivery {
	if h := s.sender(); h != nil {
		return h.Deliveries()
	}
	return nil
}

// WebhookSender returns the fake's webhook sender (nil before AddWebhook),
// e.g. to change its retry bound or backoff.
func (s *Server) WebhookSender() *vendorkittest.Webhooks { return s.sender() }

func (s *Server) sender() *vendorkittest.Webhooks {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hooks
}

// SendWebhook delivers event with data (any JSON value; a record's
// changed_attributes is the caller's to include) to every webhook, on
// demand, and returns the deliveries.
func (s *Server) SendWebhook(event woofed.WebhookEventName, data any) []vendorkittest.WebhookDelivery {
	body, err := json.Marshal(map[string]any{"event": event, "data": data})
	if err != nil {
		panic("woofedtest: encoding a webhook payload: " + err.Error())
	}
	s.mu.Lock()
	urls, h := slices.Clone(s.hookURLs), s.hooks
	s.mu.Unlock()
	var out []vendorkittest.WebhookDelivery
	for _, u := range urls {
		out = append(out, h.Send(u, string(event), body, nil))
	}
	return out
}

// snapshot is the state webhooks are derived from.
type snapshot struct {
	contacts map[int64]woofed.Contact
	deals    map[int64]woofed.Deal
	events   map[int64]woofed.Event
}

func (s *Server) snapshot() snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return snapshot{maps.Clone(s.contacts), maps.Clone(s.deals), maps.Clone(s.events)}
}

// webhookChanges runs a write, then delivers one webhook per record it
// created or changed, in Woofed's commit order (contacts, deals, events).
func (s *Server) webhookChanges(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		before := s.snapshot()
		next.ServeHTTP(w, r)
		after := s.snapshot()
		s.mu.Lock()
		changes := diffRecords(before.contacts, after.contacts, woofed.WebhookContactCreated, woofed.WebhookContactUpdated, renderContact,
			func(c woofed.Contact, data object) {
				deals := []object{}
				for _, d := range sorted(s.deals) {
					if d.ContactID == c.ID {
						deals = append(deals, renderDeal(d))
					}
				}
				data["deals"] = deals
			})
		changes = append(changes, diffRecords(before.deals, after.deals, woofed.WebhookDealCreated, woofed.WebhookDealUpdated, renderDeal,
			func(d woofed.Deal, data object) {
				data["contact"] = nil
				if c, ok := s.contacts[d.ContactID]; ok {
					data["contact"] = renderContact(c)
				}
			})...)
		changes = append(changes, diffRecords(before.events, after.events, woofed.WebhookEventCreated, woofed.WebhookEventUpdated, renderEvent,
			func(e woofed.Event, data object) {
				data["deal"], data["contact"] = nil, nil
				if d, ok := s.deals[e.DealID]; ok {
					data["deal"] = renderDeal(d)
				}
				if c, ok := s.contacts[e.ContactID]; ok {
					data["contact"] = renderContact(c)
				}
				if e.Kind != woofed.EventChatwootMessage && e.Kind != woofed.EventEvolutionAPIMessage {
					// Event#content: the ActionText record unless a message kind.
					data["content"] = object{"id": e.ID, "name": "content", "body": e.Content, "record_type": "Event",
						"record_id": e.ID, "created_at": data["created_at"], "updated_at": data["updated_at"]}
				}
			})...)
		s.mu.Unlock()
		for _, c := range changes {
			s.SendWebhook(c.event, c.data)
		}
	})
}

// change is one webhook to send.
type change struct {
	event woofed.WebhookEventName
	data  object
}

// diffRecords returns a created or updated webhook for each record of after
// that is new or differs from before, in id order: the record rendered, its
// changed_attributes, and what include adds (the listener's includes).
// s.mu is held.
func diffRecords[T any](before, after map[int64]T, created, updated woofed.WebhookEventName,
	render func(T) object, include func(T, object)) []change {
	var out []change
	for _, id := range slices.Sorted(maps.Keys(after)) {
		rec := after[id]
		old, existed := before[id]
		if existed && reflect.DeepEqual(old, rec) {
			continue
		}
		data := render(rec)
		ev, prev := created, object(nil)
		if existed {
			ev, prev = updated, render(old)
		}
		data["changed_attributes"] = changedAttributes(prev, data)
		include(rec, data)
		out = append(out, change{ev, data})
	}
	return out
}

// changedAttributes is Rails' previous_changes as the listener maps it: one
// {"attr": {"previous_value", "current_value"}} per changed column (every
// column set on create), or null when nothing changed.
func changedAttributes(prev, cur object) any {
	var out []object
	for _, k := range slices.Sorted(maps.Keys(cur)) {
		var before any
		if prev != nil {
			before = prev[k]
		}
		b, _ := json.Marshal(before)
		a, _ := json.Marshal(cur[k])
		if string(a) == string(b) {
			continue
		}
		out = append(out, object{k: object{"previous_value": before, "current_value": cur[k]}})
	}
	if out == nil {
		return nil
	}
	return out
}
