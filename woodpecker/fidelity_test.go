package woodpecker_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/fidelity"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

// docsDir holds Woodpecker's documented examples (see its SOURCES.md).
const docsDir = "testdata/docs"

// envelope rebuilds a v2 list answer from a Page, so Lost can compare it
// with the documented {content, pagination_data}.
func envelope[T any](p woodpecker.Page[T]) map[string]any {
	return map[string]any{"content": p.Items, "pagination_data": map[string]any{
		"total_elements": p.Total, "total_pages": p.TotalPages,
		"current_page_number": p.Page, "page_size": p.PageSize,
	}}
}

// decoders call the facade method that reads each documented response and
// return what the caller gets, shaped like the answer (list envelopes are
// rebuilt around the items). The fake answers with the example itself.
var decoders = map[string]func(*woodpecker.Client) (any, error){
	"GetMailbox": func(wp *woodpecker.Client) (any, error) { return wp.GetMailbox(ctx, 456789) },
	"ListCampaigns": func(wp *woodpecker.Client) (any, error) {
		return wp.ListCampaigns(ctx, woodpecker.CampaignFilter{})
	},
	"ListCompanies": func(wp *woodpecker.Client) (any, error) {
		p, err := wp.ListCompanies(ctx, woodpecker.ListCompaniesOptions{})
		return envelope(p), err
	},
	"ListCompanyAPIKeys": func(wp *woodpecker.Client) (any, error) {
		p, err := wp.ListCompanyAPIKeys(ctx, woodpeckertest.ActiveCompanyID, 1)
		return envelope(p), err
	},
	"CreateCompanyAPIKey": func(wp *woodpecker.Client) (any, error) {
		return wp.CreateCompanyAPIKey(ctx, woodpeckertest.ActiveCompanyID, "string")
	},
	"ListCompanyEmailAccounts": func(wp *woodpecker.Client) (any, error) {
		l, err := wp.ListCompanyEmailAccounts(ctx, woodpeckertest.ActiveCompanyID)
		return map[string]any{"content": l}, err
	},
	"ListUsers": func(wp *woodpecker.Client) (any, error) {
		p, err := wp.ListUsers(ctx, woodpecker.ListUsersOptions{})
		return envelope(p), err
	},
	"ListWebhooks": func(wp *woodpecker.Client) (any, error) {
		l, err := wp.ListWebhooks(ctx)
		return map[string]any{"webhooks": l}, err
	},
	"GetMailboxConnectionBatch": func(wp *woodpecker.Client) (any, error) { return wp.GetMailboxConnectionBatch(ctx, 7) },
	"ListDomains": func(wp *woodpecker.Client) (any, error) {
		l, err := wp.ListDomains(ctx)
		return map[string]any{"domains": l}, err
	},
	"ListDomainMailboxes": func(wp *woodpecker.Client) (any, error) {
		l, err := wp.ListDomainMailboxes(ctx, "piedpiper.com")
		return map[string]any{"mailboxes": l}, err
	},
	"DeleteAllCompanyProspects": func(wp *woodpecker.Client) (any, error) {
		return wp.DeleteAllCompanyProspects(ctx, woodpeckertest.ActiveCompanyID)
	},
	"GetDomainMailbox": func(wp *woodpecker.Client) (any, error) {
		m, err := wp.GetDomainMailbox(ctx, "piedpiper.com", "richard@piedpiper.com")
		// Secrets encode as [redacted]: compare what Reveal gives.
		return struct {
			woodpecker.DomainMailbox
			SMTPPassword string `json:"smtp_password"`
			IMAPPassword string `json:"imap_password"`
		}{m, m.SMTPPassword.Reveal(), m.IMAPPassword.Reveal()}, err
	},
}

// bodyless lists the documented responses whose facade method returns no
// value (only an error): the call must accept them, nothing is decoded.
var bodyless = map[string]func(*woodpecker.Client) error{
	"UpdateDomainMailboxProfilePicture": func(wp *woodpecker.Client) error {
		return wp.UpdateDomainMailboxProfilePicture(ctx, "piedpiper.com", "richard@piedpiper.com", pngImage)
	},
	"SubscribeWebhook": func(wp *woodpecker.Client) error {
		return wp.SubscribeWebhook(ctx, "https://receiving-url.com/unique_target_url", "EVENT_NAME")
	},
}

