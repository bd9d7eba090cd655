package deskwoottest

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// Deliveries returns the webhook deliveries made so far, oldest first.
func (s *Server) Deliveries() []vendorkittest.WebhookDelivery { return s.hooks.Deliveries() }

// WebhookSender returns the fake's webhook sender, e.g. to change its retry
// bound or backoff (SetRetry).
func (s *Server) WebhookSender() *vendorkittest.Webhooks { return s.hooks }

// Emit sends event with data to every active webhook of the account that
// subscribed to it, as the API's own writes do, and returns the deliveries
// made. Use it to test a receiver with payloads of your choosing.
func (s *Server) Emit(accountID string, event deskwoot.EventName, data any) []vendorkittest.WebhookDelivery {
	return s.deliver(accountID, event, data)
}

// deliver posts a signed delivery to each subscriber. The body is
// {"event", "accountId", "data"} (Deskwoot publishes no example; this is the
// shape deskwoot.ParseEvent assumes) and X-Deskwoot-Signature is
// "sha256=" + hex HMAC-SHA256 of the body under the account's secret.
// Deliveries go to loopback hosts only, synchronously after the write that
// caused them and before its answer (retries included, with the sender's
// short backoff): a receiver must not wait on the API call that triggered
// it.
func (s *Server) deliver(accountID string, event deskwoot.EventName, data any) []vendorkittest.WebhookDelivery {
	s.mu.Lock()
	a := s.accounts[accountID]
	if a == nil {
		s.mu.Unlock()
		return nil
	}
	secret := a.secret
	var targets []deskwoot.Webhook
	for _, h := range a.webhooks.all() {
		if h.Active && slices.Contains(h.Events, event) {
			targets = append(targets, h)
		}
	}
	s.mu.Unlock()
	if len(targets) == 0 {
		return nil
	}
	body, err := json.Marshal(map[string]any{"event": event, "accountId": accountID, "data": data})
	if err != nil {
		panic("deskwoottest: encoding a webhook payload: " + err.Error())
	}
	sign := func(h http.Header, body []byte, _ int) {
		h.Set(deskwoot.SignatureHeader, deskwoot.SignWebhook(secret, body))
	}
	var out []vendorkittest.WebhookDelivery
	for _, h := range targets {
		out = append(out, s.hooks.Send(h.URL, string(event), body, sign))
	}
	return out
}
