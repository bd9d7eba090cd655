package deskwoot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/webhook"
)

// Webhooks.
//
// Deskwoot documents one sentence about deliveries: "Webhook payloads
// include X-Deskwoot-Signature header (HMAC-SHA256)" (deskwoot-js
// docs/API.md). The signing input, the key, the encoding, the body shape,
// retries and any timestamp or delivery id are not documented. This package
// assumes the common scheme: the signature is HMAC-SHA256 over the raw
// request body exactly as received, keyed with the webhook secret shown in
// Deskwoot's settings, written in hex with or without a "sha256=" prefix,
// and the body is {"event": "<name>", "accountId": "…", "data": {…}} (read
// leniently: "type" for "event", "payload" for "data"). No timestamp is
// signed, so a replay of an identical delivery verifies: the deduper
// (WebhookKey) is what catches it. Capture one real delivery before relying
// on this in production; if Deskwoot signs differently, build the handler
// with webhook.WithVerifier(webhook.HMAC{…}) set to what the capture shows
// (a base64 encoding, a signed timestamp header) instead of WebhookSecret.

// SignatureHeader is the header that carries a delivery's signature.
const SignatureHeader = "X-Deskwoot-Signature"

// ErrInvalidSignature is matched (errors.Is) by every signature refusal:
// the signature is missing, malformed or does not match the body. It is
// webhook.ErrSignature.
var ErrInvalidSignature = webhook.ErrSignature

// signer is the assumed scheme (see above).
func signer(secret string) webhook.HMAC {
	return webhook.HMAC{Header: SignatureHeader, Secret: secret}
}

// SignWebhook returns the signature of body under secret, as
// "sha256=<hex>": what VerifyWebhook and WebhookSecret accept. The fake
// server signs its deliveries with it.
func SignWebhook(secret string, body []byte) string { return signer(secret).Sign("", body) }

// VerifyWebhook checks signature (the X-Deskwoot-Signature value) against
// the raw body in constant time: nil for a good signature, an error
// matching ErrInvalidSignature otherwise, and one wrapping
// vendorkit.ErrInvalidArgument when secret is empty. NewWebhookHandler with
// WebhookSecret does this for you.
func VerifyWebhook(secret string, body []byte, signature string) error {
	if secret == "" {
		return fmt.Errorf("deskwoot: verify webhook: %w: empty secret", vendorkit.ErrInvalidArgument)
	}
	r := &http.Request{Header: http.Header{}}
	r.Header.Set(SignatureHeader, signature)
	if err := signer(secret).Verify(r, body); err != nil {
		return fmt.Errorf("deskwoot: %w", err)
	}
	return nil
}

// WebhookSecret makes NewWebhookHandler verify X-Deskwoot-Signature with
// secret (the webhook secret of Deskwoot's settings) before parsing.
func WebhookSecret(secret string) webhook.Option { return webhook.WithVerifier(signer(secret)) }

// Event is a decoded delivery: *MessageCreated, *ConversationCreated,
// *ConversationUpdated, *ContactCreated, *ContactUpdated, or *UnknownEvent
// for a name this package does not know. Every one embeds EventBase.
type Event interface {
	// Name is the event name, e.g. "message.created".
	Name() EventName
	// Base returns what every delivery carries.
	Base() *EventBase
}

// EventBase is what every delivery carries.
type EventBase struct {
	// Type is the event name ("event", or "type", in the body).
	Type EventName
	// AccountID is the delivery's "accountId", when sent.
	AccountID string
	// Data is the record as delivered ("data", or "payload").
	Data json.RawMessage
	// Raw is the whole body as delivered.
	Raw json.RawMessage
}

// Name returns the event name.
func (b *EventBase) Name() EventName { return b.Type }

// Base returns b.
func (b *EventBase) Base() *EventBase { return b }

// MessageCreated is a message.created delivery.
type MessageCreated struct {
	EventBase
	Message Message
}

// ConversationCreated is a conversation.created delivery.
type ConversationCreated struct {
	EventBase
	Conversation Conversation
}

// ConversationUpdated is a conversation.updated delivery.
type ConversationUpdated struct {
	EventBase
	Conversation Conversation
}

// ContactCreated is a contact.created delivery.
type ContactCreated struct {
	EventBase
	Contact Contact
}

// ContactUpdated is a contact.updated delivery.
type ContactUpdated struct {
	EventBase
	Contact Contact
}

// UnknownEvent is a delivery whose event name this package does not know;
// its data is left raw.
type UnknownEvent struct {
	EventBase
}

