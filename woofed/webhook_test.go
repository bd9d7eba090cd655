package woofed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/fidelity"
	"github.com/vendorkit/vendorkit/webhook"
	"github.com/vendorkit/vendorkit/woofed"
)

func woofedExamples(t testing.TB) []fidelity.Example {
	t.Helper()
	exs, err := fidelity.Load(filepath.Join("testdata", "docs", "webhooks"))
	require.NoError(t, err)
	return exs
}

func TestParseWebhookDocsExample(t *testing.T) {
	exs := woofedExamples(t)
	require.Len(t, exs, 1)
	events, err := woofed.ParseWebhook(exs[0].Body)
	require.NoError(t, err)
	require.Len(t, events, 1)
	d, ok := events[0].(*woofed.DealCreated)
	require.True(t, ok, "%T", events[0])
	assert.Equal(t, woofed.WebhookEventName(exs[0].Operation), d.Name())
	brt := time.FixedZone("-03:00", -3*3600)
	assert.Equal(t, int64(1), d.Deal.ID)
	assert.Equal(t, "Negócio com Tom Jobim", d.Deal.Name)
	assert.Equal(t, woofed.DealOpen, d.Deal.Status)
	assert.Equal(t, int64(1), d.Deal.StageID)
	assert.Equal(t, int64(1), d.Deal.PipelineID)
	assert.Equal(t, int64(1), d.Deal.ContactID)
	assert.Equal(t, 1, d.Deal.Position)
	assert.True(t, time.Date(2024, 4, 28, 19, 36, 59, 285e6, brt).Equal(d.Deal.CreatedAt))
	require.NotNil(t, d.Deal.Contact)
	c := d.Deal.Contact
	assert.Equal(t, "Tom Jobim", c.FullName)
	assert.Equal(t, "+5522998813788", c.Phone)
	assert.Equal(t, "tomjobim@eamil.com", c.Email)
	assert.Equal(t, "", c.CustomAttributes["Endereço de casa"])
	assert.Len(t, c.CustomAttributes, 7)
	assert.EqualValues(t, 6646, c.AdditionalAttributes["chatwoot_id"])
	assert.True(t, time.Date(2024, 4, 25, 14, 35, 33, 138e6, brt).Equal(c.UpdatedAt))

	require.Len(t, d.Changes, 8)
	names := make([]string, len(d.Changes))
	for i, ch := range d.Changes {
		names[i] = ch.Attribute
	}
	assert.Equal(t, []string{"id", "name", "account_id", "stage_id", "contact_id", "created_at", "updated_at", "pipeline_id"}, names)
	assert.JSONEq(t, `""`, string(d.Changes[1].Previous))
	assert.JSONEq(t, `"Negócio com BBBBBBBBBBBBBBBBBBBBB"`, string(d.Changes[1].Current))
	assert.JSONEq(t, `null`, string(d.Changes[0].Previous))
	assert.JSONEq(t, `1`, string(d.Changes[0].Current))
	assert.Equal(t, exs[0].Body, []byte(d.Raw))
	assert.Equal(t, "woofed:deal_created:1:2024-04-28T19:36:59.285-03:00", woofed.WebhookKey(d))
}

// Payloads built as webhook_listener.rb builds them (no published example).
const (
	contactUpdated = `{"event":"contact_updated","data":{"id":7,"full_name":"Lorena","email":"lorena@example.com","phone":"+5511999999999","custom_attributes":{},"additional_attributes":{},"app_type":null,"app_id":null,"created_at":"2024-10-01T10:00:00.000-03:00","updated_at":"2024-10-02T11:30:00.123-03:00","label_list":[],"deals":[{"id":3,"name":"Deal","status":"won","stage_id":1,"pipeline_id":1,"contact_id":7,"position":1,"custom_attributes":{},"created_at":"2024-10-01T10:00:00.000-03:00","updated_at":"2024-10-01T10:00:00.000-03:00"}],"changed_attributes":[{"full_name":{"previous_value":"Lore","current_value":"Lorena"}},{"updated_at":{"previous_value":"2024-10-01T10:00:00.000-03:00","current_value":"2024-10-02T11:30:00.123-03:00"}}]}}`
	noteCreated    = `{"event":"event_created","data":{"id":11,"deal_id":3,"contact_id":7,"kind":"note","title":"","scheduled_at":null,"done_at":null,"from_me":null,"status":null,"custom_attributes":{},"additional_attributes":{},"auto_done":false,"created_at":"2024-10-02T12:00:00.000-03:00","updated_at":"2024-10-02T12:00:00.000-03:00","done":false,"send_now":null,"files":[],"deal":{"id":3,"name":"Deal","status":"open"},"contact":{"id":7,"full_name":"Lorena"},"content":{"id":5,"name":"content","body":"Hi Lorena","record_type":"Event","record_id":11,"created_at":"2024-10-02T12:00:00.000-03:00","updated_at":"2024-10-02T12:00:00.000-03:00"},"changed_attributes":null}}`
	messageUpdated = `{"event":"event_updated","data":{"id":12,"deal_id":null,"contact_id":7,"kind":"evolution_api_message","from_me":true,"status":"delivered","app_type":"Apps::EvolutionApi","app_id":2,"created_at":"2024-10-02T12:00:00.000-03:00","updated_at":"2024-10-02T12:01:00.000-03:00","deal":null,"contact":{"id":7,"full_name":"Lorena"},"content":"Olá!","changed_attributes":[{"status":{"previous_value":"sent","current_value":"delivered"}}]}}`
)

