package deskwoot

import (
	"encoding/json"
	"time"

	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
)

// The models below are Deskwoot's records as this package returns them.
// They are decoded from the types generated from openapi/deskwoot.yaml and
// converted (convert.go); their JSON tags are Deskwoot's camelCase wire
// names, so a record marshals back to the shape Deskwoot sends. Ids are cuid
// strings ("cm…"). A field the API may omit or send as null decodes to its
// zero value; enum fields keep values this package does not know.

// Me is the answer of GET /v1/me: the token's user, accounts and scopes.
type Me struct {
	// User is the person (or bot) the token belongs to.
	User User `json:"user"`
	// AccountID is the token's account, the one account-scoped calls use
	// unless WithAccountID says otherwise.
	AccountID string `json:"accountId"`
	// AccountIDs lists every account the token can reach.
	AccountIDs []string `json:"accountIds"`
	// AuthMethod is how the caller authenticated, e.g. "api_token".
	AuthMethod string `json:"authMethod"`
	// Scopes are the token's scopes: read, write, contacts:read,
	// contacts:write, conversations:read, conversations:write.
	Scopes []string `json:"scopes"`
}

// User is the person (or bot) a token belongs to.
type User struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// ConversationStatus is OPEN, PENDING, RESOLVED or SNOOZED.
type ConversationStatus string

// Conversation statuses.
const (
	StatusOpen     ConversationStatus = "OPEN"
	StatusPending  ConversationStatus = "PENDING"
	StatusResolved ConversationStatus = "RESOLVED"
	StatusSnoozed  ConversationStatus = "SNOOZED"
)

// Valid reports whether s is one of the documented statuses.
func (s ConversationStatus) Valid() bool { return api.ConversationStatus(s).Valid() }

// Priority is URGENT, HIGH, MEDIUM or LOW.
type Priority string

// Conversation priorities.
const (
	PriorityUrgent Priority = "URGENT"
	PriorityHigh   Priority = "HIGH"
	PriorityMedium Priority = "MEDIUM"
	PriorityLow    Priority = "LOW"
)

// Valid reports whether p is one of the documented priorities.
func (p Priority) Valid() bool { return api.Priority(p).Valid() }

