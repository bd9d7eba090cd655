package woofed

import (
	"encoding/json"
	"strings"
	"time"
)

// Attributes holds free-form custom_attributes or additional_attributes.
type Attributes = map[string]any

// Contact is a person in the CRM. GetContact also fills Deals and Events.
type Contact struct {
	ID       int64  `json:"id"`
	FullName string `json:"full_name,omitempty"`
	Email    string `json:"email,omitempty"`
	// Phone is E.164: "+" and 2–15 digits.
	Phone     string   `json:"phone,omitempty"`
	LabelList []string `json:"label_list,omitempty"`
	// ChatwootConversationsLabelList holds the labels of the contact's
	// Chatwoot conversations.
	ChatwootConversationsLabelList []string   `json:"chatwoot_conversations_label_list,omitempty"`
	CustomAttributes               Attributes `json:"custom_attributes,omitempty"`
	// AdditionalAttributes holds integration data, e.g. chatwoot_id.
	AdditionalAttributes Attributes `json:"additional_attributes,omitempty"`
	AppType              string     `json:"app_type,omitempty"`
	AppID                int64      `json:"app_id,omitempty"`
	AccountID            int64      `json:"account_id,omitempty"`
	CreatedAt            time.Time  `json:"created_at,omitzero"`
	UpdatedAt            time.Time  `json:"updated_at,omitzero"`
	// Deals and Events are present on GetContact only.
	Deals  []Deal  `json:"deals,omitempty"`
	Events []Event `json:"events,omitempty"`
}

// ContactInput is the body of CreateContact and UpsertContact, and the new
// contact of DealInput.Contact. Empty fields are not sent, so an upsert
// that matches an existing contact leaves the fields it does not set as
// they are (and cannot clear one).
//
// Woofed's contact controller permits full_name, phone, email, label_list
// (a scalar) and custom_attributes; nothing else is offered here because
// the server drops anything else without an error (additional_attributes,
// which Woofed's own integrations set, cannot be written through the API).
type ContactInput struct {
	FullName string `json:"full_name,omitempty"`
	Email    string `json:"email,omitempty"`
	// Phone must be E.164 when set: "+", then 2–15 digits, the first not 0,
	// without spaces or dashes (e.g. "+5511999999999").
	Phone string `json:"phone,omitempty"`
	// LabelList is sent as one comma-separated string ("vip,trial"):
	// Woofed permits label_list as a scalar only and silently drops a JSON
	// array. A label must therefore not contain a comma.
	LabelList        []string   `json:"-"`
	CustomAttributes Attributes `json:"custom_attributes,omitempty"`
}

// contactWire is ContactInput as it is sent.
type contactWire struct {
	FullName         string     `json:"full_name,omitempty"`
	Email            string     `json:"email,omitempty"`
	Phone            string     `json:"phone,omitempty"`
	LabelList        string     `json:"label_list,omitempty"`
	CustomAttributes Attributes `json:"custom_attributes,omitempty"`
}

// MarshalJSON writes the contact as Woofed permits it, label_list as one
// comma-separated string.
func (in ContactInput) MarshalJSON() ([]byte, error) {
	return json.Marshal(contactWire{
		FullName: in.FullName, Email: in.Email, Phone: in.Phone,
		LabelList: strings.Join(in.LabelList, ","), CustomAttributes: in.CustomAttributes,
	})
}

