package woodpecker_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

func TestMailboxes(t *testing.T) {
	_, wp := setup(t)
	boxes, err := wp.ListMailboxes(ctx)
	require.NoError(t, err)
	require.Len(t, boxes, 2)
	assert.Equal(t, "SMTP", boxes[0].Type)

	box, err := wp.GetMailbox(ctx, 11)
	require.NoError(t, err)
	assert.Equal(t, "Richard from Pied Piper", box.Details.FromName)
	assert.Equal(t, int64(12), box.Details.IMAPID)
	assert.Equal(t, 500, box.Details.DailyLimit)
	require.Len(t, box.Details.FreezeAccount, 1)
	assert.Equal(t, time.Date(2025, 7, 5, 22, 0, 0, 0, time.UTC), box.Details.FreezeAccount[0].From.UTC())

	_, err = wp.GetMailbox(ctx, 999)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
}

func TestMailboxDetailsDecoding(t *testing.T) {
	// freeze_account is "" when there is none (docs' sample).
	var d woodpecker.MailboxDetails
	require.NoError(t, json.Unmarshal([]byte(`{"email":"a@b.co","freeze_account":"","warmup_data":{"status":"ON"}}`), &d))
	assert.Empty(t, d.FreezeAccount)
	require.NotNil(t, d.Warmup)
	assert.Equal(t, "ON", d.Warmup.Status)
}

func TestCampaignLifecycle(t *testing.T) {
	srv, wp := setup(t)
	created, err := wp.CreateCampaign(ctx, woodpecker.Campaign{
		Name:            "Q3 outreach",
		EmailAccountIDs: []int64{11},
		Settings:        woodpecker.CampaignSettings{Timezone: "Europe/Warsaw", DailyEnroll: 30},
		Steps: &woodpecker.Step{Type: woodpecker.StepStart, Followup: &woodpecker.Step{
			Type:          woodpecker.StepEmail,
			FollowupAfter: &woodpecker.Delay{Range: "DAY", Value: 2},
			Body:          &woodpecker.StepBody{Versions: []woodpecker.StepVersion{{Subject: vendorkit.Ptr("Hi"), Message: "<p>Hello</p>"}}},
		}},
	})
	require.NoError(t, err)
	assert.Positive(t, created.ID)
	assert.Equal(t, woodpecker.CampaignDraft, created.Status)

	got, err := wp.GetCampaign(ctx, created.ID)
	require.NoError(t, err)
	require.NotNil(t, got.Steps)
	require.NotNil(t, got.Steps.Followup)
	assert.Equal(t, "Hi", *got.Steps.Followup.Body.Versions[0].Subject)
	assert.Equal(t, 30, got.Settings.DailyEnroll)

	updated, err := wp.UpdateCampaign(ctx, created.ID, woodpecker.CampaignUpdate{Name: vendorkit.Ptr("Q3 outreach v2")})
	require.NoError(t, err)
	assert.Equal(t, "Q3 outreach v2", updated.Name)
	r, _ := srv.LastRequest()
	assert.JSONEq(t, `{"name":"Q3 outreach v2"}`, string(r.Body), "PATCH sends only the fields set")

	require.NoError(t, wp.RunCampaign(ctx, created.ID))
	assert.Equal(t, "RUNNING", srv.CampaignStatus(woodpeckertest.HQCompanyID, created.ID))
	require.NoError(t, wp.PauseCampaign(ctx, created.ID))
	assert.Equal(t, "PAUSED", srv.CampaignStatus(woodpeckertest.HQCompanyID, created.ID))
	require.NoError(t, wp.StopCampaign(ctx, created.ID))
	assert.Equal(t, "STOPPED", srv.CampaignStatus(woodpeckertest.HQCompanyID, created.ID))
	assert.ErrorIs(t, wp.RunCampaign(ctx, created.ID), vendorkit.ErrConflict, "a stopped campaign cannot run")

	require.NoError(t, wp.DeleteCampaign(ctx, created.ID))
	_, err = wp.GetCampaign(ctx, created.ID)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
}

