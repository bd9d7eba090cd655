package qwotytest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/webhook"
)

// Webhooks, as far as Qwoty documents them (developer.qwoty.io/webhooks):
// endpoints with selected event types receive HTTPS POSTs whose JSON body
// carries {"event_type": "<group>.<event>", "id": "<UUID>"}, signed with a
// timestamp; a non-2xx answer is retried on a schedule. Qwoty names no
// event type and no header, so the fake sends only on demand (SendWebhook)
// and signs with the Standard Webhooks scheme that qwoty.WebhookSecret
// assumes (webhook-id, webhook-timestamp per attempt, webhook-signature);
// SetWebhookSigner replaces it to test a receiver configured for another
// scheme.

type hookState struct {
	endpoints []endpoint
	sender    *vendorkittest.Webhooks
	sign      func(secret string) vendorkittest.Sign
}

type endpoint struct {
	url, secret string
	types       []qwoty.EventType
}

// AddWebhookEndpoint registers url for the given event types (all when
// none) and returns its signing secret ("whsec_<base64>"), as the
// dashboard's "Add Webhook" does.
func (s *Server) AddWebhookEndpoint(url string, types ...qwoty.EventType) (secret string) {
	key := make([]byte, 24)
	_, _ = rand.Read(key)
	secret = "whsec_" + base64.StdEncoding.EncodeToString(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks.endpoints = append(s.hooks.endpoints, endpoint{url: url, secret: secret, types: types})
	return secret
}

// SetWebhookSigner replaces the signing scheme: sign(secret) returns how
// each attempt is signed. Pass nil to restore Standard Webhooks.
func (s *Server) SetWebhookSigner(sign func(secret string) vendorkittest.Sign) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks.sign = sign
}

// Deliveries returns the webhook deliveries made so far, oldest first.
func (s *Server) Deliveries() []vendorkittest.WebhookDelivery { return s.WebhookSender().Deliveries() }

// WebhookSender returns the fake's webhook sender, e.g. to change its retry
// bound or backoff.
func (s *Server) WebhookSender() *vendorkittest.Webhooks {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hooks.sender == nil {
		s.hooks.sender = vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{Vendor: "qwoty"})
	}
	return s.hooks.sender
}

// SendWebhook delivers an event of type t to every endpoint that selected
// it: the body is {"event_type": t, "id": <new UUID>} plus the fields of
// extra (may be nil). It returns the deliveries.
func (s *Server) SendWebhook(t qwoty.EventType, extra map[string]any) []vendorkittest.WebhookDelivery {
	body := map[string]any{}
	for k, v := range extra {
		body[k] = v
	}
	body["event_type"], body["id"] = t, newID()
	raw, err := json.Marshal(body)
	if err != nil {
		panic("qwotytest: encoding a webhook payload: " + err.Error())
	}
	msgID := "msg_" + newID()
	h := s.WebhookSender()
	s.mu.Lock()
	eps, signer := slices.Clone(s.hooks.endpoints), s.hooks.sign
	s.mu.Unlock()
	if signer == nil {
		signer = func(secret string) vendorkittest.Sign { return standardSigner(secret, msgID) }
	}
	var out []vendorkittest.WebhookDelivery
	for _, ep := range eps {
		if len(ep.types) > 0 && !slices.Contains(ep.types, t) {
			continue
		}
		out = append(out, h.Send(ep.url, string(t), raw, signer(ep.secret)))
	}
	return out
}

// standardSigner signs each attempt with the Standard Webhooks scheme: the
// same webhook-id, the attempt's own timestamp.
func standardSigner(secret, msgID string) vendorkittest.Sign {
	v := webhook.StandardWebhooks{Secret: secret}
	return func(h http.Header, body []byte, _ int) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		h.Set(webhook.StandardIDHeader, msgID)
		h.Set(webhook.StandardTimestampHeader, ts)
		h.Set(webhook.StandardSignatureHeader, v.Sign(msgID, ts, body))
	}
}
