package woodpeckertest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
)

// Webhooks, as Woodpecker sends them (developers.woodpecker.co/docs/webhooks):
// a company's subscriptions (SubscribeWebhook) receive POSTs whose body is
// a JSON array of up to 100 events of one type —
// {"method", "prospect", <event fields>, "timestamp", "firm_id"} — unsigned.
// An error answer is retried with exponential backoff (here short and
// bounded, see WebhookSender); an answer of 310 or 410 unsubscribes the
// (event, URL) pair. The fake sends prospect_saved when a write adds or
// changes prospects (all of one request in one batch per URL, split by
// 100), and any event on demand with SendWebhook.

// MaxBatch is the largest array Woodpecker puts in one delivery.
const MaxBatch = 100

// Deliveries returns the webhook deliveries made so far, oldest first.
func (s *Server) Deliveries() []vendorkittest.WebhookDelivery { return s.sender().Deliveries() }

// WebhookSender returns the fake's webhook sender, e.g. to change its retry
// bound or backoff.
func (s *Server) WebhookSender() *vendorkittest.Webhooks { return s.sender() }

func (s *Server) sender() *vendorkittest.Webhooks {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hooks == nil {
		s.hooks = vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{
			Vendor: "woodpecker",
			Stop:   func(status int) bool { return status == 310 || status == http.StatusGone },
		})
	}
	return s.hooks
}

// SendWebhook delivers event to every URL of companyID subscribed to it,
// the items batched in arrays of at most MaxBatch, and returns the
// deliveries. Each item is an event object; "method", "timestamp" (now)
// and "firm_id" (companyID) are filled in when missing.
func (s *Server) SendWebhook(companyID int64, event woodpecker.WebhookEvent, items ...map[string]any) []vendorkittest.WebhookDelivery {
	if len(items) == 0 {
		return nil
	}
	now := time.Now().Format(woodpecker.V1TimeLayout)
	for _, it := range items {
		setDefault(it, "method", string(event))
		setDefault(it, "timestamp", now)
		setDefault(it, "firm_id", companyID)
	}
	s.mu.Lock()
	var urls []string
	if a := s.accounts[companyID]; a != nil {
		for k := range a.webhooks {
			if ev, u, _ := strings.Cut(k, " "); ev == string(event) {
				urls = append(urls, u)
			}
		}
	}
	s.mu.Unlock()
	slices.Sort(urls)
	h := s.sender()
	var out []vendorkittest.WebhookDelivery
	for _, u := range urls {
		for batch := range slices.Chunk(items, MaxBatch) {
			body, err := json.Marshal(batch)
			if err != nil {
				panic("woodpeckertest: encoding a webhook payload: " + err.Error())
			}
			d := h.Send(u, string(event), body, nil)
			out = append(out, d)
			if d.Stopped {
				// 310 or 410: Woodpecker unsubscribes the pair.
				s.mu.Lock()
				delete(s.accounts[companyID].webhooks, string(event)+" "+u)
				s.mu.Unlock()
				break
			}
		}
	}
	return out
}

func setDefault(m map[string]any, k string, v any) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

// prospectSnapshot is every company's prospects as JSON, by id.
func (s *Server) prospectSnapshot() map[int64]map[int64]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int64]map[int64]string, len(s.accounts))
	for id, a := range s.accounts {
		m := make(map[int64]string, len(a.prospects))
		for _, p := range a.prospects {
			b, _ := json.Marshal(p)
			m[int64Of(p["id"])] = string(b)
		}
		out[id] = m
	}
	return out
}

// webhookChanges runs a write and sends prospect_saved for every prospect
// it added or changed, one batch per company and URL.
func (s *Server) webhookChanges(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		before := s.prospectSnapshot()
		next.ServeHTTP(w, r)
		after := s.prospectSnapshot()
		for _, company := range slices.Sorted(maps.Keys(after)) {
			var items []map[string]any
			for _, id := range slices.Sorted(maps.Keys(after[company])) {
				now := after[company][id]
				if before[company][id] == now {
					continue
				}
				var p map[string]any
				_ = json.Unmarshal([]byte(now), &p) // marshalled above
				// Outside a campaign the docs' prospect_saved example sends
				// the campaign fields empty.
				for k, v := range map[string]any{"campaign_id": "", "campaign_name": "", "campaign_email": "",
					"campaign_emails": []any{}, "campaign_email_sent": nil, "step": nil} {
					setDefault(p, k, v)
				}
				items = append(items, map[string]any{"prospect": p})
			}
			s.SendWebhook(company, woodpecker.EventProspectSaved, items...)
		}
	})
}

// int64Of reads a JSON-ish number.
func int64Of(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	case json.Number:
		i, _ := n.Int64()
		return i
	}
	return 0
}
