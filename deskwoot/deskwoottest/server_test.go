package deskwoottest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// call sends a raw request, as a client other than the SDK would.
func call(t *testing.T, method, url, auth, body string) (int, http.Header, map[string]any, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, resp.Header, m, raw
}

func TestAuthIsStrictAndErrorsAreErrorBodies(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	assert.Regexp(t, `^dw_[0-9a-f]{64}$`, srv.Token())
	for name, auth := range map[string]string{
		"missing":        "",
		"lower-case":     "bearer " + srv.Token(),
		"no scheme":      srv.Token(),
		"two spaces":     "Bearer  " + srv.Token(),
		"unknown token":  "Bearer dw_" + strings.Repeat("0", 64),
		"token + suffix": "Bearer " + srv.Token() + "x",
	} {
		t.Run(name, func(t *testing.T) {
			status, h, body, _ := call(t, "GET", srv.URL()+"/v1/me", auth, "")
			assert.Equal(t, http.StatusUnauthorized, status)
			assert.Contains(t, h.Get("Content-Type"), "application/json")
			assert.IsType(t, "", body["error"])
		})
	}
	status, _, body, _ := call(t, "GET", srv.URL()+"/v1/", "Bearer "+srv.Token(), "")
	assert.Equal(t, http.StatusOK, status, "the docs' connection test")
	assert.Equal(t, srv.AccountID(), body["accountId"])
}

func TestWireFormat(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	auth := "Bearer " + srv.Token()
	acct := srv.URL() + "/v1/accounts/" + srv.AccountID()
	_, _, _, raw := call(t, "GET", acct+"/inboxes", auth, "")
	var inboxes []map[string]any
	require.NoError(t, json.Unmarshal(raw, &inboxes), "bare array by default")
	require.Len(t, inboxes, 1)
	assert.Equal(t, "EMAIL", inboxes[0]["channelType"])

	status, _, contact, _ := call(t, "POST", acct+"/contacts", auth, `{"name":"A","customAttributes":{"k":1}}`)
	require.Equal(t, http.StatusCreated, status)
	cuid := regexp.MustCompile(`^c[0-9a-z]{24}$`)
	assert.Regexp(t, cuid, contact["id"])
	status, _, conv, _ := call(t, "POST", acct+"/conversations", auth, `{"inboxId":"`+inboxes[0]["id"].(string)+`","contactId":"`+contact["id"].(string)+`","message":"hi"}`)
	require.Equal(t, http.StatusCreated, status)
	for _, k := range []string{"id", "displayId", "accountId", "inboxId", "contactId", "status", "createdAt", "updatedAt", "lastActivityAt"} {
		assert.Contains(t, conv, k)
	}
	assert.Equal(t, "OPEN", conv["status"])
	assert.Regexp(t, cuid, conv["id"])

	status, _, body, _ := call(t, "GET", acct+"/conversations?pageSize=101", auth, "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.NotEmpty(t, body["error"])
	status, _, _, _ = call(t, "PATCH", srv.URL()+"/v1/conversations/"+conv["id"].(string), auth, `{"status":"open"}`)
	assert.Equal(t, http.StatusBadRequest, status, "enums are upper-case")

	srv.SetListShape(deskwoottest.Envelope)
	_, _, env, _ := call(t, "GET", acct+"/conversations?page=1&pageSize=10", auth, "")
	assert.Len(t, env["data"], 1)
	assert.EqualValues(t, 1, env["page"])
	assert.EqualValues(t, 10, env["pageSize"])
	assert.EqualValues(t, 1, env["total"])
}

func TestPerTokenRateLimit(t *testing.T) {
	srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(60, 2))
	other := srv.AddToken(srv.AccountID(), deskwoottest.ScopeRead)
	for range 2 {
		status, _, _, _ := call(t, "GET", srv.URL()+"/v1/me", "Bearer "+srv.Token(), "")
		require.Equal(t, http.StatusOK, status)
	}
	status, h, body, _ := call(t, "GET", srv.URL()+"/v1/me", "Bearer "+srv.Token(), "")
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "1", h.Get("Retry-After"))
	assert.Contains(t, body["error"], "60 requests per minute")
	status, _, _, _ = call(t, "GET", srv.URL()+"/v1/me", "Bearer "+other, "")
	assert.Equal(t, http.StatusOK, status, "each token has its own budget")
	assert.Equal(t, 1, srv.RateLimit().Refused())
}

