package qwoty_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/internal/fidelity"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/webhook"
)

func TestParseWebhookDocsExample(t *testing.T) {
	exs, err := fidelity.Load(filepath.Join("testdata", "docs", "webhooks"))
	require.NoError(t, err)
	require.Len(t, exs, 1)
	es, err := qwoty.ParseWebhook(exs[0].Body)
	require.NoError(t, err)
	require.Len(t, es, 1)
	n, ok := es[0].(*qwoty.Notification)
	require.True(t, ok, "%T", es[0])
	assert.Equal(t, qwoty.EventType(exs[0].Operation), n.Name())
	assert.Equal(t, "<group>", n.Name().Group())
	assert.Equal(t, "<event>", n.Name().Action())
	assert.Equal(t, "UUID", n.ID)
	assert.Equal(t, "qwoty:UUID", qwoty.WebhookKey(n))
	assert.Equal(t, exs[0].Body, []byte(n.Raw))
}

func TestParseWebhookShapes(t *testing.T) {
	es, err := qwoty.ParseWebhook([]byte(`{"event_type":"quote.signed","id":"2f1c","data":{"quote_id":"q1"}}`))
	require.NoError(t, err)
	assert.Equal(t, qwoty.EventType("quote.signed"), es[0].Name())
	assert.Contains(t, string(es[0].Base().Raw), `"quote_id":"q1"`)
	assert.Equal(t, "", qwoty.EventType("ping").Action())
	for _, bad := range []string{``, `[]`, `{}`, `{"event_type":"a.b"}`, `{"id":"x"}`, `{"event_type":1,"id":"x"}`, `{"event_type":"a.b","id":" "}`, `{"event_type":"a.b","id":7}`} {
		_, err := qwoty.ParseWebhook([]byte(bad))
		assert.Error(t, err, bad)
	}
}

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// signed builds a delivery signed with the Standard Webhooks scheme.
func signed(body string, id string, at time.Time, sec string) *http.Request {
	ts := strconv.FormatInt(at.Unix(), 10)
	r := httptest.NewRequest(http.MethodPost, "/hooks/qwoty", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("webhook-id", id)
	r.Header.Set("webhook-timestamp", ts)
	r.Header.Set("webhook-signature", webhook.StandardWebhooks{Secret: sec}.Sign(id, ts, []byte(body)))
	return r
}

func serve(h http.Handler, r *http.Request) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func TestWebhookHandlerStandardWebhooks(t *testing.T) {
	var got []string
	fail := 1
	h := qwoty.NewWebhookHandler(func(_ context.Context, e qwoty.Event) error {
		if fail > 0 {
			fail--
			return errors.New("later")
		}
		got = append(got, e.Base().ID)
		return nil
	}, qwoty.WebhookSecret(secret), webhook.WithLogger(slog.New(slog.DiscardHandler)))
	body := `{"event_type":"quote.signed","id":"7b0e9a52-1c1d-4d2b-9a43-0f9d2f3c1e11"}`
	now := time.Now()
	assert.Equal(t, 500, serve(h, signed(body, "msg_1", now, secret)))
	assert.Equal(t, 200, serve(h, signed(body, "msg_1", now, secret)), "the retry")
	assert.Equal(t, 200, serve(h, signed(body, "msg_1", now, secret)), "a duplicate")
	assert.Equal(t, []string{"7b0e9a52-1c1d-4d2b-9a43-0f9d2f3c1e11"}, got)

	other := "whsec_" + "b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA=="
	assert.Equal(t, 401, serve(h, signed(body, "msg_2", now, other)), "wrong secret")
	assert.Equal(t, 401, serve(h, signed(body, "msg_2", now.Add(-time.Hour), secret)), "replayed an hour later")
	r := signed(body, "msg_2", now, secret)
	r.Header.Del("webhook-signature")
	assert.Equal(t, 401, serve(h, r), "missing signature")
	r = signed(body, "msg_2", now, secret)
	r.Header.Set("webhook-signature", "v1,"+strings.Repeat("0f", 32))
	assert.Equal(t, 401, serve(h, r), "hex where base64 is expected")
	r = signed(`{"event_type":"quote.signed","id":"other"}`, "msg_2", now, secret)
	r.Body = httpBody(body)
	assert.Equal(t, 401, serve(h, r), "body swapped after signing")
	assert.Equal(t, 400, serve(h, signed(`{"event_type":`, "msg_3", now, secret)), "malformed, signed")
	big := `{"event_type":"a.b","id":"x","pad":"` + strings.Repeat("a", webhook.DefaultMaxBody) + `"}`
	assert.Equal(t, 413, serve(h, signed(big, "msg_4", now, secret)))
	assert.Len(t, got, 1)
}

func httpBody(s string) *readCloser { return &readCloser{bytes.NewReader([]byte(s))} }

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// TestWebhookHandlerPluggableHMAC: a raw-body HMAC with header names of
// the user's choosing, as a captured delivery might show.
func TestWebhookHandlerPluggableHMAC(t *testing.T) {
	v := webhook.HMAC{Header: "X-Qwoty-Signature", TimestampHeader: "X-Qwoty-Timestamp", Secret: "s3cret"}
	var n int
	h := qwoty.NewWebhookHandler(func(context.Context, qwoty.Event) error { n++; return nil },
		webhook.WithVerifier(v), webhook.WithLogger(slog.New(slog.DiscardHandler)))
	body := `{"event_type":"customer.created","id":"c1"}`
	req := func(ts string, sig string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Qwoty-Timestamp", ts)
		r.Header.Set("X-Qwoty-Signature", sig)
		return r
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	assert.Equal(t, 200, serve(h, req(ts, v.Sign(ts, []byte(body)))))
	old := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	assert.Equal(t, 401, serve(h, req(old, v.Sign(old, []byte(body)))), "replayed")
	assert.Equal(t, 401, serve(h, req(ts, v.Sign(ts, []byte(body+" ")))))
	assert.Equal(t, 1, n)

	// No verifier: refused until configured.
	h = qwoty.NewWebhookHandler(func(context.Context, qwoty.Event) error { n++; return nil }, webhook.WithLogger(slog.New(slog.DiscardHandler)))
	assert.Equal(t, 500, serve(h, req(ts, v.Sign(ts, []byte(body)))))
	assert.Equal(t, 1, n)
}

func FuzzParseWebhook(f *testing.F) {
	for _, s := range []string{`{"event_type":"<group>.<event>","id":"UUID"}`, `{"event_type":"a","id":""}`, `{"event_type":null}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		es, err := qwoty.ParseWebhook(body)
		if err != nil {
			return
		}
		require.Len(t, es, 1)
		require.NotEmpty(t, es[0].Name())
		require.NotEqual(t, "", qwoty.WebhookKey(es[0]))
	})
}

// TestFakeDeliversSignedWebhooks: the fake signs with Standard Webhooks,
// retries a 500, and the deduper hands the event over once.
func TestFakeDeliversSignedWebhooks(t *testing.T) {
	var mu sync.Mutex
	var calls, handled int
	var got []qwoty.Event
	receiver := httptest.NewServer(http.NotFoundHandler())
	defer receiver.Close()
	// The receiver's own endpoint and secret.
	srv2 := qwotytest.NewServer(t)
	secret := srv2.AddWebhookEndpoint(receiver.URL, "quote.signed")
	h := qwoty.NewWebhookHandler(func(_ context.Context, e qwoty.Event) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return errors.New("database unavailable")
		}
		handled++
		got = append(got, e)
		return nil
	}, qwoty.WebhookSecret(secret), webhook.WithLogger(slog.New(slog.DiscardHandler)))
	receiver.Config.Handler = h

	ds := srv2.SendWebhook("quote.signed", map[string]any{"quote_id": "q1"})
	require.Len(t, ds, 1)
	require.Len(t, ds[0].Attempts, 2)
	assert.Equal(t, 500, ds[0].Attempts[0].StatusCode)
	assert.Equal(t, 200, ds[0].Attempts[1].StatusCode)
	assert.Equal(t, ds[0].Attempts[0].Header.Get("webhook-id"), ds[0].Attempts[1].Header.Get("webhook-id"), "one message id across attempts")
	assert.Empty(t, srv2.SendWebhook("customer.created", nil), "not selected by the endpoint")

	// Qwoty delivers the same event again: answered 200, handled once.
	again := srv2.WebhookSender().Send(receiver.URL, "quote.signed", ds[0].Body, func(hd http.Header, body []byte, _ int) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		hd.Set("webhook-id", "msg_redelivery")
		hd.Set("webhook-timestamp", ts)
		hd.Set("webhook-signature", webhook.StandardWebhooks{Secret: secret}.Sign("msg_redelivery", ts, body))
	})
	assert.True(t, again.Delivered)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, handled)
	require.Len(t, got, 1)
	assert.Equal(t, qwoty.EventType("quote.signed"), got[0].Name())
	assert.Contains(t, string(got[0].Base().Raw), `"quote_id":"q1"`)
}
