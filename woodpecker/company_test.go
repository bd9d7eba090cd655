package woodpecker_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

func TestAPIKeyHeader(t *testing.T) {
	srv, wp := setup(t)
	me, err := wp.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, woodpeckertest.HQCompanyID, me.CompanyID)
	assert.Equal(t, "Pied Piper HQ", me.CompanyName)
	assert.Contains(t, me.Raw, "key_type")
	r, ok := srv.LastRequest()
	require.True(t, ok)
	assert.Equal(t, []string{woodpeckertest.HQKey}, r.Header.Values("X-Api-Key"), "x-api-key carries the bare key")
	assert.Empty(t, r.Header.Values("Authorization"))
	assert.Empty(t, r.Header.Values("X-Company-Id"), "no company: no x-company-id")
}

func TestCompanyContext(t *testing.T) {
	srv, hq := setup(t)

	hooli, err := hq.ForCompany(woodpeckertest.ActiveCompanyID)
	require.NoError(t, err)
	assert.Equal(t, woodpeckertest.ActiveCompanyID, hooli.CompanyID())
	assert.Zero(t, hq.CompanyID(), "ForCompany leaves the HQ client as it was")

	boxes, err := hooli.ListMailboxes(ctx)
	require.NoError(t, err)
	require.Len(t, boxes, 1)
	assert.Equal(t, "gavin@hooli.com", boxes[0].Details.Email)
	r, _ := srv.LastRequest()
	assert.Equal(t, []string{"101"}, r.Header.Values("X-Company-Id"))

	boxes, err = hq.ListMailboxes(ctx)
	require.NoError(t, err)
	assert.Len(t, boxes, 2, "the HQ client still acts for the HQ")
	r, _ = srv.LastRequest()
	assert.Empty(t, r.Header.Values("X-Company-Id"))

	// WithCompanyID sets the default company.
	wp := newClient(t, srv, woodpeckertest.HQKey, woodpecker.WithCompanyID(woodpeckertest.ActiveCompanyID))
	me, err := wp.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, woodpeckertest.ActiveCompanyID, me.CompanyID)

	// Agency operations act for the HQ even on a company view.
	page, err := hooli.ListCompanies(ctx, woodpecker.ListCompaniesOptions{})
	require.NoError(t, err)
	assert.NotEmpty(t, page.Items)
	r, _ = srv.LastRequest()
	assert.Empty(t, r.Header.Values("X-Company-Id"), "agency endpoints never carry x-company-id")
}

func TestCompanyIDValidatedBeforeSending(t *testing.T) {
	srv := woodpeckertest.NewServer(t)
	kit := vendorkittest.NewClient(t)
	for _, id := range []int64{0, -1, -101} {
		_, err := woodpecker.New(kit, woodpeckertest.HQKey, woodpecker.WithBaseURL(srv.URL()), woodpecker.WithCompanyID(id))
		assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument, "WithCompanyID(%d)", id)
		var apiErr *vendorkit.APIError
		assert.NotErrorAs(t, err, &apiErr)

		wp := newClientOn(t, kit, srv, woodpeckertest.HQKey)
		_, err = wp.ForCompany(id)
		assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument, "ForCompany(%d)", id)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
}

func TestInvalidArgumentsSendNothing(t *testing.T) {
	srv, wp := setup(t)
	tests := map[string]func() error{
		"GetMailbox(0)":          func() error { _, err := wp.GetMailbox(ctx, 0); return err },
		"GetCampaign(-1)":        func() error { _, err := wp.GetCampaign(ctx, -1); return err },
		"CreateCampaign no name": func() error { _, err := wp.CreateCampaign(ctx, woodpecker.Campaign{}); return err },
		"RunCampaign(0)":         func() error { return wp.RunCampaign(ctx, 0) },
		"per_page 1001":          func() error { _, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{PerPage: 1001}); return err },
		"page -1":                func() error { _, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{Page: -1}); return err },
		"search value with comma": func() error {
			_, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{Search: map[string]string{"company": "a,b"}})
			return err
		},
		"FindProspectByEmail bad":   func() error { _, err := wp.FindProspectByEmail(ctx, "not-an-address"); return err },
		"FindProspectByEmail comma": func() error { _, err := wp.FindProspectByEmail(ctx, "a@b.co,c@d.co"); return err },
		"AddProspects none":         func() error { _, err := wp.AddProspects(ctx, woodpecker.ProspectImport{}); return err },
		"AddProspects no email": func() error {
			_, err := wp.AddProspects(ctx, woodpecker.ProspectImport{Prospects: []woodpecker.Prospect{{FirstName: "x"}}})
			return err
		},
		"AddProspects snippet 16": func() error {
			_, err := wp.AddProspects(ctx, woodpecker.ProspectImport{Prospects: []woodpecker.Prospect{{Email: "a@b.co", Snippets: map[int]string{16: "x"}}}})
			return err
		},
		"AddProspects 20001": func() error {
			_, err := wp.AddProspects(ctx, woodpecker.ProspectImport{Prospects: make([]woodpecker.Prospect, 20001)})
			return err
		},
		"AddProspectsToCampaign(0)": func() error { _, err := wp.AddProspectsToCampaign(ctx, 0, woodpecker.CampaignImport{}); return err },
		"ListUsers sort":            func() error { _, err := wp.ListUsers(ctx, woodpecker.ListUsersOptions{Sort: "name"}); return err },
		"CreateCompanies none":      func() error { _, err := wp.CreateCompanies(ctx); return err },
		"CreateCompanies 11":        func() error { _, err := wp.CreateCompanies(ctx, make([]string, 11)...); return err },
		"CreateCompanies blank":     func() error { _, err := wp.CreateCompanies(ctx, " "); return err },
		"CreateCompanyAPIKey label": func() error { _, err := wp.CreateCompanyAPIKey(ctx, 101, ""); return err },
		"ListCompanyAPIKeys(0)":     func() error { _, err := wp.ListCompanyAPIKeys(ctx, 0, 1); return err },
		"SubscribeWebhook bad URL":  func() error { return wp.SubscribeWebhook(ctx, "hooks.example.com", woodpecker.EventEmailOpened) },
		"SubscribeWebhook no event": func() error { return wp.SubscribeWebhook(ctx, "https://hooks.example.com", "") },
		"ListCampaigns status comma": func() error {
			_, err := wp.ListCampaigns(ctx, woodpecker.CampaignFilter{Statuses: []woodpecker.CampaignStatus{"A,B"}})
			return err
		},
	}
	for name, call := range tests {
		t.Run(name, func(t *testing.T) {
			err := call()
			assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
			var apiErr *vendorkit.APIError
			assert.NotErrorAs(t, err, &apiErr)
		})
	}
	assert.Empty(t, srv.Requests())
}

