package woodpecker_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/internal/fidelity"
	"github.com/vendorkit/vendorkit/webhook"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

func docsWebhook(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "docs", "webhooks", name))
	require.NoError(t, err)
	return b
}

var plus1 = time.FixedZone("+0100", 3600)

func TestParseWebhookDocsExamples(t *testing.T) {
	examples, err := fidelity.Load(filepath.Join("testdata", "docs", "webhooks"))
	require.NoError(t, err)
	require.Len(t, examples, 4, "every kept example is checked below")
	for _, ex := range examples {
		events, err := woodpecker.ParseWebhook(ex.Body)
		require.NoError(t, err, ex.File)
		require.Len(t, events, 1, ex.File)
		assert.Equal(t, woodpecker.WebhookEvent(ex.Operation), events[0].Name(), ex.File)
		assert.NotEqual(t, "*woodpecker.UnknownEvent", fmt.Sprintf("%T", events[0]), ex.File)
	}

	events, err := woodpecker.ParseWebhook(docsWebhook(t, "link-clicked.json"))
	require.NoError(t, err)
	require.Len(t, events, 1)
	lc, ok := events[0].(*woodpecker.LinkClicked)
	require.True(t, ok, "%T", events[0])
	assert.Equal(t, woodpecker.EventLinkClicked, lc.Name())
	assert.Equal(t, "https://google.com", lc.ClickURL)
	assert.Equal(t, 1, lc.Step)
	assert.Equal(t, "#2", lc.EmailNo)
	assert.True(t, time.Date(2025, 3, 21, 20, 47, 47, 0, plus1).Equal(lc.Timestamp))
	assert.Equal(t, int64(456789), lc.FirmID)
	p := lc.Prospect
	assert.Equal(t, int64(1234567890), p.ID)
	assert.Equal(t, "erlich@bachmanity.com", p.Email)
	assert.Equal(t, "Erlich", p.FirstName)
	assert.Equal(t, "Bachman", p.LastName)
	assert.Equal(t, "Bachmanity", p.Company)
	assert.Equal(t, "https://linkedin.com/erlich-bachman", p.LinkedInURL)
	assert.Equal(t, "#VISIONARY", p.Tags)
	assert.Equal(t, "+1 987-654-321", p.Phone)
	assert.Equal(t, "California", p.State)
	assert.Equal(t, "IT", p.Industry)
	assert.Equal(t, woodpecker.ProspectActive, p.Status)
	assert.Equal(t, "You are running a successful startup incubator Bachmanity", p.Snippets[1])
	assert.Len(t, p.Snippets, 15)
	assert.Equal(t, map[string]string{"my snippet label": "You are running a successful startup incubator Bachmanity"}, p.SnippetLabels)
	assert.True(t, time.Date(2025, 3, 20, 14, 32, 34, 0, plus1).Equal(p.LastContacted))
	c := lc.Campaign
	assert.Equal(t, int64(123456), c.CampaignID)
	assert.Equal(t, "SaaS in America", c.CampaignName)
	assert.Equal(t, "jared.dunn@piedpiper.com", c.CampaignEmail)
	assert.Equal(t, []string{"jared.dunn@piedpiper.com", "richard.hendricks@piedpiper.com", "jian@bachmanity.com"}, c.CampaignEmails)
	require.NotNil(t, c.CampaignEmailSent)
	assert.Equal(t, 2, *c.CampaignEmailSent)
	require.NotNil(t, c.Step)
	assert.Equal(t, 2, *c.Step)
	assert.Equal(t, "EMAIL", c.StepType)
	assert.Equal(t, 2, c.InCampaign)
	assert.Equal(t, 3, c.EmailsSent)
	assert.Equal(t, "saasinamerica.csv", c.Imported)
	assert.True(t, time.Date(2025, 3, 22, 0, 0, 0, 0, plus1).Equal(c.FollowupAfter))
	assert.JSONEq(t, string(bytes.Trim(bytes.TrimSpace(docsWebhook(t, "link-clicked.json")), "[]")), string(lc.Raw))

	events, err = woodpecker.ParseWebhook(docsWebhook(t, "prospect-saved.json"))
	require.NoError(t, err)
	ps, ok := events[0].(*woodpecker.ProspectEvent)
	require.True(t, ok, "%T", events[0])
	assert.Equal(t, woodpecker.EventProspectSaved, ps.Name())
	assert.Equal(t, int64(0), ps.Campaign.CampaignID, `campaign_id "" outside a campaign`)
	assert.Nil(t, ps.Campaign.Step, "step null")
	assert.Nil(t, ps.Campaign.CampaignEmailSent)
	assert.Empty(t, ps.Campaign.CampaignEmails)
	assert.Equal(t, 1, ps.Campaign.InCampaign)

	for file, name := range map[string]woodpecker.WebhookEvent{"prospect-replied.json": woodpecker.EventProspectReplied, "prospect-autoreplied.json": woodpecker.EventProspectAutoReplied} {
		events, err = woodpecker.ParseWebhook(docsWebhook(t, file))
		require.NoError(t, err, file)
		r, ok := events[0].(*woodpecker.ReplyEvent)
		require.True(t, ok, "%s: %T", file, events[0])
		assert.Equal(t, name, r.Name())
		assert.Equal(t, woodpecker.Reply{ID: 191867492, MailID: 123321, Subject: "Reply message subject", Sender: "Erlich from Bachmanity",
			Email: "erlich@bachmanity.com", Date: r.Email.Date, Message: "reply content"}, r.Email)
		assert.True(t, time.Date(2025, 3, 21, 20, 47, 40, 0, plus1).Equal(r.Email.Date))
	}
}

