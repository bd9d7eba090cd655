package deskwoot

import (
	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
)

// Conversions between the generated wire types (internal/api, from
// openapi/deskwoot.yaml) and this package's models. They are written out
// field by field so that a change of the spec that the models do not follow
// fails to compile; TestModelsMatchTheSpec checks that both marshal alike.

func meFrom(v api.Me) Me {
	return Me{User: userFrom(v.User), AccountID: v.AccountID, AccountIDs: v.AccountIDs, AuthMethod: v.AuthMethod, Scopes: v.Scopes}
}

func userFrom(v api.User) User { return User{ID: v.ID, Email: v.Email, Name: v.Name} }

func conversationFrom(v api.Conversation) Conversation {
	return Conversation{
		ID: v.ID, DisplayID: v.DisplayID, AccountID: v.AccountID, InboxID: v.InboxID, ContactID: v.ContactID,
		AssigneeID: v.AssigneeID, TeamID: v.TeamID, Status: ConversationStatus(v.Status), Priority: Priority(v.Priority),
		Subject: v.Subject, Muted: v.Muted, LastActivityAt: v.LastActivityAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
		Contact: contactFrom(v.Contact), Messages: each(v.Messages, messageFrom), Labels: each(v.Labels, labelFrom),
	}
}

func messageFrom(v api.Message) Message {
	return Message{
		ID: v.ID, ConversationID: v.ConversationID, Content: v.Content, MessageType: MessageType(v.MessageType),
		ContentType: ContentType(v.ContentType), Private: v.Private, SourceID: v.SourceID, CreatedAt: v.CreatedAt,
		Attachments: each(v.Attachments, attachmentFrom),
	}
}

func attachmentFrom(v api.Attachment) Attachment {
	return Attachment{ID: v.ID, FileURL: v.FileURL, FileName: v.FileName, FileSize: v.FileSize, ContentType: v.ContentType, FileType: FileType(v.FileType)}
}

func contactFrom(v api.Contact) Contact {
	return Contact{
		ID: v.ID, AccountID: v.AccountID, Name: v.Name, Email: v.Email, Phone: v.Phone, Company: v.Company,
		Location: v.Location, Description: v.Description, Identifier: v.Identifier, CustomAttributes: v.CustomAttributes,
		LastActivityAt: v.LastActivityAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
}

func inboxFrom(v api.Inbox) Inbox {
	return Inbox{
		ID: v.ID, AccountID: v.AccountID, Name: v.Name, ChannelType: ChannelType(v.ChannelType), EmailAddress: v.EmailAddress,
		Enabled: v.Enabled, GreetingEnabled: v.GreetingEnabled, GreetingMessage: v.GreetingMessage, CreatedAt: v.CreatedAt,
	}
}

func labelFrom(v api.Label) Label {
	return Label{ID: v.ID, AccountID: v.AccountID, Title: v.Title, Description: v.Description, Color: v.Color, CreatedAt: v.CreatedAt}
}

func teamFrom(v api.Team) Team {
	return Team{ID: v.ID, AccountID: v.AccountID, Name: v.Name, Description: v.Description, AllowAutoAssign: v.AllowAutoAssign,
		MemberCount: v.MemberCount, CreatedAt: v.CreatedAt}
}

func agentFrom(v api.Agent) Agent {
	return Agent{ID: v.ID, Name: v.Name, Email: v.Email, Role: v.Role, Availability: v.Availability, CreatedAt: v.CreatedAt}
}

func cannedFrom(v api.CannedResponse) CannedResponse {
	return CannedResponse{ID: v.ID, AccountID: v.AccountID, ShortCode: v.ShortCode, Content: v.Content, CreatedAt: v.CreatedAt}
}

func ruleFrom(v api.AutomationRule) AutomationRule {
	return AutomationRule{ID: v.ID, AccountID: v.AccountID, Name: v.Name, Description: v.Description, EventName: v.EventName,
		Conditions: v.Conditions, Actions: v.Actions, Active: v.Active, CreatedAt: v.CreatedAt}
}

func webhookFrom(v api.Webhook) Webhook {
	return Webhook{ID: v.ID, AccountID: v.AccountID, URL: v.URL, Events: each(v.Events, func(e api.WebhookEventName) EventName { return EventName(e) }),
		Active: v.Active, CreatedAt: v.CreatedAt}
}

func botFrom(v api.Bot) Bot {
	return Bot{ID: v.ID, AccountID: v.AccountID, Name: v.Name, Description: v.Description, CreatedAt: v.CreatedAt}
}

// each converts a slice, keeping nil as nil.
func each[A, B any](in []A, f func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// The request bodies, from this package's inputs to the wire types.

func (in NewConversation) wire() api.NewConversation {
	return api.NewConversation{InboxID: in.InboxID, ContactID: in.ContactID, Message: in.Message,
		Status: api.ConversationStatus(in.Status), AssigneeID: in.AssigneeID, TeamID: in.TeamID}
}

func (a BulkConversationAction) wire() api.BulkConversationAction {
	return api.BulkConversationAction{Action: api.BulkAction(a.Action), ConversationIDs: a.ConversationIDs, Value: a.Value}
}

func (m NewMessage) wire() api.NewMessage {
	return api.NewMessage{Content: m.Content, MessageType: api.MessageType(m.MessageType), ContentType: api.ContentType(m.ContentType),
		Private: vendorkit.Ptr(m.Private), Cc: m.Cc, Bcc: m.Bcc}
}

func (in ContactInput) wire() api.ContactInput {
	return api.ContactInput{Name: in.Name, Email: in.Email, Phone: in.Phone, Company: in.Company, Location: in.Location,
		Description: in.Description, CustomAttributes: in.CustomAttributes}
}

func (in InboxInput) wire() api.InboxInput {
	var ct *api.ChannelType
	if in.ChannelType != nil {
		ct = vendorkit.Ptr(api.ChannelType(*in.ChannelType))
	}
	return api.InboxInput{Name: in.Name, ChannelType: ct, EmailAddress: in.EmailAddress, Enabled: in.Enabled,
		GreetingEnabled: in.GreetingEnabled, GreetingMessage: in.GreetingMessage}
}

func (in LabelInput) wire() api.LabelInput {
	return api.LabelInput{Title: in.Title, Color: in.Color, Description: in.Description}
}

func (in TeamInput) wire() api.TeamInput {
	return api.TeamInput{Name: in.Name, Description: in.Description, AllowAutoAssign: in.AllowAutoAssign}
}

func (in AgentInvite) wire() api.AgentInvite { return api.AgentInvite{Email: in.Email, Role: in.Role} }

func (in CannedResponseInput) wire() api.CannedResponseInput {
	return api.CannedResponseInput{ShortCode: in.ShortCode, Content: in.Content}
}

func (in AutomationRuleInput) wire() api.AutomationRuleInput {
	return api.AutomationRuleInput{Name: in.Name, Description: in.Description, EventName: in.EventName,
		Conditions: in.Conditions, Actions: in.Actions, Active: in.Active}
}

func (in WebhookInput) wire() api.WebhookInput {
	return api.WebhookInput{URL: in.URL, Events: each(in.Events, func(e EventName) api.WebhookEventName { return api.WebhookEventName(e) }),
		Active: in.Active}
}

func (in BotInput) wire() api.BotInput {
	return api.BotInput{Name: in.Name, Description: in.Description}
}
