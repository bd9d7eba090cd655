package woodpecker_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

// getCampaignFragment holds values quoted from the GET-campaign example
// (https://developers.woodpecker.co/docs/campaigns/GET-campaign): its ids,
// its settings and its "followup": null. The stored copy of the page ends
// inside the example, so only these visible values are used, with the
// brackets closed; nothing is added.
const getCampaignFragment = `{
"id": 12345678,
"name": "One step campaign",
"status": "DRAFT",
"email_account_ids": [112233],
"settings": {
"timezone": "Europe/Warsaw",
"prospect_timezone": false,
"daily_enroll": 50,
"gdpr_unsubscribe": false,
"list_unsubscribe": false,
"open_disabled_list": [],
"auto_pause_prospect_from_domain": false,
"catch_all_verification_mode": "BALANCED"
},
"steps": {
"id": "b90637e7-8ccd-4df1-86a6-d07581abbf3e",
"type": "START",
"followup": {
"id": "169486a5-e375-48cd-81a1-01a7f2a1895f",
"followup": null,
"type": "EMAIL",
"followup_after": { "range": "DAY", "value": 1 },
"body": {
"versions": [
{
"id": "2af5c091205511bb54acb86b43c59d378a795f67g9a8a73df34601q293e1664f"
}]}}}}`

// campaignsSettingsFragment is the settings object of the campaign payload
// on https://developers.woodpecker.co/docs/campaigns (complete in the
// stored copy).
const campaignsSettingsFragment = `{"settings": {
"timezone": "Europe/Warsaw",
"prospect_timezone": true,
"daily_enroll": 30,
"gdpr_unsubscribe": true,
"list_unsubscribe": true,
"open_disabled_list": ["google.com", "OTHER_PROVIDER"],
"auto_pause_prospect_from_domain": true,
"catch_all_verification_mode": "MAXIMUM"
}}`

// Issue 17.1: step ids are UUID strings and version ids hex strings; every
// call that decodes a campaign (get, create, update) used to fail on them.
func TestCampaignStepIDsAreStrings(t *testing.T) {
	srv, wp := setup(t)
	for name, call := range map[string]func() (woodpecker.Campaign, error){
		"GetCampaign":    func() (woodpecker.Campaign, error) { return wp.GetCampaign(ctx, 12345678) },
		"CreateCampaign": func() (woodpecker.Campaign, error) { return wp.CreateCampaign(ctx, woodpecker.Campaign{Name: "x"}) },
		"UpdateCampaign": func() (woodpecker.Campaign, error) {
			return wp.UpdateCampaign(ctx, 12345678, woodpecker.CampaignUpdate{Name: vendorkit.Ptr("x")})
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv.FailNext(1, http.StatusOK, getCampaignFragment, "")
			c, err := call()
			require.NoError(t, err)
			require.NotNil(t, c.Steps)
			assert.Equal(t, "b90637e7-8ccd-4df1-86a6-d07581abbf3e", c.Steps.ID)
			require.NotNil(t, c.Steps.Followup)
			assert.Equal(t, "169486a5-e375-48cd-81a1-01a7f2a1895f", c.Steps.Followup.ID)
			assert.Nil(t, c.Steps.Followup.Followup, `"followup": null ends the chain`)
			assert.Equal(t, "2af5c091205511bb54acb86b43c59d378a795f67g9a8a73df34601q293e1664f", c.Steps.Followup.Body.Versions[0].ID)
			assert.Equal(t, "BALANCED", c.Settings.CatchAllVerificationMode)
			assert.Empty(t, c.Settings.OpenDisabledList)
		})
	}
}

