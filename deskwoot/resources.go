package deskwoot

import (
	"context"
	"net/http"
	"strings"

	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
	"github.com/vendorkit/vendorkit/internal/wire"
)

// The account settings resources (inboxes, labels, teams, agents, canned
// responses, automation rules, webhooks, bots) share one shape: a list
// without documented pagination (either list shape is accepted), create,
// update of the fields set, delete.

type doFunc func(account string) (*http.Response, error)

// one runs an account-scoped call that answers one T.
func one[T any](ctx context.Context, c *Client, op string, do doFunc) (*T, error) {
	account, err := c.scoped(ctx, op)
	if err != nil {
		return nil, err
	}
	v, err := wire.Decode[T](do(account))
	if err != nil {
		return nil, fail(op, err)
	}
	return &v, nil
}

// many runs an account-scoped list call.
func many[T any](ctx context.Context, c *Client, op string, do doFunc) ([]T, error) {
	account, err := c.scoped(ctx, op)
	if err != nil {
		return nil, err
	}
	v, err := decodeList[T](do(account))
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

// ListInboxes returns the account's inboxes.
func (c *Client) ListInboxes(ctx context.Context) ([]Inbox, error) {
	return many[Inbox](ctx, c, "ListInboxes", func(a string) (*http.Response, error) { return c.api.ListInboxes(ctx, a) })
}

// GetInbox returns one inbox.
func (c *Client) GetInbox(ctx context.Context, inboxID string) (*Inbox, error) {
	const op = "GetInbox"
	if err := ids(op, "inbox id", inboxID); err != nil {
		return nil, err
	}
	return one[Inbox](ctx, c, op, func(a string) (*http.Response, error) { return c.api.GetInbox(ctx, a, inboxID) })
}

// CreateInbox creates an inbox; Name and ChannelType are required.
func (c *Client) CreateInbox(ctx context.Context, in InboxInput) (*Inbox, error) {
	const op = "CreateInbox"
	if blank(in.Name) || in.ChannelType == "" {
		return nil, argErr(op, "name and channel type are required")
	}
	return one[Inbox](ctx, c, op, func(a string) (*http.Response, error) { return c.api.CreateInbox(ctx, a, in) })
}

// UpdateInbox changes the fields of in that are set.
func (c *Client) UpdateInbox(ctx context.Context, inboxID string, in InboxInput) (*Inbox, error) {
	const op = "UpdateInbox"
	if err := ids(op, "inbox id", inboxID); err != nil {
		return nil, err
	}
	return one[Inbox](ctx, c, op, func(a string) (*http.Response, error) { return c.api.UpdateInbox(ctx, a, inboxID, in) })
}

// DeleteInbox deletes an inbox.
func (c *Client) DeleteInbox(ctx context.Context, inboxID string) error {
	const op = "DeleteInbox"
	if err := ids(op, "inbox id", inboxID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.api.DeleteInbox(ctx, a, inboxID) })
}

// ListLabels returns the account's labels.
func (c *Client) ListLabels(ctx context.Context) ([]Label, error) {
	return many[Label](ctx, c, "ListLabels", func(a string) (*http.Response, error) { return c.api.ListLabels(ctx, a) })
}

// CreateLabel creates a label; Title is required.
func (c *Client) CreateLabel(ctx context.Context, in LabelInput) (*Label, error) {
	const op = "CreateLabel"
	if blank(in.Title) {
		return nil, argErr(op, "title is required")
	}
	return one[Label](ctx, c, op, func(a string) (*http.Response, error) { return c.api.CreateLabel(ctx, a, in) })
}

// UpdateLabel changes the non-empty fields of in.
func (c *Client) UpdateLabel(ctx context.Context, labelID string, in LabelInput) (*Label, error) {
	const op = "UpdateLabel"
	if err := ids(op, "label id", labelID); err != nil {
		return nil, err
	}
	return one[Label](ctx, c, op, func(a string) (*http.Response, error) { return c.api.UpdateLabel(ctx, a, labelID, in) })
}

// DeleteLabel deletes a label.
func (c *Client) DeleteLabel(ctx context.Context, labelID string) error {
	const op = "DeleteLabel"
	if err := ids(op, "label id", labelID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.api.DeleteLabel(ctx, a, labelID) })
}

// ListTeams returns the account's teams.
func (c *Client) ListTeams(ctx context.Context) ([]Team, error) {
	return many[Team](ctx, c, "ListTeams", func(a string) (*http.Response, error) { return c.api.ListTeams(ctx, a) })
}

