package deskwoot

import (
	"context"
	"net/http"
	"strings"

	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"
)

// The account settings resources (inboxes, labels, teams, agents, canned
// responses, automation rules, webhooks, bots) share one shape: a list
// without documented pagination (either list shape is accepted), create,
// update of the fields set, delete.

type doFunc func(account string) (*http.Response, error)

// one runs an account-scoped call that answers one W, returned converted.
func one[W, T any](ctx context.Context, c *Client, op string, conv func(W) T, do doFunc) (T, error) {
	account, err := c.scoped(ctx, op)
	if err != nil {
		var zero T
		return zero, err
	}
	return decodeOne(op, conv)(do(account))
}

// decodeOne returns a decoder of one W answer, converted to T, with errors
// named after op.
func decodeOne[W, T any](op string, conv func(W) T) func(*http.Response, error) (T, error) {
	return func(resp *http.Response, err error) (T, error) {
		v, err := wire.Decode[W](resp, err)
		if err != nil {
			var zero T
			return zero, fail(op, err)
		}
		return conv(v), nil
	}
}

// many runs an account-scoped list call.
func many[W, T any](ctx context.Context, c *Client, op string, conv func(W) T, do doFunc) ([]T, error) {
	account, err := c.scoped(ctx, op)
	if err != nil {
		return nil, err
	}
	resp, err := do(account)
	v, err := decodeList(resp, err, conv)
	if err != nil {
		return nil, fail(op, err)
	}
	return v, nil
}

// none runs an account-scoped call whose answer carries nothing.
func none(ctx context.Context, c *Client, op string, do doFunc) error {
	account, err := c.scoped(ctx, op)
	if err != nil {
		return err
	}
	return fail(op, noContent(do(account)))
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// absent reports whether a raw JSON value is missing or null.
func absent(raw []byte) bool { return len(raw) == 0 || string(raw) == "null" }

// blankp reports whether p is nil or points at a blank string.
func blankp(p *string) bool { return p == nil || blank(*p) }

// ListInboxes returns the account's inboxes.
func (c *Client) ListInboxes(ctx context.Context) ([]Inbox, error) {
	ctx = runtime.WithOperation(ctx, "ListInboxes")
	return many(ctx, c, "ListInboxes", inboxFrom, func(a string) (*http.Response, error) { return c.client().ListInboxes(ctx, a) })
}

// GetInbox returns one inbox.
func (c *Client) GetInbox(ctx context.Context, inboxID string) (Inbox, error) {
	const op = "GetInbox"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "inbox id", inboxID); err != nil {
		return Inbox{}, err
	}
	return one(ctx, c, op, inboxFrom, func(a string) (*http.Response, error) { return c.client().GetInbox(ctx, a, inboxID) })
}

// CreateInbox creates an inbox; Name and ChannelType are required.
func (c *Client) CreateInbox(ctx context.Context, in InboxInput) (Inbox, error) {
	const op = "CreateInbox"
	ctx = runtime.WithOperation(ctx, op)
	if blankp(in.Name) || in.ChannelType == nil || *in.ChannelType == "" {
		return Inbox{}, argErr(op, "name and channel type are required")
	}
	return one(ctx, c, op, inboxFrom, func(a string) (*http.Response, error) { return c.client().CreateInbox(ctx, a, in.wire()) })
}

// UpdateInbox changes the fields of in that are set.
func (c *Client) UpdateInbox(ctx context.Context, inboxID string, in InboxInput) (Inbox, error) {
	const op = "UpdateInbox"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "inbox id", inboxID); err != nil {
		return Inbox{}, err
	}
	return one(ctx, c, op, inboxFrom, func(a string) (*http.Response, error) { return c.client().UpdateInbox(ctx, a, inboxID, in.wire()) })
}

// DeleteInbox deletes an inbox.
func (c *Client) DeleteInbox(ctx context.Context, inboxID string) error {
	const op = "DeleteInbox"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "inbox id", inboxID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.client().DeleteInbox(ctx, a, inboxID) })
}

