package deskwoot

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/vendorkit/vendorkit"
)

// Webhook signatures.
//
// Deskwoot documents one sentence about them: "Webhook payloads include
// X-Deskwoot-Signature header (HMAC-SHA256)". The signing input, the key and
// the encoding are not documented. This package assumes the common scheme:
// the signature is HMAC-SHA256 over the raw request body, exactly as
// received, keyed with the webhook secret shown in Deskwoot's settings, and
// written in hex, with or without a "sha256=" prefix. No timestamp is signed,
// so the check cannot tell a replay of an identical delivery; dedupe on the
// payload's ids if that matters. Capture one real delivery before relying on
// this in production.

// SignatureHeader is the header that carries a delivery's signature.
const SignatureHeader = "X-Deskwoot-Signature"

// ErrInvalidSignature is matched (errors.Is) by every *SignatureError: the
// delivery's signature is missing, malformed or does not match its body.
var ErrInvalidSignature = errors.New("deskwoot: invalid webhook signature")

// SignatureError says why a webhook signature was refused.
type SignatureError struct {
	// Reason is "missing", "malformed" or "mismatch".
	Reason string
	// Detail explains a malformed signature; never any secret material.
	Detail string
}

// Error describes the failure.
func (e *SignatureError) Error() string {
	s := "deskwoot: webhook signature " + e.Reason
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Is reports whether target is ErrInvalidSignature.
func (e *SignatureError) Is(target error) bool { return target == ErrInvalidSignature }

// ParseSignature decodes an X-Deskwoot-Signature value: 64 hex digits, with
// or without a "sha256=" prefix (any case), surrounding spaces ignored.
func ParseSignature(value string) ([]byte, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil, &SignatureError{Reason: "missing"}
	}
	if len(v) >= 7 && strings.EqualFold(v[:7], "sha256=") {
		v = v[7:]
	}
	if len(v) != 2*sha256.Size {
		return nil, &SignatureError{Reason: "malformed", Detail: fmt.Sprintf("want %d hex digits, got %d characters", 2*sha256.Size, len(v))}
	}
	sig, err := hex.DecodeString(v)
	if err != nil {
		return nil, &SignatureError{Reason: "malformed", Detail: "not hexadecimal"}
	}
	return sig, nil
}

// SignWebhook returns the signature of body under secret, as
// "sha256=<hex>": what VerifyWebhook accepts. The fake server signs its
// deliveries with it.
func SignWebhook(secret string, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, body))
}

func mac(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

// VerifyWebhook checks signature (the X-Deskwoot-Signature value) against
// the raw body in constant time. It returns nil for a good signature, a
// *SignatureError (matching ErrInvalidSignature) otherwise, and an error
// wrapping vendorkit.ErrInvalidArgument when secret is empty. Pass the body
// exactly as received, before any JSON decoding.
func VerifyWebhook(secret string, body []byte, signature string) error {
	if secret == "" {
		return fmt.Errorf("deskwoot: verify webhook: %w: empty secret", vendorkit.ErrInvalidArgument)
	}
	sig, err := ParseSignature(signature)
	if err != nil {
		return err
	}
	if !hmac.Equal(sig, mac(secret, body)) {
		return &SignatureError{Reason: "mismatch"}
	}
	return nil
}

// MaxWebhookBody caps the body VerifyWebhookRequest reads.
const MaxWebhookBody = 1 << 20

// VerifyWebhookRequest reads r's body (at most MaxWebhookBody bytes),
// verifies its signature and returns the body for ParseEvent. It closes the
// body.
func VerifyWebhookRequest(r *http.Request, secret string) ([]byte, error) {
	if r.Body == nil {
		return nil, &SignatureError{Reason: "mismatch", Detail: "no body"}
	}
	defer r.Body.Close()
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxWebhookBody+1))
	if err != nil {
		return nil, fmt.Errorf("deskwoot: reading webhook body: %w", err)
	}
	if len(body) > MaxWebhookBody {
		return nil, fmt.Errorf("deskwoot: webhook body larger than %d bytes", MaxWebhookBody)
	}
	if err := VerifyWebhook(secret, body, r.Header.Get(SignatureHeader)); err != nil {
		return nil, err
	}
	return body, nil
}

// Event is a decoded webhook delivery: one of *MessageCreated,
// *ConversationCreated, *ConversationUpdated, *ContactCreated,
// *ContactUpdated, or *UnknownEvent for a name this package does not know.
type Event interface {
	// Name is the event name, e.g. "message.created".
	Name() EventName
	// Raw is the delivery's envelope.
	Raw() *EventEnvelope
}

// EventEnvelope is a delivery as received. Deskwoot publishes no payload example;
// the assumed shape is {"event": "<name>", "accountId": "…", "data": {…}},
// read leniently ("type" for "event", "payload" for "data").
type EventEnvelope struct {
	Event     EventName       `json:"event"`
	AccountID string          `json:"accountId,omitempty"`
	Data      json.RawMessage `json:"data"`
}

// Name returns the event name.
func (e *EventEnvelope) Name() EventName { return e.Event }

// Raw returns e.
func (e *EventEnvelope) Raw() *EventEnvelope { return e }

// MessageCreated is a message.created delivery.
type MessageCreated struct {
	EventEnvelope
	Message Message
}

// ConversationCreated is a conversation.created delivery.
type ConversationCreated struct {
	EventEnvelope
	Conversation Conversation
}

// ConversationUpdated is a conversation.updated delivery.
type ConversationUpdated struct {
	EventEnvelope
	Conversation Conversation
}

// ContactCreated is a contact.created delivery.
type ContactCreated struct {
	EventEnvelope
	Contact Contact
}

// ContactUpdated is a contact.updated delivery.
type ContactUpdated struct {
	EventEnvelope
	Contact Contact
}

// UnknownEvent is a delivery whose event name this package does not know;
// its Data is left raw.
type UnknownEvent struct {
	EventEnvelope
}

// ParseEvent decodes a webhook body (verify it first) into its typed event.
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
	env := EventEnvelope{Event: raw.Event, AccountID: raw.AccountID, Data: raw.Data}
	if env.Event == "" {
		env.Event = raw.Type
	}
	if len(env.Data) == 0 {
		env.Data = raw.Payload
	}
	if env.Event == "" {
		return nil, errors.New("deskwoot: parse webhook event: no event name")
	}
	into := func(v any) error {
		if len(env.Data) == 0 || string(env.Data) == "null" {
			return fmt.Errorf("deskwoot: parse webhook event %s: no data", truncate(string(env.Event), 40))
		}
		if err := json.Unmarshal(env.Data, v); err != nil {
			return fmt.Errorf("deskwoot: parse webhook event %s: %w", env.Event, err)
		}
		return nil
	}
	switch env.Event {
	case EventMessageCreated:
		e := &MessageCreated{EventEnvelope: env}
		return done(e, into(&e.Message))
	case EventConversationCreated:
		e := &ConversationCreated{EventEnvelope: env}
		return done(e, into(&e.Conversation))
	case EventConversationUpdated:
		e := &ConversationUpdated{EventEnvelope: env}
		return done(e, into(&e.Conversation))
	case EventContactCreated:
		e := &ContactCreated{EventEnvelope: env}
		return done(e, into(&e.Contact))
	case EventContactUpdated:
		e := &ContactUpdated{EventEnvelope: env}
		return done(e, into(&e.Contact))
	}
	return &UnknownEvent{EventEnvelope: env}, nil
}

// done returns e, or nil and err when decoding its data failed.
func done(e Event, err error) (Event, error) {
	if err != nil {
		return nil, err
	}
	return e, nil
}
