package woodpecker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/vendorkit/vendorkit/webhook"
)

// Webhook events. Woodpecker documents its webhooks at
// https://developers.woodpecker.co/docs/webhooks: every delivery is a POST
// whose body is a JSON array of up to 100 events of one type (events of the
// same type for the same URL within a short window are batched), each
// {"method", "prospect", <event fields>, "timestamp", "firm_id"}. Deliveries
// are not signed: protect the receiving URL with a secret (see
// NewWebhookHandler). An error answer (e.g. 500) is retried with exponential
// backoff; answering 310 or 410 unsubscribes the URL — the handler never
// does.

// The documented webhook events: the names SubscribeWebhook takes and a
// delivery's "method". The list is the 21 events the subscribe API accepts
// (developers.woodpecker.co/docs/webhooks and its event pages; the legacy
// help-center article 5223757 lists the first twelve by description).
// Woodpecker adds events: any other name may be passed as WebhookEvent("…")
// and is delivered as *UnknownEvent.
const (
	EventProspectReplied        WebhookEvent = "prospect_replied"
	EventProspectAutoReplied    WebhookEvent = "prospect_autoreplied"
	EventFollowupAfterAutoReply WebhookEvent = "followup_after_autoreply"
	EventSecondaryReplied       WebhookEvent = "secondary_replied"
	EventLinkClicked            WebhookEvent = "link_clicked"
	EventEmailOpened            WebhookEvent = "email_opened"
	// EventCampaignSent is "Campaign email sent": a campaign email went to
	// a prospect (docs/webhooks/campaign-sent). There is no "email_sent".
	EventCampaignSent               WebhookEvent = "campaign_sent"
	EventCampaignCompleted          WebhookEvent = "campaign_completed"
	EventProspectSaved              WebhookEvent = "prospect_saved"
	EventProspectInterested         WebhookEvent = "prospect_interested"
	EventProspectMaybeLater         WebhookEvent = "prospect_maybe_later"
	EventProspectNotInterested      WebhookEvent = "prospect_not_interested"
	EventProspectNonResponsive      WebhookEvent = "prospect_non_responsive"
	EventProspectBounced            WebhookEvent = "prospect_bounced"
	EventProspectInvalid            WebhookEvent = "prospect_invalid"
	EventProspectBlacklisted        WebhookEvent = "prospect_blacklisted"
	EventProspectOptOut             WebhookEvent = "prospect_opt_out"
	EventTaskCreated                WebhookEvent = "task_created"
	EventTaskDone                   WebhookEvent = "task_done"
	EventTaskIgnored                WebhookEvent = "task_ignored"
	EventLinkedInConnectionAccepted WebhookEvent = "linkedin_automation_connection_request_accepted"
)

// Event is one webhook event of a delivery: *ProspectEvent (events whose
// documented payload is the prospect alone), *ReplyEvent, *LinkClicked,
// *CampaignSent, *SecondaryReplied, or *UnknownEvent for a name this
// package does not type. Every one embeds EventBase.
type Event interface {
	// Name is the event's "method".
	Name() WebhookEvent
	// Base returns the fields every event carries.
	Base() *EventBase
}

// EventBase holds what every Woodpecker event carries.
type EventBase struct {
	// Method is the event name.
	Method WebhookEvent
	// Prospect is the prospect the event is about, as the v1 API returns it.
	Prospect Prospect
	// Campaign is the campaign context sent with the prospect; zero for
	// events outside a campaign (e.g. prospect_saved).
	Campaign ProspectCampaign
	// Timestamp is when the event happened (sent as 2006-01-02T15:04:05-0700).
	Timestamp time.Time
	// FirmID is the Woodpecker account (firm) the event belongs to.
	FirmID int64
	// Raw is this event's JSON object exactly as delivered.
	Raw json.RawMessage
}

// Name returns the event name.
func (b *EventBase) Name() WebhookEvent { return b.Method }

// Base returns b.
func (b *EventBase) Base() *EventBase { return b }

// ProspectCampaign is the campaign context of a webhook prospect. The docs
// say fields without a value come as "" or null; they decode to zero.
type ProspectCampaign struct {
	CampaignID     int64
	CampaignName   string
	CampaignEmail  string
	CampaignEmails []string
	// CampaignEmailSent is the number of campaign emails sent; nil when null.
	CampaignEmailSent *int
	// Step is the prospect's current step; nil when null.
	Step     *int
	StepType string
	// FollowupAfter is when the next follow-up may go.
	FollowupAfter time.Time
	InCampaign    int
	EmailsSent    int
	// Imported names the import (e.g. a CSV file) the prospect came from.
	Imported string
}

// ProspectEvent is an event whose documented payload is the prospect alone:
// prospect_saved and, by Woodpecker's shared envelope, the status events
// (interested, maybe later, not interested, non-responsive, bounced,
// invalid, blacklisted, opt-out), email_opened, campaign_completed,
// followup_after_autoreply and the task events. Fields the docs do not show
// for an event are in Raw.
type ProspectEvent struct{ EventBase }

