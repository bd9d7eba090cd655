package woodpecker_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

// The seed's error table, each row produced by the fake from the situation
// the docs describe, through the real client.
func TestSeedErrorTableFromSituations(t *testing.T) {
	tests := []struct {
		name     string
		key      string
		company  int64
		status   int
		sentinel error
		category error
		message  string
	}{
		{"401 invalid api key", "100001.not0a0real0key", 0, 401, woodpecker.ErrInvalidAPIKey, vendorkit.ErrUnauthorized, "Invalid api key"},
		{"401 no API addon", woodpeckertest.NoAddonKey, 0, 401, woodpecker.ErrAPIAddonRequired, vendorkit.ErrUnauthorized, "No API addon"},
		{"401 upgrade your plan", woodpeckertest.OldPlanKey, 0, 401, woodpecker.ErrPlanUpgradeRequired, vendorkit.ErrUnauthorized, "Upgrade your plan"},
		{"403 x-company-id with a non-HQ key", woodpeckertest.ClientKey, woodpeckertest.ActiveCompanyID, 403, woodpecker.ErrHQKeyRequired, vendorkit.ErrForbidden,
			"forbidden: x-company-id is accepted only with the agency's HQ API key; use the HQ key with x-company-id, or the client company's own key without it"},
		{"404 company outside the agency", woodpeckertest.HQKey, woodpeckertest.ForeignCompanyID, 404, woodpecker.ErrCompanyNotFound, vendorkit.ErrNotFound, "Company not found"},
		{"409 inactive company", woodpeckertest.HQKey, woodpeckertest.InactiveCompanyID, 409, woodpecker.ErrCompanyInactive, vendorkit.ErrConflict, "Company is inactive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := woodpeckertest.NewServer(t)
			var opts []woodpecker.Option
			if tt.company != 0 {
				opts = append(opts, woodpecker.WithCompanyID(tt.company))
			}
			wp := newClient(t, srv, tt.key, opts...)
			_, err := wp.ListMailboxes(ctx)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.ErrorIs(t, err, tt.category)
			var apiErr *vendorkit.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "woodpecker", apiErr.Vendor)
			assert.Equal(t, "ListMailboxes", apiErr.Operation)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.message, apiErr.Message)
			assert.Equal(t, 1, apiErr.Attempts, "4xx answers are not retried")
			assert.Equal(t, 1, srv.Count("GET", "/v2/mailboxes"))
			assert.NotContains(t, err.Error(), tt.key, "the key never appears in errors")
		})
	}
}

