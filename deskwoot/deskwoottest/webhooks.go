package deskwoottest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit/deskwoot"
)

// Delivery is one webhook POST the fake made (or refused to make).
type Delivery struct {
	WebhookID string
	URL       string
	Event     deskwoot.EventName
	Body      []byte
	Signature string
	// StatusCode is the receiver's answer; 0 when the request failed (Err).
	StatusCode int
	Err        error
}

// Deliveries returns the webhook deliveries made so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

// Emit sends event with data to every active webhook of the account that
// subscribed to it, as the API's own writes do, and returns the deliveries
// made. Use it to test a receiver with payloads of your choosing.
func (s *Server) Emit(accountID string, event deskwoot.EventName, data any) []Delivery {
	return s.deliver(accountID, event, data)
}

// deliver posts a signed delivery to each subscriber. The body is
// {"event", "accountId", "data"} (Deskwoot publishes no example; this is the
// shape deskwoot.ParseEvent assumes) and X-Deskwoot-Signature is
// "sha256=" + hex HMAC-SHA256 of the body under the account's secret.
// Deliveries go to loopback hosts only (the fake never sends traffic off the
// machine), synchronously after the write that caused them and before its
// answer, with a 5 s timeout: a receiver must not wait on the API call that
// triggered it.
func (s *Server) deliver(accountID string, event deskwoot.EventName, data any) []Delivery {
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
	sig := deskwoot.SignWebhook(secret, body)
	var out []Delivery
	for _, h := range targets {
		d := Delivery{WebhookID: h.ID, URL: h.URL, Event: event, Body: body, Signature: sig}
		d.StatusCode, d.Err = s.post(h.URL, body, sig, event)
		out = append(out, d)
	}
	s.mu.Lock()
	s.deliveries = append(s.deliveries, out...)
	s.mu.Unlock()
	return out
}

func (s *Server) post(target string, body []byte, sig string, event deskwoot.EventName) (int, error) {
	u, err := url.Parse(target)
	if err != nil || !runtime.IsLoopback(u.Hostname()) {
		return 0, fmt.Errorf("deskwoottest: not delivering to %q: the fake delivers to loopback hosts only", target)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Deskwoot-Webhooks (deskwoottest)")
	req.Header.Set(deskwoot.SignatureHeader, sig)
	resp, err := s.hooks.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}
