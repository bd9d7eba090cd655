package woodpecker_test

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

func TestFindProspectByEmailUsesSearch(t *testing.T) {
	srv, wp := setup(t)
	p, err := wp.FindProspectByEmail(ctx, "Erlich@Bachman.com")
	require.NoError(t, err)
	assert.Equal(t, "erlich@bachman.com", p.Email)
	assert.Equal(t, woodpecker.ProspectReplied, p.Status)
	assert.Equal(t, time.Date(2016, 8, 14, 0, 8, 58, 0, time.UTC), p.LastContacted.UTC(), "v1 date with a +0200 offset")

	r, _ := srv.LastRequest()
	assert.Equal(t, "search=email%3DErlich%40Bachman.com", r.RawQuery, "search=email=<addr>, query-escaped")
	q, err := url.ParseQuery(r.RawQuery)
	require.NoError(t, err)
	assert.NotContains(t, q, "email", "never the bare email= parameter, which Woodpecker ignores")

	_, err = wp.FindProspectByEmail(ctx, "nobody@example.com")
	assert.ErrorIs(t, err, woodpecker.ErrProspectNotFound)
}

func TestV1PaginationAnd204(t *testing.T) {
	srv, wp := setup(t)
	for i := range 7 {
		srv.AddProspect(woodpeckertest.HQCompanyID, map[string]any{"email": fmt.Sprintf("p%d@example.com", i), "status": "ACTIVE"})
	}
	// 3 seeded + 7 = 10 prospects, pages of 4: 4, 4, 2, then 204.
	page, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{PerPage: 4})
	require.NoError(t, err)
	assert.Len(t, page.Items, 4)
	assert.Equal(t, 1, page.Page)
	assert.Equal(t, int64(10), page.Total, "from X-Total-Count")
	assert.Equal(t, 3, page.TotalPages)
	assert.True(t, page.More)

	page, err = wp.ListProspects(ctx, woodpecker.ProspectQuery{PerPage: 4, Page: 3})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.False(t, page.More)

	page, err = wp.ListProspects(ctx, woodpecker.ProspectQuery{PerPage: 4, Page: 4})
	require.NoError(t, err, "204 No Content is an empty page, not an error")
	assert.Empty(t, page.Items)
	assert.False(t, page.More)

	var emails []string
	for p, err := range wp.AllProspects(ctx, woodpecker.ProspectQuery{PerPage: 4}) {
		require.NoError(t, err)
		emails = append(emails, p.Email)
	}
	assert.Len(t, emails, 10)
	assert.Equal(t, 3, srv.Count("GET", "/v1/prospects")-3, "AllProspects fetched exactly pages 1–3")

	// A filter that matches nothing: 204 on page 1.
	page, err = wp.ListProspects(ctx, woodpecker.ProspectQuery{Status: woodpecker.ProspectBounced})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.Equal(t, int64(0), page.Total)
}

func TestProspectQueryParams(t *testing.T) {
	srv, wp := setup(t)
	_, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{
		Page: 2, PerPage: 1000, Sort: "+company,-last_contacted", IDs: []int64{1, 2},
		Status: woodpecker.ProspectActive, CampaignIDs: []int64{7}, Activity: "OPENED",
		Search:           map[string]string{"email": "a@b.co", "company": "Acme Inc"},
		CampaignsDetails: true,
	})
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	q, err := url.ParseQuery(r.RawQuery)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"page": {"2"}, "per_page": {"1000"}, "sort": {"+company,-last_contacted"}, "id": {"1,2"},
		"status": {"ACTIVE"}, "campaigns_id": {"7"}, "activity": {"OPENED"},
		"search": {"company=Acme Inc,email=a@b.co"}, "campaigns_details": {"true"},
	}, q)
}

func TestListCampaigns204IsEmpty(t *testing.T) {
	_, wp := setup(t)
	list, err := wp.ListCampaigns(ctx, woodpecker.CampaignFilter{Statuses: []woodpecker.CampaignStatus{woodpecker.CampaignCompleted}})
	require.NoError(t, err)
	assert.Empty(t, list)
	list, err = wp.ListCampaigns(ctx, woodpecker.CampaignFilter{Statuses: []woodpecker.CampaignStatus{"running"}, IDs: []int64{woodpeckertest.HQCampaignID}})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "Series B outreach", list[0].Name)
	assert.Equal(t, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), list[0].Created.UTC())
}

// /v2/users counts pages from 0, the agency lists from 1; the facade counts
// from 1 everywhere.
func TestV2PageConventions(t *testing.T) {
	srv, wp := setup(t)
	srv.SetPageSize(2)
	for i := range 3 {
		srv.AddUser(woodpeckertest.HQCompanyID, fmt.Sprintf("User %d", i), fmt.Sprintf("u%d@piedpiper.com", i), "MEMBER")
		srv.AddCompany(fmt.Sprintf("Client %d", i), true)
	}

	users, err := wp.ListUsers(ctx, woodpecker.ListUsersOptions{Page: 1})
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, "page=0", r.RawQuery, "facade page 1 is /v2/users page 0")
	assert.Equal(t, 1, users.Page)
	assert.Equal(t, []string{"Richard Hendricks", "Dinesh Chugtai"}, names(users.Items, func(u woodpecker.User) string { return u.Name }))
	assert.Equal(t, int64(6), users.Total)
	assert.Equal(t, 3, users.TotalPages)
	assert.True(t, users.More)

	users, err = wp.ListUsers(ctx, woodpecker.ListUsersOptions{Page: 3})
	require.NoError(t, err)
	r, _ = srv.LastRequest()
	assert.Equal(t, "page=2", r.RawQuery)
	assert.False(t, users.More)

	companies, err := wp.ListCompanies(ctx, woodpecker.ListCompaniesOptions{Page: 1})
	require.NoError(t, err)
	r, _ = srv.LastRequest()
	assert.Equal(t, "page=1", r.RawQuery, "agency pages are 1-based already")
	assert.Equal(t, []string{"Hooli", "Raviga"}, names(companies.Items, func(c woodpecker.Company) string { return c.Name }))

	var all []string
	for u, err := range wp.AllUsers(ctx, woodpecker.ListUsersOptions{}) {
		require.NoError(t, err)
		all = append(all, u.Email)
	}
	assert.Len(t, all, 6, "every user once: no page skipped or repeated")

	var clients []string
	for c, err := range wp.AllCompanies(ctx, woodpecker.ListCompaniesOptions{Active: vendorkit.Ptr(true)}) {
		require.NoError(t, err)
		clients = append(clients, c.Name)
	}
	assert.Equal(t, []string{"Hooli", "Client 0", "Client 1", "Client 2"}, clients, "active only")
}

func TestAPIKeyPagination(t *testing.T) {
	srv, wp := setup(t)
	srv.SetPageSize(2)
	for i := range 3 {
		k, err := wp.CreateCompanyAPIKey(ctx, woodpeckertest.ActiveCompanyID, fmt.Sprintf("worker %d", i))
		require.NoError(t, err)
		assert.NotEmpty(t, k.Key)
		assert.NotContains(t, k.String(), k.Key, "String never shows the key")
	}
	page, err := wp.ListCompanyAPIKeys(ctx, woodpeckertest.ActiveCompanyID, 2)
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, "page=2", r.RawQuery)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "worker 2", page.Items[0].Label)

	n := 0
	for _, err := range wp.AllCompanyAPIKeys(ctx, woodpeckertest.ActiveCompanyID) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n)
}

func names[T any](items []T, name func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = name(it)
	}
	return out
}