// campaignSentVisible is the part of the campaign-sent page's example that
// the stored page shows (cut inside "message"), closed after "message".
const campaignSentVisible = `[{"method":"campaign_sent","prospect":{"id":1234567890,"email":"erlich@bachmanity.com","status":"ACTIVE","campaign_id":123456,"step":2},
"email":{"id":1307909126,"campaign_id":2246375,"message_id":"<AM0PR02MJ12314AFDEB25E110C3E4732A7C42@AM0PR02MB5522.eurprd02.prod.outlook.com>",
"name_from":"Jared Dunn","email_from":"jared.dunn@piedpiper.com","name_to":"Erlich Bachman","email_to":"erlich@bachmanity.com","email_cc":"","email_bcc":"",
"subject":"Subject line","sent":"2025-03-21T11:25:40+0100","host":"host.woodpecker.co","number":4,"step":2,"message":"<div>The HTML content of a sent mes</div>"},
"timestamp":"2025-03-21T11:25:40+0100","firm_id":456789}]`

func TestParseWebhookCampaignSentAndSecondary(t *testing.T) {
	events, err := woodpecker.ParseWebhook([]byte(campaignSentVisible))
	require.NoError(t, err)
	cs, ok := events[0].(*woodpecker.CampaignSent)
	require.True(t, ok, "%T", events[0])
	assert.Equal(t, woodpecker.EventCampaignSent, cs.Name())
	assert.Equal(t, "campaign_sent", string(woodpecker.EventCampaignSent))
	assert.Equal(t, int64(1307909126), cs.Email.ID)
	assert.Equal(t, int64(2246375), cs.Email.CampaignID)
	assert.Equal(t, "Jared Dunn", cs.Email.NameFrom)
	assert.Equal(t, "host.woodpecker.co", cs.Email.Host)
	assert.Equal(t, 4, cs.Email.Number)
	assert.Equal(t, 2, cs.Email.Step)
	assert.True(t, time.Date(2025, 3, 21, 11, 25, 40, 0, plus1).Equal(cs.Email.Sent))

	events, err = woodpecker.ParseWebhook([]byte(`[{"method":"secondary_replied","prospect":{"id":1},"secondary_prospect":{"id":1234567896,"email":"jian@bachmanity.com","tags":"#SECONDARYEMAIL"},"timestamp":"2025-03-21T20:47:47+0100","firm_id":1}]`))
	require.NoError(t, err)
	sr := events[0].(*woodpecker.SecondaryReplied)
	assert.Equal(t, int64(1234567896), sr.SecondaryProspect.ID)
	assert.Equal(t, "#SECONDARYEMAIL", sr.SecondaryProspect.Tags)
}

func TestParseWebhookUnknownAndShapes(t *testing.T) {
	events, err := woodpecker.ParseWebhook([]byte(`[{"method":"prospect_teleported","prospect":{"id":7},"beam":{"to":"mars"},"timestamp":"2025-03-21T20:47:47+0100","firm_id":1}]`))
	require.NoError(t, err)
	u, ok := events[0].(*woodpecker.UnknownEvent)
	require.True(t, ok, "%T", events[0])
	assert.Equal(t, woodpecker.WebhookEvent("prospect_teleported"), u.Name())
	assert.Contains(t, string(u.Raw), `"beam":{"to":"mars"}`)

	// Legacy help-center shape: a bare object without "method".
	events, err = woodpecker.ParseWebhook([]byte(`{"prospect":{"website":"https://x.io","id":3}}`))
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.IsType(t, &woodpecker.UnknownEvent{}, events[0])

	events, err = woodpecker.ParseWebhook([]byte(`[]`))
	require.NoError(t, err)
	assert.Empty(t, events)

	for _, bad := range []string{``, `[`, `[1]`, `["x"]`, `[{"method":"link_clicked","timestamp":"yesterday"}]`, `[{"prospect":[1]}]`, `"x"`} {
		_, err := woodpecker.ParseWebhook([]byte(bad))
		assert.Error(t, err, bad)
	}
}