// ReplyEvent is prospect_replied or prospect_autoreplied.
type ReplyEvent struct {
	EventBase
	Email Reply
}

// Reply is the message of a reply event.
type Reply struct {
	ID      int64
	MailID  int64
	Subject string
	// Sender is the display name; Email its address.
	Sender  string
	Email   string
	Date    time.Time
	Message string
}

// LinkClicked is link_clicked: the prospect clicked a tracked link.
type LinkClicked struct {
	EventBase
	ClickURL string
	// Step is the campaign step of the email; EmailNo its label (e.g. "#2").
	Step    int
	EmailNo string
}

// CampaignSent is campaign_sent ("Campaign email sent").
type CampaignSent struct {
	EventBase
	Email SentEmail
}

// SentEmail is the email of a campaign_sent event.
type SentEmail struct {
	ID         int64
	CampaignID int64
	// MessageID is the RFC 5322 Message-ID, e.g. "<…@…>".
	MessageID string
	NameFrom  string
	EmailFrom string
	NameTo    string
	EmailTo   string
	EmailCC   string
	EmailBCC  string
	Subject   string
	Sent      time.Time
	Host      string
	Number    int
	Step      int
	// Message is the HTML body.
	Message string
}

// SecondaryReplied is secondary_replied: someone other than the contacted
// prospect answered. Prospect is the contacted one.
type SecondaryReplied struct {
	EventBase
	SecondaryProspect Prospect
}

// UnknownEvent is an event whose name this package does not type (or a
// legacy delivery without "method"); everything is in Raw.
type UnknownEvent struct{ EventBase }

// ParseWebhook decodes a delivery body into its events, in order. The body
// is a JSON array (a single object, as the legacy help-center samples show,
// is accepted too); an empty array gives no events. Unknown event names are
// not an error.
func ParseWebhook(body []byte) ([]Event, error) {
	body = bytes.TrimSpace(body)
	var items []json.RawMessage
	if len(body) > 0 && body[0] == '{' {
		items = []json.RawMessage{body}
	} else if err := json.Unmarshal(body, &items); err != nil {
		return nil, fmt.Errorf("woodpecker: parse webhook: %w", err)
	}
	events := make([]Event, 0, len(items))
	for i, raw := range items {
		e, err := ParseEvent(raw)
		if err != nil {
			return nil, fmt.Errorf("woodpecker: parse webhook: event %d: %w", i+1, err)
		}
		events = append(events, e)
	}
	return events, nil
}

// ParseEvent decodes one event object of a delivery.
func ParseEvent(raw []byte) (Event, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return nil, errors.New("not a JSON object")
	}
	base := EventBase{Method: WebhookEvent(rawString(fields, "method")), FirmID: rawInt(fields, "firm_id"), Raw: json.RawMessage(bytes.Clone(raw))}
	var err error
	if base.Timestamp, err = ParseV1Time(rawString(fields, "timestamp")); err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	if p, ok := fields["prospect"]; ok && string(p) != "null" {
		if err := json.Unmarshal(p, &base.Prospect); err != nil {
			return nil, fmt.Errorf("prospect: %w", err)
		}
		if base.Campaign, err = campaignOf(base.Prospect.Extra); err != nil {
			return nil, fmt.Errorf("prospect: %w", err)
		}
	}
	switch base.Method {
	case EventProspectReplied, EventProspectAutoReplied:
		e := &ReplyEvent{EventBase: base}
		m := object(fields, "email")
		e.Email = Reply{ID: rawInt(m, "id"), MailID: rawInt(m, "mail_id"), Subject: rawString(m, "subject"),
			Sender: rawString(m, "sender"), Email: rawString(m, "email"), Message: rawString(m, "message")}
		if e.Email.Date, err = ParseV1Time(rawString(m, "date")); err != nil {
			return nil, fmt.Errorf("email.date: %w", err)
		}
		return e, nil
	case EventLinkClicked:
		return &LinkClicked{EventBase: base, ClickURL: rawString(fields, "click_url"),
			Step: int(rawInt(fields, "step")), EmailNo: rawString(fields, "email_no")}, nil
	case EventCampaignSent:
		e := &CampaignSent{EventBase: base}
		m := object(fields, "email")
		e.Email = SentEmail{ID: rawInt(m, "id"), CampaignID: rawInt(m, "campaign_id"), MessageID: rawString(m, "message_id"),
			NameFrom: rawString(m, "name_from"), EmailFrom: rawString(m, "email_from"), NameTo: rawString(m, "name_to"),
			EmailTo: rawString(m, "email_to"), EmailCC: rawString(m, "email_cc"), EmailBCC: rawString(m, "email_bcc"),
			Subject: rawString(m, "subject"), Host: rawString(m, "host"), Number: int(rawInt(m, "number")),
			Step: int(rawInt(m, "step")), Message: rawString(m, "message")}
		if e.Email.Sent, err = ParseV1Time(rawString(m, "sent")); err != nil {
			return nil, fmt.Errorf("email.sent: %w", err)
		}
		return e, nil
	case EventSecondaryReplied:
		e := &SecondaryReplied{EventBase: base}
		if p, ok := fields["secondary_prospect"]; ok && string(p) != "null" {
			if err := json.Unmarshal(p, &e.SecondaryProspect); err != nil {
				return nil, fmt.Errorf("secondary_prospect: %w", err)
			}
		}
		return e, nil
	case EventProspectSaved, EventProspectInterested, EventProspectMaybeLater, EventProspectNotInterested,
		EventProspectNonResponsive, EventProspectBounced, EventProspectInvalid, EventProspectBlacklisted,
		EventProspectOptOut, EventEmailOpened, EventCampaignCompleted, EventFollowupAfterAutoReply,
		EventTaskCreated, EventTaskDone, EventTaskIgnored, EventLinkedInConnectionAccepted:
		return &ProspectEvent{EventBase: base}, nil
	}
	return &UnknownEvent{EventBase: base}, nil
}