// ListLabels returns the account's labels.
func (c *Client) ListLabels(ctx context.Context) ([]Label, error) {
	ctx = runtime.WithOperation(ctx, "ListLabels")
	return many(ctx, c, "ListLabels", labelFrom, func(a string) (*http.Response, error) { return c.client().ListLabels(ctx, a) })
}

// CreateLabel creates a label; Title is required.
func (c *Client) CreateLabel(ctx context.Context, in LabelInput) (Label, error) {
	const op = "CreateLabel"
	ctx = runtime.WithOperation(ctx, op)
	if blankp(in.Title) {
		return Label{}, argErr(op, "title is required")
	}
	return one(ctx, c, op, labelFrom, func(a string) (*http.Response, error) { return c.client().CreateLabel(ctx, a, in.wire()) })
}

// UpdateLabel changes the non-empty fields of in.
func (c *Client) UpdateLabel(ctx context.Context, labelID string, in LabelInput) (Label, error) {
	const op = "UpdateLabel"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "label id", labelID); err != nil {
		return Label{}, err
	}
	return one(ctx, c, op, labelFrom, func(a string) (*http.Response, error) { return c.client().UpdateLabel(ctx, a, labelID, in.wire()) })
}

// DeleteLabel deletes a label.
func (c *Client) DeleteLabel(ctx context.Context, labelID string) error {
	const op = "DeleteLabel"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "label id", labelID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.client().DeleteLabel(ctx, a, labelID) })
}

// ListTeams returns the account's teams.
func (c *Client) ListTeams(ctx context.Context) ([]Team, error) {
	ctx = runtime.WithOperation(ctx, "ListTeams")
	return many(ctx, c, "ListTeams", teamFrom, func(a string) (*http.Response, error) { return c.client().ListTeams(ctx, a) })
}

// CreateTeam creates a team; Name is required.
func (c *Client) CreateTeam(ctx context.Context, in TeamInput) (Team, error) {
	const op = "CreateTeam"
	ctx = runtime.WithOperation(ctx, op)
	if blankp(in.Name) {
		return Team{}, argErr(op, "name is required")
	}
	return one(ctx, c, op, teamFrom, func(a string) (*http.Response, error) { return c.client().CreateTeam(ctx, a, in.wire()) })
}

// UpdateTeam changes the fields of in that are set.
func (c *Client) UpdateTeam(ctx context.Context, teamID string, in TeamInput) (Team, error) {
	const op = "UpdateTeam"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "team id", teamID); err != nil {
		return Team{}, err
	}
	return one(ctx, c, op, teamFrom, func(a string) (*http.Response, error) { return c.client().UpdateTeam(ctx, a, teamID, in.wire()) })
}

// DeleteTeam deletes a team.
func (c *Client) DeleteTeam(ctx context.Context, teamID string) error {
	const op = "DeleteTeam"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "team id", teamID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.client().DeleteTeam(ctx, a, teamID) })
}

// AddTeamMember adds an agent to a team.
func (c *Client) AddTeamMember(ctx context.Context, teamID, agentID string) error {
	const op = "AddTeamMember"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "team id", teamID, "agent id", agentID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) {
		return c.client().AddTeamMember(ctx, a, teamID, api.AgentRef{AgentID: agentID})
	})
}

// RemoveTeamMember removes an agent from a team.
func (c *Client) RemoveTeamMember(ctx context.Context, teamID, agentID string) error {
	const op = "RemoveTeamMember"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "team id", teamID, "agent id", agentID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) {
		return c.client().RemoveTeamMember(ctx, a, teamID, api.AgentRef{AgentID: agentID})
	})
}

// ListAgents returns the account's agents.
func (c *Client) ListAgents(ctx context.Context) ([]Agent, error) {
	ctx = runtime.WithOperation(ctx, "ListAgents")
	return many(ctx, c, "ListAgents", agentFrom, func(a string) (*http.Response, error) { return c.client().ListAgents(ctx, a) })
}

