package deskwoot_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/webhook"
)

func TestVerifyWebhook(t *testing.T) {
	const secret = "whsec_test"
	body := []byte(`{"event":"contact.created","accountId":"cm1","data":{"id":"cm2","accountId":"cm1","name":"Ada"}}`)
	sig := deskwoot.SignWebhook(secret, body)
	require.True(t, strings.HasPrefix(sig, "sha256="))
	bare := strings.TrimPrefix(sig, "sha256=")
	other := []byte(`{"event":"contact.created","accountId":"cm1","data":{"id":"cm9","accountId":"cm1","name":"Eve"}}`)

	for name, tc := range map[string]struct {
		secret string
		body   []byte
		sig    string
		reason string // "" = valid
	}{
		"prefixed":                  {secret, body, sig, ""},
		"bare hex":                  {secret, body, bare, ""},
		"upper-case hex and prefix": {secret, body, "SHA256=" + strings.ToUpper(bare), ""},
		"surrounding spaces":        {secret, body, " " + sig + " ", ""},
		"tampered body":             {secret, []byte(strings.Replace(string(body), "Ada", "Eve", 1)), sig, "mismatch"},
		"truncated body":            {secret, body[:len(body)-1], sig, "mismatch"},
		"replayed with other body":  {secret, other, sig, "mismatch"},
		"wrong secret":              {"whsec_other", body, sig, "mismatch"},
		"truncated signature":       {secret, body, sig[:len(sig)-2], "malformed"},
		"not hex":                   {secret, body, "sha256=" + strings.Repeat("zz", 32), "malformed"},
		"base64 instead of hex":     {secret, body, "sha256=" + "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=", "malformed"},
		"missing":                   {secret, body, "", "missing"},
		"other algorithm":           {secret, body, "sha1=" + bare, "malformed"},
	} {
		t.Run(name, func(t *testing.T) {
			err := deskwoot.VerifyWebhook(tc.secret, tc.body, tc.sig)
			if tc.reason == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, deskwoot.ErrInvalidSignature)
			assert.Contains(t, err.Error(), map[string]string{"mismatch": "does not match", "malformed": "X-Deskwoot-Signature:", "missing": "missing"}[tc.reason])
			assert.NotContains(t, err.Error(), tc.secret)
		})
	}
	err := deskwoot.VerifyWebhook("", body, sig)
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	require.NotErrorIs(t, err, deskwoot.ErrInvalidSignature)
}

func TestParseEvent(t *testing.T) {
	for name, tc := range map[string]struct {
		body  string
		check func(t *testing.T, e deskwoot.Event)
	}{
		"message.created": {`{"event":"message.created","accountId":"cma","data":{"id":"cmm","conversationId":"cmc","content":"hi","messageType":"INCOMING","contentType":"TEXT","private":false}}`,
			func(t *testing.T, e deskwoot.Event) {
				m := e.(*deskwoot.MessageCreated)
				assert.Equal(t, "cmc", m.Message.ConversationID)
				assert.Equal(t, deskwoot.MessageIncoming, m.Message.MessageType)
				assert.Equal(t, "cma", m.AccountID)
			}},
		"conversation.created": {`{"event":"conversation.created","data":{"id":"cmc","accountId":"cma","inboxId":"cmi","contactId":"cmk","status":"OPEN","displayId":7}}`,
			func(t *testing.T, e deskwoot.Event) {
				assert.Equal(t, int64(7), e.(*deskwoot.ConversationCreated).Conversation.DisplayID)
			}},
		"conversation.updated": {`{"event":"conversation.updated","data":{"id":"cmc","status":"RESOLVED","priority":null,"assigneeId":null}}`,
			func(t *testing.T, e deskwoot.Event) {
				assert.Equal(t, deskwoot.StatusResolved, e.(*deskwoot.ConversationUpdated).Conversation.Status)
			}},
		"contact.created": {`{"event":"contact.created","data":{"id":"cmk","accountId":"cma","email":"a@b.c","customAttributes":{"plan":"pro"}}}`,
			func(t *testing.T, e deskwoot.Event) {
				assert.Equal(t, "pro", e.(*deskwoot.ContactCreated).Contact.CustomAttributes["plan"])
			}},
		"contact.updated via type/payload": {`{"type":"contact.updated","payload":{"id":"cmk","name":"New"}}`,
			func(t *testing.T, e deskwoot.Event) {
				assert.Equal(t, "New", e.(*deskwoot.ContactUpdated).Contact.Name)
			}},
		"unknown": {`{"event":"inbox.created","data":{"id":"cmi"}}`,
			func(t *testing.T, e deskwoot.Event) {
				u := e.(*deskwoot.UnknownEvent)
				assert.Equal(t, deskwoot.EventName("inbox.created"), u.Name())
				assert.JSONEq(t, `{"id":"cmi"}`, string(u.Data))
			}},
	} {
		t.Run(name, func(t *testing.T) {
			e, err := deskwoot.ParseEvent([]byte(tc.body))
			require.NoError(t, err)
			tc.check(t, e)
		})
	}
	for _, bad := range []string{``, `[]`, `{"data":{}}`, `{"event":"message.created"}`, `{"event":"message.created","data":"x"}`} {
		e, err := deskwoot.ParseEvent([]byte(bad))
		assert.Error(t, err, bad)
		assert.Nil(t, e, bad)
	}
}