// ParseWebhook decodes a delivery body (verify it first) into its events:
// one per delivery, in a slice so every vendor's parser has the same shape.
func ParseWebhook(body []byte) ([]Event, error) {
	e, err := ParseEvent(body)
	if err != nil {
		return nil, err
	}
	return []Event{e}, nil
}

// ParseEvent decodes a delivery body (verify it first) into its typed
// event. An unknown event name is not an error.
func ParseEvent(body []byte) (Event, error) {
	var raw struct {
		Event     EventName       `json:"event"`
		Type      EventName       `json:"type"`
		AccountID string          `json:"accountId"`
		Data      json.RawMessage `json:"data"`
		Payload   json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(body), &raw); err != nil {
		return nil, fmt.Errorf("deskwoot: parse webhook event: %w", err)
	}
	env := EventBase{Type: raw.Event, AccountID: raw.AccountID, Data: raw.Data, Raw: json.RawMessage(bytes.Clone(body))}
	if env.Type == "" {
		env.Type = raw.Type
	}
	if len(env.Data) == 0 {
		env.Data = raw.Payload
	}
	if env.Type == "" {
		return nil, errors.New("deskwoot: parse webhook event: no event name")
	}
	into := func(v any) error {
		if len(env.Data) == 0 || string(env.Data) == "null" {
			return fmt.Errorf("deskwoot: parse webhook event %s: no data", truncate(string(env.Type), 40))
		}
		if err := json.Unmarshal(env.Data, v); err != nil {
			return fmt.Errorf("deskwoot: parse webhook event %s: %w", env.Type, err)
		}
		return nil
	}
	switch env.Type {
	case EventMessageCreated:
		e := &MessageCreated{EventBase: env}
		return done(e, into(&e.Message))
	case EventConversationCreated:
		e := &ConversationCreated{EventBase: env}
		return done(e, into(&e.Conversation))
	case EventConversationUpdated:
		e := &ConversationUpdated{EventBase: env}
		return done(e, into(&e.Conversation))
	case EventContactCreated:
		e := &ContactCreated{EventBase: env}
		return done(e, into(&e.Contact))
	case EventContactUpdated:
		e := &ContactUpdated{EventBase: env}
		return done(e, into(&e.Contact))
	}
	return &UnknownEvent{EventBase: env}, nil
}

// done returns e, or nil and err when decoding its data failed.
func done(e Event, err error) (Event, error) {
	if err != nil {
		return nil, err
	}
	return e, nil
}

// WebhookKey is the dedupe key of a delivery. Deskwoot documents no
// delivery or event id, so the key is derived from the record:
// "deskwoot:<event>:<data.id>:<data.updatedAt>", or
// "deskwoot:<event>:<data.id>" for a *.created event without updatedAt (a
// record is created once). Any other delivery is keyed by the SHA-256 of
// its body: a byte-identical resend is a duplicate.
func WebhookKey(e Event) string {
	b := e.Base()
	var rec struct {
		ID        string `json:"id"`
		UpdatedAt string `json:"updatedAt"`
	}
	_ = json.Unmarshal(b.Data, &rec) // a surprise shape falls back to the content key
	switch {
	case rec.ID != "" && rec.UpdatedAt != "":
		return webhook.Key("deskwoot", string(b.Type), rec.ID, rec.UpdatedAt)
	case rec.ID != "" && strings.HasSuffix(string(b.Type), ".created"):
		return webhook.Key("deskwoot", string(b.Type), rec.ID)
	}
	return webhook.ContentKey("deskwoot", b.Raw)
}

// NewWebhookHandler returns the http.Handler that receives Deskwoot
// webhooks: it verifies X-Deskwoot-Signature on the raw body (give
// WebhookSecret, or webhook.WithVerifier for another scheme), parses the
// body and calls fn with the typed event; it answers 200 only when fn
// returned nil, 500 otherwise. Duplicates are skipped by the deduper, keyed
// by WebhookKey. Without a verifier it refuses every delivery unless
// webhook.InsecureSkipVerify is given. See package vendorkit/webhook for
// the checks and statuses.
func NewWebhookHandler(fn func(context.Context, Event) error, opts ...webhook.Option) http.Handler {
	return webhook.New(webhook.Spec[Event]{
		Vendor: "deskwoot",
		Signed: true,
		Parse:  ParseWebhook,
		Key:    WebhookKey,
		Name:   func(e Event) string { return string(e.Name()) },
	}, fn, opts...)
}