// Issue 17.2: open_disabled_list is a list of strings, and the update input
// can set it, clear it (sends []) or leave it.
func TestOpenDisabledListIsStrings(t *testing.T) {
	srv, wp := setup(t)
	srv.FailNext(1, http.StatusOK, campaignsSettingsFragment, "")
	c, err := wp.GetCampaign(ctx, 12345679)
	require.NoError(t, err)
	assert.Equal(t, []string{"google.com", "OTHER_PROVIDER"}, c.Settings.OpenDisabledList)
	assert.Equal(t, "MAXIMUM", c.Settings.CatchAllVerificationMode)
	assert.True(t, c.Settings.AutoPauseProspectFromDomain)

	require.NoError(t, wp.MakeCampaignEditable(ctx, woodpeckertest.HQCampaignID))
	for _, tc := range []struct {
		name   string
		update woodpecker.SettingsUpdate
		sent   string
	}{
		{"set", woodpecker.SettingsUpdate{OpenDisabledList: vendorkit.Ptr([]string{"google.com"})}, `{"settings":{"open_disabled_list":["google.com"]}}`},
		{"clear", woodpecker.SettingsUpdate{OpenDisabledList: vendorkit.Ptr([]string{})}, `{"settings":{"open_disabled_list":[]}}`},
		{"unchanged, others set to zero values", woodpecker.SettingsUpdate{ProspectTimezone: vendorkit.Ptr(false), DailyEnroll: vendorkit.Ptr(0)}, `{"settings":{"prospect_timezone":false,"daily_enroll":0}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wp.UpdateCampaign(ctx, woodpeckertest.HQCampaignID, woodpecker.CampaignUpdate{Settings: &tc.update})
			require.NoError(t, err)
			r, _ := srv.LastRequest()
			assert.JSONEq(t, tc.sent, string(r.Body))
		})
	}
	got, err := wp.GetCampaign(ctx, woodpeckertest.HQCampaignID)
	require.NoError(t, err)
	assert.Empty(t, got.Settings.OpenDisabledList, "cleared, then left unchanged")
	assert.Equal(t, 0, got.Settings.DailyEnroll)
}

// Issue 17.3: a version's signature is SENDER or NO_SIGNATURE and
// track_opens has a field, both ways.
func TestSignatureAndTrackOpens(t *testing.T) {
	srv, wp := setup(t)
	_, err := wp.CreateCampaign(ctx, woodpecker.Campaign{Name: "sig", Steps: &woodpecker.Step{Type: woodpecker.StepStart, Followup: &woodpecker.Step{
		Type: woodpecker.StepEmail,
		Body: &woodpecker.StepBody{Versions: []woodpecker.StepVersion{
			{Subject: vendorkit.Ptr("A"), Message: "<p>a</p>", Signature: woodpecker.SignatureNone, TrackOpens: vendorkit.Ptr(false)},
			{Message: "<p>b</p>", Signature: woodpecker.SignatureSender},
		}},
	}}})
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	var sent struct {
		Steps struct {
			Followup struct {
				Body struct {
					Versions []map[string]any `json:"versions"`
				} `json:"body"`
			} `json:"followup"`
		} `json:"steps"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &sent))
	vs := sent.Steps.Followup.Body.Versions
	require.Len(t, vs, 2)
	assert.Equal(t, map[string]any{"subject": "A", "message": "<p>a</p>", "signature": "NO_SIGNATURE", "track_opens": false}, vs[0])
	assert.Equal(t, map[string]any{"subject": nil, "message": "<p>b</p>", "signature": "SENDER"}, vs[1], "a nil subject is sent as null (same thread); unset track_opens is left out")

	// The fake answers as Woodpecker documents: strings and a flag.
	c, err := wp.GetCampaign(ctx, woodpeckertest.HQCampaignID)
	require.NoError(t, err)
	v := c.Steps.Followup.Body.Versions[0]
	assert.Equal(t, woodpecker.SignatureSender, v.Signature)
	require.NotNil(t, v.TrackOpens)
	assert.True(t, *v.TrackOpens)
	assert.Len(t, v.ID, 64)

	err = wp.UpdateStepVersion(ctx, woodpeckertest.HQCampaignID, c.Steps.Followup.ID, v.ID, woodpecker.StepVersionUpdate{Signature: vendorkit.Ptr(woodpecker.Signature("YES"))})
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
}