func TestParseWebhookEvents(t *testing.T) {
	es, err := woofed.ParseWebhook([]byte(contactUpdated))
	require.NoError(t, err)
	cu, ok := es[0].(*woofed.ContactUpdated)
	require.True(t, ok, "%T", es[0])
	assert.Equal(t, "Lorena", cu.Contact.FullName)
	require.Len(t, cu.Contact.Deals, 1)
	assert.Equal(t, woofed.DealWon, cu.Contact.Deals[0].Status)
	assert.Equal(t, "full_name", cu.Changes[0].Attribute)
	assert.Equal(t, "woofed:contact_updated:7:2024-10-02T11:30:00.123-03:00", woofed.WebhookKey(cu))

	es, err = woofed.ParseWebhook([]byte(noteCreated))
	require.NoError(t, err)
	ec, ok := es[0].(*woofed.EventCreated)
	require.True(t, ok, "%T", es[0])
	assert.Equal(t, woofed.EventNote, ec.Event.Kind)
	assert.Equal(t, "Hi Lorena", ec.Event.Content, "rich-text body")
	assert.Contains(t, string(ec.RichContent), `"record_type":"Event"`)
	require.NotNil(t, ec.Deal)
	assert.Equal(t, int64(3), ec.Deal.ID)
	require.NotNil(t, ec.Contact)
	assert.Equal(t, "Lorena", ec.Contact.FullName)
	assert.Empty(t, ec.Changes, "changed_attributes null")

	es, err = woofed.ParseWebhook([]byte(messageUpdated))
	require.NoError(t, err)
	eu, ok := es[0].(*woofed.EventUpdated)
	require.True(t, ok, "%T", es[0])
	assert.Equal(t, "Olá!", eu.Event.Content, "plain-text message content")
	assert.Nil(t, eu.RichContent)
	assert.Nil(t, eu.Deal, "deal null")
	assert.True(t, eu.Event.FromMe)
	assert.Equal(t, "delivered", eu.Event.Status)

	es, err = woofed.ParseWebhook([]byte(`{"event":"pipeline_created","data":{"id":1,"name":"Sales"}}`))
	require.NoError(t, err)
	u, ok := es[0].(*woofed.UnknownWebhookEvent)
	require.True(t, ok, "%T", es[0])
	assert.Equal(t, woofed.WebhookEventName("pipeline_created"), u.Name())
	assert.JSONEq(t, `{"id":1,"name":"Sales"}`, string(u.Data))

	for _, bad := range []string{``, `[]`, `{"data":{}}`, `{"event":"deal_created"}`, `{"event":"deal_created","data":[1]}`,
		`{"event":"deal_created","data":{"id":"x"}}`, `{"event":"event_created","data":{"content":7}}`,
		`{"event":"deal_created","data":{"changed_attributes":{"a":1}}}`} {
		_, err := woofed.ParseWebhook([]byte(bad))
		assert.Error(t, err, bad)
	}
}