// UnmarshalJSON reads what MarshalJSON writes; label_list may also be a
// JSON array.
func (in *ContactInput) UnmarshalJSON(b []byte) error {
	var w struct {
		contactWire
		LabelList json.RawMessage `json:"label_list"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*in = ContactInput{FullName: w.FullName, Email: w.Email, Phone: w.Phone, CustomAttributes: w.CustomAttributes}
	var one string
	switch {
	case len(w.LabelList) == 0 || string(w.LabelList) == "null":
	case json.Unmarshal(w.LabelList, &one) == nil:
		for _, l := range strings.Split(one, ",") {
			if l = strings.TrimSpace(l); l != "" {
				in.LabelList = append(in.LabelList, l)
			}
		}
	default:
		return json.Unmarshal(w.LabelList, &in.LabelList)
	}
	return nil
}

// DealStatus is a deal's state.
type DealStatus string

// The deal statuses.
const (
	DealOpen DealStatus = "open"
	DealWon  DealStatus = "won"
	DealLost DealStatus = "lost"
)

// Deal is a sales opportunity of a contact, in a pipeline stage. GetDeal
// also fills Contact, Stage and Pipeline.
type Deal struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name,omitempty"`
	Status     DealStatus `json:"status,omitempty"`
	StageID    int64      `json:"stage_id,omitempty"`
	PipelineID int64      `json:"pipeline_id,omitempty"`
	ContactID  int64      `json:"contact_id,omitempty"`
	Position   int        `json:"position,omitempty"`

	CustomAttributes Attributes `json:"custom_attributes,omitempty"`
	CreatedByID      int64      `json:"created_by_id,omitempty"`
	// TotalDealProductsAmountInCents sums the deal's products, in cents.
	TotalDealProductsAmountInCents int64     `json:"total_deal_products_amount_in_cents,omitempty"`
	LostReason                     string    `json:"lost_reason,omitempty"`
	LostAt                         time.Time `json:"lost_at,omitzero"`
	WonAt                          time.Time `json:"won_at,omitzero"`
	AccountID                      int64     `json:"account_id,omitempty"`
	CreatedAt                      time.Time `json:"created_at,omitzero"`
	UpdatedAt                      time.Time `json:"updated_at,omitzero"`

	// Contact, Stage and Pipeline are present on GetDeal only.
	Contact  *Contact  `json:"contact,omitempty"`
	Stage    *Stage    `json:"stage,omitempty"`
	Pipeline *Pipeline `json:"pipeline,omitempty"`
	// Assignees and DealProducts are the deal's assignments and product
	// lines, present on GetDeal only (the docs' example shows them; the
	// open-source controller seen renders only contact, stage and
	// pipeline, so they may be nil on a self-hosted install).
	Assignees    []DealAssignee `json:"deal_assignees,omitempty"`
	DealProducts []DealProduct  `json:"deal_products,omitempty"`
}

// Stage is a column of a pipeline.
type Stage struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name,omitempty"`
	Position   int       `json:"position,omitempty"`
	PipelineID int64     `json:"pipeline_id,omitempty"`
	AccountID  int64     `json:"account_id,omitempty"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
	UpdatedAt  time.Time `json:"updated_at,omitzero"`
}

// Pipeline is a sales process made of stages.
type Pipeline struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name,omitempty"`
	AccountID int64     `json:"account_id,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// DealInput is the body of CreateDeal and UpsertDeal. Zero fields are not
// sent.
type DealInput struct {
	Name   string     `json:"name,omitempty"`
	Status DealStatus `json:"status,omitempty"`
	// StageID places the deal; PipelineID alone places it in the
	// pipeline's first stage.
	StageID    int64 `json:"stage_id,omitempty"`
	PipelineID int64 `json:"pipeline_id,omitempty"`
	// ContactID is the deal's contact; UpsertDeal matches on it.
	ContactID int64 `json:"contact_id,omitempty"`
	// Contact, when ContactID is 0, gives the deal's contact by its
	// details instead: the client first upserts it (UpsertContact, matched
	// on its email or phone, one of which is required, so a retry finds the
	// contact rather than duplicating it) and then sends the deal with the
	// contact's id. Nested contact attributes are never sent: the docs name
	// them contact_attributes, the open-source controller permits only
	// contacts_attributes, and the model accepts only contact_attributes, so
	// no single nested form works on both.
	Contact          *ContactInput `json:"-"`
	CustomAttributes Attributes    `json:"custom_attributes,omitempty"`
}

// DealUpdate is the body of UpdateDeal: nil fields are left unchanged and
// are not sent; a set field is sent as is. Only the attributes Woofed's deal
// controller permits are offered (name, status, stage_id, pipeline_id,
// contact_id, custom_attributes): lost_reason, lost_at and won_at appear in
// the docs but are dropped by every controller version, so they cannot be
// written through the API (Woofed sets lost_at and won_at itself when the
// status changes).
//
//	crm.UpdateDeal(ctx, id, woofed.DealUpdate{Status: vendorkit.Ptr(woofed.DealLost)})
type DealUpdate struct {
	// Name, when set, is sent as is; vendorkit.Ptr("") sends "" (the column is not
	// null; Woofed may refuse a blank name with ErrValidation).
	Name   *string     `json:"name,omitempty"`
	Status *DealStatus `json:"status,omitempty"`
	// StageID moves the deal; PipelineID alone moves it to the pipeline's
	// first stage. Ids must be > 0: a deal always has a stage and contact.
	StageID    *int64 `json:"stage_id,omitempty"`
	PipelineID *int64 `json:"pipeline_id,omitempty"`
	ContactID  *int64 `json:"contact_id,omitempty"`
	// CustomAttributes, when not nil, is sent as the deal's custom
	// attributes (an empty, non-nil map sends {}).
	CustomAttributes Attributes `json:"custom_attributes,omitzero"`
}

// EventKind is the type of an event.
type EventKind string

// The event kinds.
const (
	EventNote                EventKind = "note"
	EventActivity            EventKind = "activity"
	EventChatwootMessage     EventKind = "chatwoot_message"
	EventEvolutionAPIMessage EventKind = "evolution_api_message"
	EventDealStageChange     EventKind = "deal_stage_change"
	EventDealOpened          EventKind = "deal_opened"
	EventDealWon             EventKind = "deal_won"
	EventDealLost            EventKind = "deal_lost"
	EventDealReopened        EventKind = "deal_reopened"
	EventDealProductAdded    EventKind = "deal_product_added"
	EventDealProductRemoved  EventKind = "deal_product_removed"
)

// Event is something that happened on a deal or contact: a note, an
// activity, a message or a deal change.
type Event struct {
	ID          int64     `json:"id"`
	DealID      int64     `json:"deal_id,omitempty"`
	ContactID   int64     `json:"contact_id,omitempty"`
	Kind        EventKind `json:"kind,omitempty"`
	Title       string    `json:"title,omitempty"`
	Content     string    `json:"content,omitempty"`
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	DoneAt      time.Time `json:"done_at,omitzero"`
	Done        bool      `json:"done,omitempty"`
	AutoDone    bool      `json:"auto_done,omitempty"`
	FromMe      bool      `json:"from_me,omitempty"`
	// Status is a message's delivery state: sent, delivered, read, failed
	// or empty.
	Status  string `json:"status,omitempty"`
	SendNow bool   `json:"send_now,omitempty"`
	// AppType is "Apps::Chatwoot" or "Apps::EvolutionApi" for messages.
	AppType              string     `json:"app_type,omitempty"`
	AppID                int64      `json:"app_id,omitempty"`
	CustomAttributes     Attributes `json:"custom_attributes,omitempty"`
	AdditionalAttributes Attributes `json:"additional_attributes,omitempty"`
	AccountID            int64      `json:"account_id,omitempty"`
	CreatedAt            time.Time  `json:"created_at,omitzero"`
	UpdatedAt            time.Time  `json:"updated_at,omitzero"`
}

// EventInput is the body of CreateDealEvent. Kind is required; zero fields
// are not sent.
type EventInput struct {
	Kind        EventKind `json:"kind"`
	Title       string    `json:"title,omitempty"`
	Content     string    `json:"content,omitempty"`
	Done        *bool     `json:"done,omitempty"`
	AutoDone    *bool     `json:"auto_done,omitempty"`
	DoneAt      time.Time `json:"done_at,omitzero"`
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	// SendNow sends a message event through its app at once.
	SendNow              *bool      `json:"send_now,omitempty"`
	AppType              string     `json:"app_type,omitempty"`
	AppID                int64      `json:"app_id,omitempty"`
	CustomAttributes     Attributes `json:"custom_attributes,omitempty"`
	AdditionalAttributes Attributes `json:"additional_attributes,omitempty"`
}

// Product is an item of the catalogue. GetProduct also fills DealProducts.
type Product struct {
	ID          int64  `json:"id"`
	Identifier  string `json:"identifier,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// AmountInCents is the unit price in cents; ≥ 0.
	AmountInCents     int64      `json:"amount_in_cents"`
	QuantityAvailable int64      `json:"quantity_available"`
	CustomAttributes  Attributes `json:"custom_attributes,omitempty"`
	// AdditionalAttributes holds integration data.
	AdditionalAttributes Attributes `json:"additional_attributes,omitempty"`
	AccountID            int64      `json:"account_id,omitempty"`
	CreatedAt            time.Time  `json:"created_at,omitzero"`
	UpdatedAt            time.Time  `json:"updated_at,omitzero"`
	// DealProducts is present on GetProduct only.
	DealProducts []DealProduct `json:"deal_products,omitempty"`
}

