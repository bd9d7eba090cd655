package deskwoot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
)

// jsStep is one call testdata/jsclient/run.js made with the official client.
type jsStep struct {
	Op     string          `json:"op"`
	Schema string          `json:"schema"`
	OK     bool            `json:"ok"`
	Status int             `json:"status"`
	Error  string          `json:"error"`
	Result json.RawMessage `json:"result"`
}

// TestOfficialJSClient runs Deskwoot's official JavaScript client
// (Deskwoot/deskwoot-js) with node against the fake, through every
// operation it has: each call must succeed and each answer must satisfy the
// schema the client's types declare (modelled in openapi/deskwoot.yaml).
//
// The client is not published on npm, so its compiled build at commit
// e30ae6b is vendored in testdata/jsclient/deskwoot-js (tsc's output,
// unmodified; see SOURCE.md there). DESKWOOT_JS_CLIENT, when set, names
// another build's entry point (dist/index.js) to run instead. The test
// never skips: it fails when node is not installed (.ci/run installs it).
func TestOfficialJSClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed (apt-get install -y nodejs): TestOfficialJSClient runs Deskwoot's official client")
	}
	entry := os.Getenv("DESKWOOT_JS_CLIENT")
	if entry == "" {
		entry = filepath.Join("testdata", "jsclient", "deskwoot-js", "index.js")
	}
	entry, err = filepath.Abs(entry)
	require.NoError(t, err)
	_, err = os.Stat(entry)
	require.NoError(t, err, "the official client's entry point (DESKWOOT_JS_CLIENT or the vendored build)")
	script, err := filepath.Abs("testdata/jsclient/run.js")
	require.NoError(t, err)

	srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 6000))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(os.Environ(), "DESKWOOT_JS_CLIENT="+entry, "DW_BASE="+srv.Origin(), "DW_TOKEN="+srv.Token(), "DW_ACCOUNT="+srv.AccountID())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node: %s", stderr.String())

	var steps []jsStep
	require.NoError(t, json.Unmarshal(out, &steps), "%s", out)
	doc, _ := specRouter(t, srv.URL())
	ops := map[string]bool{}
	for _, s := range steps {
		ops[strings.Split(s.Op, "(")[0]] = true
		if s.Schema == "!404" {
			assert.False(t, s.OK, s.Op)
			assert.Equal(t, 404, s.Status, s.Op)
			continue
		}
		if !assert.True(t, s.OK, "%s: %d %s", s.Op, s.Status, s.Error) || s.Schema == "" {
			continue
		}
		name, list := strings.CutSuffix(s.Schema, "[]")
		ref := doc.Components.Schemas[name]
		require.NotNil(t, ref, s.Schema)
		schema := ref.Value
		if list {
			schema = openapi3.NewArraySchema().WithItems(ref.Value)
		}
		var v any
		require.NoError(t, json.Unmarshal(s.Result, &v))
		assert.NoError(t, schema.VisitJSON(v, openapi3.MultiErrors()), "%s answered %s", s.Op, s.Result)
	}
	// Every method of the client (src/client.ts at e30ae6b) was called.
	for _, m := range []string{"listConversations", "getConversation", "createConversation", "updateConversation",
		"bulkConversationAction", "listMessages", "sendMessage", "listContacts", "getContact", "createContact",
		"updateContact", "deleteContact", "mergeContacts", "listInboxes", "getInbox", "createInbox", "updateInbox",
		"deleteInbox", "listLabels", "createLabel", "updateLabel", "deleteLabel", "addLabelToConversation",
		"removeLabelFromConversation", "listTeams", "createTeam", "updateTeam", "deleteTeam", "addTeamMember",
		"removeTeamMember", "listAgents", "inviteAgent", "updateAgent", "removeAgent", "listCannedResponses",
		"createCannedResponse", "updateCannedResponse", "deleteCannedResponse", "listAutomationRules",
		"createAutomationRule", "updateAutomationRule", "deleteAutomationRule", "listWebhooks", "createWebhook",
		"updateWebhook", "deleteWebhook"} {
		assert.True(t, ops[m], "%s was not called", m)
	}
	t.Logf("official client %s: %d calls, %d methods", entry, len(steps), len(ops))
}