// Conversation is a support conversation (a ticket).
type Conversation struct {
	ID string `json:"id"`
	// DisplayID is the number agents see in the dashboard.
	DisplayID int64  `json:"displayId"`
	AccountID string `json:"accountId"`
	InboxID   string `json:"inboxId"`
	ContactID string `json:"contactId"`
	// AssigneeID is the assigned agent; "" when unassigned (null).
	AssigneeID string `json:"assigneeId,omitempty"`
	// TeamID is the assigned team; "" when none (null).
	TeamID string             `json:"teamId,omitempty"`
	Status ConversationStatus `json:"status"`
	// Priority is "" when none is set (null).
	Priority Priority `json:"priority,omitempty"`
	// Subject is "" when the conversation has none (null).
	Subject string `json:"subject,omitempty"`
	// Muted reports whether notifications are muted.
	Muted          bool      `json:"muted"`
	LastActivityAt time.Time `json:"lastActivityAt"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
	// Contact is the conversation's contact when the answer embeds it
	// (GetConversation does); otherwise its zero value.
	Contact Contact `json:"contact,omitzero"`
	// Messages are embedded by some answers; nil otherwise.
	Messages []Message `json:"messages,omitempty"`
	// Labels are the conversation's labels when the answer carries them.
	Labels []Label `json:"labels,omitempty"`
}

// NewConversation is the body of CreateConversation: inbox, contact and the
// first message are required.
type NewConversation struct {
	InboxID   string `json:"inboxId"`
	ContactID string `json:"contactId"`
	// Message is the first message of the conversation.
	Message string `json:"message"`
	// Status is the initial status; "" leaves the server's default (OPEN).
	Status     ConversationStatus `json:"status,omitempty"`
	AssigneeID string             `json:"assigneeId,omitempty"`
	TeamID     string             `json:"teamId,omitempty"`
}

// BulkAction names what BulkUpdateConversations does.
type BulkAction string

// Bulk actions; Value in BulkConversationAction carries the argument of those
// that take one (a status, agent id, team id, priority, label id or snooze
// time).
const (
	BulkChangeStatus   BulkAction = "change_status"
	BulkAssignAgent    BulkAction = "assign_agent"
	BulkAssignTeam     BulkAction = "assign_team"
	BulkChangePriority BulkAction = "change_priority"
	BulkAddLabel       BulkAction = "add_label"
	BulkMute           BulkAction = "mute"
	BulkUnmute         BulkAction = "unmute"
	BulkMarkUnread     BulkAction = "mark_unread"
	BulkSnooze         BulkAction = "snooze"
	BulkDelete         BulkAction = "delete"
)

// Valid reports whether a is one of the documented bulk actions.
func (a BulkAction) Valid() bool { return api.BulkAction(a).Valid() }

// BulkConversationAction is the body of BulkUpdateConversations.
type BulkConversationAction struct {
	Action          BulkAction `json:"action"`
	ConversationIDs []string   `json:"conversationIds"`
	// Value is the action's argument (a status, agent id, team id,
	// priority, label id or snooze time); "" for actions without one.
	Value string `json:"value,omitempty"`
}

// MessageType is INCOMING, OUTGOING or ACTIVITY.
type MessageType string

// Message types.
const (
	MessageIncoming MessageType = "INCOMING"
	MessageOutgoing MessageType = "OUTGOING"
	MessageActivity MessageType = "ACTIVITY"
)

// Valid reports whether t is one of the documented message types.
func (t MessageType) Valid() bool { return api.MessageType(t).Valid() }

// ContentType is TEXT or HTML.
type ContentType string

// Message content types.
const (
	ContentText ContentType = "TEXT"
	ContentHTML ContentType = "HTML"
)

// Valid reports whether t is TEXT or HTML.
func (t ContentType) Valid() bool { return api.ContentType(t).Valid() }

// Message is one message of a conversation.
type Message struct {
	ID             string      `json:"id"`
	ConversationID string      `json:"conversationId"`
	Content        string      `json:"content"`
	MessageType    MessageType `json:"messageType"`
	ContentType    ContentType `json:"contentType"`
	// Private marks a private note, visible to agents only.
	Private bool `json:"private"`
	// SourceID is the id in the originating channel; "" when none (null).
	SourceID    string       `json:"sourceId,omitempty"`
	CreatedAt   time.Time    `json:"createdAt"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// NewMessage is the body of SendMessage.
type NewMessage struct {
	Content string `json:"content"`
	// MessageType is OUTGOING (a reply, the default when "") or INCOMING.
	MessageType MessageType `json:"messageType,omitempty"`
	// ContentType is TEXT (the default when "") or HTML.
	ContentType ContentType `json:"contentType,omitempty"`
	// Private sends a private note (visible to agents only). It is always
	// sent, false included, as in the docs' example.
	Private bool `json:"private"`
	// Cc and Bcc apply to email inboxes.
	Cc  []string `json:"cc,omitempty"`
	Bcc []string `json:"bcc,omitempty"`
}

// FileType is IMAGE, AUDIO, VIDEO or FILE.
type FileType string

// Attachment file types.
const (
	FileImage FileType = "IMAGE"
	FileAudio FileType = "AUDIO"
	FileVideo FileType = "VIDEO"
	FileOther FileType = "FILE"
)

// Attachment is a file attached to a message.
type Attachment struct {
	ID       string `json:"id"`
	FileURL  string `json:"fileUrl"`
	FileName string `json:"fileName"`
	// FileSize is in bytes.
	FileSize    int64    `json:"fileSize"`
	ContentType string   `json:"contentType"`
	FileType    FileType `json:"fileType"`
}

// Contact is a customer. Every descriptive field may be null on the wire
// and then decodes to "".
type Contact struct {
	ID          string `json:"id"`
	AccountID   string `json:"accountId"`
	Name        string `json:"name,omitempty"`
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
	Company     string `json:"company,omitempty"`
	Location    string `json:"location,omitempty"`
	Description string `json:"description,omitempty"`
	// Identifier is your own id for the contact, when set.
	Identifier       string         `json:"identifier,omitempty"`
	CustomAttributes map[string]any `json:"customAttributes,omitempty"`
	// LastActivityAt is zero when the contact has had no activity (null).
	LastActivityAt time.Time `json:"lastActivityAt,omitzero"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

// ContactInput is the body of CreateContact and UpdateContact. A nil field
// is not sent (on update: left unchanged); vendorkit.Ptr(x) sends x; vendorkit.Ptr("") sends ""
// and so clears the field on update (the official client's update type is a
// plain string: the docs name no null). CustomAttributes is sent when
// non-empty and replaces the contact's custom attributes.
type ContactInput struct {
	Name             *string        `json:"name,omitempty"`
	Email            *string        `json:"email,omitempty"`
	Phone            *string        `json:"phone,omitempty"`
	Company          *string        `json:"company,omitempty"`
	Location         *string        `json:"location,omitempty"`
	Description      *string        `json:"description,omitempty"`
	CustomAttributes map[string]any `json:"customAttributes,omitempty"`
}

// ContactSegment filters ListContacts.
type ContactSegment string

// Contact segments, as the docs name them.
const (
	SegmentActive7d  ContactSegment = "active-7d"
	SegmentActive30d ContactSegment = "active-30d"
	SegmentNoEmail   ContactSegment = "no-email"
	SegmentHasEmail  ContactSegment = "has-email"
	SegmentHasPhone  ContactSegment = "has-phone"
	SegmentNew       ContactSegment = "new"
)

// Valid reports whether s is one of the documented segments.
func (s ContactSegment) Valid() bool { return api.ContactSegment(s).Valid() }

// ChannelType is an inbox's channel.
type ChannelType string

// Inbox channel types.
const (
	ChannelEmail     ChannelType = "EMAIL"
	ChannelWebchat   ChannelType = "WEBCHAT"
	ChannelTelegram  ChannelType = "TELEGRAM"
	ChannelWhatsApp  ChannelType = "WHATSAPP"
	ChannelFacebook  ChannelType = "FACEBOOK"
	ChannelInstagram ChannelType = "INSTAGRAM"
	ChannelTwitter   ChannelType = "TWITTER"
	ChannelSMS       ChannelType = "SMS"
	ChannelLine      ChannelType = "LINE"
)

// Valid reports whether t is one of the documented channel types.
func (t ChannelType) Valid() bool { return api.ChannelType(t).Valid() }

// Inbox is a channel conversations arrive through.
type Inbox struct {
	ID          string      `json:"id"`
	AccountID   string      `json:"accountId"`
	Name        string      `json:"name"`
	ChannelType ChannelType `json:"channelType"`
	// EmailAddress is the address of an email inbox; "" otherwise (null).
	EmailAddress    string `json:"emailAddress,omitempty"`
	Enabled         bool   `json:"enabled"`
	GreetingEnabled bool   `json:"greetingEnabled"`
	// GreetingMessage is "" when none is set (null).
	GreetingMessage string    `json:"greetingMessage,omitempty"`
	CreatedAt       time.Time `json:"createdAt"`
}

// InboxInput is the body of CreateInbox (Name and ChannelType required) and
// UpdateInbox. A nil field is not sent (unchanged on update); vendorkit.Ptr("") sends
// "" (clears EmailAddress or GreetingMessage).
type InboxInput struct {
	Name            *string      `json:"name,omitempty"`
	ChannelType     *ChannelType `json:"channelType,omitempty"`
	EmailAddress    *string      `json:"emailAddress,omitempty"`
	Enabled         *bool        `json:"enabled,omitempty"`
	GreetingEnabled *bool        `json:"greetingEnabled,omitempty"`
	GreetingMessage *string      `json:"greetingMessage,omitempty"`
}

// Label is an account label; conversations carry labels.
type Label struct {
	ID        string `json:"id"`
	AccountID string `json:"accountId"`
	Title     string `json:"title"`
	// Description is "" when none is set (null).
	Description string `json:"description,omitempty"`
	// Color is a CSS colour, e.g. "#1f93ff".
	Color     string    `json:"color"`
	CreatedAt time.Time `json:"createdAt"`
}

// LabelInput is the body of CreateLabel (Title required) and UpdateLabel.
// A nil field is not sent (unchanged on update); vendorkit.Ptr("") sends "" (clears
// Description).
type LabelInput struct {
	Title       *string `json:"title,omitempty"`
	Color       *string `json:"color,omitempty"`
	Description *string `json:"description,omitempty"`
}

// Team is a group of agents.
type Team struct {
	ID        string `json:"id"`
	AccountID string `json:"accountId"`
	Name      string `json:"name"`
	// Description is "" when none is set (null).
	Description string `json:"description,omitempty"`
	// AllowAutoAssign lets Deskwoot assign the team's conversations to its
	// members automatically.
	AllowAutoAssign bool `json:"allowAutoAssign"`
	// MemberCount is the number of agents in the team, when the answer
	// carries it.
	MemberCount int       `json:"memberCount,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
}

// TeamInput is the body of CreateTeam (Name required) and UpdateTeam. A nil
// field is not sent (unchanged on update); vendorkit.Ptr("") sends "" (clears
// Description).
type TeamInput struct {
	Name            *string `json:"name,omitempty"`
	Description     *string `json:"description,omitempty"`
	AllowAutoAssign *bool   `json:"allowAutoAssign,omitempty"`
}

// Agent roles, lowercase as in the docs' examples. Deskwoot does not list
// every role; other values are passed through.
const (
	RoleAgent = "agent"
	RoleAdmin = "admin"
)

// Agent is a member of the account's support staff.
type Agent struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
	// Role is RoleAgent, RoleAdmin or another role Deskwoot defines.
	Role string `json:"role"`
	// Availability is the agent's presence (e.g. "ONLINE"); its values are
	// not documented.
	Availability string    `json:"availability,omitempty"`
	CreatedAt    time.Time `json:"createdAt"`
}

