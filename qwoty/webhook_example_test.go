package qwoty_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/webhook"
)

// ExampleNewWebhookHandler verifies a Qwoty delivery signed with the
// Standard Webhooks scheme, then hands over the event.
func ExampleNewWebhookHandler() {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" // from Qwoty's webhook settings
	h := qwoty.NewWebhookHandler(func(ctx context.Context, e qwoty.Event) error {
		fmt.Println(e.Name().Group(), e.Name().Action(), e.Base().ID)
		return nil
	}, qwoty.WebhookSecret(secret), webhook.WithLogger(slog.New(slog.DiscardHandler)))

	body := `{"event_type":"quote.signed","id":"7b0e9a52-1c1d-4d2b-9a43-0f9d2f3c1e11"}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	r := httptest.NewRequest(http.MethodPost, "/hooks/qwoty", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("webhook-id", "msg_1")
	r.Header.Set("webhook-timestamp", ts)
	r.Header.Set("webhook-signature", webhook.StandardWebhooks{Secret: secret}.Sign("msg_1", ts, []byte(body)))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code)
	// Output:
	// quote signed 7b0e9a52-1c1d-4d2b-9a43-0f9d2f3c1e11
	// 200
}