// InviteAgent invites an agent by email, with an optional role.
func (c *Client) InviteAgent(ctx context.Context, in AgentInvite) (Agent, error) {
	const op = "InviteAgent"
	ctx = runtime.WithOperation(ctx, op)
	if blank(in.Email) {
		return Agent{}, argErr(op, "email is required")
	}
	return one(ctx, c, op, agentFrom, func(a string) (*http.Response, error) { return c.client().InviteAgent(ctx, a, in.wire()) })
}

// UpdateAgentRole changes an agent's role.
func (c *Client) UpdateAgentRole(ctx context.Context, agentID, role string) (Agent, error) {
	const op = "UpdateAgentRole"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "agent id", agentID); err != nil {
		return Agent{}, err
	}
	if blank(role) {
		return Agent{}, argErr(op, "role is required")
	}
	return one(ctx, c, op, agentFrom, func(a string) (*http.Response, error) {
		return c.client().UpdateAgent(ctx, a, agentID, api.AgentUpdate{Role: role})
	})
}

// RemoveAgent removes an agent from the account.
func (c *Client) RemoveAgent(ctx context.Context, agentID string) error {
	const op = "RemoveAgent"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "agent id", agentID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.client().RemoveAgent(ctx, a, agentID) })
}

// ListCannedResponses returns the account's canned responses.
func (c *Client) ListCannedResponses(ctx context.Context) ([]CannedResponse, error) {
	ctx = runtime.WithOperation(ctx, "ListCannedResponses")
	return many(ctx, c, "ListCannedResponses", cannedFrom, func(a string) (*http.Response, error) { return c.client().ListCannedResponses(ctx, a) })
}

// CreateCannedResponse creates a canned response; ShortCode and Content are
// required.
func (c *Client) CreateCannedResponse(ctx context.Context, in CannedResponseInput) (CannedResponse, error) {
	const op = "CreateCannedResponse"
	ctx = runtime.WithOperation(ctx, op)
	if blankp(in.ShortCode) || blankp(in.Content) {
		return CannedResponse{}, argErr(op, "short code and content are required")
	}
	return one(ctx, c, op, cannedFrom, func(a string) (*http.Response, error) { return c.client().CreateCannedResponse(ctx, a, in.wire()) })
}

// UpdateCannedResponse changes the non-empty fields of in.
func (c *Client) UpdateCannedResponse(ctx context.Context, id string, in CannedResponseInput) (CannedResponse, error) {
	const op = "UpdateCannedResponse"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "canned response id", id); err != nil {
		return CannedResponse{}, err
	}
	return one(ctx, c, op, cannedFrom, func(a string) (*http.Response, error) { return c.client().UpdateCannedResponse(ctx, a, id, in.wire()) })
}

// DeleteCannedResponse deletes a canned response.
func (c *Client) DeleteCannedResponse(ctx context.Context, id string) error {
	const op = "DeleteCannedResponse"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "canned response id", id); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.client().DeleteCannedResponse(ctx, a, id) })
}

// ListAutomationRules returns the account's automation rules.
func (c *Client) ListAutomationRules(ctx context.Context) ([]AutomationRule, error) {
	ctx = runtime.WithOperation(ctx, "ListAutomationRules")
	return many(ctx, c, "ListAutomationRules", ruleFrom, func(a string) (*http.Response, error) { return c.client().ListAutomationRules(ctx, a) })
}

// CreateAutomationRule creates a rule; Name, EventName (UPPER_SNAKE, e.g.
// "CONVERSATION_CREATED"), Conditions and Actions (raw JSON) are required,
// as in the docs' example and the official client.
func (c *Client) CreateAutomationRule(ctx context.Context, in AutomationRuleInput) (AutomationRule, error) {
	const op = "CreateAutomationRule"
	ctx = runtime.WithOperation(ctx, op)
	if blankp(in.Name) || blankp(in.EventName) || absent(in.Conditions) || absent(in.Actions) {
		return AutomationRule{}, argErr(op, "name, event name, conditions and actions are required")
	}
	return one(ctx, c, op, ruleFrom, func(a string) (*http.Response, error) { return c.client().CreateAutomationRule(ctx, a, in.wire()) })
}