func TestNewRejectsBadConfig(t *testing.T) {
	kit := vendorkittest.NewClient(t)
	for name, tc := range map[string]struct {
		key  string
		opts []woodpecker.Option
		want error
	}{
		"empty key":        {"", nil, vendorkit.ErrInvalidArgument},
		"key with newline": {"abc\ndef", nil, vendorkit.ErrInvalidArgument},
		"http base URL":    {"k", []woodpecker.Option{woodpecker.WithBaseURL("http://api.woodpecker.co/rest")}, vendorkit.ErrInsecureURL},
		"negative cap":     {"k", []woodpecker.Option{woodpecker.WithMaxInFlight(-1)}, vendorkit.ErrInvalidArgument},
		"key and source":   {"k", []woodpecker.Option{woodpecker.WithCredential(vendorkit.CredentialFunc(nil))}, vendorkit.ErrInvalidArgument},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := woodpecker.New(kit, tc.key, tc.opts...)
			assert.ErrorIs(t, err, tc.want)
			if tc.key != "" {
				assert.NotContains(t, err.Error(), tc.key+"def")
			}
		})
	}
}

func TestBaseURLForms(t *testing.T) {
	srv := woodpeckertest.NewServer(t)
	for _, u := range []string{srv.Origin(), srv.URL(), srv.URL() + "/", srv.URL() + "/v1", srv.URL() + "/v2/"} {
		wp, err := woodpecker.New(vendorkittest.NewClient(t), woodpeckertest.HQKey, woodpecker.WithBaseURL(u))
		require.NoError(t, err, u)
		_, err = wp.Me(ctx)
		require.NoError(t, err, u)
	}
	for _, r := range srv.Requests() {
		assert.Equal(t, "/rest/v1/me", r.Path, "never a doubled prefix")
	}
}

// x-api-key and x-company-id go only to Woodpecker's origin: a redirect to
// another host gets neither.
func TestCredentialsNeverLeaveTheOrigin(t *testing.T) {
	var mu sync.Mutex
	var got http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		vendorkittest.WriteJSON(w, 200, []any{})
	}))
	defer other.Close()

	srv, hq := setup(t)
	hooli, err := hq.ForCompany(woodpeckertest.ActiveCompanyID)
	require.NoError(t, err)
	srv.Inject(vendorkittest.Fault{Status: http.StatusFound, Header: http.Header{"Location": {other.URL + "/rest/v2/mailboxes"}}})
	_, err = hooli.ListMailboxes(ctx)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.NotNil(t, got, "the redirect was followed")
	assert.Empty(t, got.Values("X-Api-Key"))
	assert.Empty(t, got.Values("X-Company-Id"))
	r, _ := srv.LastRequest()
	assert.Equal(t, []string{"101"}, r.Header.Values("X-Company-Id"), "the origin got both")
}

// A rotating credential is asked on every attempt.
func TestCredentialSource(t *testing.T) {
	srv := woodpeckertest.NewServer(t)
	keys := []string{"stale.key", woodpeckertest.HQKey}
	var mu sync.Mutex
	n := 0
	cred := vendorkit.CredentialFunc(func(context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		k := keys[min(n, len(keys)-1)]
		n++
		return k, nil
	})
	wp, err := woodpecker.New(vendorkittest.NewClient(t), "", woodpecker.WithBaseURL(srv.URL()), woodpecker.WithCredential(cred))
	require.NoError(t, err)
	_, err = wp.Me(ctx)
	require.ErrorIs(t, err, woodpecker.ErrInvalidAPIKey)
	_, err = wp.Me(ctx)
	require.NoError(t, err, "the next call uses the rotated key")
}