// object returns the JSON object at key as raw fields (nil when absent or
// not an object).
func object(fields map[string]json.RawMessage, key string) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if v, ok := fields[key]; ok {
		_ = json.Unmarshal(v, &m) // not an object: the typed fields stay zero; Raw keeps it
	}
	return m
}

// campaignOf reads the campaign fields of a webhook prospect (kept by
// Prospect in Extra).
func campaignOf(extra map[string]json.RawMessage) (ProspectCampaign, error) {
	c := ProspectCampaign{
		CampaignID: rawInt(extra, "campaign_id"), CampaignName: rawString(extra, "campaign_name"),
		CampaignEmail: rawString(extra, "campaign_email"), StepType: rawString(extra, "step_type"),
		InCampaign: int(rawInt(extra, "in_campaign")), EmailsSent: int(rawInt(extra, "emails_sent")),
		Imported:          rawString(extra, "imported"),
		CampaignEmailSent: optInt(extra, "campaign_email_sent"), Step: optInt(extra, "step"),
	}
	if v, ok := extra["campaign_emails"]; ok {
		_ = json.Unmarshal(v, &c.CampaignEmails) // a surprise shape leaves it empty; Raw keeps it
	}
	var err error
	if c.FollowupAfter, err = ParseV1Time(rawString(extra, "followup_after")); err != nil {
		return c, fmt.Errorf("followup_after: %w", err)
	}
	return c, nil
}

// optInt returns the integer at key, or nil when it is absent, null or "".
func optInt(m map[string]json.RawMessage, key string) *int {
	s := rawString(m, key)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	return &n
}

// WebhookKey is the dedupe key of an event. Woodpecker sends no event or
// delivery id, so the key is derived: "woodpecker:<method>:<prospect
// id>:<timestamp>", plus ":<email id>" for the events that carry an email
// (a prospect who replies twice within a second gets two keys). An event
// without a prospect id or timestamp is keyed by the SHA-256 of its JSON.
func WebhookKey(e Event) string {
	b := e.Base()
	ts := ""
	if !b.Timestamp.IsZero() {
		ts = b.Timestamp.UTC().Format(V1TimeLayout)
	}
	parts := []string{string(b.Method), strconv.FormatInt(b.Prospect.ID, 10), ts}
	switch e := e.(type) {
	case *ReplyEvent:
		parts = append(parts, strconv.FormatInt(e.Email.ID, 10))
	case *CampaignSent:
		parts = append(parts, strconv.FormatInt(e.Email.ID, 10))
	}
	if b.Method == "" || b.Prospect.ID == 0 || ts == "" {
		return webhook.ContentKey("woodpecker", b.Raw)
	}
	return webhook.Key("woodpecker", parts...)
}

// NewWebhookHandler returns the http.Handler that receives Woodpecker
// webhooks and calls fn once per event, in the order of the delivery's
// array; it answers 200 only when fn returned nil for every event, 500
// otherwise (Woodpecker then retries the whole batch; events already
// handled are skipped by the deduper, keyed by WebhookKey). It never answers
// 310 or 410, which would unsubscribe the URL.
//
// Woodpecker does not sign deliveries, so the handler requires a secret in
// the URL you subscribe (webhook.WithPathSecret or webhook.WithQueryToken)
// or Basic auth (webhook.WithBasicAuth); without one it refuses every
// delivery unless webhook.InsecureSkipVerify is given. See package
// vendorkit/webhook for the checks and statuses.
func NewWebhookHandler(fn func(context.Context, Event) error, opts ...webhook.Option) http.Handler {
	return webhook.New(webhook.Spec[Event]{
		Vendor: "woodpecker",
		Parse:  ParseWebhook,
		Key:    WebhookKey,
		Name:   func(e Event) string { return string(e.Name()) },
	}, fn, opts...)
}
