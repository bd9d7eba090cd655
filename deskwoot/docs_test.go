package deskwoot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/internal/fidelity"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// The vendor's own examples (testdata/docs, listed with their sources in
// SOURCES.md) are the ground truth the SDK and the fake are checked
// against, so that they cannot agree with each other while both disagree
// with Deskwoot.

func loadDocs(t *testing.T) []fidelity.Example {
	t.Helper()
	examples, err := fidelity.Load("testdata/docs")
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	return examples
}

func unmarshal[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(body, &v))
	return v
}

// documentedResponses maps an operation to the path its answer is served
// at and the facade call that decodes it.
var documentedResponses = map[string]struct {
	path string
	call func(ctx context.Context, c *deskwoot.Client) (any, error)
}{
	"Me": {"/api/v1/me", func(ctx context.Context, c *deskwoot.Client) (any, error) { return c.Me(ctx) }},
}

// TestDocumentedResponses decodes every documented answer through the
// facade (served verbatim by a stub server) and fails when a documented
// value is lost; then it compares the fake's answer to the same operation
// with the example by shape (keys and JSON kinds, false/zero/null
// included).
func TestDocumentedResponses(t *testing.T) {
	for _, ex := range loadDocs(t) {
		if ex.Kind != "response" {
			continue
		}
		t.Run(ex.File, func(t *testing.T) {
			op, ok := documentedResponses[ex.Operation]
			require.True(t, ok, "no decoder for documented operation %s", ex.Operation)
			stub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != op.path {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(ex.Body)
			}))
			defer stub.Close()
			c, err := deskwoot.New(vendorkittest.NewClient(t), "dw_doc", deskwoot.WithBaseURL(stub.URL), deskwoot.WithRateLimit(0, 0))
			require.NoError(t, err)
			typed, err := op.call(context.Background(), c)
			require.NoError(t, err)
			lost, err := fidelity.Lost(ex.Body, typed)
			require.NoError(t, err)
			assert.Empty(t, lost, "documented values the facade loses")

			srv := deskwoottest.NewServer(t)
			status, _, _, answer := rawCall(t, "GET", srv.Origin()+op.path, srv.Token(), "")
			require.Equal(t, http.StatusOK, status)
			mismatches, err := fidelity.Shape(ex.Body, answer)
			require.NoError(t, err)
			assert.Empty(t, mismatches, "the fake's answer differs from the docs' example: %s", answer)
		})
	}
}

// documentedRequest sends a documented body through the facade: decode it
// into the operation's input and call the operation (ids in the path are
// any valid id: the fake's answer does not matter, the body sent does).
type documentedRequest func(ctx context.Context, c *deskwoot.Client, t *testing.T, body []byte) error