// Issue 17.5: the agency's e-mail accounts nest their fields under details.
func TestCompanyEmailAccountsNested(t *testing.T) {
	srv, wp := setup(t)
	srv.FailNext(1, http.StatusOK, string(example(t, "company-email-accounts-helpcenter.json")), "")
	accounts, err := wp.ListCompanyEmailAccounts(ctx, woodpeckertest.ActiveCompanyID)
	require.NoError(t, err)
	require.Len(t, accounts, 4)
	assert.Equal(t, woodpecker.EmailAccount{ID: 123456, Type: "SMTP", Details: woodpecker.EmailAccountDetails{
		Email: "[email protected]", Provider: "Google", FromName: "James Halpert", IMAPID: 123455, RunningCampaigns: 2,
	}}, accounts[0])
	assert.Equal(t, "Connected conditionally.", accounts[3].Details.Error)

	// The fake nests them too.
	accounts, err = wp.ListCompanyEmailAccounts(ctx, woodpeckertest.ActiveCompanyID)
	require.NoError(t, err)
	require.Len(t, accounts, 1)
	assert.Equal(t, "gavin@hooli.com", accounts[0].Details.Email)
	assert.Equal(t, "Gavin Belson", accounts[0].Details.FromName)
}

// Issue 17.6: subscribing answers 201, in the spec and in the fake.
func TestSubscribeAnswers201(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi/woodpecker.yaml")
	require.NoError(t, err)
	op := doc.Paths.Find("/v1/webhooks/subscribe").Post
	assert.NotNil(t, op.Responses.Status(201))
	assert.Nil(t, op.Responses.Status(200))

	srv, wp := setup(t)
	status, body := fakeCall(t, srv, "POST", "/v1/webhooks/subscribe", example(t, "subscribe-webhook-request.json"))
	assert.Equal(t, http.StatusCreated, status)
	assert.JSONEq(t, string(example(t, "subscribe-webhook-response.json")), string(body))
	require.NoError(t, wp.UnsubscribeWebhook(ctx, "https://receiving-url.com/unique_target_url", "EVENT_NAME"))
	require.NoError(t, wp.SubscribeWebhook(ctx, "https://receiving-url.com/unique_target_url", "EVENT_NAME"))
}