func TestAddProspectsUpsertRules(t *testing.T) {
	srv, wp := setup(t)
	res, err := wp.AddProspects(ctx, woodpecker.ProspectImport{
		FileName: "API import",
		Prospects: []woodpecker.Prospect{
			{Email: "dinesh@piedpiper.com", FirstName: "Dinesh", Tags: "#DEV", Snippets: map[int]string{1: "Gilfoyle's rival", 2: "likes Java"}},
			{Email: "erlich@bachman.com"}, // exists already
			{Email: "broken"},
		},
	})
	require.NoError(t, err)
	require.Len(t, res.Prospects, 3)
	assert.Equal(t, "OK", res.Prospects[0].Status)
	assert.Positive(t, res.Prospects[0].ID)
	assert.Equal(t, "DUPLICATE", res.Prospects[1].Status)
	assert.Equal(t, "ERROR", res.Prospects[2].Status)
	assert.Equal(t, "OK", res.Status.Status)

	// Update: an omitted snippet keeps its value, "" clears one, tags add up.
	_, err = wp.AddProspects(ctx, woodpecker.ProspectImport{Update: true, Prospects: []woodpecker.Prospect{
		{Email: "dinesh@piedpiper.com", Tags: "#JAVA", Snippets: map[int]string{2: ""}},
	}})
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.JSONEq(t, `{"update":true,"prospects":[{"email":"dinesh@piedpiper.com","tags":"#JAVA","snippet2":""}]}`, string(r.Body))
	p, err := wp.FindProspectByEmail(ctx, "dinesh@piedpiper.com")
	require.NoError(t, err)
	assert.Equal(t, map[int]string{1: "Gilfoyle's rival", 2: ""}, p.Snippets)
	assert.Equal(t, "#DEV #JAVA", p.Tags)
	assert.False(t, p.Updated.IsZero())
}

func TestAddProspectsToCampaign(t *testing.T) {
	srv, wp := setup(t)
	sendAfter := time.Date(2025, 4, 1, 0, 1, 1, 0, time.UTC)
	res, err := wp.AddProspectsToCampaign(ctx, woodpeckertest.HQCampaignID, woodpecker.CampaignImport{
		SendAfter: sendAfter,
		Prospects: []woodpecker.Prospect{{Email: "jared@piedpiper.com"}, {Email: "erlich@bachman.com"}},
	})
	require.NoError(t, err)
	assert.Equal(t, "OK", res.Prospects[0].Status)
	assert.Equal(t, "ERROR", res.Prospects[1].Status, "REPLIED prospects are refused without force")
	assert.Equal(t, "E_INV_STATUS", res.Prospects[1].Code)
	r, _ := srv.LastRequest()
	assert.Contains(t, string(r.Body), `"campaign":{"campaign_id":1001,"send_after":"2025-04-01T00:01:01+0000"}`)

	res, err = wp.AddProspectsToCampaign(ctx, woodpeckertest.HQCampaignID, woodpecker.CampaignImport{
		Force: true, Prospects: []woodpecker.Prospect{{Email: "erlich@bachman.com"}},
	})
	require.NoError(t, err)
	assert.Equal(t, "OK", res.Prospects[0].Status, "force adds them")

	page, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{CampaignIDs: []int64{woodpeckertest.HQCampaignID}})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
}

func TestAgency(t *testing.T) {
	srv, hq := setup(t)
	created, err := hq.CreateCompanies(ctx, "Bachmanity", "Aviato")
	require.NoError(t, err)
	require.Len(t, created, 2)
	assert.Equal(t, "Aviato", created[1].Name)
	assert.True(t, created[0].Active)

	inactive, err := hq.ListCompanies(ctx, woodpecker.ListCompaniesOptions{Active: vendorkit.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, inactive.Items, 1)
	assert.Equal(t, woodpeckertest.InactiveCompanyID, inactive.Items[0].ID)

	// A key minted for a company works on its own, without x-company-id.
	key, err := hq.CreateCompanyAPIKey(ctx, created[0].ID, "worker")
	require.NoError(t, err)
	own := newClient(t, srv, key.Key)
	me, err := own.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, created[0].ID, me.CompanyID)

	accounts, err := hq.ListCompanyEmailAccounts(ctx, woodpeckertest.ActiveCompanyID)
	require.NoError(t, err)
	require.Len(t, accounts, 1)
	assert.Equal(t, "gavin@hooli.com", accounts[0].Details.Email)
	assert.Equal(t, int64(21), accounts[0].ID)

	_, err = hq.ListCompanyEmailAccounts(ctx, woodpeckertest.ForeignCompanyID)
	assert.ErrorIs(t, err, woodpecker.ErrCompanyNotFound)

	// Agency endpoints need the HQ key.
	client := newClient(t, srv, woodpeckertest.ClientKey)
	_, err = client.ListCompanies(ctx, woodpecker.ListCompaniesOptions{})
	assert.ErrorIs(t, err, vendorkit.ErrForbidden)
}

func TestResponseInfo(t *testing.T) {
	srv, wp := setup(t)
	srv.FailNext(1, 503, "", "")
	var info vendorkit.ResponseInfo
	_, err := wp.ListMailboxes(vendorkit.CaptureResponse(ctx, &info))
	require.NoError(t, err)
	assert.Equal(t, 2, info.Attempts)
	assert.Equal(t, 200, info.StatusCode)
}
