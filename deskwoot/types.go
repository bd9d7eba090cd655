package deskwoot

import (
	"encoding/json"
	"fmt"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
)

// The models below are the ones generated from openapi/deskwoot.yaml,
// re-exported. JSON is camelCase as Deskwoot sends it; ids are cuid strings;
// optional and nullable fields decode to their zero value when absent or null;
// enum fields keep values this package does not know.

// Me is the answer of GET /v1/me: the token's user, accounts and scopes.
type Me = api.Me

// User is the person (or bot) a token belongs to.
type User = api.User

// Conversation is a support conversation (a ticket).
type Conversation = api.Conversation

// ConversationStatus is OPEN, PENDING, RESOLVED or SNOOZED.
type ConversationStatus = api.ConversationStatus

// Priority is URGENT, HIGH, MEDIUM or LOW.
type Priority = api.Priority

// Conversation statuses.
const (
	StatusOpen     = api.StatusOpen
	StatusPending  = api.StatusPending
	StatusResolved = api.StatusResolved
	StatusSnoozed  = api.StatusSnoozed
)

// Conversation priorities.
const (
	PriorityUrgent = api.PriorityUrgent
	PriorityHigh   = api.PriorityHigh
	PriorityMedium = api.PriorityMedium
	PriorityLow    = api.PriorityLow
)

// NewConversation is the body of CreateConversation: inbox, contact and the
// first message are required.
type NewConversation = api.NewConversation

// BulkAction names what BulkUpdateConversations does.
type BulkAction = api.BulkAction

// Bulk actions; Value in BulkConversationAction carries the argument of those
// that take one (a status, agent id, team id, priority, label id or snooze
// time).
const (
	BulkChangeStatus   = api.BulkChangeStatus
	BulkAssignAgent    = api.BulkAssignAgent
	BulkAssignTeam     = api.BulkAssignTeam
	BulkChangePriority = api.BulkChangePriority
	BulkAddLabel       = api.BulkAddLabel
	BulkMute           = api.BulkMute
	BulkUnmute         = api.BulkUnmute
	BulkMarkUnread     = api.BulkMarkUnread
	BulkSnooze         = api.BulkSnooze
	BulkDelete         = api.BulkDelete
)

// BulkConversationAction is the body of BulkUpdateConversations.
type BulkConversationAction = api.BulkConversationAction

// Message is one message of a conversation; Private marks a private note.
type Message = api.Message

// MessageType is INCOMING, OUTGOING or ACTIVITY.
type MessageType = api.MessageType

// Message types.
const (
	MessageIncoming = api.MessageIncoming
	MessageOutgoing = api.MessageOutgoing
	MessageActivity = api.MessageActivity
)

// ContentType is TEXT or HTML.
type ContentType = api.ContentType

// Message content types.
const (
	ContentText = api.ContentText
	ContentHTML = api.ContentHTML
)

// NewMessage is the body of SendMessage. Set Private for a private note
// (visible to agents only); Cc and Bcc apply to email inboxes.
type NewMessage = api.NewMessage

// Attachment is a file attached to a message.
type Attachment = api.Attachment

// FileType is IMAGE, AUDIO, VIDEO or FILE.
type FileType = api.FileType

// Attachment file types.
const (
	FileImage = api.FileImage
	FileAudio = api.FileAudio
	FileVideo = api.FileVideo
	FileOther = api.FileOther
)

// Contact is a customer.
type Contact = api.Contact

// ContactInput is the body of CreateContact and UpdateContact; on update
// only the non-empty fields change.
type ContactInput = api.ContactInput

// ContactSegment filters ListContacts.
type ContactSegment = api.ContactSegment

// Contact segments, as the docs name them.
const (
	SegmentActive7d  = api.SegmentActive7D
	SegmentActive30d = api.SegmentActive30D
	SegmentNoEmail   = api.SegmentNoEmail
	SegmentHasEmail  = api.SegmentHasEmail
	SegmentHasPhone  = api.SegmentHasPhone
	SegmentNew       = api.SegmentNew
)

// Inbox is a channel conversations arrive through.
type Inbox = api.Inbox

// InboxInput is the body of CreateInbox (Name and ChannelType required) and
// UpdateInbox (only set fields change).
type InboxInput = api.InboxInput