// The seed's bodies verbatim, served as faults, with their timestamps.
func TestSeedErrorBodies(t *testing.T) {
	ts := time.Date(2025, 3, 5, 17, 57, 0, 0, time.UTC)
	tests := []struct {
		name     string
		status   int
		body     string
		sentinel error
		category error
		message  string
	}{
		{"400 non-numeric x-company-id", 400,
			`{"title":"Bad request","status":400,"detail":"X-Company-Id header value must be a number but is not","timestamp":"2025-03-05 17:57:00"}`,
			woodpecker.ErrInvalidCompanyID, vendorkit.ErrBadRequest, "X-Company-Id header value must be a number but is not"},
		{"401 invalid api key", 401, `{"title":"Unauthorized","status":401,"detail":"Invalid api key","timestamp":"2025-03-05 17:57:00"}`,
			woodpecker.ErrInvalidAPIKey, vendorkit.ErrUnauthorized, "Invalid api key"},
		{"401 no API addon", 401, `{"title":"Unauthorized","status":401,"detail":"No API addon","timestamp":"2025-03-05 17:57:00"}`,
			woodpecker.ErrAPIAddonRequired, vendorkit.ErrUnauthorized, "No API addon"},
		{"401 upgrade your plan", 401, `{"title":"Unauthorized","status":401,"detail":"Upgrade your plan","timestamp":"2025-03-05 17:57:00"}`,
			woodpecker.ErrPlanUpgradeRequired, vendorkit.ErrUnauthorized, "Upgrade your plan"},
		{"403 empty body", 403, ``, woodpecker.ErrHQKeyRequired, vendorkit.ErrForbidden, ""},
		{"404 company not found", 404, `{"title":"Not Found","status":404,"detail":"Company not found","timestamp":"2025-03-05 17:57:00"}`,
			woodpecker.ErrCompanyNotFound, vendorkit.ErrNotFound, "Company not found"},
		{"409 company inactive", 409, `{"title":"Conflict","status":409,"detail":"Company is inactive","timestamp":"2025-03-05 17:57:00"}`,
			woodpecker.ErrCompanyInactive, vendorkit.ErrConflict, "Company is inactive"},
		{"500 unknown error", 500, `{"title":"Internal Server Error","status":500,"detail":"An unexpected error has occurred. Please try again later.","timestamp":"2025-03-05 17:57:00"}`,
			vendorkit.ErrServer, vendorkit.ErrServer, "An unexpected error has occurred. Please try again later."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, wp := setup(t)
			srv.FailNext(3, tt.status, tt.body, "") // enough for the GET's retries of a 500
			_, err := wp.GetMailbox(ctx, 11)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.ErrorIs(t, err, tt.category)
			var apiErr *vendorkit.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			if tt.message != "" {
				assert.Equal(t, tt.message, apiErr.Message)
			} else {
				assert.Contains(t, apiErr.Message, "HQ API key")
			}
			d, ok := woodpecker.ErrorDetails(err)
			if tt.body == "" {
				assert.False(t, ok, "the 403 has no body to parse")
				return
			}
			require.True(t, ok)
			assert.Equal(t, woodpecker.DialectV2, d.Dialect)
			assert.Equal(t, tt.status, d.Status)
			assert.True(t, ts.Equal(d.Timestamp), "timestamp %v", d.Timestamp)
			assert.Equal(t, time.UTC, d.Timestamp.Location())
		})
	}
}

// v1 answers errors as {"status":{"status":"ERROR",…}}, with HTTP 400 or 200.
func TestV1ErrorDialect(t *testing.T) {
	tests := []struct {
		code     string
		category error
		sentinel error
	}{
		{"E_SESSION", vendorkit.ErrUnauthorized, woodpecker.ErrInvalidAPIKey},
		{"E_RECORD_NOT_FOUND", vendorkit.ErrNotFound, nil},
		{"E_DUPLICATE", vendorkit.ErrConflict, nil},
		{"E_WRONG_PARAM", vendorkit.ErrBadRequest, nil},
		{"E_URL_NOT_FOUND", vendorkit.ErrBadRequest, nil},
		{"E_REQUIRED_ELEMENT", vendorkit.ErrBadRequest, nil},
	}
	for _, status := range []int{200, 400} {
		for _, tt := range tests {
			t.Run(tt.code+"/"+http.StatusText(status), func(t *testing.T) {
				srv, wp := setup(t)
				body := `{"status":{"status":"ERROR","code":"` + tt.code + `","msg":"Something about ` + tt.code + `"}}`
				srv.FailNext(1, status, body, "")
				_, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{})
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.category)
				if tt.sentinel != nil {
					assert.ErrorIs(t, err, tt.sentinel)
				}
				var apiErr *vendorkit.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Equal(t, tt.code, apiErr.Code)
				assert.Equal(t, "Something about "+tt.code, apiErr.Message)
				assert.Equal(t, tt.category, apiErr.Category())
				assert.Equal(t, 1, srv.Count("GET", "/v1/prospects"), "a final v1 error is not retried")
			})
		}
	}
}

// A 200 with a v1 status object saying OK is a success; the fake's own v1
// errors come with HTTP 200 after SetV1ErrorStatus(200).
func TestV1ErrorWithHTTP200FromFake(t *testing.T) {
	srv, wp := setup(t)
	srv.SetV1ErrorStatus(http.StatusOK)
	err := wp.UnsubscribeWebhook(ctx, "https://hooks.example.com/wp", woodpecker.EventProspectReplied)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Equal(t, "E_RECORD_NOT_FOUND", apiErr.Code)
	assert.Equal(t, "UnsubscribeWebhook", apiErr.Operation)
}

