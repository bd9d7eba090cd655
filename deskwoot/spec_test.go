package deskwoot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// exchange is one request the client sent and the answer it got, bodies
// kept.
type exchange struct {
	req      *http.Request
	reqBody  []byte
	status   int
	header   http.Header
	respBody []byte
}

// recorder is a RoundTripper that keeps every exchange.
type recorder struct {
	mu   sync.Mutex
	base http.RoundTripper
	log  []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rb, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	r.mu.Lock()
	r.log = append(r.log, exchange{req: req.Clone(context.Background()), reqBody: body, status: resp.StatusCode, header: resp.Header.Clone(), respBody: rb})
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) exchanges() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.log...)
}

// everyOperation runs each operation of deskwoot.API once against the
// fake (and a few of them a second time with inputs that exercise zero
// values: false booleans, cleared strings), through c.
func everyOperation(t *testing.T, ctx context.Context, srv *deskwoottest.Server, c *deskwoot.Client) {
	t.Helper()
	p := vendorkit.Ptr[string]
	must := func(err error) {
		t.Helper()
		require.NoError(t, err)
	}
	me, err := c.Me(ctx)
	must(err)
	_, err = c.AccountID(ctx)
	must(err)

	inbox, err := c.CreateInbox(ctx, deskwoot.InboxInput{Name: p("Chat"), ChannelType: vendorkit.Ptr(deskwoot.ChannelWebchat)})
	must(err)
	_, err = c.GetInbox(ctx, inbox.ID)
	must(err)
	_, err = c.UpdateInbox(ctx, inbox.ID, deskwoot.InboxInput{Enabled: vendorkit.Ptr(false), GreetingMessage: p("")})
	must(err)
	_, err = c.ListInboxes(ctx)
	must(err)

	ct, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: p("Ada"), Email: p("ada@example.com"), Company: p("Acme")})
	must(err)
	other, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: p("Ada L.")})
	must(err)
	_, err = c.GetContact(ctx, ct.ID)
	must(err)
	_, err = c.UpdateContact(ctx, ct.ID, deskwoot.ContactInput{Company: p("")})
	must(err)
	_, err = c.ListContacts(ctx, deskwoot.ContactFilter{Search: "ada"})
	must(err)
	for _, err := range c.AllContacts(ctx, deskwoot.ContactFilter{}) {
		must(err)
	}
	_, err = c.MergeContacts(ctx, ct.ID, other.ID)
	must(err)

	label, err := c.CreateLabel(ctx, deskwoot.LabelInput{Title: p("VIP")})
	must(err)
	_, err = c.UpdateLabel(ctx, label.ID, deskwoot.LabelInput{Description: p("")})
	must(err)
	_, err = c.ListLabels(ctx)
	must(err)

	team, err := c.CreateTeam(ctx, deskwoot.TeamInput{Name: p("Billing")})
	must(err)
	_, err = c.UpdateTeam(ctx, team.ID, deskwoot.TeamInput{AllowAutoAssign: vendorkit.Ptr(false)})
	must(err)
	_, err = c.ListTeams(ctx)
	must(err)
	agent, err := c.InviteAgent(ctx, deskwoot.AgentInvite{Email: "bob@example.com", Role: deskwoot.RoleAgent})
	must(err)
	_, err = c.UpdateAgentRole(ctx, agent.ID, deskwoot.RoleAdmin)
	must(err)
	_, err = c.ListAgents(ctx)
	must(err)
	must(c.AddTeamMember(ctx, team.ID, agent.ID))
	must(c.RemoveTeamMember(ctx, team.ID, agent.ID))

	conv, err := c.CreateConversation(ctx, deskwoot.NewConversation{InboxID: inbox.ID, ContactID: ct.ID, Message: "Hello"})
	must(err)
	_, err = c.GetConversation(ctx, conv.ID)
	must(err)
	_, err = c.UpdateConversation(ctx, conv.ID, deskwoot.ConversationUpdate{Muted: vendorkit.Ptr(false), AssigneeID: p("")})
	must(err)
	_, err = c.ListConversations(ctx, deskwoot.ConversationFilter{Status: deskwoot.StatusOpen})
	must(err)
	for _, err := range c.AllConversations(ctx, deskwoot.ConversationFilter{}) {
		must(err)
	}
	must(c.AddLabel(ctx, conv.ID, label.ID))
	_, err = c.GetConversation(ctx, conv.ID) // with its label
	must(err)
	must(c.RemoveLabel(ctx, conv.ID, label.ID))
	_, err = c.SendMessage(ctx, conv.ID, deskwoot.NewMessage{Content: "Reply"})
	must(err)
	_, err = c.SendMessage(ctx, conv.ID, deskwoot.NewMessage{Content: "Note", Private: true, ContentType: deskwoot.ContentHTML})
	must(err)
	_, err = c.ListMessages(ctx, conv.ID)
	must(err)
	_, err = c.UploadAttachment(ctx, conv.ID, "a.txt", "text/plain", strings.NewReader("hi"))
	must(err)
	must(c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: deskwoot.BulkMute, ConversationIDs: []string{conv.ID}}))

	cr, err := c.CreateCannedResponse(ctx, deskwoot.CannedResponseInput{ShortCode: p("thanks"), Content: p("Thank you!")})
	must(err)
	_, err = c.UpdateCannedResponse(ctx, cr.ID, deskwoot.CannedResponseInput{Content: p("Thanks!")})
	must(err)
	_, err = c.ListCannedResponses(ctx)
	must(err)

	rule, err := c.CreateAutomationRule(ctx, deskwoot.AutomationRuleInput{Name: p("Billing"), EventName: p("CONVERSATION_CREATED"),
		Conditions: json.RawMessage(`{"subject":{"contains":"billing"}}`), Actions: json.RawMessage(`[{"type":"assign_team","value":"t"}]`)})
	must(err)
	_, err = c.UpdateAutomationRule(ctx, rule.ID, deskwoot.AutomationRuleInput{Active: vendorkit.Ptr(false)})
	must(err)
	_, err = c.ListAutomationRules(ctx)
	must(err)

	hook, err := c.CreateWebhook(ctx, deskwoot.WebhookInput{URL: p("https://example.com/hooks"), Events: []deskwoot.EventName{deskwoot.EventContactCreated}})
	must(err)
	_, err = c.UpdateWebhook(ctx, hook.ID, deskwoot.WebhookInput{Active: vendorkit.Ptr(false)})
	must(err)
	_, err = c.ListWebhooks(ctx)
	must(err)

	bot, err := c.CreateBot(ctx, deskwoot.BotInput{Name: p("Helper")})
	must(err)
	_, err = c.UpdateBot(ctx, bot.ID, deskwoot.BotInput{Description: p("")})
	must(err)
	_, err = c.ListBots(ctx)
	must(err)

	// Errors and deletes.
	_, err = c.GetContact(ctx, "cmnotthere")
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	must(c.DeleteBot(ctx, bot.ID))
	must(c.DeleteWebhook(ctx, hook.ID))
	must(c.DeleteAutomationRule(ctx, rule.ID))
	must(c.DeleteCannedResponse(ctx, cr.ID))
	must(c.RemoveAgent(ctx, agent.ID))
	must(c.DeleteTeam(ctx, team.ID))
	must(c.DeleteLabel(ctx, label.ID))
	must(c.DeleteContact(ctx, ct.ID))
	must(c.DeleteInbox(ctx, inbox.ID))
	_ = me
	_ = srv
}