var documentedRequests = map[string][]documentedRequest{
	"CreateConversation": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.CreateConversation(ctx, unmarshal[deskwoot.NewConversation](t, b))
		return err
	}},
	"UpdateConversation": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.UpdateConversation(ctx, "cmconv", unmarshal[deskwoot.ConversationUpdate](t, b))
		return err
	}},
	"BulkUpdateConversations": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		return c.BulkUpdateConversations(ctx, unmarshal[deskwoot.BulkConversationAction](t, b))
	}},
	"SendMessage": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.SendMessage(ctx, "cmconv", unmarshal[deskwoot.NewMessage](t, b))
		return err
	}},
	"AddLabel": {
		func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
			return c.AddLabel(ctx, "cmconv", unmarshal[struct{ LabelID string }](t, b).LabelID)
		},
		func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
			return c.RemoveLabel(ctx, "cmconv", unmarshal[struct{ LabelID string }](t, b).LabelID)
		},
	},
	"CreateContact": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.CreateContact(ctx, unmarshal[deskwoot.ContactInput](t, b))
		return err
	}},
	"MergeContacts": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		in := unmarshal[struct{ PrimaryContactID, SecondaryContactID string }](t, b)
		_, err := c.MergeContacts(ctx, in.PrimaryContactID, in.SecondaryContactID)
		return err
	}},
	"CreateInbox": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.CreateInbox(ctx, unmarshal[deskwoot.InboxInput](t, b))
		return err
	}},
	"CreateLabel": {
		func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
			_, err := c.CreateLabel(ctx, unmarshal[deskwoot.LabelInput](t, b))
			return err
		},
		func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
			_, err := c.UpdateLabel(ctx, "cmlabel", unmarshal[deskwoot.LabelInput](t, b))
			return err
		},
	},
	"AddTeamMember": {
		func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
			return c.AddTeamMember(ctx, "cmteam", unmarshal[struct{ AgentID string }](t, b).AgentID)
		},
		func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
			return c.RemoveTeamMember(ctx, "cmteam", unmarshal[struct{ AgentID string }](t, b).AgentID)
		},
	},
	"InviteAgent": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.InviteAgent(ctx, unmarshal[deskwoot.AgentInvite](t, b))
		return err
	}},
	"UpdateAgentRole": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.UpdateAgentRole(ctx, "cmagent", unmarshal[struct{ Role string }](t, b).Role)
		return err
	}},
	"CreateCannedResponse": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.CreateCannedResponse(ctx, unmarshal[deskwoot.CannedResponseInput](t, b))
		return err
	}},
	"CreateAutomationRule": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.CreateAutomationRule(ctx, unmarshal[deskwoot.AutomationRuleInput](t, b))
		return err
	}},
	"CreateWebhook": {func(ctx context.Context, c *deskwoot.Client, t *testing.T, b []byte) error {
		_, err := c.CreateWebhook(ctx, unmarshal[deskwoot.WebhookInput](t, b))
		return err
	}},
}

