package qwoty

import (
	"encoding/json"
	"fmt"
	"time"
)

// Term says when an installment is due. Qwoty's documented list is cut off
// after TermPOReceived, so other values may come back and may be sent; the
// client does not restrict them.
type Term string

// The documented installment terms.
const (
	TermDueNow       Term = "due_now"
	TermDueOnReceipt Term = "due_on_receipt"
	TermNet15        Term = "net15"
	TermNet30        Term = "net30"
	TermNet45        Term = "net45"
	TermNet60        Term = "net60"
	TermNet90        Term = "net90"
	TermNet120       Term = "net120"
	TermEOM30        Term = "eom30"
	TermEOM45        Term = "eom45"
	TermEOM60        Term = "eom60"
	TermPOReceived   Term = "po_received"
)

// PaymentTerm is a workspace's payment term: how a quote's total is split
// into installments and when each is due.
type PaymentTerm struct {
	// ID is the term's UUID.
	ID string `json:"id"`
	// Name is the display name (at most 50 characters).
	Name string `json:"name"`
	// APIName is the term's unique slug within the workspace.
	APIName string `json:"api_name"`
	// Reference is a free reference (at most 50 characters).
	Reference string `json:"reference,omitempty"`
	// IsActive reports whether the term can be used on new quotes.
	IsActive bool `json:"is_active"`
	// IDCRM, IDERP and IDAccounting are the term's ids in connected systems.
	IDCRM        string `json:"id_crm,omitempty"`
	IDERP        string `json:"id_erp,omitempty"`
	IDAccounting string `json:"id_accounting,omitempty"`
	// Installments split the amount; their percentages sum to 100.
	Installments []Installment `json:"installments"`
	// CreatedAt and UpdatedAt are set by Qwoty.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Installment is one part of a payment term.
type Installment struct {
	// ID is the installment's UUID, set by Qwoty; leave it empty when
	// creating.
	ID string `json:"id,omitempty"`
	// Name is the installment's display name, e.g. "Deposit".
	Name string `json:"name"`
	// Percentage is the share of the total, exactly ("33.33"); the
	// installments of a term sum to exactly 100.
	Percentage Decimal `json:"percentage"`
	// Term says when the installment is due.
	Term Term `json:"term"`
	// CustomText is shown on the quote instead of the term's standard text.
	CustomText string `json:"custom_text,omitempty"`
	// OrderNumber orders the installments (1 first); 0 is not sent.
	OrderNumber int `json:"order_number,omitempty"`
}

// PaymentTermInput is the body of CreatePaymentTerm.
type PaymentTermInput struct {
	// Name is required, at most 50 characters.
	Name string `json:"name"`
	// APIName is required: a unique slug of lower-case letters, digits, "_"
	// and "-", starting with a letter or digit.
	APIName string `json:"api_name"`
	// Reference is optional, at most 50 characters.
	Reference string `json:"reference,omitempty"`
	// IsActive defaults to true (on Qwoty's side) when nil.
	IsActive *bool `json:"is_active,omitempty"`
	// IDCRM, IDERP and IDAccounting are optional external ids.
	IDCRM        string `json:"id_crm,omitempty"`
	IDERP        string `json:"id_erp,omitempty"`
	IDAccounting string `json:"id_accounting,omitempty"`
	// Installments are optional; when given, their percentages must sum to
	// exactly 100.
	Installments []Installment `json:"installments,omitempty"`
}

// PaymentTermUpdate is the body of UpdatePaymentTerm, a partial update: only
// the fields that are set (non-nil) are sent, and only those change.
//
//	pt, err := q.UpdatePaymentTerm(ctx, id, qwoty.PaymentTermUpdate{IsActive: vendorkit.Ptr(false)})
//
// sends exactly {"is_active":false}. Qwoty documents no way to clear a field
// (e.g. reset reference to null), so none is offered.
type PaymentTermUpdate struct {
	Name         *string `json:"name,omitempty"`
	APIName      *string `json:"api_name,omitempty"`
	Reference    *string `json:"reference,omitempty"`
	IsActive     *bool   `json:"is_active,omitempty"`
	IDCRM        *string `json:"id_crm,omitempty"`
	IDERP        *string `json:"id_erp,omitempty"`
	IDAccounting *string `json:"id_accounting,omitempty"`
	// Installments, when not nil, replace the term's installments; their
	// percentages must sum to exactly 100.
	Installments []Installment `json:"installments,omitempty"`
}

// Quote is a Qwoty quote as GET /quote/{id} returns it.
type Quote struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	// Status is the quote's state, e.g. "sent".
	Status string `json:"status"`
	// Publish is the quote's publication flag; nil when Qwoty sent no
	// boolean (the docs do not type it).
	Publish *bool `json:"publish,omitempty"`
	// IssueDate and ExpirationDate are full timestamps in Qwoty's answers
	// ("2026-03-10T09:15:00.000Z", "2024-12-31T23:59:59Z"); a bare date
	// ("2026-03-10") is read as midnight UTC. Zero when absent or null.
	IssueDate      time.Time `json:"issue_date,omitzero"`
	ExpirationDate time.Time `json:"expiration_date,omitzero"`
	// Currency is an ISO 4217 code, e.g. "EUR".
	Currency      string `json:"currency,omitempty"`
	Language      string `json:"language,omitempty"`
	Title         string `json:"title,omitempty"`
	OpportunityID string `json:"opportunity_id,omitempty"`
	// Owner is the user who owns the quote. The docs name this property
	// "owner" (first and last name) on one site and "owner_id" (one name) on
	// the other; either is read into Owner.
	Owner *Owner `json:"owner,omitempty"`
	// PDFLink is a signed URL that expires (see its expires parameter).
	PDFLink      string        `json:"pdf_link,omitempty"`
	DealroomLink string        `json:"dealroom_link,omitempty"`
	BusinessUnit *BusinessUnit `json:"business_unit,omitempty"`
	Customer     *Customer     `json:"customer,omitempty"`
	PricingTable *PricingTable `json:"pricing_table,omitempty"`
	Summary      *Summary      `json:"summary,omitempty"`
}