// AgentInvite is the body of InviteAgent.
type AgentInvite struct {
	Email string `json:"email"`
	// Role is RoleAgent or RoleAdmin; "" leaves the server's default.
	Role string `json:"role,omitempty"`
}

// CannedResponse is a saved reply, inserted by its short code.
type CannedResponse struct {
	ID        string    `json:"id"`
	AccountID string    `json:"accountId"`
	ShortCode string    `json:"shortCode"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"createdAt"`
}

// CannedResponseInput is the body of CreateCannedResponse (both fields
// required) and UpdateCannedResponse (a nil field is left unchanged).
type CannedResponseInput struct {
	ShortCode *string `json:"shortCode,omitempty"`
	Content   *string `json:"content,omitempty"`
}

// AutomationRule runs Actions when EventName fires and Conditions hold.
// Conditions and Actions are kept as raw JSON: their shape is documented by
// one example only (see the README).
type AutomationRule struct {
	ID        string `json:"id"`
	AccountID string `json:"accountId"`
	Name      string `json:"name"`
	// Description is "" when none is set (null).
	Description string `json:"description,omitempty"`
	// EventName is the trigger, UPPER_SNAKE (e.g. "CONVERSATION_CREATED").
	EventName  string          `json:"eventName"`
	Conditions json.RawMessage `json:"conditions"`
	Actions    json.RawMessage `json:"actions"`
	Active     bool            `json:"active"`
	CreatedAt  time.Time       `json:"createdAt"`
}