// TestDocumentedRequests sends every documented request body through the
// facade: decoded into the operation's input type and sent, the body on the
// wire must be the documented one (nothing lost, nothing added, false
// included), and it must satisfy the operation's request schema in
// openapi/deskwoot.yaml.
func TestDocumentedRequests(t *testing.T) {
	srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 6000))
	c := clientFor(t, srv, srv.Token())
	_, find := specRouter(t, srv.URL())
	checked := 0
	for _, ex := range loadDocs(t) {
		if ex.Kind != "request" {
			continue
		}
		calls, ok := documentedRequests[ex.Operation]
		require.True(t, ok, "no sender for documented operation %s", ex.Operation)
		for i, send := range calls {
			srv.ResetRequests()
			_ = send(context.Background(), c, t, ex.Body) // the fake may refuse the docs' placeholder ids: only the body sent matters here
			reqs := srv.Requests()
			require.NotEmpty(t, reqs, "%s #%d sent nothing", ex.File, i)
			last := reqs[len(reqs)-1]
			assert.JSONEq(t, string(ex.Body), string(last.Body), "%s #%d: the body sent is not the documented one", ex.File, i)
			lost, err := fidelity.Lost(ex.Body, json.RawMessage(last.Body))
			require.NoError(t, err)
			assert.Empty(t, lost, "%s #%d", ex.File, i)

			req, err := http.NewRequest(last.Method, srv.Origin()+last.Path, bytes.NewReader(ex.Body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			in, err := find(req)
			require.NoError(t, err, "%s %s", last.Method, last.Path)
			schema := in.Route.Operation.RequestBody.Value.Content.Get("application/json").Schema.Value
			var v any
			require.NoError(t, json.Unmarshal(ex.Body, &v))
			assert.NoError(t, schema.VisitJSON(v, openapi3.MultiErrors()), "%s does not satisfy the spec's %s body", ex.File, in.Route.Operation.OperationID)
			checked++
		}
	}
	assert.Equal(t, 18, checked, "documented request bodies checked (15 examples, 3 of them documented for two operations)")
}

// TestFakeAcceptsDocumentedRequests sends every documented request body,
// verbatim but for its placeholder ids (replaced by ids of real records),
// to the fake as another client would: each must be accepted.
func TestFakeAcceptsDocumentedRequests(t *testing.T) {
	srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 6000))
	acct := srv.AccountID()
	ct := srv.AddContact(acct, deskwoot.ContactInput{Name: vendorkit.Ptr("A")})
	ct2 := srv.AddContact(acct, deskwoot.ContactInput{Name: vendorkit.Ptr("B")})
	conv1 := srv.AddConversation(acct, ct.ID, "one", deskwoot.StatusOpen)
	conv2 := srv.AddConversation(acct, ct.ID, "two", deskwoot.StatusOpen)
	base := srv.URL() + "/v1/accounts/" + acct
	post := func(path, body string) map[string]any {
		status, _, m, raw := rawCall(t, "POST", base+path, srv.Token(), body)
		require.Equal(t, http.StatusCreated, status, "%s", raw)
		return m
	}
	agent := post("/agents", `{"email":"bob@example.com"}`)["id"].(string)
	team := post("/teams", `{"name":"Billing"}`)["id"].(string)
	label := post("/labels", `{"title":"Existing"}`)["id"].(string)
	inbox := ""
	for _, ib := range unmarshal[[]map[string]any](t, func() []byte {
		_, _, _, raw := rawCall(t, "GET", base+"/inboxes", srv.Token(), "")
		return raw
	}()) {
		inbox = ib["id"].(string)
	}
	ids := strings.NewReplacer(`"inbox-id"`, `"`+inbox+`"`, `"contact-id"`, `"`+ct.ID+`"`, `"agent-id"`, `"`+agent+`"`,
		`"team-id"`, `"`+team+`"`, `"conv-1"`, `"`+conv1.ID+`"`, `"conv-2"`, `"`+conv2.ID+`"`, `"label-id"`, `"`+label+`"`,
		`"keep-this-id"`, `"`+ct.ID+`"`, `"merge-into-primary"`, `"`+ct2.ID+`"`, `{ "agentId": "..." }`, `{ "agentId": "`+agent+`" }`,
		`{ "email": "...", "role": "agent" }`, `{ "email": "carol@example.com", "role": "agent" }`)
	targets := map[string][]string{
		"CreateConversation":      {"POST " + base + "/conversations"},
		"UpdateConversation":      {"PATCH " + srv.URL() + "/v1/conversations/" + conv1.ID},
		"BulkUpdateConversations": {"POST " + base + "/conversations/bulk"},
		"SendMessage":             {"POST " + srv.URL() + "/v1/conversations/" + conv1.ID + "/messages"},
		"AddLabel":                {"POST " + srv.URL() + "/v1/conversations/" + conv1.ID + "/labels", "DELETE " + srv.URL() + "/v1/conversations/" + conv1.ID + "/labels"},
		"CreateContact":           {"POST " + base + "/contacts"},
		"MergeContacts":           {"POST " + base + "/contacts/merge"},
		"CreateInbox":             {"POST " + base + "/inboxes"},
		"CreateLabel":             {"POST " + base + "/labels", "PATCH " + base + "/labels/" + label},
		"AddTeamMember":           {"POST " + base + "/teams/" + team + "/members", "DELETE " + base + "/teams/" + team + "/members"},
		"InviteAgent":             {"POST " + base + "/agents"},
		"UpdateAgentRole":         {"PATCH " + base + "/agents/" + agent},
		"CreateCannedResponse":    {"POST " + base + "/canned-responses"},
		"CreateAutomationRule":    {"POST " + base + "/automation-rules"},
		"CreateWebhook":           {"POST " + base + "/webhooks"},
	}
	for _, ex := range loadDocs(t) {
		if ex.Kind != "request" {
			continue
		}
		for _, target := range targets[ex.Operation] {
			method, url, _ := strings.Cut(target, " ")
			body := ids.Replace(string(ex.Body))
			if ex.Operation == "CreateLabel" && method == "PATCH" {
				body = strings.Replace(body, `"VIP"`, `"VIP 2"`, 1) // the title is unique: rename the existing label
			}
			status, _, _, raw := rawCall(t, method, url, srv.Token(), body)
			assert.Less(t, status, 300, "%s %s with %s: %s", method, ex.File, body, raw)
		}
		require.NotEmpty(t, targets[ex.Operation], "no target for %s", ex.Operation)
	}
}

// rawCall sends a request as a client other than the SDK would.
func rawCall(t *testing.T, method, url, token, body string) (int, http.Header, map[string]any, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	_ = json.Unmarshal(buf.Bytes(), &m)
	return resp.StatusCode, resp.Header, m, buf.Bytes()
}