func TestCampaignEditing(t *testing.T) {
	srv, wp := setup(t)
	const id = woodpeckertest.HQCampaignID
	_, err := wp.UpdateCampaign(ctx, id, woodpecker.CampaignUpdate{Name: vendorkit.Ptr("x")})
	assert.ErrorIs(t, err, vendorkit.ErrConflict, "a RUNNING campaign cannot be updated")

	require.NoError(t, wp.MakeCampaignEditable(ctx, id))
	assert.Equal(t, "EDITED", srv.CampaignStatus(woodpeckertest.HQCompanyID, id))
	c, err := wp.UpdateCampaign(ctx, id, woodpecker.CampaignUpdate{Name: vendorkit.Ptr("Series B, edited"), EmailAccountIDs: []int64{11}})
	require.NoError(t, err)
	assert.Equal(t, "Series B, edited", c.Name)

	first := c.Steps.Followup
	require.NoError(t, wp.AddStep(ctx, id, first.ID, woodpecker.Step{
		Type:          woodpecker.StepEmail,
		FollowupAfter: &woodpecker.Delay{Range: "HOUR", Value: 10},
		DeliveryTime:  woodpecker.DeliveryTime{"TUESDAY": {{From: "09:00", To: "18:00"}}},
		Body:          &woodpecker.StepBody{Versions: []woodpecker.StepVersion{{Message: "<p>Bump</p>", Signature: woodpecker.SignatureSender, TrackOpens: vendorkit.Ptr(true)}}},
	}))
	err = wp.AddStep(ctx, id, c.Steps.ID, woodpecker.Step{Type: woodpecker.StepEmail})
	assert.ErrorIs(t, err, vendorkit.ErrConflict, "steps are added at the end only")

	c, err = wp.GetCampaign(ctx, id)
	require.NoError(t, err)
	added := c.Steps.Followup.Followup
	require.NotNil(t, added)
	assert.Len(t, added.ID, 36, "a UUID")
	require.Len(t, added.Body.Versions, 1)
	assert.Nil(t, added.Body.Versions[0].Subject)

	dt := woodpecker.DeliveryTime{"WEDNESDAY": {{From: "09:00", To: "17:00"}}}
	require.NoError(t, wp.UpdateStep(ctx, id, added.ID, dt))
	require.NoError(t, wp.UpdateStepVersion(ctx, id, added.ID, added.Body.Versions[0].ID, woodpecker.StepVersionUpdate{
		Subject: vendorkit.Ptr(""), TrackOpens: vendorkit.Ptr(false),
	}))
	r, _ := srv.LastRequest()
	assert.JSONEq(t, `{"subject":"","track_opens":false}`, string(r.Body))
	c, err = wp.GetCampaign(ctx, id)
	require.NoError(t, err)
	added = c.Steps.Followup.Followup
	assert.Equal(t, dt, added.DeliveryTime, "delivery time replaced as a whole")
	assert.Equal(t, "", *added.Body.Versions[0].Subject)
	assert.False(t, *added.Body.Versions[0].TrackOpens)

	err = wp.UpdateStep(ctx, id, "no-such-step", dt)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)

	// Refused before sending.
	before := srv.Count("", "")
	for name, err := range map[string]error{
		"step id with a slash": wp.UpdateStep(ctx, id, "a/b", dt),
		"empty step id":        wp.UpdateStep(ctx, id, "", dt),
		"no day":               wp.UpdateStep(ctx, id, added.ID, nil),
		"not a day":            wp.UpdateStep(ctx, id, added.ID, woodpecker.DeliveryTime{"FUNDAY": {{From: "09:00", To: "10:00"}}}),
		"four windows":         wp.UpdateStep(ctx, id, added.ID, woodpecker.DeliveryTime{"MONDAY": make([]woodpecker.TimeWindow, 4)}),
		"no change":            wp.UpdateStepVersion(ctx, id, added.ID, "v", woodpecker.StepVersionUpdate{}),
		"start step":           wp.AddStep(ctx, id, added.ID, woodpecker.Step{Type: woodpecker.StepStart}),
		"chain":                wp.AddStep(ctx, id, added.ID, woodpecker.Step{Type: woodpecker.StepEmail, Followup: &woodpecker.Step{}}),
		"dot id":               wp.UpdateStepVersion(ctx, id, "..", "v", woodpecker.StepVersionUpdate{Message: vendorkit.Ptr("m")}),
		"empty name": func() error {
			_, err := wp.UpdateCampaign(ctx, id, woodpecker.CampaignUpdate{Name: vendorkit.Ptr(" ")})
			return err
		}(),
		"campaign id": wp.MakeCampaignEditable(ctx, 0),
	} {
		assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument, name)
	}
	assert.Equal(t, before, srv.Count("", ""), "nothing sent")

	require.NoError(t, wp.RunCampaign(ctx, id))
	_, err = wp.UpdateCampaign(ctx, id, woodpecker.CampaignUpdate{Name: vendorkit.Ptr("again")})
	assert.ErrorIs(t, err, vendorkit.ErrConflict)
}