// UnmarshalJSON reads a quote, accepting the owner as "owner" or "owner_id",
// a publish flag that is not a boolean (left nil), and dates as RFC 3339
// timestamps or bare dates.
func (q *Quote) UnmarshalJSON(b []byte) error {
	type plain Quote
	var aux struct {
		plain
		Publish        json.RawMessage `json:"publish"`
		OwnerID        *Owner          `json:"owner_id"`
		IssueDate      *string         `json:"issue_date"`
		ExpirationDate *string         `json:"expiration_date"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*q = Quote(aux.plain)
	var err error
	if q.IssueDate, err = parseTimestamp("issue_date", aux.IssueDate); err != nil {
		return err
	}
	if q.ExpirationDate, err = parseTimestamp("expiration_date", aux.ExpirationDate); err != nil {
		return err
	}
	if q.Owner == nil {
		q.Owner = aux.OwnerID
	}
	var pub bool
	if len(aux.Publish) > 0 && json.Unmarshal(aux.Publish, &pub) == nil && string(aux.Publish) != "null" {
		q.Publish = &pub
	}
	return nil
}

// Owner is the user who owns a quote.
type Owner struct {
	ID        string `json:"id"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	// Name is set when Qwoty sends one name rather than first and last.
	Name        string       `json:"name,omitempty"`
	Email       string       `json:"email,omitempty"`
	ExternalIDs *ExternalIDs `json:"external_ids,omitempty"`
}

// FullName returns Name, or the first and last names joined.
func (o Owner) FullName() string {
	if o.Name != "" {
		return o.Name
	}
	switch {
	case o.FirstName == "":
		return o.LastName
	case o.LastName == "":
		return o.FirstName
	}
	return o.FirstName + " " + o.LastName
}

// ExternalIDs are a record's ids in connected systems.
type ExternalIDs struct {
	CRM        string `json:"crm,omitempty"`
	ERP        string `json:"erp,omitempty"`
	Accounting string `json:"accounting,omitempty"`
}

// Address is a postal address.
type Address struct {
	Line1       string `json:"line1,omitempty"`
	Line2       string `json:"line2,omitempty"`
	City        string `json:"city,omitempty"`
	PostalCode  string `json:"postal_code,omitempty"`
	Country     string `json:"country,omitempty"`
	CountryCode string `json:"country_code,omitempty"`
}

// BusinessUnit is the selling entity a quote is issued by.
type BusinessUnit struct {
	ID      string   `json:"id"`
	Type    string   `json:"type,omitempty"`
	Brand   string   `json:"brand,omitempty"`
	Name    string   `json:"name,omitempty"`
	Logo    *Logo    `json:"logo,omitempty"`
	TaxIDs  []TaxID  `json:"tax_ids,omitempty"`
	Address *Address `json:"address,omitempty"`
}

// Logo is an image with its alternative text.
type Logo struct {
	URL string `json:"url,omitempty"`
	Alt string `json:"alt,omitempty"`
}

// TaxID is a tax registration, e.g. {Code: "eu_vat", Value: "FR…"}.
type TaxID struct {
	Code  string `json:"code"`
	Value string `json:"value"`
}

// Customer is the company or person a quote is addressed to.
type Customer struct {
	ID              string       `json:"id"`
	Type            string       `json:"type,omitempty"`
	Name            string       `json:"name,omitempty"`
	ExternalIDs     *ExternalIDs `json:"external_ids,omitempty"`
	Contacts        []Contact    `json:"contacts,omitempty"`
	BillingAddress  *Address     `json:"billing_address,omitempty"`
	ShippingAddress *Address     `json:"shipping_address,omitempty"`
	// CustomProperties are the workspace's custom fields, kept as raw JSON
	// so that numbers are never rounded through float64.
	CustomProperties map[string]json.RawMessage `json:"custom_properties,omitempty"`
}

// Contact is a person at the customer.
type Contact struct {
	ID        string `json:"id"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Email     string `json:"email,omitempty"`
	Role      string `json:"role,omitempty"`
}

// PricingTable is the priced content of a quote.
type PricingTable struct {
	Settings PricingSettings `json:"settings"`
	Sections []Section       `json:"sections"`
}

// PricingSettings are a pricing table's display settings.
type PricingSettings struct {
	IsPricesHidden bool `json:"is_prices_hidden"`
}

// Section is a part of a pricing table, made of phases.
type Section struct {
	ID     string  `json:"id"`
	Type   string  `json:"type,omitempty"`
	Rank   int     `json:"rank"`
	Name   string  `json:"name,omitempty"`
	Phases []Phase `json:"phases"`
}

// Phase groups line items within a section.
type Phase struct {
	ID        string     `json:"id"`
	Name      string     `json:"name,omitempty"`
	Rank      int        `json:"rank"`
	LineItems []LineItem `json:"line_items"`
}

// LineItem is one priced product line.
type LineItem struct {
	ID      string  `json:"id"`
	Rank    int     `json:"rank"`
	Product Product `json:"product"`
	// Quantity is exact (it may be fractional, e.g. 1.5 days).
	Quantity Decimal `json:"quantity"`
	Pricing  Pricing `json:"pricing"`
}

// Product is the catalogue product of a line item.
type Product struct {
	ProductID     string `json:"product_id"`
	Name          string `json:"name,omitempty"`
	UnitOfMeasure string `json:"unit_of_measure,omitempty"`
}

// Pricing is how a line item is priced.
type Pricing struct {
	// Model is the pricing model, e.g. "flat" or "per_unit".
	Model string `json:"model,omitempty"`
	// ListPrice is the unit list price, exact.
	ListPrice Decimal `json:"list_price"`
	Currency  string  `json:"currency,omitempty"`
}

// Summary holds a quote's totals.
type Summary struct {
	OneOff    Amounts            `json:"one_off"`
	Recurring []RecurringAmounts `json:"recurring,omitempty"`
}

// Amounts are exact net, tax and total amounts.
type Amounts struct {
	NetAmount   Decimal `json:"net_amount"`
	TaxAmount   Decimal `json:"tax_amount"`
	TotalAmount Decimal `json:"total_amount"`
}

// RecurringAmounts are the amounts billed every IntervalCount Intervals
// (e.g. every 1 "month").
type RecurringAmounts struct {
	Interval      string  `json:"interval"`
	IntervalCount int     `json:"interval_count"`
	NetAmount     Decimal `json:"net_amount"`
	TaxAmount     Decimal `json:"tax_amount"`
	TotalAmount   Decimal `json:"total_amount"`
}

// parseTimestamp reads one of a quote's dates: an RFC 3339 timestamp, with
// or without fractional seconds, as the docs show, or a bare YYYY-MM-DD
// date (midnight UTC). Null, absent or "" is the zero time; anything else
// is an error naming the field.
func parseTimestamp(field string, s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, *s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, *s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("qwoty: quote %s %q is not an RFC 3339 timestamp", field, *s)
}