// senders read each documented request body into the facade's own input
// type and send it; the test then compares what went out with the example.
var senders = map[string]func(wp *woodpecker.Client, example []byte) error{
	"CreateCampaign": func(wp *woodpecker.Client, b []byte) error {
		var in woodpecker.Campaign
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		_, err := wp.CreateCampaign(ctx, in)
		return err
	},
	"UpdateCampaign": func(wp *woodpecker.Client, b []byte) error {
		var in woodpecker.CampaignUpdate
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		_, err := wp.UpdateCampaign(ctx, woodpeckertest.HQCampaignID, in)
		return err
	},
	"AddStep": func(wp *woodpecker.Client, b []byte) error {
		var in struct {
			ParentID string          `json:"parent_id"`
			Step     woodpecker.Step `json:"step"`
		}
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		return wp.AddStep(ctx, woodpeckertest.HQCampaignID, in.ParentID, in.Step)
	},
	"UpdateStep": func(wp *woodpecker.Client, b []byte) error {
		var in struct {
			DeliveryTime woodpecker.DeliveryTime `json:"delivery_time"`
		}
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		return wp.UpdateStep(ctx, woodpeckertest.HQCampaignID, "b90637e7-8ccd-4df1-86a6-d07581abbf3e", in.DeliveryTime)
	},
	"UpdateStepVersion": func(wp *woodpecker.Client, b []byte) error {
		var in woodpecker.StepVersionUpdate
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		return wp.UpdateStepVersion(ctx, woodpeckertest.HQCampaignID, "b90637e7-8ccd-4df1-86a6-d07581abbf3e", "2af5c0912055", in)
	},
	"ConnectMailboxes": func(wp *woodpecker.Client, b []byte) error {
		var in woodpecker.MailboxBatch
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		_, err := wp.ConnectMailboxes(ctx, in)
		return err
	},
	"CreateCompanyAPIKey": func(wp *woodpecker.Client, b []byte) error {
		var in struct {
			Label string `json:"label"`
		}
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		_, err := wp.CreateCompanyAPIKey(ctx, woodpeckertest.ActiveCompanyID, in.Label)
		return err
	},
	"SubscribeWebhook": func(wp *woodpecker.Client, b []byte) error {
		var in woodpecker.WebhookSubscription
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		return wp.SubscribeWebhook(ctx, in.TargetURL, in.Event)
	},
	"OrderDomainMailboxes": func(wp *woodpecker.Client, b []byte) error {
		var in struct {
			Mailboxes []woodpecker.MailboxOrder `json:"mailboxes"`
		}
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		return wp.OrderDomainMailboxes(ctx, in.Mailboxes...)
	},
	"DeleteAllCompanyProspects": func(wp *woodpecker.Client, b []byte) error {
		var in struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(b, &in); err != nil || in.Type != "ALL" {
			return fmt.Errorf("the facade sends type ALL only: %q, %v", in.Type, err)
		}
		_, err := wp.DeleteAllCompanyProspects(ctx, woodpeckertest.ActiveCompanyID)
		return err
	},
	"UpdateDomainMailboxProfilePicture": func(wp *woodpecker.Client, _ []byte) error {
		return wp.UpdateDomainMailboxProfilePicture(ctx, "piedpiper.com", "richard@piedpiper.com", pngImage)
	},
	"UnsubscribeWebhook": func(wp *woodpecker.Client, b []byte) error {
		var in woodpecker.WebhookSubscription
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		return wp.UnsubscribeWebhook(ctx, in.TargetURL, in.Event)
	},
}

// pngImage is the smallest thing http.DetectContentType calls a PNG.
var pngImage = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

// requestShapeOnly are documented request bodies whose values are cut
// placeholders (the avatar ends in "..."): what the facade sends is
// compared with them by shape, not value.
var requestShapeOnly = map[string]bool{"UpdateDomainMailboxProfilePicture": true}

// cannedAnswer is what the fake answers a sent request with, so the
// request reaches the wire whatever the fake's state.
var cannedAnswer = map[string]struct {
	status int
	body   string
}{
	"ConnectMailboxes":                  {http.StatusAccepted, `{"batch_id": 9}`},
	"CreateCompanyAPIKey":               {http.StatusCreated, `{"api_key": "100.k"}`},
	"SubscribeWebhook":                  {http.StatusCreated, ``},
	"OrderDomainMailboxes":              {http.StatusAccepted, ``},
	"DeleteAllCompanyProspects":         {http.StatusAccepted, `{"deletion_request_id": 1, "count": 0}`},
	"UpdateDomainMailboxProfilePicture": {http.StatusOK, `{"success": true}`},
}

