package deskwoot

import (
	"context"
	"io"
	"iter"
)

// API is the set of operations *Client provides. Code that depends on API
// rather than *Client can be tested with a mock (testify's mock, or a hand
// fake) instead of the fake server in deskwoottest.
type API interface {
	Me(ctx context.Context) (Me, error)
	AccountID(ctx context.Context) (string, error)

	ListConversations(ctx context.Context, f ConversationFilter) (Page[Conversation], error)
	AllConversations(ctx context.Context, f ConversationFilter) iter.Seq2[Conversation, error]
	GetConversation(ctx context.Context, conversationID string) (Conversation, error)
	CreateConversation(ctx context.Context, in NewConversation) (Conversation, error)
	UpdateConversation(ctx context.Context, conversationID string, u ConversationUpdate) (Conversation, error)
	BulkUpdateConversations(ctx context.Context, a BulkConversationAction) error
	AddLabel(ctx context.Context, conversationID, labelID string) error
	RemoveLabel(ctx context.Context, conversationID, labelID string) error
	ListMessages(ctx context.Context, conversationID string) ([]Message, error)
	SendMessage(ctx context.Context, conversationID string, m NewMessage) (Message, error)
	UploadAttachment(ctx context.Context, conversationID, fileName, contentType string, content io.Reader) (Attachment, error)

	ListContacts(ctx context.Context, f ContactFilter) (Page[Contact], error)
	AllContacts(ctx context.Context, f ContactFilter) iter.Seq2[Contact, error]
	GetContact(ctx context.Context, contactID string) (Contact, error)
	CreateContact(ctx context.Context, in ContactInput) (Contact, error)
	UpdateContact(ctx context.Context, contactID string, in ContactInput) (Contact, error)
	DeleteContact(ctx context.Context, contactID string) error
	MergeContacts(ctx context.Context, primaryID, secondaryID string) (Contact, error)

	ListInboxes(ctx context.Context) ([]Inbox, error)
	GetInbox(ctx context.Context, inboxID string) (Inbox, error)
	CreateInbox(ctx context.Context, in InboxInput) (Inbox, error)
	UpdateInbox(ctx context.Context, inboxID string, in InboxInput) (Inbox, error)
	DeleteInbox(ctx context.Context, inboxID string) error

	ListLabels(ctx context.Context) ([]Label, error)
	CreateLabel(ctx context.Context, in LabelInput) (Label, error)
	UpdateLabel(ctx context.Context, labelID string, in LabelInput) (Label, error)
	DeleteLabel(ctx context.Context, labelID string) error

	ListTeams(ctx context.Context) ([]Team, error)
	CreateTeam(ctx context.Context, in TeamInput) (Team, error)
	UpdateTeam(ctx context.Context, teamID string, in TeamInput) (Team, error)
	DeleteTeam(ctx context.Context, teamID string) error
	AddTeamMember(ctx context.Context, teamID, agentID string) error
	RemoveTeamMember(ctx context.Context, teamID, agentID string) error

	ListAgents(ctx context.Context) ([]Agent, error)
	InviteAgent(ctx context.Context, in AgentInvite) (Agent, error)
	UpdateAgentRole(ctx context.Context, agentID, role string) (Agent, error)
	RemoveAgent(ctx context.Context, agentID string) error

	ListCannedResponses(ctx context.Context) ([]CannedResponse, error)
	CreateCannedResponse(ctx context.Context, in CannedResponseInput) (CannedResponse, error)
	UpdateCannedResponse(ctx context.Context, id string, in CannedResponseInput) (CannedResponse, error)
	DeleteCannedResponse(ctx context.Context, id string) error

	ListAutomationRules(ctx context.Context) ([]AutomationRule, error)
	CreateAutomationRule(ctx context.Context, in AutomationRuleInput) (AutomationRule, error)
	UpdateAutomationRule(ctx context.Context, ruleID string, in AutomationRuleInput) (AutomationRule, error)
	DeleteAutomationRule(ctx context.Context, ruleID string) error

	ListWebhooks(ctx context.Context) ([]Webhook, error)
	CreateWebhook(ctx context.Context, in WebhookInput) (Webhook, error)
	UpdateWebhook(ctx context.Context, webhookID string, in WebhookInput) (Webhook, error)
	DeleteWebhook(ctx context.Context, webhookID string) error

	ListBots(ctx context.Context) ([]Bot, error)
	CreateBot(ctx context.Context, in BotInput) (Bot, error)
	UpdateBot(ctx context.Context, botID string, in BotInput) (Bot, error)
	DeleteBot(ctx context.Context, botID string) error
}

var _ API = (*Client)(nil)