// Attachment is a file attached to a product.
type Attachment struct {
	// File is a signed blob id or a data URL.
	File string `json:"file"`
}

// ProductInput is the body of CreateProduct. Nil and empty fields are not
// sent; amounts are pointers so that 0 can be sent (use vendorkit.Ptr).
type ProductInput struct {
	Identifier  string `json:"identifier,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// AmountInCents is the unit price in cents; must be ≥ 0.
	AmountInCents *int64 `json:"amount_in_cents,omitempty"`
	// QuantityAvailable must be ≥ 0.
	QuantityAvailable    *int64       `json:"quantity_available,omitempty"`
	CustomAttributes     Attributes   `json:"custom_attributes,omitempty"`
	AdditionalAttributes Attributes   `json:"additional_attributes,omitempty"`
	Attachments          []Attachment `json:"attachments_attributes,omitempty"`
}

// ProductUpdate is the body of UpdateProduct: nil fields are left
// unchanged and are not sent. vendorkit.Ptr("") clears a text field (sent as "");
// Ptr[int64](0) sets an amount to 0.
type ProductUpdate struct {
	Identifier  *string `json:"identifier,omitempty"`
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	// AmountInCents is the unit price in cents; must be ≥ 0.
	AmountInCents *int64 `json:"amount_in_cents,omitempty"`
	// QuantityAvailable must be ≥ 0.
	QuantityAvailable *int64 `json:"quantity_available,omitempty"`
	// CustomAttributes and AdditionalAttributes, when not nil, are sent as
	// given (an empty, non-nil map sends {}).
	CustomAttributes     Attributes `json:"custom_attributes,omitzero"`
	AdditionalAttributes Attributes `json:"additional_attributes,omitzero"`
	// Attachments, when not nil, are added to the product.
	Attachments []Attachment `json:"attachments_attributes,omitzero"`
}

// DealProduct is a product line of a deal. CreateDealProduct, GetDealProduct
// and UpdateDealProduct fill Product and Deal.
type DealProduct struct {
	ID                 int64     `json:"id"`
	ProductID          int64     `json:"product_id,omitempty"`
	DealID             int64     `json:"deal_id,omitempty"`
	Quantity           int64     `json:"quantity"`
	UnitAmountInCents  int64     `json:"unit_amount_in_cents"`
	TotalAmountInCents int64     `json:"total_amount_in_cents"`
	ProductName        string    `json:"product_name,omitempty"`
	ProductIdentifier  string    `json:"product_identifier,omitempty"`
	AccountID          int64     `json:"account_id,omitempty"`
	CreatedAt          time.Time `json:"created_at,omitzero"`
	UpdatedAt          time.Time `json:"updated_at,omitzero"`
	Product            *Product  `json:"product,omitempty"`
	Deal               *Deal     `json:"deal,omitempty"`
}

// DealProductInput is the body of CreateDealProduct. Nil and zero fields
// are not sent (use vendorkit.Ptr for quantities and amounts).
type DealProductInput struct {
	ProductID int64 `json:"product_id,omitempty"`
	DealID    int64 `json:"deal_id,omitempty"`
	// Quantity must be ≥ 0.
	Quantity *int64 `json:"quantity,omitempty"`
	// UnitAmountInCents must be ≥ 0; the product's amount when not set.
	UnitAmountInCents *int64 `json:"unit_amount_in_cents,omitempty"`
	ProductName       string `json:"product_name,omitempty"`
	ProductIdentifier string `json:"product_identifier,omitempty"`
}

// DealProductUpdate is the body of UpdateDealProduct: nil fields are left
// unchanged and are not sent. vendorkit.Ptr("") clears the name or identifier
// snapshot (sent as ""); Ptr[int64](0) sets a number to 0.
type DealProductUpdate struct {
	// Quantity must be ≥ 0.
	Quantity *int64 `json:"quantity,omitempty"`
	// UnitAmountInCents must be ≥ 0.
	UnitAmountInCents *int64  `json:"unit_amount_in_cents,omitempty"`
	ProductName       *string `json:"product_name,omitempty"`
	ProductIdentifier *string `json:"product_identifier,omitempty"`
}

// DealAssignee records that a user is assigned to a deal.
type DealAssignee struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	DealID    int64     `json:"deal_id"`
	AccountID int64     `json:"account_id,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// User is a member of the account.
type User struct {
	ID        int64  `json:"id"`
	Email     string `json:"email,omitempty"`
	FullName  string `json:"full_name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Language  string `json:"language,omitempty"`
	AvatarURL string `json:"avatar_url,omitempty"`
	// JobDescription is one of Woofed's job values, e.g. "ceo",
	// "sales_representative", "other".
	JobDescription string `json:"job_description,omitempty"`
	// Notifications holds the user's notification settings; Woofed nests
	// them under "notifications" in its answers.
	Notifications Notifications `json:"notifications"`
	// ThemePreference is the UI theme, e.g. "system".
	ThemePreference string    `json:"theme_preference,omitempty"`
	AccountID       int64     `json:"account_id,omitempty"`
	CreatedAt       time.Time `json:"created_at,omitzero"`
	UpdatedAt       time.Time `json:"updated_at,omitzero"`
}

// Notifications are a user's notification settings.
type Notifications struct {
	// WebpushNotifyOnEventExpired sends a Web Push when one of the user's
	// events expires.
	WebpushNotifyOnEventExpired bool `json:"webpush_notify_on_event_expired"`
}

// UserInput is the body of CreateUser (an admin-only operation). Empty
// fields are not sent.
type UserInput struct {
	Email    string `json:"email,omitempty"`
	FullName string `json:"full_name,omitempty"`
	// Phone must be E.164 when set, like a contact's.
	Phone    string `json:"phone,omitempty"`
	Language string `json:"language,omitempty"`
	// AvatarURL is the public URL of the user's avatar.
	AvatarURL      string `json:"avatar_url,omitempty"`
	JobDescription string `json:"job_description,omitempty"`
	// WebpushNotifyOnEventExpired, when set, is sent flat as the create
	// body takes it (answers nest it under notifications).
	WebpushNotifyOnEventExpired *bool `json:"webpush_notify_on_event_expired,omitempty"`
	// Password and PasswordConfirmation must match.
	Password             string `json:"password,omitempty"`
	PasswordConfirmation string `json:"password_confirmation,omitempty"`
}
