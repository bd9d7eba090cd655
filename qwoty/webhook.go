package qwoty

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/vendorkit/vendorkit/webhook"
)

// Webhooks. Qwoty documents its webhooks at https://developer.qwoty.io/webhooks:
// deliveries are HTTPS POSTs with a JSON body containing
// {"event_type": "<group>.<event>", "id": "UUID"} for entities "such as
// customers, quotes and more"; a non-2xx answer is retried on a schedule
// (seconds, minutes, hours apart), order is not guaranteed and duplicates
// happen; receivers should "verify webhook signatures and timestamps … to
// guard against replay attacks". The page names no event, no header, no
// algorithm and no other body field, so:
//
//   - every delivery decodes to *Notification (Type, ID and the raw body);
//     EventType has no constants because Qwoty publishes no names;
//   - verification is pluggable: WebhookSecret assumes the Standard Webhooks
//     scheme (webhook-id, webhook-timestamp, webhook-signature: "v1,<base64
//     HMAC-SHA256 of id.timestamp.body>", whsec_ secret, 5-minute tolerance),
//     which that wording matches; if a captured delivery shows other headers,
//     use webhook.WithVerifier(webhook.StandardWebhooks{…}) with the header
//     names, or webhook.HMAC{Header, TimestampHeader, …} for a raw-body HMAC;
//   - the dedupe key is the event id.

// EventType is a delivery's "event_type": "<group>.<event>".
type EventType string

// Group returns the part before the first dot (e.g. the entity group).
func (t EventType) Group() string {
	g, _, _ := strings.Cut(string(t), ".")
	return g
}

// Action returns the part after the first dot ("" when there is none).
func (t EventType) Action() string {
	_, a, _ := strings.Cut(string(t), ".")
	return a
}

// Event is a decoded delivery. Qwoty documents no event type by name, so
// every delivery is a *Notification; typed events will be added beside it
// as Qwoty documents them, and code that switches on the type keeps
// working.
type Event interface {
	// Name is the delivery's event_type.
	Name() EventType
	// Base returns what every delivery carries.
	Base() *EventBase
}

// EventBase is what every delivery carries.
type EventBase struct {
	// Type is "event_type".
	Type EventType
	// ID is the event's "id" (a UUID): the dedupe key.
	ID string
	// Raw is the whole body as delivered; decode the fields you need from
	// it, or fetch the entity's latest state through the API, as Qwoty
	// advises (a retried event may carry outdated data).
	Raw json.RawMessage
}

// Name returns the event type.
func (b *EventBase) Name() EventType { return b.Type }

// Base returns b.
func (b *EventBase) Base() *EventBase { return b }

// Notification is a Qwoty delivery: its type, id and raw body.
type Notification struct{ EventBase }

// ParseWebhook decodes a delivery body (verify it first): one event per
// delivery, in a slice so every vendor's parser has the same shape. The
// body must be a JSON object with a string event_type and id.
func ParseWebhook(body []byte) ([]Event, error) {
	var env struct {
		EventType *string `json:"event_type"`
		ID        *string `json:"id"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("qwoty: parse webhook: %w", err)
	}
	if env.EventType == nil || *env.EventType == "" {
		return nil, errors.New(`qwoty: parse webhook: no "event_type"`)
	}
	if env.ID == nil || strings.TrimSpace(*env.ID) == "" {
		return nil, errors.New(`qwoty: parse webhook: no "id"`)
	}
	return []Event{&Notification{EventBase{Type: EventType(*env.EventType), ID: *env.ID, Raw: json.RawMessage(bytes.Clone(body))}}}, nil
}

// WebhookKey is the dedupe key of an event: "qwoty:<id>", the event's own
// id.
func WebhookKey(e Event) string { return webhook.Key("qwoty", e.Base().ID) }

// WebhookSecret makes NewWebhookHandler verify deliveries with the
// Standard Webhooks scheme (see above) under secret ("whsec_<base64>"),
// with the default 5-minute timestamp tolerance. This is an assumption:
// Qwoty's page names no scheme.
func WebhookSecret(secret string) webhook.Option {
	return webhook.WithVerifier(webhook.StandardWebhooks{Secret: secret})
}

// NewWebhookHandler returns the http.Handler that receives Qwoty webhooks:
// it verifies the delivery's signature (WebhookSecret, or any verifier given
// with webhook.WithVerifier), parses the body and calls fn; it answers 200
// only when fn returned nil, 500 otherwise, so Qwoty retries. Duplicates
// are skipped by the deduper, keyed by the event id. Without a verifier it
// refuses every delivery unless webhook.InsecureSkipVerify is given. See
// package vendorkit/webhook for the checks and statuses.
func NewWebhookHandler(fn func(context.Context, Event) error, opts ...webhook.Option) http.Handler {
	return webhook.New(webhook.Spec[Event]{
		Vendor: "qwoty",
		Signed: true,
		Parse:  ParseWebhook,
		Key:    WebhookKey,
		Name:   func(e Event) string { return string(e.Name()) },
	}, fn, opts...)
}