// TestDocExamples decodes every documented response through the facade and
// fails when a documented value is not kept; sends every documented request
// body through the facade and fails when a documented field does not reach
// the wire; and maps every documented error body onto *vendorkit.APIError.
func TestDocExamples(t *testing.T) {
	exs, err := fidelity.Load(docsDir)
	require.NoError(t, err)
	require.NotEmpty(t, exs)
	counts := map[string]int{}
	for _, ex := range exs {
		t.Run(ex.File, func(t *testing.T) {
			srv, wp := setup(t)
			switch ex.Kind {
			case "response":
				status := http.StatusOK
				if ex.Status != "" {
					status, _ = strconv.Atoi(ex.Status)
				}
				srv.FailNext(1, status, string(ex.Body), "")
				if call, ok := bodyless[ex.Operation]; ok {
					require.NoError(t, call(wp), "%s must accept its documented answer", ex.Operation)
					counts["accepted (method returns no value)"]++
					return
				}
				decode, ok := decoders[ex.Operation]
				require.True(t, ok, "no decoder for %s: add one", ex.Operation)
				typed, err := decode(wp)
				require.NoError(t, err, "%s (%s)", ex.Operation, ex.Source)
				lost, err := fidelity.Lost(ex.Body, typed)
				require.NoError(t, err)
				assert.Empty(t, lost, "%s loses documented values of %s", ex.Operation, ex.Source)
				counts["responses decoded"]++
			case "request":
				send, ok := senders[ex.Operation]
				require.True(t, ok, "no sender for %s: add one", ex.Operation)
				canned, ok := cannedAnswer[ex.Operation]
				if !ok {
					// An empty 200 where a record is due is a malformed
					// answer (issue 12.2): the smallest JSON object instead.
					canned.status, canned.body = http.StatusOK, "{}"
				}
				srv.FailNext(1, canned.status, canned.body, "")
				require.NoError(t, send(wp, ex.Body), "%s (%s)", ex.Operation, ex.Source)
				r, ok := srv.LastRequest()
				require.True(t, ok)
				if requestShapeOnly[ex.Operation] {
					ms, err := fidelity.Shape(ex.Body, r.Body, fidelity.NoExtraKeys())
					require.NoError(t, err)
					assert.Empty(t, ms, "%s sends another shape than %s: sent %s", ex.Operation, ex.Source, r.Body)
					counts["request bodies sent (shape only)"]++
					return
				}
				lost, err := fidelity.Lost(ex.Body, json.RawMessage(r.Body))
				require.NoError(t, err)
				assert.Empty(t, lost, "%s does not send documented fields of %s: sent %s", ex.Operation, ex.Source, r.Body)
				counts["request bodies sent"]++
			case "error":
				status, err := strconv.Atoi(ex.Status)
				require.NoError(t, err, "an error example needs its status")
				srv.FailNext(1, status, string(ex.Body), "")
				err = wp.RunCampaign(ctx, woodpeckertest.HQCampaignID)
				var apiErr *vendorkit.APIError
				require.True(t, errors.As(err, &apiErr), "%v", err)
				assert.Equal(t, status, apiErr.StatusCode)
				d, ok := woodpecker.ErrorDetails(err)
				require.True(t, ok)
				lost, err := fidelity.Lost(ex.Body, map[string]any{
					"title": d.Title, "status": d.Status, "detail": d.Detail,
					"timestamp": d.Timestamp.Format("2006-01-02 15:04:05"),
				})
				require.NoError(t, err)
				assert.Empty(t, lost)
				assert.Equal(t, d.Detail, apiErr.Message)
				counts["error bodies decoded"]++
			}
		})
	}
	t.Logf("Woodpecker documented examples checked: %d (%v)", len(exs), counts)
}

// fakeCall sends a raw request to the fake with the HQ key and returns the
// answer's status and body.
func fakeCall(t *testing.T, srv *woodpeckertest.Server, method, path string, body []byte) (int, []byte) {
	t.Helper()
	return srv.Call(t, method, path, body, http.Header{"x-api-key": {woodpeckertest.HQKey}})
}

func example(t *testing.T, file string) []byte {
	t.Helper()
	exs, err := fidelity.Load(docsDir)
	require.NoError(t, err)
	for _, ex := range exs {
		if ex.File == file {
			return ex.Body
		}
	}
	t.Fatalf("no example %s", file)
	return nil
}