func post(h http.Handler, target, body string) int {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

func TestWebhookHandler(t *testing.T) {
	var got []woofed.WebhookEvent
	fail := 1
	h := woofed.NewWebhookHandler(func(_ context.Context, e woofed.WebhookEvent) error {
		if fail > 0 {
			fail--
			return errors.New("try later")
		}
		got = append(got, e)
		return nil
	}, webhook.WithPathSecret("s3cret"), webhook.WithLogger(slog.New(slog.DiscardHandler)))
	body := string(woofedExamples(t)[0].Body)
	assert.Equal(t, 401, post(h, "/hooks/woofed/guess", body))
	assert.Equal(t, 500, post(h, "/hooks/woofed/s3cret", body))
	assert.Equal(t, 200, post(h, "/hooks/woofed/s3cret", body))
	assert.Equal(t, 200, post(h, "/hooks/woofed/s3cret", body), "duplicate")
	require.Len(t, got, 1)
	assert.IsType(t, &woofed.DealCreated{}, got[0])
	assert.Equal(t, 400, post(h, "/hooks/woofed/s3cret", `{"event":`))
	big := `{"event":"x","data":{"pad":"` + strings.Repeat("a", webhook.DefaultMaxBody) + `"}}`
	assert.Equal(t, 413, post(h, "/hooks/woofed/s3cret", big))
}

func FuzzParseWebhook(f *testing.F) {
	f.Add(woofedExamples(f)[0].Body)
	for _, s := range []string{contactUpdated, noteCreated, messageUpdated, `{"event":"x","data":{}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		es, err := woofed.ParseWebhook(body)
		if err != nil {
			return
		}
		require.Len(t, es, 1)
		require.NotEmpty(t, es[0].Name())
		require.True(t, json.Valid(es[0].Base().Raw))
		require.NotEmpty(t, woofed.WebhookKey(es[0]))
		require.True(t, bytes.Equal(body, es[0].Base().Raw))
	})
}

// TestFakeDeliversWebhooks: the fake delivers a webhook for each write, the
// handler verifies the URL secret and hands over typed events.
func TestFakeDeliversWebhooks(t *testing.T) {
	srv, crm := setup(t)
	var mu sync.Mutex
	var got []woofed.WebhookEvent
	receiver := httptest.NewServer(woofed.NewWebhookHandler(func(_ context.Context, e woofed.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e)
		return nil
	}, webhook.WithPathSecret("s3cret"), webhook.WithLogger(slog.New(slog.DiscardHandler))))
	defer receiver.Close()
	srv.AddWebhook(receiver.URL + "/hooks/woofed/s3cret")

	ctx := context.Background()
	c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Lorena", Email: "lorena@example.com"})
	require.NoError(t, err)
	d, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "Deal", ContactID: c.ID, StageID: 1})
	require.NoError(t, err)
	_, err = crm.UpdateDeal(ctx, d.ID, woofed.DealUpdate{Name: vendorkit.Ptr("Bigger deal")})
	require.NoError(t, err)
	_, err = crm.CreateDealEvent(ctx, d.ID, woofed.EventInput{Kind: woofed.EventNote, Content: "Hi Lorena"})
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	var names []woofed.WebhookEventName
	for _, e := range got {
		names = append(names, e.Name())
	}
	require.Equal(t, []woofed.WebhookEventName{woofed.WebhookContactCreated, woofed.WebhookDealCreated, woofed.WebhookDealUpdated, woofed.WebhookEventCreated}, names)
	assert.Equal(t, "lorena@example.com", got[0].(*woofed.ContactCreated).Contact.Email)
	dc := got[1].(*woofed.DealCreated)
	require.NotNil(t, dc.Deal.Contact)
	assert.Equal(t, c.ID, dc.Deal.Contact.ID)
	du := got[2].(*woofed.DealUpdated)
	assert.Equal(t, "Bigger deal", du.Deal.Name)
	var changed []string
	for _, ch := range du.Changes {
		changed = append(changed, ch.Attribute)
	}
	assert.Contains(t, changed, "name")
	assert.NotContains(t, changed, "stage_id")
	ec := got[3].(*woofed.EventCreated)
	assert.Equal(t, "Hi Lorena", ec.Event.Content)
	assert.NotNil(t, ec.RichContent)
	for _, dl := range srv.Deliveries() {
		assert.True(t, dl.Delivered)
		assert.Empty(t, dl.Attempts[0].Header.Get("Authorization"), "unsigned, no auth")
	}
}

// TestFakeRetriesLikeWoofed: a dropped connection is retried and the event
// handled once; an error answer is not retried (Woofed ignores the status).
func TestFakeRetriesLikeWoofed(t *testing.T) {
	srv, crm := setup(t)
	var mu sync.Mutex
	var handled, requests int
	h := woofed.NewWebhookHandler(func(context.Context, woofed.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		handled++
		return nil
	}, webhook.WithQueryToken("token", "s3cret"), webhook.WithLogger(slog.New(slog.DiscardHandler)))
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		first := requests == 1
		mu.Unlock()
		if first { // the receiver is down: the connection drops
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			_ = conn.Close()
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer receiver.Close()
	srv.AddWebhook(receiver.URL + "/hook?token=s3cret")
	_, err := crm.CreateContact(context.Background(), woofed.ContactInput{FullName: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)
	ds := srv.Deliveries()
	require.Len(t, ds, 1)
	assert.Len(t, ds[0].Attempts, 2)
	assert.True(t, ds[0].Delivered)
	// Woofed resends the same bytes on a retry: a duplicate is skipped.
	again := srv.WebhookSender().Send(receiver.URL+"/hook?token=s3cret", ds[0].Event, ds[0].Body, nil)
	assert.True(t, again.Delivered)
	assert.Equal(t, 1, handled)

	// An error answer (here 401: a second webhook with a wrong token) is
	// not retried.
	srv.AddWebhook(receiver.URL + "/hook?token=wrong")
	ds = srv.SendWebhook(woofed.WebhookContactUpdated, map[string]any{"id": 2, "updated_at": "2024-10-02T11:30:00.123-03:00"})
	require.Len(t, ds, 2)
	assert.Equal(t, 401, ds[1].StatusCode())
	assert.Len(t, ds[1].Attempts, 1, "an HTTP error answer is not retried")
}