// CreateTeam creates a team; Name is required.
func (c *Client) CreateTeam(ctx context.Context, in TeamInput) (*Team, error) {
	const op = "CreateTeam"
	if blank(in.Name) {
		return nil, argErr(op, "name is required")
	}
	return one[Team](ctx, c, op, func(a string) (*http.Response, error) { return c.api.CreateTeam(ctx, a, in) })
}

// UpdateTeam changes the fields of in that are set.
func (c *Client) UpdateTeam(ctx context.Context, teamID string, in TeamInput) (*Team, error) {
	const op = "UpdateTeam"
	if err := ids(op, "team id", teamID); err != nil {
		return nil, err
	}
	return one[Team](ctx, c, op, func(a string) (*http.Response, error) { return c.api.UpdateTeam(ctx, a, teamID, in) })
}

// DeleteTeam deletes a team.
func (c *Client) DeleteTeam(ctx context.Context, teamID string) error {
	const op = "DeleteTeam"
	if err := ids(op, "team id", teamID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.api.DeleteTeam(ctx, a, teamID) })
}

// AddTeamMember adds an agent to a team.
func (c *Client) AddTeamMember(ctx context.Context, teamID, agentID string) error {
	const op = "AddTeamMember"
	if err := ids(op, "team id", teamID, "agent id", agentID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) {
		return c.api.AddTeamMember(ctx, a, teamID, api.AgentRef{AgentID: agentID})
	})
}

// RemoveTeamMember removes an agent from a team.
func (c *Client) RemoveTeamMember(ctx context.Context, teamID, agentID string) error {
	const op = "RemoveTeamMember"
	if err := ids(op, "team id", teamID, "agent id", agentID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) {
		return c.api.RemoveTeamMember(ctx, a, teamID, api.AgentRef{AgentID: agentID})
	})
}

// ListAgents returns the account's agents.
func (c *Client) ListAgents(ctx context.Context) ([]Agent, error) {
	return many[Agent](ctx, c, "ListAgents", func(a string) (*http.Response, error) { return c.api.ListAgents(ctx, a) })
}

// InviteAgent invites an agent by email, with an optional role.
func (c *Client) InviteAgent(ctx context.Context, in AgentInvite) (*Agent, error) {
	const op = "InviteAgent"
	if blank(in.Email) {
		return nil, argErr(op, "email is required")
	}
	return one[Agent](ctx, c, op, func(a string) (*http.Response, error) { return c.api.InviteAgent(ctx, a, in) })
}

// UpdateAgentRole changes an agent's role.
func (c *Client) UpdateAgentRole(ctx context.Context, agentID, role string) (*Agent, error) {
	const op = "UpdateAgentRole"
	if err := ids(op, "agent id", agentID); err != nil {
		return nil, err
	}
	if blank(role) {
		return nil, argErr(op, "role is required")
	}
	return one[Agent](ctx, c, op, func(a string) (*http.Response, error) {
		return c.api.UpdateAgent(ctx, a, agentID, api.AgentUpdate{Role: role})
	})
}

// RemoveAgent removes an agent from the account.
func (c *Client) RemoveAgent(ctx context.Context, agentID string) error {
	const op = "RemoveAgent"
	if err := ids(op, "agent id", agentID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.api.RemoveAgent(ctx, a, agentID) })
}

// ListCannedResponses returns the account's canned responses.
func (c *Client) ListCannedResponses(ctx context.Context) ([]CannedResponse, error) {
	return many[CannedResponse](ctx, c, "ListCannedResponses", func(a string) (*http.Response, error) { return c.api.ListCannedResponses(ctx, a) })
}

// CreateCannedResponse creates a canned response; ShortCode and Content are
// required.
func (c *Client) CreateCannedResponse(ctx context.Context, in CannedResponseInput) (*CannedResponse, error) {
	const op = "CreateCannedResponse"
	if blank(in.ShortCode) || blank(in.Content) {
		return nil, argErr(op, "short code and content are required")
	}
	return one[CannedResponse](ctx, c, op, func(a string) (*http.Response, error) { return c.api.CreateCannedResponse(ctx, a, in) })
}

// UpdateCannedResponse changes the non-empty fields of in.
func (c *Client) UpdateCannedResponse(ctx context.Context, id string, in CannedResponseInput) (*CannedResponse, error) {
	const op = "UpdateCannedResponse"
	if err := ids(op, "canned response id", id); err != nil {
		return nil, err
	}
	return one[CannedResponse](ctx, c, op, func(a string) (*http.Response, error) { return c.api.UpdateCannedResponse(ctx, a, id, in) })
}

// DeleteCannedResponse deletes a canned response.
func (c *Client) DeleteCannedResponse(ctx context.Context, id string) error {
	const op = "DeleteCannedResponse"
	if err := ids(op, "canned response id", id); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.api.DeleteCannedResponse(ctx, a, id) })
}