// UpdateAutomationRule changes the fields of in that are set.
func (c *Client) UpdateAutomationRule(ctx context.Context, ruleID string, in AutomationRuleInput) (AutomationRule, error) {
	const op = "UpdateAutomationRule"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "rule id", ruleID); err != nil {
		return AutomationRule{}, err
	}
	return one(ctx, c, op, ruleFrom, func(a string) (*http.Response, error) {
		return c.client().UpdateAutomationRule(ctx, a, ruleID, in.wire())
	})
}

// DeleteAutomationRule deletes a rule.
func (c *Client) DeleteAutomationRule(ctx context.Context, ruleID string) error {
	const op = "DeleteAutomationRule"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "rule id", ruleID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.client().DeleteAutomationRule(ctx, a, ruleID) })
}

// ListWebhooks returns the account's webhook subscriptions.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	ctx = runtime.WithOperation(ctx, "ListWebhooks")
	return many(ctx, c, "ListWebhooks", webhookFrom, func(a string) (*http.Response, error) { return c.client().ListWebhooks(ctx, a) })
}

// CreateWebhook subscribes url to events (see the Event* constants).
func (c *Client) CreateWebhook(ctx context.Context, in WebhookInput) (Webhook, error) {
	const op = "CreateWebhook"
	ctx = runtime.WithOperation(ctx, op)
	if blankp(in.URL) || len(in.Events) == 0 {
		return Webhook{}, argErr(op, "url and at least one event are required")
	}
	return one(ctx, c, op, webhookFrom, func(a string) (*http.Response, error) { return c.client().CreateWebhook(ctx, a, in.wire()) })
}

// UpdateWebhook changes the fields of in that are set.
func (c *Client) UpdateWebhook(ctx context.Context, webhookID string, in WebhookInput) (Webhook, error) {
	const op = "UpdateWebhook"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "webhook id", webhookID); err != nil {
		return Webhook{}, err
	}
	return one(ctx, c, op, webhookFrom, func(a string) (*http.Response, error) { return c.client().UpdateWebhook(ctx, a, webhookID, in.wire()) })
}

// DeleteWebhook removes a webhook subscription.
func (c *Client) DeleteWebhook(ctx context.Context, webhookID string) error {
	const op = "DeleteWebhook"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "webhook id", webhookID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.client().DeleteWebhook(ctx, a, webhookID) })
}

// ListBots returns the account's agent bots.
func (c *Client) ListBots(ctx context.Context) ([]Bot, error) {
	ctx = runtime.WithOperation(ctx, "ListBots")
	return many(ctx, c, "ListBots", botFrom, func(a string) (*http.Response, error) { return c.client().ListBots(ctx, a) })
}

// CreateBot creates an agent bot; Name is required.
func (c *Client) CreateBot(ctx context.Context, in BotInput) (Bot, error) {
	const op = "CreateBot"
	ctx = runtime.WithOperation(ctx, op)
	if blankp(in.Name) {
		return Bot{}, argErr(op, "name is required")
	}
	return one(ctx, c, op, botFrom, func(a string) (*http.Response, error) { return c.client().CreateBot(ctx, a, in.wire()) })
}

// UpdateBot changes the non-empty fields of in.
func (c *Client) UpdateBot(ctx context.Context, botID string, in BotInput) (Bot, error) {
	const op = "UpdateBot"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "bot id", botID); err != nil {
		return Bot{}, err
	}
	return one(ctx, c, op, botFrom, func(a string) (*http.Response, error) { return c.client().UpdateBot(ctx, a, botID, in.wire()) })
}

// DeleteBot deletes an agent bot.
func (c *Client) DeleteBot(ctx context.Context, botID string) error {
	const op = "DeleteBot"
	ctx = runtime.WithOperation(ctx, op)
	if err := ids(op, "bot id", botID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.client().DeleteBot(ctx, a, botID) })
}