// batch returns a delivery of n prospect_saved events for prospects 1…n.
func batch(n int) []byte {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"method":"prospect_saved","prospect":{"id":%d,"email":"p%d@example.com"},"timestamp":"2025-03-21T20:47:47+0100","firm_id":456789}`, i+1, i+1)
	}
	return []byte("[" + strings.Join(items, ",") + "]")
}

type sink struct {
	mu     sync.Mutex
	ids    []int64
	fail   map[int64]int
	failFn func(woodpecker.Event) bool
}

func (s *sink) handle(_ context.Context, e woodpecker.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := e.Base().Prospect.ID
	if s.failFn != nil && s.failFn(e) {
		return errors.New("database down")
	}
	if s.fail[id] > 0 {
		s.fail[id]--
		return errors.New("database down")
	}
	s.ids = append(s.ids, id)
	return nil
}

func deliver(h http.Handler, target string, body []byte) int {
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

func quietLog() webhook.Option { return webhook.WithLogger(slog.New(slog.DiscardHandler)) }

func TestWebhookHandlerBatches(t *testing.T) {
	for _, n := range []int{1, 100} {
		s := &sink{}
		h := woodpecker.NewWebhookHandler(s.handle, webhook.WithPathSecret("k3y"), quietLog())
		require.Equal(t, 200, deliver(h, "/hooks/woodpecker/k3y", batch(n)))
		require.Len(t, s.ids, n)
		for i, id := range s.ids {
			assert.Equal(t, int64(i+1), id, "in array order")
		}
	}
}

func TestWebhookHandlerRetryDeliversOnce(t *testing.T) {
	s := &sink{fail: map[int64]int{50: 2}}
	h := woodpecker.NewWebhookHandler(s.handle, webhook.WithQueryToken("token", "k3y"), quietLog())
	body := batch(100)
	for _, want := range []int{500, 500, 200, 200} {
		code := deliver(h, "/hook?token=k3y", body)
		assert.Equal(t, want, code)
		assert.NotContains(t, []int{310, 410}, code)
	}
	require.Len(t, s.ids, 100, "each event handled once across four deliveries")
	for i, id := range s.ids {
		assert.Equal(t, int64(i+1), id)
	}
}

func TestWebhookHandlerRefusals(t *testing.T) {
	s := &sink{}
	h := woodpecker.NewWebhookHandler(s.handle, webhook.WithPathSecret("k3y"), webhook.WithMaxBody(4096), quietLog())
	assert.Equal(t, 401, deliver(h, "/hooks/woodpecker/nope", batch(1)))
	assert.Equal(t, 401, deliver(h, "/hooks/woodpecker", batch(1)))
	assert.Equal(t, 413, deliver(h, "/hooks/woodpecker/k3y", batch(100)))
	assert.Equal(t, 400, deliver(h, "/hooks/woodpecker/k3y", []byte(`[{"method":`)))
	assert.Empty(t, s.ids)

	// No protection at all: refused until configured, or explicitly insecure.
	h = woodpecker.NewWebhookHandler(s.handle, quietLog())
	assert.Equal(t, 500, deliver(h, "/", batch(1)))
	h = woodpecker.NewWebhookHandler(s.handle, webhook.InsecureSkipVerify(), quietLog())
	assert.Equal(t, 200, deliver(h, "/", batch(1)))
}

func TestWebhookKey(t *testing.T) {
	events, err := woodpecker.ParseWebhook(docsWebhook(t, "prospect-replied.json"))
	require.NoError(t, err)
	assert.Equal(t, "woodpecker:prospect_replied:1234567890:2025-03-21T19:47:47+0000:191867492", woodpecker.WebhookKey(events[0]))
	events, err = woodpecker.ParseWebhook(docsWebhook(t, "link-clicked.json"))
	require.NoError(t, err)
	assert.Equal(t, "woodpecker:link_clicked:1234567890:2025-03-21T19:47:47+0000", woodpecker.WebhookKey(events[0]))
	// No prospect id: keyed by content.
	a, _ := woodpecker.ParseWebhook([]byte(`[{"method":"campaign_completed","timestamp":"2025-03-21T20:47:47+0100","campaign":{"id":1}}]`))
	b, _ := woodpecker.ParseWebhook([]byte(`[{"method":"campaign_completed","timestamp":"2025-03-21T20:47:47+0100","campaign":{"id":2}}]`))
	assert.True(t, strings.HasPrefix(woodpecker.WebhookKey(a[0]), "woodpecker:sha256:"))
	assert.NotEqual(t, woodpecker.WebhookKey(a[0]), woodpecker.WebhookKey(b[0]))
}

func FuzzParseWebhook(f *testing.F) {
	for _, name := range []string{"link-clicked.json", "prospect-saved.json", "prospect-replied.json"} {
		f.Add(docsWebhook(f, name))
	}
	f.Add([]byte(campaignSentVisible))
	f.Add([]byte(`{"prospect":{"id":"12"}}`))
	f.Add([]byte(`[{"method":"x","prospect":{"campaign_id":"","step":null},"timestamp":""}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := woodpecker.ParseWebhook(body)
		if err != nil {
			return
		}
		for _, e := range events {
			require.NotNil(t, e.Base())
			_ = woodpecker.WebhookKey(e)
			require.True(t, json.Valid(e.Base().Raw))
		}
	})
}