func TestMCPTokenFormat(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	tok := srv.AddMCPToken(srv.AccountID(), deskwoottest.ScopeConversationsRead)
	assert.Regexp(t, `^dw_mcp_[0-9a-f]+$`, tok)
	status, _, body, _ := call(t, "GET", srv.URL()+"/v1/me", "Bearer "+tok, "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "mcp_bot_token", body["authMethod"])
	status, _, _, _ = call(t, "GET", srv.URL()+"/v1/accounts/"+srv.AccountID()+"/contacts", "Bearer "+tok, "")
	assert.Equal(t, http.StatusForbidden, status)
}

func TestSeedHelpers(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	ct := srv.AddContact(srv.AccountID(), deskwoot.ContactInput{Name: vendorkit.Ptr("Seeded"), Email: vendorkit.Ptr("s@example.com")})
	conv := srv.AddConversation(srv.AccountID(), ct.ID, "Help!", deskwoot.StatusPending)
	assert.Equal(t, int64(1), conv.DisplayID)
	msgs := srv.Messages(srv.AccountID(), conv.ID)
	require.Len(t, msgs, 1)
	assert.Equal(t, deskwoot.MessageIncoming, msgs[0].MessageType)
	status, _, body, _ := call(t, "GET", srv.URL()+"/v1/conversations/"+conv.ID, "Bearer "+srv.Token(), "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "PENDING", body["status"])
	assert.Zero(t, srv.Count("POST", ""), "seeding sends no request")
	assert.Panics(t, func() { srv.AddConversation(srv.AccountID(), "cnope", "x", "") })
}

// TestUpdatesIgnoreReadOnlyFields: the official client's update*(id,
// Partial<T>) lets a caller send a whole record back; the documented
// read-only fields (id, accountId, createdAt, …) are ignored, an unknown
// key is still refused (issue 17 point 13).
func TestUpdatesIgnoreReadOnlyFields(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	auth := "Bearer " + srv.Token()
	acct := srv.URL() + "/v1/accounts/" + srv.AccountID()
	ct := srv.AddContact(srv.AccountID(), deskwoot.ContactInput{Name: vendorkit.Ptr("Ada")})
	conv := srv.AddConversation(srv.AccountID(), ct.ID, "Hi", deskwoot.StatusOpen)
	status, _, inbox, _ := call(t, "POST", acct+"/inboxes", auth, `{"name":"Chat","channelType":"WEBCHAT"}`)
	require.Equal(t, http.StatusCreated, status)
	_, _, label, _ := call(t, "POST", acct+"/labels", auth, `{"title":"VIP"}`)
	_, _, team, _ := call(t, "POST", acct+"/teams", auth, `{"name":"Billing"}`)
	_, _, canned, _ := call(t, "POST", acct+"/canned-responses", auth, `{"shortCode":"hi","content":"Hello"}`)
	_, _, rule, _ := call(t, "POST", acct+"/automation-rules", auth, `{"name":"R","eventName":"CONVERSATION_CREATED","conditions":{},"actions":[]}`)
	_, _, hook, _ := call(t, "POST", acct+"/webhooks", auth, `{"url":"https://example.com/h","events":["contact.created"]}`)
	readOnly := `"id":"cmother","accountId":"cmotheraccount","createdAt":"2020-01-01T00:00:00Z"`
	for name, tc := range map[string]struct{ url, body, key, want string }{
		"conversation": {srv.URL() + "/v1/conversations/" + conv.ID, `{` + readOnly + `,"displayId":99,"updatedAt":"2020-01-01T00:00:00Z","lastActivityAt":"2020-01-01T00:00:00Z","contactId":"cmx","inboxId":"cmy","labels":[],"status":"PENDING"}`, "status", "PENDING"},
		"contact":      {acct + "/contacts/" + ct.ID, `{` + readOnly + `,"updatedAt":"2020-01-01T00:00:00Z","lastActivityAt":null,"name":"Ada L."}`, "name", "Ada L."},
		"inbox":        {acct + "/inboxes/" + inbox["id"].(string), `{` + readOnly + `,"name":"Live chat","channelType":"WEBCHAT","enabled":true}`, "name", "Live chat"},
		"label":        {acct + "/labels/" + label["id"].(string), `{` + readOnly + `,"title":"Gold"}`, "title", "Gold"},
		"team":         {acct + "/teams/" + team["id"].(string), `{` + readOnly + `,"memberCount":3,"name":"Sales"}`, "name", "Sales"},
		"canned":       {acct + "/canned-responses/" + canned["id"].(string), `{` + readOnly + `,"content":"Hi!"}`, "content", "Hi!"},
		"rule":         {acct + "/automation-rules/" + rule["id"].(string), `{` + readOnly + `,"name":"R2"}`, "name", "R2"},
		"webhook":      {acct + "/webhooks/" + hook["id"].(string), `{` + readOnly + `,"url":"https://example.com/h2"}`, "url", "https://example.com/h2"},
	} {
		t.Run(name, func(t *testing.T) {
			status, _, after, raw := call(t, "PATCH", tc.url, auth, tc.body)
			require.Equal(t, http.StatusOK, status, "%s", raw)
			assert.Equal(t, tc.want, after[tc.key])
			assert.NotEqual(t, "cmother", after["id"])
			assert.NotEqual(t, "cmotheraccount", after["accountId"])
			assert.NotEqual(t, "2020-01-01T00:00:00Z", after["createdAt"])
			assert.True(t, strings.HasSuffix(tc.url, "/"+after["id"].(string)), "the record keeps its id")
			status, _, body, _ := call(t, "PATCH", tc.url, auth, `{"bogus":1}`)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Contains(t, body["error"], `unknown field "bogus"`)
		})
	}
}