// ListAutomationRules returns the account's automation rules.
func (c *Client) ListAutomationRules(ctx context.Context) ([]AutomationRule, error) {
	return many[AutomationRule](ctx, c, "ListAutomationRules", func(a string) (*http.Response, error) { return c.api.ListAutomationRules(ctx, a) })
}

// CreateAutomationRule creates a rule; Name and EventName (UPPER_SNAKE, e.g.
// "CONVERSATION_CREATED") are required, Conditions and Actions are raw JSON.
func (c *Client) CreateAutomationRule(ctx context.Context, in AutomationRuleInput) (*AutomationRule, error) {
	const op = "CreateAutomationRule"
	if blank(in.Name) || blank(in.EventName) {
		return nil, argErr(op, "name and event name are required")
	}
	return one[AutomationRule](ctx, c, op, func(a string) (*http.Response, error) { return c.api.CreateAutomationRule(ctx, a, in) })
}

// UpdateAutomationRule changes the fields of in that are set.
func (c *Client) UpdateAutomationRule(ctx context.Context, ruleID string, in AutomationRuleInput) (*AutomationRule, error) {
	const op = "UpdateAutomationRule"
	if err := ids(op, "rule id", ruleID); err != nil {
		return nil, err
	}
	return one[AutomationRule](ctx, c, op, func(a string) (*http.Response, error) { return c.api.UpdateAutomationRule(ctx, a, ruleID, in) })
}

// DeleteAutomationRule deletes a rule.
func (c *Client) DeleteAutomationRule(ctx context.Context, ruleID string) error {
	const op = "DeleteAutomationRule"
	if err := ids(op, "rule id", ruleID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.api.DeleteAutomationRule(ctx, a, ruleID) })
}

// ListWebhooks returns the account's webhook subscriptions.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	return many[Webhook](ctx, c, "ListWebhooks", func(a string) (*http.Response, error) { return c.api.ListWebhooks(ctx, a) })
}

// CreateWebhook subscribes url to events (see the Event* constants).
func (c *Client) CreateWebhook(ctx context.Context, in WebhookInput) (*Webhook, error) {
	const op = "CreateWebhook"
	if blank(in.URL) || len(in.Events) == 0 {
		return nil, argErr(op, "url and at least one event are required")
	}
	return one[Webhook](ctx, c, op, func(a string) (*http.Response, error) { return c.api.CreateWebhook(ctx, a, in) })
}

// UpdateWebhook changes the fields of in that are set.
func (c *Client) UpdateWebhook(ctx context.Context, webhookID string, in WebhookInput) (*Webhook, error) {
	const op = "UpdateWebhook"
	if err := ids(op, "webhook id", webhookID); err != nil {
		return nil, err
	}
	return one[Webhook](ctx, c, op, func(a string) (*http.Response, error) { return c.api.UpdateWebhook(ctx, a, webhookID, in) })
}

// DeleteWebhook removes a webhook subscription.
func (c *Client) DeleteWebhook(ctx context.Context, webhookID string) error {
	const op = "DeleteWebhook"
	if err := ids(op, "webhook id", webhookID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.api.DeleteWebhook(ctx, a, webhookID) })
}

// ListBots returns the account's agent bots.
func (c *Client) ListBots(ctx context.Context) ([]Bot, error) {
	return many[Bot](ctx, c, "ListBots", func(a string) (*http.Response, error) { return c.api.ListBots(ctx, a) })
}

// CreateBot creates an agent bot; Name is required.
func (c *Client) CreateBot(ctx context.Context, in BotInput) (*Bot, error) {
	const op = "CreateBot"
	if blank(in.Name) {
		return nil, argErr(op, "name is required")
	}
	return one[Bot](ctx, c, op, func(a string) (*http.Response, error) { return c.api.CreateBot(ctx, a, in) })
}

// UpdateBot changes the non-empty fields of in.
func (c *Client) UpdateBot(ctx context.Context, botID string, in BotInput) (*Bot, error) {
	const op = "UpdateBot"
	if err := ids(op, "bot id", botID); err != nil {
		return nil, err
	}
	return one[Bot](ctx, c, op, func(a string) (*http.Response, error) { return c.api.UpdateBot(ctx, a, botID, in) })
}

// DeleteBot deletes an agent bot.
func (c *Client) DeleteBot(ctx context.Context, botID string) error {
	const op = "DeleteBot"
	if err := ids(op, "bot id", botID); err != nil {
		return err
	}
	return none(ctx, c, op, func(a string) (*http.Response, error) { return c.api.DeleteBot(ctx, a, botID) })
}