// TestFakeDeliversBatches: importing 150 prospects makes the fake send
// prospect_saved in arrays of 100 and 50; the handler fans them out, a
// failure makes the fake retry the batch, and every prospect is handled
// once.
func TestFakeDeliversBatches(t *testing.T) {
	srv, wp := setup(t)
	s := &sink{fail: map[int64]int{}}
	receiver := httptest.NewServer(woodpecker.NewWebhookHandler(s.handle, webhook.WithPathSecret("k3y"), quietLog()))
	defer receiver.Close()
	ctx := context.Background()
	require.NoError(t, wp.SubscribeWebhook(ctx, receiver.URL+"/hooks/woodpecker/k3y", woodpecker.EventProspectSaved))

	var list []woodpecker.Prospect
	for i := range 150 {
		list = append(list, woodpecker.Prospect{Email: fmt.Sprintf("p%03d@example.com", i), FirstName: "P"})
	}
	// The first event of the second batch fails once.
	srv.WebhookSender().SetRetry(0, func(int) time.Duration { return 0 })
	failFirst := true
	s.mu.Lock()
	s.failFn = func(e woodpecker.Event) bool {
		if failFirst && e.Base().Prospect.Email == "p100@example.com" {
			failFirst = false
			return true
		}
		return false
	}
	s.mu.Unlock()
	_, err := wp.AddProspects(ctx, woodpecker.ProspectImport{Prospects: list})
	require.NoError(t, err)

	ds := srv.Deliveries()
	require.Len(t, ds, 2)
	var first []map[string]any
	require.NoError(t, json.Unmarshal(ds[0].Body, &first))
	assert.Len(t, first, 100)
	assert.Equal(t, "prospect_saved", first[0]["method"])
	assert.Len(t, ds[0].Attempts, 1)
	assert.Len(t, ds[1].Attempts, 2, "the second batch failed once and was retried")
	assert.Equal(t, 500, ds[1].Attempts[0].StatusCode)
	assert.True(t, ds[1].Delivered)
	s.mu.Lock()
	defer s.mu.Unlock()
	require.Len(t, s.ids, 150, "each prospect handled once")
	seen := map[int64]bool{}
	for _, id := range s.ids {
		assert.False(t, seen[id], "prospect %d twice", id)
		seen[id] = true
	}
}

// TestFakeUnsubscribesOn410: answering 410 ends the subscription, as
// Woodpecker does (the SDK's handler never answers it).
func TestFakeUnsubscribesOn410(t *testing.T) {
	srv, wp := setup(t)
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) }))
	defer gone.Close()
	ctx := context.Background()
	require.NoError(t, wp.SubscribeWebhook(ctx, gone.URL, woodpecker.EventLinkClicked))
	require.Len(t, srv.Webhooks(woodpeckertest.HQCompanyID), 1)
	ds := srv.SendWebhook(woodpeckertest.HQCompanyID, woodpecker.EventLinkClicked, map[string]any{"prospect": map[string]any{"id": 1}, "click_url": "https://x.io"})
	require.Len(t, ds, 1)
	assert.True(t, ds[0].Stopped)
	assert.Len(t, ds[0].Attempts, 1)
	assert.Empty(t, srv.Webhooks(woodpeckertest.HQCompanyID))
}

// TestSubscribeCampaignSent: "Campaign email sent" is campaign_sent on the
// wire (issue 17.4: email_sent does not exist).
func TestSubscribeCampaignSent(t *testing.T) {
	srv, wp := setup(t)
	require.NoError(t, wp.SubscribeWebhook(context.Background(), "https://hooks.example.com/wp", woodpecker.EventCampaignSent))
	assert.Equal(t, []string{"campaign_sent https://hooks.example.com/wp"}, srv.Webhooks(woodpeckertest.HQCompanyID))
}