func TestLinkedInVersionTakesMessageOnly(t *testing.T) {
	_, wp := setup(t)
	const id = woodpeckertest.ActiveCampaignID // a DRAFT
	hooli, err := wp.ForCompany(woodpeckertest.ActiveCompanyID)
	require.NoError(t, err)
	c, err := hooli.GetCampaign(ctx, id)
	require.NoError(t, err)
	require.NoError(t, hooli.AddStep(ctx, id, c.Steps.Followup.ID, woodpecker.Step{
		Type: woodpecker.StepLinkedIn, Body: &woodpecker.StepBody{Versions: []woodpecker.StepVersion{{Message: "Hi {{FIRST_NAME}}"}}},
	}))
	c, err = hooli.GetCampaign(ctx, id)
	require.NoError(t, err)
	li := c.Steps.Followup.Followup
	require.NoError(t, hooli.UpdateStepVersion(ctx, id, li.ID, li.Body.Versions[0].ID, woodpecker.StepVersionUpdate{Message: vendorkit.Ptr("Hello")}))
	err = hooli.UpdateStepVersion(ctx, id, li.ID, li.Body.Versions[0].ID, woodpecker.StepVersionUpdate{Subject: vendorkit.Ptr("no")})
	assert.ErrorIs(t, err, vendorkit.ErrBadRequest)
}

func TestGetCampaignStats(t *testing.T) {
	srv, wp := setup(t)
	srv.SetCampaignStats(woodpeckertest.HQCompanyID, woodpeckertest.HQCampaignID, map[string]any{"sent": 12})
	cs, err := wp.GetCampaignStats(ctx, woodpeckertest.HQCampaignID)
	require.NoError(t, err)
	assert.Equal(t, "Series B outreach", cs.Name)
	assert.JSONEq(t, `{"sent":12}`, string(cs.Stats))
	r, _ := srv.LastRequest()
	assert.Equal(t, "id=1001", r.RawQuery)

	list, err := wp.ListCampaigns(ctx, woodpecker.CampaignFilter{})
	require.NoError(t, err)
	assert.Empty(t, list[0].Stats, "several campaigns come without statistics")

	_, err = wp.GetCampaignStats(ctx, 424242)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
}

func TestDeleteProspects(t *testing.T) {
	srv, wp := setup(t)
	const hq = woodpeckertest.HQCompanyID
	_, err := wp.AddProspectsToCampaign(ctx, woodpeckertest.HQCampaignID, woodpecker.CampaignImport{Prospects: []woodpecker.Prospect{{Email: "new@pied.com"}}})
	require.NoError(t, err)
	p, err := wp.FindProspectByEmail(ctx, "new@pied.com")
	require.NoError(t, err)
	n := srv.ProspectCount(hq)

	require.NoError(t, wp.DeleteProspects(ctx, []int64{p.ID}, woodpeckertest.HQCampaignID))
	r, _ := srv.LastRequest()
	assert.Equal(t, "DELETE", r.Method)
	assert.Equal(t, fmt.Sprintf("id=%d&campaigns_id=%d", p.ID, woodpeckertest.HQCampaignID), r.RawQuery)
	assert.Equal(t, n, srv.ProspectCount(hq), "removed from the campaign only")
	page, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{CampaignIDs: []int64{woodpeckertest.HQCampaignID}})
	require.NoError(t, err)
	assert.Empty(t, page.Items)

	require.NoError(t, wp.DeleteProspects(ctx, []int64{p.ID, 999999}))
	assert.Equal(t, n-1, srv.ProspectCount(hq))
	_, err = wp.FindProspectByEmail(ctx, "new@pied.com")
	assert.ErrorIs(t, err, woodpecker.ErrProspectNotFound)

	many := make([]int64, 500)
	for i := range many {
		many[i] = 1_000_000_000 + int64(i)
	}
	before := srv.Count("", "")
	assert.ErrorIs(t, wp.DeleteProspects(ctx, many), vendorkit.ErrInvalidArgument, "over Woodpecker's 4100-character URL")
	assert.ErrorIs(t, wp.DeleteProspects(ctx, nil), vendorkit.ErrInvalidArgument)
	assert.ErrorIs(t, wp.DeleteProspects(ctx, []int64{-1}), vendorkit.ErrInvalidArgument)
	assert.Equal(t, before, srv.Count("", ""))
}

