package woofed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/vendorkit/vendorkit/webhook"
)

// Webhooks. Woofed CRM posts every webhook configured in Settings →
// Webhooks (all events, no per-event choice) as
// {"event": "<name>", "data": {<record>, "changed_attributes": [...]}} with
// Content-Type application/json, from its WebhookListener and WebhookWorker
// (douglara/woofed-crm app/listeners/webhook_listener.rb,
// app/workers/webhook_worker.rb; docs: Developer Guides/Webhooks). Deliveries
// are not signed and carry no id, timestamp or event header: protect the
// URL with a secret (see NewWebhookHandler). The body is built when the
// record is committed, so a retry resends the same bytes. Woofed retries a
// delivery only when the connection fails (Sidekiq's default retries); an
// HTTP error answer is not retried.
//
// Names: woofed.Event is the CRM's timeline record (a note, an activity, a
// message), so the webhook types are WebhookEvent and WebhookEventName here,
// where the other vendors say Event and EventName.

// WebhookEventName is the "event" of a delivery.
type WebhookEventName string

// The events Woofed CRM sends: a contact, deal or timeline event was
// created or updated (after_commit on create/update). Deletes are not sent.
const (
	WebhookContactCreated WebhookEventName = "contact_created"
	WebhookContactUpdated WebhookEventName = "contact_updated"
	WebhookDealCreated    WebhookEventName = "deal_created"
	WebhookDealUpdated    WebhookEventName = "deal_updated"
	WebhookEventCreated   WebhookEventName = "event_created"
	WebhookEventUpdated   WebhookEventName = "event_updated"
)

// WebhookEvent is a decoded delivery: *ContactCreated, *ContactUpdated,
// *DealCreated, *DealUpdated, *EventCreated, *EventUpdated, or
// *UnknownWebhookEvent for a name this package does not know. Every one
// embeds WebhookBase.
type WebhookEvent interface {
	// Name is the delivery's "event".
	Name() WebhookEventName
	// Base returns what every delivery carries.
	Base() *WebhookBase
}

// WebhookBase is what every delivery carries.
type WebhookBase struct {
	// Type is the event name ("event" in the body).
	Type WebhookEventName
	// Changes lists data.changed_attributes in order: every attribute set on
	// insert (previous value null) for *_created, the changed ones for
	// *_updated; empty when Woofed sent null.
	Changes []Change
	// Raw is the whole body as delivered.
	Raw json.RawMessage
}

// Name returns the event name.
func (b *WebhookBase) Name() WebhookEventName { return b.Type }

// Base returns b.
func (b *WebhookBase) Base() *WebhookBase { return b }

// Change is one entry of changed_attributes: an attribute and its values
// before and after the commit, as JSON (null when unset).
type Change struct {
	Attribute string
	Previous  json.RawMessage
	Current   json.RawMessage
}

// ContactCreated is contact_created. Contact.Deals holds the contact's deals.
type ContactCreated struct {
	WebhookBase
	Contact Contact
}

// ContactUpdated is contact_updated. Contact.Deals holds the contact's deals.
type ContactUpdated struct {
	WebhookBase
	Contact Contact
}

// DealCreated is deal_created. Deal.Contact holds the deal's contact.
type DealCreated struct {
	WebhookBase
	Deal Deal
}

// DealUpdated is deal_updated. Deal.Contact holds the deal's contact.
type DealUpdated struct {
	WebhookBase
	Deal Deal
}

// EventCreated is event_created: a timeline event (note, activity,
// message, deal change) was created.
type EventCreated struct {
	WebhookBase
	TimelineEvent
}

// EventUpdated is event_updated.
type EventUpdated struct {
	WebhookBase
	TimelineEvent
}

// TimelineEvent is the data of event_created and event_updated: the event
// with its deal (nil when it has none) and contact.
type TimelineEvent struct {
	// Event is the record. Its Content is the message text for message
	// kinds (chatwoot_message, evolution_api_message) and the HTML body of
	// the rich text otherwise.
	Event   Event
	Deal    *Deal
	Contact *Contact
	// RichContent is the rich-text object Woofed sends as "content" for
	// notes and activities (ActionText: id, name, body, record_type, …); nil
	// when content is a plain string.
	RichContent json.RawMessage
}