// fakeCalls are, for each documented response, the request that makes the
// fake give the same kind of answer (prepare sets up its state first).
var fakeCalls = map[string]struct {
	prepare      func(t *testing.T, srv *woodpeckertest.Server)
	method, path string
	body         string
}{
	"GetMailbox":    {method: "GET", path: "/v2/mailboxes/11"},
	"ListCampaigns": {method: "GET", path: "/v1/campaign_list"},
	"ListCompanies": {method: "GET", path: "/v2/agency/companies"},
	"ListCompanyAPIKeys": {prepare: func(t *testing.T, srv *woodpeckertest.Server) {
		fakeCall(t, srv, "POST", "/v2/agency/companies/101/api_keys", []byte(`{"label":"worker"}`))
	}, method: "GET", path: "/v2/agency/companies/101/api_keys"},
	"CreateCompanyAPIKey":      {method: "POST", path: "/v2/agency/companies/101/api_keys", body: `{"label":"worker"}`},
	"ListCompanyEmailAccounts": {method: "GET", path: "/v2/agency/companies/101/email_accounts"},
	"ListUsers":                {method: "GET", path: "/v2/users"},
	"ListWebhooks": {prepare: func(t *testing.T, srv *woodpeckertest.Server) {
		fakeCall(t, srv, "POST", "/v1/webhooks/subscribe", []byte(`{"target_url":"https://example.com/hook","event":"prospect_replied"}`))
	}, method: "GET", path: "/v2/webhooks"},
	"SubscribeWebhook": {method: "POST", path: "/v1/webhooks/subscribe", body: `{"target_url":"https://example.com/hook","event":"prospect_replied"}`},
	// The batch id comes from a connection made first (lastBatchID).
	"GetMailboxConnectionBatch": {method: "GET"},
	"ListDomains":               {method: "GET", path: "/v2/domains"},
	"ListDomainMailboxes":       {method: "GET", path: "/v2/domains/piedpiper.com/mailboxes"},
	"GetDomainMailbox":          {method: "GET", path: "/v2/domains/piedpiper.com/mailboxes/richard%40piedpiper.com"},
	"RunCampaign":               {method: "POST", path: "/v2/campaigns/999/run"},
	"DeleteAllCompanyProspects": {method: "POST", path: "/v2/agency/companies/101/prospects/delete", body: `{"type":"ALL"}`},
	"UpdateDomainMailboxProfilePicture": {method: "PATCH", path: "/v2/domains/piedpiper.com/mailboxes/richard%40piedpiper.com/profile_picture",
		body: `{"avatar":"` + base64.StdEncoding.EncodeToString(pngImage) + `"}`},
}

// shapeIgnores are paths where two documented examples of one answer
// disagree, with the reason the fake follows the other one.
var shapeIgnores = map[string][]string{
	// The developers page fills every field with a type placeholder
	// ("error": "string"); the help center shows a healthy account's error
	// as null, which the fake sends (company-email-accounts-helpcenter.json
	// checks that).
	"company-email-accounts.json": {"content[].details.error"},
}

// TestFakeMatchesDocShapes compares the fake's answer for every documented
// response and error with the example by shape: the same keys and JSON
// kinds, false, zero and null included.
func TestFakeMatchesDocShapes(t *testing.T) {
	exs, err := fidelity.Load(docsDir)
	require.NoError(t, err)
	n := 0
	for _, ex := range exs {
		if ex.Kind == "request" {
			continue
		}
		t.Run(ex.File, func(t *testing.T) {
			call, ok := fakeCalls[ex.Operation]
			require.True(t, ok, "no fake call for %s: add one", ex.Operation)
			srv := woodpeckertest.NewServer(t)
			if call.prepare != nil {
				call.prepare(t, srv)
			}
			path := call.path
			if ex.Operation == "GetMailboxConnectionBatch" {
				path = "/v2/mailboxes/manual_connection/bulk/" + strconv.FormatInt(lastBatchID(t, srv), 10) + "/summary"
			}
			var body []byte
			if call.body != "" {
				body = []byte(call.body)
			}
			status, got := fakeCall(t, srv, call.method, path, body)
			if ex.Status != "" && ex.Kind == "response" {
				assert.Equal(t, ex.Status, strconv.Itoa(status), "documented status")
			}
			ms, err := fidelity.Shape(ex.Body, got, fidelity.Ignore(shapeIgnores[ex.File]...))
			require.NoError(t, err, "%s", got)
			assert.Empty(t, ms, "the fake's %s answer differs from %s: %s", ex.Operation, ex.Source, got)
			n++
		})
	}
	t.Logf("fake answers compared with documented examples: %d", n)
}

// lastBatchID reads the batch id the fake gave the last connection batch.
func lastBatchID(t *testing.T, srv *woodpeckertest.Server) int64 {
	t.Helper()
	status, b := fakeCall(t, srv, "POST", "/v2/mailboxes/manual_connection/bulk", example(t, "bulk-connect-mailboxes-request.json"))
	require.Equal(t, http.StatusAccepted, status)
	var w struct {
		BatchID int64 `json:"batch_id"`
	}
	require.NoError(t, json.Unmarshal(b, &w))
	return w.BatchID
}