func connection(smtp, imap string) woodpecker.MailboxConnection {
	return woodpecker.MailboxConnection{
		SMTPEmail: smtp, SMTPPassword: "smtp-s3cret", SMTPServer: "smtp.server.io", SMTPPort: 465,
		IMAPEmail: imap, IMAPPassword: "imap-s3cret", IMAPServer: "imap.server.io", IMAPPort: 993,
		SMTPFromName: "Jared", DailySendingLimit: 100,
	}
}

func TestConnectMailboxes(t *testing.T) {
	srv, wp := setup(t)
	boxes, err := wp.ListMailboxes(ctx)
	require.NoError(t, err)
	n := len(boxes)

	id, err := wp.ConnectMailboxes(ctx, woodpecker.MailboxBatch{
		Mailboxes:                   []woodpecker.MailboxConnection{connection("jared@getpiedpiper.com", "jared@getpiedpiper.com"), connection("erlich@getpiedpiper.com", "erlich@getpiedpiper.com")},
		CompletionNotificationTypes: []string{woodpecker.NotifyByMail},
	})
	require.NoError(t, err)
	assert.Positive(t, id)
	r, _ := srv.LastRequest()
	assert.Contains(t, string(r.Body), `"smtp_password":"smtp-s3cret"`, "the password reaches the wire")

	sum, err := wp.GetMailboxConnectionBatch(ctx, id)
	require.NoError(t, err)
	assert.True(t, sum.ProcessingFinished)
	assert.Equal(t, 2, sum.BatchSize)
	assert.Equal(t, 2, sum.Connected)
	assert.Empty(t, sum.FailedMailboxes)
	boxes, err = wp.ListMailboxes(ctx)
	require.NoError(t, err)
	assert.Len(t, boxes, n+4, "an SMTP and an IMAP account each")

	_, err = wp.GetMailboxConnectionBatch(ctx, 999)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)

	before := srv.Count("", "")
	for name, b := range map[string]woodpecker.MailboxBatch{
		"empty":     {},
		"too many":  {Mailboxes: make([]woodpecker.MailboxConnection, woodpecker.MaxMailboxBatch+1)},
		"bad email": {Mailboxes: []woodpecker.MailboxConnection{connection("jared", "jared@x.co")}},
		"no password": {Mailboxes: []woodpecker.MailboxConnection{func() woodpecker.MailboxConnection {
			c := connection("a@x.co", "a@x.co")
			c.IMAPPassword = ""
			return c
		}()}},
		"bad port":     {Mailboxes: []woodpecker.MailboxConnection{func() woodpecker.MailboxConnection { c := connection("a@x.co", "a@x.co"); c.SMTPPort = 70000; return c }()}},
		"notification": {Mailboxes: []woodpecker.MailboxConnection{connection("a@x.co", "a@x.co")}, CompletionNotificationTypes: []string{"SMS"}},
	} {
		_, err := wp.ConnectMailboxes(ctx, b)
		assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument, name)
		if err != nil {
			assert.NotContains(t, err.Error(), "s3cret", name)
		}
	}
	assert.Equal(t, before, srv.Count("", ""), "nothing sent")
}

// A {code, details} error body (mailbox connections) keeps its reasons.
func TestConnectMailboxesErrorDetails(t *testing.T) {
	srv, wp := setup(t)
	srv.FailNext(1, http.StatusConflict, `{"code": "MAILBOX_ALREADY_EXISTS", "details": ["jared@getpiedpiper.com already connected"]}`, "")
	_, err := wp.ConnectMailboxes(ctx, woodpecker.MailboxBatch{Mailboxes: []woodpecker.MailboxConnection{connection("jared@getpiedpiper.com", "jared@getpiedpiper.com")}})
	require.ErrorIs(t, err, vendorkit.ErrConflict)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "MAILBOX_ALREADY_EXISTS", apiErr.Code)
	assert.Equal(t, "jared@getpiedpiper.com already connected", apiErr.Message)
	d, ok := woodpecker.ErrorDetails(err)
	require.True(t, ok)
	assert.Equal(t, []string{"jared@getpiedpiper.com already connected"}, d.Details)
}