// ChannelType is an inbox's channel.
type ChannelType = api.ChannelType

// Inbox channel types.
const (
	ChannelEmail     = api.ChannelEmail
	ChannelWebchat   = api.ChannelWebchat
	ChannelTelegram  = api.ChannelTelegram
	ChannelWhatsApp  = api.ChannelWhatsApp
	ChannelFacebook  = api.ChannelFacebook
	ChannelInstagram = api.ChannelInstagram
	ChannelTwitter   = api.ChannelTwitter
	ChannelSMS       = api.ChannelSMS
	ChannelLine      = api.ChannelLine
)

// Label is an account label; conversations carry labels.
type Label = api.Label

// LabelInput is the body of CreateLabel (Title required) and UpdateLabel.
type LabelInput = api.LabelInput

// Team is a group of agents.
type Team = api.Team

// TeamInput is the body of CreateTeam (Name required) and UpdateTeam.
type TeamInput = api.TeamInput

// Agent is a member of the account's support staff.
type Agent = api.Agent

// AgentInvite is the body of InviteAgent.
type AgentInvite = api.AgentInvite

// CannedResponse is a saved reply, inserted by its short code.
type CannedResponse = api.CannedResponse

// CannedResponseInput is the body of CreateCannedResponse (both fields
// required) and UpdateCannedResponse.
type CannedResponseInput = api.CannedResponseInput

// AutomationRule runs Actions when EventName fires and Conditions hold.
// Conditions and Actions are kept as raw JSON: their shape is not documented.
type AutomationRule = api.AutomationRule

// AutomationRuleInput is the body of CreateAutomationRule and
// UpdateAutomationRule.
type AutomationRuleInput = api.AutomationRuleInput

// Webhook is a webhook subscription.
type Webhook = api.Webhook

// WebhookInput is the body of CreateWebhook (URL and Events required) and
// UpdateWebhook.
type WebhookInput = api.WebhookInput

// EventName is a webhook event name.
type EventName = api.WebhookEventName

// The documented webhook events.
const (
	EventMessageCreated      = api.EventMessageCreated
	EventConversationCreated = api.EventConversationCreated
	EventConversationUpdated = api.EventConversationUpdated
	EventContactCreated      = api.EventContactCreated
	EventContactUpdated      = api.EventContactUpdated
)

// Bot is an agent bot. The docs list the endpoint without its fields; only
// ID, AccountID, Name and Description are modelled.
type Bot = api.Bot

// BotInput is the body of CreateBot and UpdateBot.
type BotInput = api.BotInput

// Ptr returns a pointer to v, for the optional fields of inputs
// (InboxInput.Enabled, ConversationUpdate.Muted, …).
func Ptr[T any](v T) *T { return &v }

// ConversationUpdate is the body of UpdateConversation: nil fields and empty
// enums are left unchanged. AssigneeID and TeamID pointing at "" unassign
// (they are sent as null).
type ConversationUpdate struct {
	Status     ConversationStatus
	Priority   Priority
	AssigneeID *string
	TeamID     *string
	Muted      *bool
}

// MarshalJSON writes only the fields to change, with null for an unassign.
func (u ConversationUpdate) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if u.Status != "" {
		m["status"] = u.Status
	}
	if u.Priority != "" {
		m["priority"] = u.Priority
	}
	for k, p := range map[string]*string{"assigneeId": u.AssigneeID, "teamId": u.TeamID} {
		switch {
		case p == nil:
		case *p == "":
			m[k] = nil
		default:
			m[k] = *p
		}
	}
	if u.Muted != nil {
		m["muted"] = *u.Muted
	}
	return json.Marshal(m)
}

// empty reports whether the update changes nothing.
func (u ConversationUpdate) empty() bool {
	return u.Status == "" && u.Priority == "" && u.AssigneeID == nil && u.TeamID == nil && u.Muted == nil
}

func (u ConversationUpdate) check() error {
	for what, p := range map[string]*string{"assignee id": u.AssigneeID, "team id": u.TeamID} {
		if p != nil && *p != "" {
			if err := checkID(what, *p); err != nil {
				return err
			}
		}
	}
	if u.empty() {
		return fmt.Errorf("%w: nothing to update", vendorkit.ErrInvalidArgument)
	}
	return nil
}