// UnknownWebhookEvent is a delivery whose event name this package does not
// know; its data is in Raw and Data.
type UnknownWebhookEvent struct {
	WebhookBase
	Data json.RawMessage
}

// ParseWebhook decodes a delivery body (verify it first). It returns one
// event: Woofed sends one per request. The return type is a slice so every
// vendor's parser has the same shape. An unknown event name is not an
// error.
func ParseWebhook(body []byte) ([]WebhookEvent, error) {
	e, err := ParseWebhookEvent(body)
	if err != nil {
		return nil, err
	}
	return []WebhookEvent{e}, nil
}

// ParseWebhookEvent decodes a delivery body into its typed event.
func ParseWebhookEvent(body []byte) (WebhookEvent, error) {
	var env struct {
		Event WebhookEventName `json:"event"`
		Data  json.RawMessage  `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("woofed: parse webhook: %w", err)
	}
	if env.Event == "" {
		return nil, errors.New(`woofed: parse webhook: no "event"`)
	}
	base := WebhookBase{Type: env.Event, Raw: json.RawMessage(bytes.Clone(body))}
	var data map[string]json.RawMessage
	if err := json.Unmarshal(env.Data, &data); err != nil || data == nil {
		return nil, fmt.Errorf(`woofed: parse webhook %s: "data" is not an object`, env.Event)
	}
	changes, err := parseChanges(data["changed_attributes"])
	if err != nil {
		return nil, fmt.Errorf("woofed: parse webhook %s: changed_attributes: %w", env.Event, err)
	}
	base.Changes = changes
	delete(data, "changed_attributes")
	fail := func(err error) (WebhookEvent, error) {
		return nil, fmt.Errorf("woofed: parse webhook %s: %w", env.Event, err)
	}
	switch env.Event {
	case WebhookContactCreated, WebhookContactUpdated:
		var c Contact
		if err := json.Unmarshal(env.Data, &c); err != nil {
			return fail(err)
		}
		if env.Event == WebhookContactCreated {
			return &ContactCreated{WebhookBase: base, Contact: c}, nil
		}
		return &ContactUpdated{WebhookBase: base, Contact: c}, nil
	case WebhookDealCreated, WebhookDealUpdated:
		var d Deal
		if err := json.Unmarshal(env.Data, &d); err != nil {
			return fail(err)
		}
		if env.Event == WebhookDealCreated {
			return &DealCreated{WebhookBase: base, Deal: d}, nil
		}
		return &DealUpdated{WebhookBase: base, Deal: d}, nil
	case WebhookEventCreated, WebhookEventUpdated:
		te, err := parseTimelineEvent(data)
		if err != nil {
			return fail(err)
		}
		if env.Event == WebhookEventCreated {
			return &EventCreated{WebhookBase: base, TimelineEvent: te}, nil
		}
		return &EventUpdated{WebhookBase: base, TimelineEvent: te}, nil
	}
	return &UnknownWebhookEvent{WebhookBase: base, Data: env.Data}, nil
}

// parseChanges reads changed_attributes: a list of single-key objects
// {"<attr>": {"previous_value": X, "current_value": Y}}, or null.
func parseChanges(raw json.RawMessage) ([]Change, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []map[string]struct {
		Previous json.RawMessage `json:"previous_value"`
		Current  json.RawMessage `json:"current_value"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	var out []Change
	for _, m := range list {
		// One key per object as Woofed builds them; several are kept too, in
		// no particular order.
		for k, v := range m {
			out = append(out, Change{Attribute: k, Previous: orNull(v.Previous), Current: orNull(v.Current)})
		}
	}
	return out, nil
}

func orNull(r json.RawMessage) json.RawMessage {
	if len(r) == 0 {
		return json.RawMessage("null")
	}
	return r
}

// parseTimelineEvent reads an event record as_json(include: [:deal,
// :contact], methods: :content): content is a string for messages and a
// rich-text object otherwise.
func parseTimelineEvent(data map[string]json.RawMessage) (TimelineEvent, error) {
	var te TimelineEvent
	content := data["content"]
	delete(data, "content")
	rest, err := json.Marshal(data)
	if err != nil {
		return te, err
	}
	if err := json.Unmarshal(rest, &te.Event); err != nil {
		return te, err
	}
	switch {
	case len(content) == 0 || string(content) == "null":
	case content[0] == '"':
		if err := json.Unmarshal(content, &te.Event.Content); err != nil {
			return te, fmt.Errorf("content: %w", err)
		}
	case content[0] == '{':
		var rich struct {
			Body json.RawMessage `json:"body"`
		}
		if err := json.Unmarshal(content, &rich); err != nil {
			return te, fmt.Errorf("content: %w", err)
		}
		te.RichContent = content
		te.Event.Content = richBody(rich.Body)
	default:
		return te, errors.New("content: neither a string nor an object")
	}
	if v, ok := data["deal"]; ok && string(v) != "null" {
		te.Deal = new(Deal)
		if err := json.Unmarshal(v, te.Deal); err != nil {
			return te, fmt.Errorf("deal: %w", err)
		}
	}
	if v, ok := data["contact"]; ok && string(v) != "null" {
		te.Contact = new(Contact)
		if err := json.Unmarshal(v, te.Contact); err != nil {
			return te, fmt.Errorf("contact: %w", err)
		}
	}
	return te, nil
}

// richBody returns an ActionText body when it is a string; "" otherwise
// (RichContent keeps the object).
func richBody(b json.RawMessage) string {
	var s string
	_ = json.Unmarshal(b, &s)
	return s
}

// WebhookKey is the dedupe key of a delivery. Woofed sends no delivery id,
// so the key is derived from the record: "woofed:<event>:<data.id>:<
// data.updated_at>" (updated_at exactly as sent, e.g.
// 2024-04-28T19:36:59.285-03:00). Two commits of one record within the same
// millisecond share a key. A delivery without id or updated_at is keyed by
// the SHA-256 of its body (Woofed resends the same bytes on a retry).
func WebhookKey(e WebhookEvent) string {
	b := e.Base()
	var env struct {
		Data struct {
			ID        json.Number `json:"id"`
			UpdatedAt string      `json:"updated_at"`
		} `json:"data"`
	}
	_ = json.Unmarshal(b.Raw, &env) // parsed before; a surprise shape falls back below
	if _, err := strconv.ParseInt(env.Data.ID.String(), 10, 64); err != nil || env.Data.UpdatedAt == "" {
		return webhook.ContentKey("woofed", b.Raw)
	}
	return webhook.Key("woofed", string(b.Type), env.Data.ID.String(), env.Data.UpdatedAt)
}

// NewWebhookHandler returns the http.Handler that receives Woofed CRM
// webhooks and calls fn with each typed event; it answers 200 only when fn
// returned nil, 500 otherwise. Duplicates are skipped by the deduper, keyed
// by WebhookKey.
//
// Woofed does not sign deliveries, so the handler requires a secret in the
// URL you configure in Woofed (webhook.WithPathSecret or
// webhook.WithQueryToken) or Basic auth credentials in it
// (webhook.WithBasicAuth); without one it refuses every delivery unless
// webhook.InsecureSkipVerify is given. Woofed does not retry an error
// answer (only a failed connection), so an event fn fails on is not
// delivered again: record what you need before returning an error. See
// package vendorkit/webhook for the checks and statuses.
func NewWebhookHandler(fn func(context.Context, WebhookEvent) error, opts ...webhook.Option) http.Handler {
	return webhook.New(webhook.Spec[WebhookEvent]{
		Vendor: "woofed",
		Parse:  ParseWebhook,
		Key:    WebhookKey,
		Name:   func(e WebhookEvent) string { return string(e.Name()) },
	}, fn, opts...)
}
