package woofed

import "time"

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

// ContactInput is the body of CreateContact and UpsertContact. Empty
// fields are not sent.
type ContactInput struct {
	FullName string `json:"full_name,omitempty"`
	Email    string `json:"email,omitempty"`
	// Phone must be E.164 when set: "+", then 2–15 digits, the first not 0,
	// without spaces or dashes (e.g. "+5511999999999").
	Phone                string     `json:"phone,omitempty"`
	LabelList            []string   `json:"label_list,omitempty"`
	CustomAttributes     Attributes `json:"custom_attributes,omitempty"`
	AdditionalAttributes Attributes `json:"additional_attributes,omitempty"`
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
}

// Stage is a column of a pipeline.
type Stage struct {
	ID         int64  `json:"id"`
	Name       string `json:"name,omitempty"`
	Position   int    `json:"position,omitempty"`
	PipelineID int64  `json:"pipeline_id,omitempty"`
}

// Pipeline is a sales process made of stages.
type Pipeline struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"`
}

// NewContact is a contact created together with a deal.
type NewContact struct {
	FullName string `json:"full_name,omitempty"`
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// DealInput is the body of CreateDeal, UpdateDeal and UpsertDeal. Zero
// fields are not sent, so UpdateDeal changes only what is set.
type DealInput struct {
	Name   string     `json:"name,omitempty"`
	Status DealStatus `json:"status,omitempty"`
	// StageID places the deal; PipelineID alone places it in the
	// pipeline's first stage.
	StageID    int64 `json:"stage_id,omitempty"`
	PipelineID int64 `json:"pipeline_id,omitempty"`
	// ContactID is the deal's contact; UpsertDeal matches on it.
	ContactID int64 `json:"contact_id,omitempty"`
	// NewContacts creates the deal's contact along with it
	// (contacts_attributes), instead of ContactID.
	NewContacts      []NewContact `json:"contacts_attributes,omitempty"`
	CustomAttributes Attributes   `json:"custom_attributes,omitempty"`
	LostReason       string       `json:"lost_reason,omitempty"`
	LostAt           time.Time    `json:"lost_at,omitzero"`
	WonAt            time.Time    `json:"won_at,omitzero"`
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

// ProductInput is the body of CreateProduct and UpdateProduct. Nil and
// empty fields are not sent; amounts are pointers so that 0 can be sent
// (use Ptr).
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

// DealProductInput is the body of CreateDealProduct and UpdateDealProduct.
// Nil and zero fields are not sent (use Ptr for quantities and amounts).
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

// DealAssignee records that a user is assigned to a deal.
type DealAssignee struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	DealID    int64     `json:"deal_id"`
	CreatedAt time.Time `json:"created_at,omitzero"`
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
	JobDescription              string    `json:"job_description,omitempty"`
	WebpushNotifyOnEventExpired bool      `json:"webpush_notify_on_event_expired,omitempty"`
	CreatedAt                   time.Time `json:"created_at,omitzero"`
	UpdatedAt                   time.Time `json:"updated_at,omitzero"`
}

// UserInput is the body of CreateUser (an admin-only operation). Empty
// fields are not sent.
type UserInput struct {
	Email    string `json:"email,omitempty"`
	FullName string `json:"full_name,omitempty"`
	// Phone must be E.164 when set, like a contact's.
	Phone          string `json:"phone,omitempty"`
	Language       string `json:"language,omitempty"`
	JobDescription string `json:"job_description,omitempty"`
	// Password and PasswordConfirmation must match.
	Password             string `json:"password,omitempty"`
	PasswordConfirmation string `json:"password_confirmation,omitempty"`
}

// Ptr returns a pointer to v, for the optional numbers and flags of the
// input types: ProductInput{AmountInCents: woofed.Ptr[int64](0)}.
func Ptr[T any](v T) *T { return &v }