// specRouter loads openapi/deskwoot.yaml with the fake as its server.
func specRouter(t *testing.T, serverURL string) (*openapi3.T, func(*http.Request) (*openapi3filter.RequestValidationInput, error)) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi/deskwoot.yaml")
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	doc.Servers = openapi3.Servers{{URL: serverURL}}
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return doc, func(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
		route, params, err := router.FindRoute(req)
		if err != nil {
			return nil, err
		}
		return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}, nil
	}
}

// TestEveryAnswerMatchesTheSpec runs every operation against the fake and
// validates each request the client sent and each answer the fake gave
// against openapi/deskwoot.yaml, whose required fields are those the
// official client's types require (issue 17 point 12: false booleans,
// displayId, createdAt, color, role, conditions, … are always sent), in
// both list shapes.
func TestEveryAnswerMatchesTheSpec(t *testing.T) {
	for name, shape := range map[string]deskwoottest.ListShape{"array": deskwoottest.BareArray, "envelope": deskwoottest.Envelope} {
		t.Run(name, func(t *testing.T) {
			srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 6000), deskwoottest.WithListShape(shape))
			rec := &recorder{base: http.DefaultTransport}
			kit := vendorkittest.NewClient(t, vendorkit.WithHTTPClient(&http.Client{Transport: rec}))
			c, err := deskwoot.New(kit, srv.Token(), deskwoot.WithBaseURL(srv.URL()), deskwoot.WithRateLimit(0, 0))
			require.NoError(t, err)
			ctx := context.Background()
			everyOperation(t, ctx, srv, c)

			_, find := specRouter(t, srv.URL())
			seen := map[string]bool{}
			for _, x := range rec.exchanges() {
				in, err := find(x.req)
				require.NoError(t, err, "%s %s is not in the spec", x.req.Method, x.req.URL.Path)
				seen[in.Route.Operation.OperationID] = true
				x.req.Body = io.NopCloser(bytes.NewReader(x.reqBody))
				if !strings.HasPrefix(x.req.Header.Get("Content-Type"), "multipart/") {
					assert.NoError(t, openapi3filter.ValidateRequest(ctx, in), "request %s %s: %s", x.req.Method, x.req.URL.Path, x.reqBody)
				}
				out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.status, Header: x.header,
					Body: io.NopCloser(bytes.NewReader(x.respBody)), Options: &openapi3filter.Options{MultiError: true}}
				assert.NoError(t, openapi3filter.ValidateResponse(ctx, out), "answer to %s %s: %s", x.req.Method, x.req.URL.Path, x.respBody)
			}
			doc, _ := specRouter(t, srv.URL())
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					assert.True(t, seen[op.OperationID], "%s %s (%s) was not exercised", method, path, op.OperationID)
				}
			}
		})
	}
}