// The {code, message} dialect: adding prospects to a campaign that does not
// exist.
func TestCodeMessageDialect(t *testing.T) {
	_, wp := setup(t)
	_, err := wp.AddProspectsToCampaign(ctx, 999999, woodpecker.CampaignImport{
		Prospects: []woodpecker.Prospect{{Email: "a@b.co"}},
	})
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Equal(t, "CAMPAIGN_NOT_EXIST", apiErr.Code)
	assert.Equal(t, "Campaign does not exist", apiErr.Message)
	d, ok := woodpecker.ErrorDetails(err)
	require.True(t, ok)
	assert.Equal(t, woodpecker.DialectCode, d.Dialect)
}

func TestWebhookAlreadySubscribed(t *testing.T) {
	srv, wp := setup(t)
	require.NoError(t, wp.SubscribeWebhook(ctx, "https://hooks.example.com/wp", woodpecker.EventProspectReplied))
	err := wp.SubscribeWebhook(ctx, "https://hooks.example.com/wp", woodpecker.EventProspectReplied)
	assert.ErrorIs(t, err, woodpecker.ErrAlreadySubscribed)
	assert.ErrorIs(t, err, vendorkit.ErrConflict)
	assert.Equal(t, []string{"prospect_replied https://hooks.example.com/wp"}, srv.Webhooks(woodpeckertest.HQCompanyID))
	require.NoError(t, wp.UnsubscribeWebhook(ctx, "https://hooks.example.com/wp", woodpecker.EventProspectReplied))
	assert.Empty(t, srv.Webhooks(woodpeckertest.HQCompanyID))
}

// "You can subscribe to the same event up to three times per account,
// provided that each subscription uses a unique target_url. However, you can
// subscribe multiple different events to a single target_url."
// (developers.woodpecker.co/docs/webhooks/POST-subscribe-webhook)
func TestWebhookThreeSubscriptionsPerEvent(t *testing.T) {
	srv, wp := setup(t)
	for _, u := range []string{"https://a.example.com/wp", "https://b.example.com/wp", "https://c.example.com/wp"} {
		require.NoError(t, wp.SubscribeWebhook(ctx, u, woodpecker.EventEmailOpened))
	}
	err := wp.SubscribeWebhook(ctx, "https://d.example.com/wp", woodpecker.EventEmailOpened)
	require.ErrorIs(t, err, woodpecker.ErrSubscriptionLimit)
	assert.ErrorIs(t, err, vendorkit.ErrConflict)
	assert.NotErrorIs(t, err, woodpecker.ErrAlreadySubscribed)
	require.NoError(t, wp.SubscribeWebhook(ctx, "https://a.example.com/wp", woodpecker.EventProspectReplied), "other events may share a URL")
	require.NoError(t, wp.UnsubscribeWebhook(ctx, "https://b.example.com/wp", woodpecker.EventEmailOpened))
	require.NoError(t, wp.SubscribeWebhook(ctx, "https://d.example.com/wp", woodpecker.EventEmailOpened), "a slot freed by unsubscribing")
	assert.Len(t, srv.Webhooks(woodpeckertest.HQCompanyID), 4)
}

// APIError marshals to JSON for job queues, and its text never carries the
// query string (FindProspectByEmail puts an address there).
func TestAPIErrorIsRedacted(t *testing.T) {
	srv, wp := setup(t)
	srv.FailNext(1, 400, `{"status":{"status":"ERROR","code":"E_WRONG_PARAM","msg":"bad"}}`, "")
	_, err := wp.FindProspectByEmail(ctx, "secret.person@example.com")
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	assert.NotContains(t, err.Error(), "secret.person")
	var apiErr *vendorkit.APIError
	require.True(t, errors.As(err, &apiErr))
	b, jerr := json.Marshal(apiErr)
	require.NoError(t, jerr)
	assert.NotContains(t, string(b), "secret.person")
	assert.Contains(t, string(b), `"code":"E_WRONG_PARAM"`)
}
