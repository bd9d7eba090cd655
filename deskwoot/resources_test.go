package deskwoot_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
)

func TestInboxes(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	in, err := c.CreateInbox(ctx, deskwoot.InboxInput{Name: vendorkit.Ptr("Chat"), ChannelType: vendorkit.Ptr(deskwoot.ChannelWebchat), GreetingEnabled: vendorkit.Ptr(true), GreetingMessage: vendorkit.Ptr("Hi!")})
	require.NoError(t, err)
	assert.Equal(t, deskwoot.ChannelWebchat, in.ChannelType)
	assert.True(t, in.Enabled)
	assert.True(t, in.GreetingEnabled)
	got, err := c.GetInbox(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, "Hi!", got.GreetingMessage)
	upd, err := c.UpdateInbox(ctx, in.ID, deskwoot.InboxInput{Enabled: vendorkit.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, upd.Enabled, "an explicit false is sent")
	assert.Equal(t, "Chat", upd.Name)
	list, err := c.ListInboxes(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 2)
	_, err = c.CreateInbox(ctx, deskwoot.InboxInput{Name: vendorkit.Ptr("Fax"), ChannelType: vendorkit.Ptr(deskwoot.ChannelType("FAX"))})
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	require.NoError(t, c.DeleteInbox(ctx, in.ID))
	_, err = c.GetInbox(ctx, in.ID)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
}

func TestLabels(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	l, err := c.CreateLabel(ctx, deskwoot.LabelInput{Title: vendorkit.Ptr("bug"), Description: vendorkit.Ptr("Defects")})
	require.NoError(t, err)
	assert.NotEmpty(t, l.Color, "the fake picks a default colour")
	l2, err := c.UpdateLabel(ctx, l.ID, deskwoot.LabelInput{Color: vendorkit.Ptr("#000000")})
	require.NoError(t, err)
	assert.Equal(t, "#000000", l2.Color)
	assert.Equal(t, "bug", l2.Title)
	list, err := c.ListLabels(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.NoError(t, c.DeleteLabel(ctx, l.ID))
	require.ErrorIs(t, c.DeleteLabel(ctx, l.ID), vendorkit.ErrNotFound)
}

func TestTeamsAndMembers(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	team, err := c.CreateTeam(ctx, deskwoot.TeamInput{Name: vendorkit.Ptr("Tier 2"), AllowAutoAssign: vendorkit.Ptr(true)})
	require.NoError(t, err)
	assert.True(t, team.AllowAutoAssign)
	agent, err := c.InviteAgent(ctx, deskwoot.AgentInvite{Email: "bob@example.com"})
	require.NoError(t, err)
	require.NoError(t, c.AddTeamMember(ctx, team.ID, agent.ID))
	teams, err := c.ListTeams(ctx)
	require.NoError(t, err)
	require.Len(t, teams, 1)
	assert.Equal(t, 1, teams[0].MemberCount)
	require.NoError(t, c.RemoveTeamMember(ctx, team.ID, agent.ID))
	require.ErrorIs(t, c.RemoveTeamMember(ctx, team.ID, agent.ID), vendorkit.ErrNotFound)
	require.ErrorIs(t, c.AddTeamMember(ctx, team.ID, "cnoagent"), vendorkit.ErrNotFound)
	upd, err := c.UpdateTeam(ctx, team.ID, deskwoot.TeamInput{AllowAutoAssign: vendorkit.Ptr(false), Description: vendorkit.Ptr("Escalations")})
	require.NoError(t, err)
	assert.False(t, upd.AllowAutoAssign)
	assert.Equal(t, "Escalations", upd.Description)
	require.NoError(t, c.DeleteTeam(ctx, team.ID))
}

func TestAgents(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	// Roles are lowercase, as in the docs' examples (issue 17 point 15).
	_, err := c.InviteAgent(ctx, deskwoot.AgentInvite{Email: "carol@example.com", Role: "AGENT"})
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	a, err := c.InviteAgent(ctx, deskwoot.AgentInvite{Email: "carol@example.com", Role: deskwoot.RoleAgent})
	require.NoError(t, err)
	assert.Equal(t, "agent", a.Role)
	_, err = c.InviteAgent(ctx, deskwoot.AgentInvite{Email: "carol@example.com"})
	require.ErrorIs(t, err, vendorkit.ErrConflict)
	a2, err := c.UpdateAgentRole(ctx, a.ID, deskwoot.RoleAdmin)
	require.NoError(t, err)
	assert.Equal(t, "admin", a2.Role)
	owner, err := c.ListAgents(ctx)
	require.NoError(t, err)
	assert.Equal(t, "admin", owner[0].Role, "the fake's own agents use the documented lowercase roles")
	list, err := c.ListAgents(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 2)
	require.NoError(t, c.RemoveAgent(ctx, a.ID))
	list, err = c.ListAgents(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 1)
}

func TestCannedResponses(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	cr, err := c.CreateCannedResponse(ctx, deskwoot.CannedResponseInput{ShortCode: vendorkit.Ptr("thanks"), Content: vendorkit.Ptr("Thank you!")})
	require.NoError(t, err)
	_, err = c.CreateCannedResponse(ctx, deskwoot.CannedResponseInput{ShortCode: vendorkit.Ptr("thanks"), Content: vendorkit.Ptr("Dup")})
	require.ErrorIs(t, err, vendorkit.ErrConflict)
	cr2, err := c.UpdateCannedResponse(ctx, cr.ID, deskwoot.CannedResponseInput{Content: vendorkit.Ptr("Thanks a lot!")})
	require.NoError(t, err)
	assert.Equal(t, "thanks", cr2.ShortCode)
	assert.Equal(t, "Thanks a lot!", cr2.Content)
	list, err := c.ListCannedResponses(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	require.NoError(t, c.DeleteCannedResponse(ctx, cr.ID))
}

func TestAutomationRules(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	r, err := c.CreateAutomationRule(ctx, deskwoot.AutomationRuleInput{
		Name: vendorkit.Ptr("Tag VIPs"), EventName: vendorkit.Ptr("CONVERSATION_CREATED"),
		Conditions: json.RawMessage(`[{"attribute":"email","operator":"contains","value":"@vip"}]`),
		Actions:    json.RawMessage(`[{"action":"add_label","value":"vip"}]`),
	})
	require.NoError(t, err)
	assert.True(t, r.Active)
	assert.JSONEq(t, `[{"action":"add_label","value":"vip"}]`, string(r.Actions))
	r2, err := c.UpdateAutomationRule(ctx, r.ID, deskwoot.AutomationRuleInput{Active: vendorkit.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, r2.Active)
	assert.JSONEq(t, string(r.Conditions), string(r2.Conditions))
	list, err := c.ListAutomationRules(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	_, err = c.CreateAutomationRule(ctx, deskwoot.AutomationRuleInput{Name: vendorkit.Ptr("x"), EventName: vendorkit.Ptr("conversation.created"),
		Conditions: json.RawMessage(`{}`), Actions: json.RawMessage(`[]`)})
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	// Conditions and actions are required on create (docs' example, official client's type).
	_, err = c.CreateAutomationRule(ctx, deskwoot.AutomationRuleInput{Name: vendorkit.Ptr("x"), EventName: vendorkit.Ptr("CONVERSATION_CREATED")})
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	require.NoError(t, c.DeleteAutomationRule(ctx, r.ID))
}

func TestWebhookSubscriptions(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	h, err := c.CreateWebhook(ctx, deskwoot.WebhookInput{URL: vendorkit.Ptr("https://hooks.example.com/desk"), Events: []deskwoot.EventName{deskwoot.EventMessageCreated, deskwoot.EventContactCreated}})
	require.NoError(t, err)
	assert.True(t, h.Active)
	assert.ElementsMatch(t, []deskwoot.EventName{deskwoot.EventMessageCreated, deskwoot.EventContactCreated}, h.Events)
	h2, err := c.UpdateWebhook(ctx, h.ID, deskwoot.WebhookInput{Active: vendorkit.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, h2.Active)
	_, err = c.CreateWebhook(ctx, deskwoot.WebhookInput{URL: vendorkit.Ptr("https://x.example"), Events: []deskwoot.EventName{"ticket.created"}})
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	list, err := c.ListWebhooks(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	require.NoError(t, c.DeleteWebhook(ctx, h.ID))
}

func TestBots(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	b, err := c.CreateBot(ctx, deskwoot.BotInput{Name: vendorkit.Ptr("Triage")})
	require.NoError(t, err)
	b2, err := c.UpdateBot(ctx, b.ID, deskwoot.BotInput{Description: vendorkit.Ptr("Routes tickets")})
	require.NoError(t, err)
	assert.Equal(t, "Triage", b2.Name)
	assert.Equal(t, "Routes tickets", b2.Description)
	list, err := c.ListBots(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	require.NoError(t, c.DeleteBot(ctx, b.ID))
	require.ErrorIs(t, c.DeleteBot(ctx, b.ID), vendorkit.ErrNotFound)
}