func TestSecretNeverPrints(t *testing.T) {
	c := connection("a@x.co", "a@x.co")
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("connect", "mailbox", c, "password", c.SMTPPassword)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("connect", "password", c.IMAPPassword)
	for _, s := range []string{
		fmt.Sprintf("%v %+v %#v %s %q", c, c, c, c.SMTPPassword, c.IMAPPassword),
		fmt.Sprint(c.SMTPPassword), c.IMAPPassword.String(), logs.String(), string(must(json.Marshal(c))),
	} {
		assert.NotContains(t, s, "s3cret")
	}
	assert.Equal(t, "smtp-s3cret", c.SMTPPassword.Reveal())
	assert.Contains(t, logs.String(), "[redacted]")
}

func TestDomainMailboxes(t *testing.T) {
	srv, wp := setup(t)
	domains, err := wp.ListDomains(ctx)
	require.NoError(t, err)
	require.Len(t, domains, 1)
	assert.Equal(t, woodpeckertest.HQDomain, domains[0].Domain)
	assert.Equal(t, 2027, domains[0].Expires.Year())
	assert.True(t, domains[0].IsReady)

	boxes, err := wp.ListDomainMailboxes(ctx, woodpeckertest.HQDomain)
	require.NoError(t, err)
	require.Len(t, boxes, 2)
	assert.Equal(t, "richard@piedpiper.com", boxes[0].Email)
	assert.Empty(t, boxes[0].SMTPPassword, "the list carries no credentials")

	box, err := wp.GetDomainMailbox(ctx, woodpeckertest.HQDomain, "richard@piedpiper.com")
	require.NoError(t, err)
	assert.Equal(t, "Richard", box.FirstName)
	assert.Equal(t, woodpecker.DomainMailboxPaid, box.Status)
	assert.Equal(t, 587, box.SMTPPort)
	assert.NotEmpty(t, box.SMTPPassword.Reveal())
	assert.NotContains(t, fmt.Sprintf("%+v", box), box.SMTPPassword.Reveal())
	assert.Nil(t, box.Authenticator)
	r, _ := srv.LastRequest()
	assert.Equal(t, "/rest/v2/domains/piedpiper.com/mailboxes/richard@piedpiper.com", r.Path)

	_, err = wp.GetDomainMailbox(ctx, woodpeckertest.HQDomain, "nobody@piedpiper.com")
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
	_, err = wp.ListDomainMailboxes(ctx, "hooli.com")
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
	_, err = wp.ListDomainMailboxes(ctx, "../mailboxes")
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	_, err = wp.GetDomainMailbox(ctx, woodpeckertest.HQDomain, "a/b@c")
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
}