// TestFakeDeliversSignedWebhooks: the fake posts a signed delivery for each
// documented event to a subscribed receiver, which verifies and parses it.
func TestFakeDeliversSignedWebhooks(t *testing.T) {
	srv, c := setup(t)
	secret := srv.WebhookSecret(srv.AccountID())
	var mu sync.Mutex
	var received []deskwoot.Event
	receiver := httptest.NewServer(deskwoot.NewWebhookHandler(func(_ context.Context, e deskwoot.Event) error {
		mu.Lock()
		received = append(received, e)
		mu.Unlock()
		return nil
	}, deskwoot.WebhookSecret(secret), webhook.WithoutDedupe(), webhook.WithLogger(slog.New(slog.DiscardHandler))))
	defer receiver.Close()

	ctx := context.Background()
	_, err := c.CreateWebhook(ctx, deskwoot.WebhookInput{URL: vendorkit.Ptr(receiver.URL + "/hook"), Events: []deskwoot.EventName{
		deskwoot.EventMessageCreated, deskwoot.EventConversationCreated, deskwoot.EventConversationUpdated,
		deskwoot.EventContactCreated, deskwoot.EventContactUpdated,
	}})
	require.NoError(t, err)
	ct, conv := seed(t, c)
	_, err = c.UpdateContact(ctx, ct.ID, deskwoot.ContactInput{Phone: vendorkit.Ptr("+1")})
	require.NoError(t, err)
	_, err = c.UpdateConversation(ctx, conv.ID, deskwoot.ConversationUpdate{Status: vendorkit.Ptr(deskwoot.StatusResolved)})
	require.NoError(t, err)

	mu.Lock()
	got := slices.Clone(received)
	mu.Unlock()
	var names []deskwoot.EventName
	for _, e := range got {
		names = append(names, e.Name())
	}
	assert.Equal(t, []deskwoot.EventName{
		deskwoot.EventContactCreated, deskwoot.EventConversationCreated, deskwoot.EventMessageCreated,
		deskwoot.EventContactUpdated, deskwoot.EventConversationUpdated,
	}, names)
	require.Len(t, got, 5)
	assert.Equal(t, ct.ID, got[0].(*deskwoot.ContactCreated).Contact.ID)
	assert.Equal(t, deskwoot.StatusResolved, got[4].(*deskwoot.ConversationUpdated).Conversation.Status)
	for _, d := range srv.Deliveries() {
		assert.Equal(t, http.StatusOK, d.StatusCode())
		require.NoError(t, deskwoot.VerifyWebhook(secret, d.Body, d.Attempts[0].Header.Get(deskwoot.SignatureHeader)))
	}

	// Emit sends a payload of the test's choosing; a receiver with the
	// wrong secret would refuse it.
	ds := srv.Emit(srv.AccountID(), deskwoot.EventContactUpdated, map[string]string{"id": ct.ID})
	require.Len(t, ds, 1)
	assert.Equal(t, http.StatusOK, ds[0].StatusCode())
	require.Error(t, deskwoot.VerifyWebhook("not-the-secret", ds[0].Body, ds[0].Attempts[0].Header.Get(deskwoot.SignatureHeader)))
}

func TestFakeDeliversToLoopbackOnly(t *testing.T) {
	srv, c := setup(t)
	_, err := c.CreateWebhook(context.Background(), deskwoot.WebhookInput{URL: vendorkit.Ptr("https://hooks.example.com/x"), Events: []deskwoot.EventName{deskwoot.EventContactCreated}})
	require.NoError(t, err)
	ds := srv.Emit(srv.AccountID(), deskwoot.EventContactCreated, map[string]string{"id": "cmx"})
	require.Len(t, ds, 1)
	assert.Error(t, ds[0].Err())
	assert.Zero(t, ds[0].StatusCode())
}