// AutomationRuleInput is the body of CreateAutomationRule (Name, EventName,
// Conditions and Actions required) and UpdateAutomationRule. A nil field is
// not sent (unchanged on update); vendorkit.Ptr("") sends "" (clears Description).
type AutomationRuleInput struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	// EventName is UPPER_SNAKE, e.g. "CONVERSATION_CREATED".
	EventName *string `json:"eventName,omitempty"`
	// Conditions and Actions are raw JSON, e.g.
	// {"subject":{"contains":"billing"}} and
	// [{"type":"assign_team","value":"…"}] (the docs' example).
	Conditions json.RawMessage `json:"conditions,omitempty"`
	Actions    json.RawMessage `json:"actions,omitempty"`
	Active     *bool           `json:"active,omitempty"`
}

// EventName is a webhook event name.
type EventName string

// The documented webhook events.
const (
	EventMessageCreated      EventName = "message.created"
	EventConversationCreated EventName = "conversation.created"
	EventConversationUpdated EventName = "conversation.updated"
	EventContactCreated      EventName = "contact.created"
	EventContactUpdated      EventName = "contact.updated"
)

// Valid reports whether n is one of the documented events.
func (n EventName) Valid() bool { return api.WebhookEventName(n).Valid() }

// Webhook is a webhook subscription.
type Webhook struct {
	ID        string      `json:"id"`
	AccountID string      `json:"accountId"`
	URL       string      `json:"url"`
	Events    []EventName `json:"events"`
	Active    bool        `json:"active"`
	CreatedAt time.Time   `json:"createdAt"`
}

// WebhookInput is the body of CreateWebhook (URL and Events required) and
// UpdateWebhook. A nil field (or nil Events) is not sent and is left
// unchanged on update; a non-nil Events replaces the subscription's events.
type WebhookInput struct {
	URL    *string     `json:"url,omitempty"`
	Events []EventName `json:"events,omitempty"`
	Active *bool       `json:"active,omitempty"`
}

// Bot is an agent bot. The docs list the endpoint without its fields; only
// ID, AccountID, Name, Description and CreatedAt are modelled.
type Bot struct {
	ID        string `json:"id"`
	AccountID string `json:"accountId"`
	Name      string `json:"name"`
	// Description is "" when none is set (null).
	Description string    `json:"description,omitempty"`
	CreatedAt   time.Time `json:"createdAt,omitzero"`
}

// BotInput is the body of CreateBot (Name required) and UpdateBot. A nil
// field is not sent (unchanged on update); vendorkit.Ptr("") sends "" (clears
// Description).
type BotInput struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
}