func TestListWebhooks(t *testing.T) {
	_, wp := setup(t)
	list, err := wp.ListWebhooks(ctx)
	require.NoError(t, err)
	assert.Empty(t, list)
	require.NoError(t, wp.SubscribeWebhook(ctx, "https://hooks.example.com/a", "PROSPECT_REPLIED"))
	require.NoError(t, wp.SubscribeWebhook(ctx, "https://hooks.example.com/b", "PROSPECT_INTERESTED"))
	list, err = wp.ListWebhooks(ctx)
	require.NoError(t, err)
	assert.Equal(t, []woodpecker.WebhookSubscription{
		{TargetURL: "https://hooks.example.com/b", Event: "PROSPECT_INTERESTED"},
		{TargetURL: "https://hooks.example.com/a", Event: "PROSPECT_REPLIED"},
	}, list)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestOrderDomainMailboxesAndPicture(t *testing.T) {
	srv, wp := setup(t)
	require.NoError(t, wp.OrderDomainMailboxes(ctx, woodpecker.MailboxOrder{FirstName: "Dinesh", LastName: "Chugtai", Email: "dinesh@piedpiper.com"}))
	boxes, err := wp.ListDomainMailboxes(ctx, woodpeckertest.HQDomain)
	require.NoError(t, err)
	require.Len(t, boxes, 3)
	assert.Equal(t, woodpecker.DomainMailboxOrdered, boxes[2].Status)
	err = wp.OrderDomainMailboxes(ctx, woodpecker.MailboxOrder{FirstName: "G", LastName: "B", Email: "gavin@hooli.com"})
	assert.ErrorIs(t, err, vendorkit.ErrBadRequest, "not a domain of the account")

	require.NoError(t, wp.UpdateDomainMailboxProfilePicture(ctx, woodpeckertest.HQDomain, "richard@piedpiper.com", pngImage))
	r, _ := srv.LastRequest()
	assert.JSONEq(t, `{"avatar":"iVBORw0KGgoAAAANSUhEUg=="}`, string(r.Body), "Base64 without a data-URL prefix")
	box, err := wp.GetDomainMailbox(ctx, woodpeckertest.HQDomain, "richard@piedpiper.com")
	require.NoError(t, err)
	assert.NotEmpty(t, box.ProfilePicture)

	srv.FailNext(1, http.StatusOK, `{"success": false}`, "")
	assert.Error(t, wp.UpdateDomainMailboxProfilePicture(ctx, woodpeckertest.HQDomain, "richard@piedpiper.com", pngImage))

	before := srv.Count("", "")
	for name, err := range map[string]error{
		"no mailbox":   wp.OrderDomainMailboxes(ctx),
		"no name":      wp.OrderDomainMailboxes(ctx, woodpecker.MailboxOrder{Email: "x@piedpiper.com"}),
		"bad email":    wp.OrderDomainMailboxes(ctx, woodpecker.MailboxOrder{FirstName: "a", LastName: "b", Email: "Bob <x@piedpiper.com>"}),
		"not an image": wp.UpdateDomainMailboxProfilePicture(ctx, woodpeckertest.HQDomain, "richard@piedpiper.com", []byte("GIF89a")),
		"empty image":  wp.UpdateDomainMailboxProfilePicture(ctx, woodpeckertest.HQDomain, "richard@piedpiper.com", nil),
		"too large":    wp.UpdateDomainMailboxProfilePicture(ctx, woodpeckertest.HQDomain, "richard@piedpiper.com", append(pngImage, make([]byte, woodpecker.MaxProfilePicture)...)),
		"bad domain":   wp.UpdateDomainMailboxProfilePicture(ctx, "a/b", "richard@piedpiper.com", pngImage),
		"company id":   func() error { _, err := wp.DeleteAllCompanyProspects(ctx, 0); return err }(),
	} {
		assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument, name)
	}
	assert.Equal(t, before, srv.Count("", ""), "nothing sent")
}

func TestDeleteAllCompanyProspects(t *testing.T) {
	srv, hq := setup(t)
	require.Equal(t, 1, srv.ProspectCount(woodpeckertest.ActiveCompanyID))
	d, err := hq.DeleteAllCompanyProspects(ctx, woodpeckertest.ActiveCompanyID)
	require.NoError(t, err)
	assert.Equal(t, 1, d.Count)
	assert.Positive(t, d.RequestID)
	assert.Equal(t, 0, srv.ProspectCount(woodpeckertest.ActiveCompanyID))
	r, _ := srv.LastRequest()
	assert.JSONEq(t, `{"type":"ALL"}`, string(r.Body))
	assert.Empty(t, r.Header.Get("x-company-id"), "agency operations act for the HQ")

	_, err = hq.DeleteAllCompanyProspects(ctx, woodpeckertest.ForeignCompanyID)
	assert.ErrorIs(t, err, woodpecker.ErrCompanyNotFound)
	client := newClient(t, srv, woodpeckertest.ClientKey)
	_, err = client.DeleteAllCompanyProspects(ctx, woodpeckertest.ActiveCompanyID)
	assert.ErrorIs(t, err, vendorkit.ErrForbidden, "needs the HQ key")
}