// TestFakeRetriesUntilDeliveredOnce: the receiver's function fails once,
// the handler answers 500, the fake retries, and the deduper lets the
// event through exactly once even when the fake sends it again.
func TestFakeRetriesUntilDeliveredOnce(t *testing.T) {
	srv, c := setup(t)
	secret := srv.WebhookSecret(srv.AccountID())
	var mu sync.Mutex
	var calls, handled int
	receiver := httptest.NewServer(deskwoot.NewWebhookHandler(func(_ context.Context, e deskwoot.Event) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return errors.New("database unavailable")
		}
		handled++
		return nil
	}, deskwoot.WebhookSecret(secret), webhook.WithLogger(slog.New(slog.DiscardHandler))))
	defer receiver.Close()
	ctx := context.Background()
	_, err := c.CreateWebhook(ctx, deskwoot.WebhookInput{URL: vendorkit.Ptr(receiver.URL), Events: []deskwoot.EventName{deskwoot.EventContactCreated}})
	require.NoError(t, err)
	ct, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Ada"), Email: vendorkit.Ptr("ada@example.com")})
	require.NoError(t, err)

	ds := srv.Deliveries()
	require.Len(t, ds, 1)
	require.Len(t, ds[0].Attempts, 2)
	assert.Equal(t, 500, ds[0].Attempts[0].StatusCode)
	assert.Equal(t, 200, ds[0].Attempts[1].StatusCode)
	assert.True(t, ds[0].Delivered)
	// The same delivery again (a vendor-side duplicate): answered 200, not handled twice.
	again := srv.WebhookSender().Send(receiver.URL, ds[0].Event, ds[0].Body, func(h http.Header, body []byte, _ int) {
		h.Set(deskwoot.SignatureHeader, deskwoot.SignWebhook(secret, body))
	})
	assert.True(t, again.Delivered)
	assert.Equal(t, 1, handled)
	assert.Contains(t, string(ds[0].Body), ct.ID)

	// A receiver that stays down: bounded attempts.
	srv.WebhookSender().SetRetry(3, func(int) time.Duration { return 0 })
	down := srv.WebhookSender().Send(receiver.URL+"/x", "contact.created", []byte(`{}`), nil)
	assert.False(t, down.Delivered)
	assert.Len(t, down.Attempts, 3)
	assert.Equal(t, 401, down.StatusCode(), "unsigned")
}

// TestWebhookHandlerRefusals: the handler verifies before parsing and
// answers each bad delivery with its 4xx, never calling the function.
func TestWebhookHandlerRefusals(t *testing.T) {
	const secret = "whsec_test"
	calls := 0
	h := deskwoot.NewWebhookHandler(func(context.Context, deskwoot.Event) error { calls++; return nil },
		deskwoot.WebhookSecret(secret), webhook.WithMaxBody(4096), webhook.WithLogger(slog.New(slog.DiscardHandler)))
	good := []byte(`{"event":"contact.created","accountId":"cma","data":{"id":"cmk","accountId":"cma","name":"Ada"}}`)
	post := func(body []byte, sig string) int {
		r := httptest.NewRequest(http.MethodPost, "/hooks/deskwoot", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if sig != "" {
			r.Header.Set(deskwoot.SignatureHeader, sig)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	mac := strings.TrimPrefix(deskwoot.SignWebhook(secret, good), "sha256=")
	raw, _ := hex.DecodeString(mac)
	big := []byte(`{"event":"contact.created","data":{"pad":"` + strings.Repeat("a", 5000) + `"}}`)
	malformed := []byte(`{"event":"contact.created","data":`)
	for name, tc := range map[string]struct {
		body []byte
		sig  string
		want int
	}{
		"valid":                 {good, deskwoot.SignWebhook(secret, good), 200},
		"missing signature":     {good, "", 401},
		"invalid signature":     {good, deskwoot.SignWebhook("other", good), 401},
		"base64 instead of hex": {good, "sha256=" + base64.StdEncoding.EncodeToString(raw), 401},
		"oversize":              {big, deskwoot.SignWebhook(secret, big), 413},
		"malformed, signed":     {malformed, deskwoot.SignWebhook(secret, malformed), 400},
	} {
		assert.Equal(t, tc.want, post(tc.body, tc.sig), name)
	}
	assert.Equal(t, 1, calls)
	assert.Equal(t, 200, post(good, deskwoot.SignWebhook(secret, good)), "a replay verifies (nothing signed says when)…")
	assert.Equal(t, 1, calls, "…and the deduper skips it")
	assert.Equal(t, "deskwoot:contact.created:cmk", func() string {
		e, err := deskwoot.ParseEvent(good)
		require.NoError(t, err)
		return deskwoot.WebhookKey(e)
	}())
}
