package woodpecker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vendorkit/vendorkit/runtime"
)

// Me describes the account behind the key, from GET /v1/me. Woodpecker does
// not publish its fields and answers differently for HQ, client and master
// keys: the commonly seen ones are decoded, and Raw keeps every field.
// It marshals to JSON under the wire names of openapi/woodpecker.yaml (id,
// email, name, company_id, company_name) followed by every other field of
// Raw as Woodpecker sent it.
type Me struct {
	ID          int64  `json:"id"`
	Email       string `json:"email"`
	Name        string `json:"name"`
	CompanyID   int64  `json:"company_id"`
	CompanyName string `json:"company_name"`
	// Raw holds every field of the answer, decoded or not.
	Raw map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the known fields leniently and keeps all in Raw.
func (m *Me) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*m = Me{
		ID:          rawInt(raw, "id"),
		Email:       rawString(raw, "email"),
		Name:        rawString(raw, "name"),
		CompanyID:   rawInt(raw, "company_id"),
		CompanyName: rawString(raw, "company_name", "company"),
		Raw:         raw,
	}
	return nil
}

// MarshalJSON writes the decoded fields under their wire names, then the
// fields of Raw that they do not cover, unchanged (so that what the CLI or
// a log prints is Woodpecker's answer, under Woodpecker's names). A field
// of Raw that holds invalid JSON is left out.
func (m Me) MarshalJSON() ([]byte, error) {
	type known Me // the tags, without this method
	b, err := json.Marshal(known(m))
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m.Raw))
	for k, v := range m.Raw {
		switch k {
		case "id", "email", "name", "company_id", "company_name":
			continue
		}
		if json.Valid(v) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return b, nil
	}
	sort.Strings(keys)
	out := bytes.NewBuffer(b[:len(b)-1]) // without the closing brace
	for _, k := range keys {
		name, _ := json.Marshal(k)
		out.WriteByte(',')
		out.Write(name)
		out.WriteByte(':')
		out.Write(m.Raw[k])
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// Mailbox is an SMTP or IMAP account connected to Woodpecker (v2).
type Mailbox struct {
	ID      int64          `json:"id"`
	Type    string         `json:"type"` // "SMTP" or "IMAP"
	Details MailboxDetails `json:"details"`
}

// MailboxDetails are a mailbox's connection settings and sending limits.
// Frequencies are the wait between two e-mails, in seconds.
type MailboxDetails struct {
	Email          string   `json:"email"`
	Provider       string   `json:"provider"`
	Login          string   `json:"login"`
	Server         string   `json:"server"`
	Port           int      `json:"port"`
	FromName       string   `json:"from_name"`
	Error          string   `json:"error"`
	DailyLimit     int      `json:"daily_limit"`
	SentToday      int      `json:"sent_today"`
	FrequencyFrom  int      `json:"frequency_from"`
	FrequencyTo    int      `json:"frequency_to"`
	BCCCRM         string   `json:"bcc_crm"`
	Signature      string   `json:"signature"`
	OpenURL        string   `json:"open_url"`
	ClickURL       string   `json:"click_url"`
	UnsubscribeURL string   `json:"unsubscribe_url"`
	FreezeAccount  []Period `json:"freeze_account"`
	InSlot         bool     `json:"in_slot"`
	IMAPID         int64    `json:"imap_id"`
	Private        bool     `json:"private"`
	// Warmup is the warm-up state, when Woodpecker sends it.
	Warmup *Warmup `json:"warmup_data,omitempty"`
}

// Warmup is a mailbox's warm-up state.
type Warmup struct {
	// Status is e.g. RUNNING.
	Status string `json:"status"`
}

// UnmarshalJSON accepts freeze_account as a list of periods or "" (none).
func (d *MailboxDetails) UnmarshalJSON(b []byte) error {
	type plain MailboxDetails
	var w struct {
		*plain
		FreezeAccount json.RawMessage `json:"freeze_account"`
	}
	w.plain = (*plain)(d)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	d.FreezeAccount = nil
	if len(w.FreezeAccount) > 0 && w.FreezeAccount[0] == '[' {
		if err := json.Unmarshal(w.FreezeAccount, &d.FreezeAccount); err != nil {
			return fmt.Errorf("freeze_account: %w", err)
		}
	}
	return nil
}

// Period is a span of time, e.g. a mailbox freeze.
type Period struct {
	From time.Time
	To   time.Time
}

// UnmarshalJSON reads {"from","to"} in the v1 date form.
func (p *Period) UnmarshalJSON(b []byte) error {
	var w struct {
		From string `json:"from"`
		To   string `json:"to"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var err1, err2 error
	p.From, err1 = ParseV1Time(w.From)
	p.To, err2 = ParseV1Time(w.To)
	if err1 != nil {
		return err1
	}
	return err2
}

// MarshalJSON writes {"from","to"} in the v1 date form.
func (p Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"from": formatV1Time(p.From), "to": formatV1Time(p.To)})
}

// CampaignStatus is a campaign's state.
type CampaignStatus string

// Campaign states.
const (
	CampaignRunning   CampaignStatus = "RUNNING"
	CampaignDraft     CampaignStatus = "DRAFT"
	CampaignEdited    CampaignStatus = "EDITED"
	CampaignPaused    CampaignStatus = "PAUSED"
	CampaignStopped   CampaignStatus = "STOPPED"
	CampaignCompleted CampaignStatus = "COMPLETED"
)

// CampaignSummary is a campaign as GET /v1/campaign_list lists it.
type CampaignSummary struct {
	ID              int64          `json:"id"`
	Name            string         `json:"name"`
	Status          CampaignStatus `json:"status"`
	Created         time.Time      `json:"-"`
	FromName        string         `json:"from_name"`
	FromNames       []string       `json:"from_names"`
	FromEmail       string         `json:"from_email"`
	FromEmails      []string       `json:"from_emails"`
	FolderName      string         `json:"folder_name"`
	FolderID        int64          `json:"folder_id"`
	GDPRUnsubscribe bool           `json:"gdpr_unsubscribe"`
	PerDay          int            `json:"per_day"`
	BCC             string         `json:"bcc"`
	CC              string         `json:"cc"`
	Error           string         `json:"error"`
	// Stats are the campaign's statistics, sent only when ListCampaigns asks
	// for exactly one id (see GetCampaignStats). Kept raw: the docs' example
	// of this object is not visible in full (README, doc gaps).
	Stats json.RawMessage `json:"stats,omitempty"`
}

// MarshalJSON writes the summary as Woodpecker does, created in the v1 date
// form, so a stored summary decodes again.
func (c CampaignSummary) MarshalJSON() ([]byte, error) {
	type plain CampaignSummary
	return json.Marshal(struct {
		plain
		Created string `json:"created"`
	}{plain(c), formatV1Time(c.Created)})
}

// UnmarshalJSON reads created in the v1 date form.
func (c *CampaignSummary) UnmarshalJSON(b []byte) error {
	type plain CampaignSummary
	var w struct {
		*plain
		Created string `json:"created"`
	}
	w.plain = (*plain)(c)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	t, err := ParseV1Time(w.Created)
	if err != nil {
		return fmt.Errorf("created: %w", err)
	}
	c.Created = t
	return nil
}

// Campaign is a v2 campaign, as GetCampaign returns it and CreateCampaign
// takes it (CreateCampaign sends only the fields set; the settings left zero
// get Woodpecker's defaults). UpdateCampaign takes a CampaignUpdate.
type Campaign struct {
	ID              int64            `json:"id,omitempty"`
	Name            string           `json:"name,omitempty"`
	Status          CampaignStatus   `json:"status,omitempty"`
	EmailAccountIDs []int64          `json:"email_account_ids,omitempty"`
	Settings        CampaignSettings `json:"settings,omitzero"`
	// Steps is the first step (type START) of the linked list of steps.
	Steps *Step `json:"steps,omitempty"`
}

// CampaignSettings are a campaign's sending settings. The zero value of a
// field is Woodpecker's default (GET-campaign shows the defaults: false, 50
// a day, no open-tracking exceptions, BALANCED): CreateCampaign sends the
// flags always (false is the default) and omits the other zero fields.
type CampaignSettings struct {
	// Timezone is the campaign's IANA time zone, e.g. Europe/Warsaw.
	Timezone string `json:"timezone,omitempty"`
	// ProspectTimezone sends in each prospect's time zone when known.
	ProspectTimezone bool `json:"prospect_timezone"`
	// DailyEnroll is the most opening e-mails sent a day (all mailboxes).
	DailyEnroll int `json:"daily_enroll,omitempty"`
	// GDPRUnsubscribe adds an unsubscribe option to the opt-out link.
	GDPRUnsubscribe bool `json:"gdpr_unsubscribe"`
	// ListUnsubscribe adds the List-Unsubscribe header.
	ListUnsubscribe bool `json:"list_unsubscribe"`
	// OpenDisabledList names the domains and providers for which opens are
	// not tracked, e.g. ["google.com", "OTHER_PROVIDER"].
	OpenDisabledList []string `json:"open_disabled_list,omitempty"`
	// AutoPauseProspectFromDomain pauses a prospect's colleagues when one
	// replies.
	AutoPauseProspectFromDomain bool `json:"auto_pause_prospect_from_domain"`
	// CatchAllVerificationMode is e.g. BALANCED or MAXIMUM.
	CatchAllVerificationMode string `json:"catch_all_verification_mode,omitempty"`
}

// CampaignUpdate changes a DRAFT or EDITED campaign (UpdateCampaign, a
// partial PATCH). A nil field is left unchanged; vendorkit.Ptr(x) sets it.
type CampaignUpdate struct {
	// Name sets the campaign's name.
	Name *string `json:"name,omitempty"`
	// EmailAccountIDs replaces the SMTP mailboxes the campaign sends from
	// (nil: unchanged; Woodpecker needs at least one to run).
	EmailAccountIDs []int64 `json:"email_account_ids,omitempty"`
	// Settings changes the settings set in it.
	Settings *SettingsUpdate `json:"settings,omitempty"`
}

// SettingsUpdate changes campaign settings: nil leaves a setting unchanged,
// vendorkit.Ptr(x) sets it (vendorkit.Ptr(false) and vendorkit.Ptr(0) are
// sent as false and 0).
type SettingsUpdate struct {
	Timezone         *string `json:"timezone,omitempty"`
	ProspectTimezone *bool   `json:"prospect_timezone,omitempty"`
	DailyEnroll      *int    `json:"daily_enroll,omitempty"`
	GDPRUnsubscribe  *bool   `json:"gdpr_unsubscribe,omitempty"`
	ListUnsubscribe  *bool   `json:"list_unsubscribe,omitempty"`
	// OpenDisabledList replaces the list; vendorkit.Ptr([]string{}) clears
	// it (sends []), tracking opens everywhere.
	OpenDisabledList            *[]string `json:"open_disabled_list,omitempty"`
	AutoPauseProspectFromDomain *bool     `json:"auto_pause_prospect_from_domain,omitempty"`
	CatchAllVerificationMode    *string   `json:"catch_all_verification_mode,omitempty"`
}

// Step types.
const (
	StepStart    = "START"
	StepEmail    = "EMAIL"
	StepLinkedIn = "LINKEDIN"
)

// Step is one step of a campaign; Followup is the next one. Woodpecker
// refuses (409) steps it cannot express over the API: IF conditions,
// scheduled starts and manual tasks.
type Step struct {
	// ID is the step's id, a UUID string (b90637e7-8ccd-…); read-only.
	ID string `json:"id,omitempty"`
	// Type is StepStart, StepEmail or StepLinkedIn.
	Type          string       `json:"type"`
	FollowupAfter *Delay       `json:"followup_after,omitempty"`
	DeliveryTime  DeliveryTime `json:"delivery_time,omitempty"`
	Body          *StepBody    `json:"body,omitempty"`
	// Followup is the next step; nil (null on the wire) ends the campaign.
	Followup *Step `json:"followup,omitempty"`
}

// DeliveryTime maps MONDAY … SUNDAY to at most 3 sending windows each, in
// the campaign's (or the prospect's) time zone.
type DeliveryTime map[string][]TimeWindow

// Delay is how long after the previous step a step runs, e.g. {DAY, 3}.
type Delay struct {
	Range string `json:"range"`
	Value int    `json:"value"`
}

// TimeWindow is a daily sending window, "HH:MM" to "HH:MM".
type TimeWindow struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// StepBody holds a step's A/B versions.
type StepBody struct {
	Versions []StepVersion `json:"versions"`
}

// Signature says whether an e-mail version ends with the sending mailbox's
// signature.
type Signature string

// Signature settings.
const (
	SignatureSender Signature = "SENDER"
	SignatureNone   Signature = "NO_SIGNATURE"
)

// StepVersion is one (A/B) version of an EMAIL or LINKEDIN step. LINKEDIN
// versions use Message only.
type StepVersion struct {
	// ID is the version's id, a hex string; read-only.
	ID string `json:"id,omitempty"`
	// Version is A, B, …; read-only.
	Version string `json:"version,omitempty"`
	// Subject is the e-mail's subject; nil is sent as null, which on a
	// follow-up sends it in the same thread (as the docs' examples do). The
	// first EMAIL step needs one to run.
	Subject *string `json:"subject"`
	// Message is the HTML body; snippets ({{FIRST_NAME}}) and spintax work.
	Message   string    `json:"message,omitempty"`
	Signature Signature `json:"signature,omitempty"`
	// TrackOpens tracks opens of this version (nil: Woodpecker's default).
	TrackOpens *bool `json:"track_opens,omitempty"`
}

// StepVersionUpdate changes a step version (UpdateStepVersion, partial): nil
// leaves a field unchanged, vendorkit.Ptr(x) sets it. Subject
// vendorkit.Ptr("") sends "" (a follow-up in the same thread). LINKEDIN
// versions accept Message only.
type StepVersionUpdate struct {
	Subject    *string    `json:"subject,omitempty"`
	Message    *string    `json:"message,omitempty"`
	Signature  *Signature `json:"signature,omitempty"`
	TrackOpens *bool      `json:"track_opens,omitempty"`
}

// ProspectStatus is a prospect's global status.
type ProspectStatus string

// Prospect statuses.
const (
	ProspectActive      ProspectStatus = "ACTIVE"
	ProspectBlacklist   ProspectStatus = "BLACKLIST"
	ProspectAutoReplied ProspectStatus = "AUTOREPLIED"
	ProspectToCheck     ProspectStatus = "TO-CHECK"
	ProspectToReview    ProspectStatus = "TO-REVIEW"
	ProspectBounced     ProspectStatus = "BOUNCED"
	ProspectInvalid     ProspectStatus = "INVALID"
	ProspectReplied     ProspectStatus = "REPLIED"
)

// Prospect is a v1 prospect. When importing, Woodpecker keeps the stored
// value of a snippet that is omitted and clears one sent as "": a key present
// in Snippets is sent, even with an empty value. Tags are additive.
type Prospect struct {
	ID             int64
	Email          string
	FirstName      string
	LastName       string
	Company        string
	OrganizationID int64
	Industry       string
	Website        string
	LinkedInURL    string
	// Tags is one string of space-separated "#TAG" words.
	Tags       string
	Title      string
	Phone      string
	Address    string
	City       string
	State      string
	Country    string
	Status     ProspectStatus
	Interested string // campaign-level interest (INTERESTED, …)

	LastContacted time.Time
	LastReplied   time.Time
	Updated       time.Time

	// Snippets maps 1…15 to the prospect's snippet values.
	Snippets map[int]string
	// SnippetLabels are the account's names for the snippets, when sent.
	SnippetLabels map[string]string
	// Extra keeps fields not decoded above (e.g. campaigns_details).
	Extra map[string]json.RawMessage
}

// prospectStrings maps the plain string fields to their JSON keys.
func (p *Prospect) prospectStrings() []struct {
	key string
	v   *string
} {
	return []struct {
		key string
		v   *string
	}{
		{"email", &p.Email}, {"first_name", &p.FirstName}, {"last_name", &p.LastName},
		{"company", &p.Company}, {"industry", &p.Industry}, {"website", &p.Website},
		{"linkedin_url", &p.LinkedInURL}, {"tags", &p.Tags}, {"title", &p.Title},
		{"phone", &p.Phone}, {"address", &p.Address}, {"city", &p.City},
		{"state", &p.State}, {"country", &p.Country}, {"interested", &p.Interested},
	}
}

// UnmarshalJSON decodes a v1 prospect leniently: v1 dates, the legacy
// duplicate keys (snipet1…4, "snipper9", "last replied") and ids sent as
// strings.
func (p *Prospect) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*p = Prospect{}
	used := map[string]bool{}
	take := func(keys ...string) string {
		for _, k := range keys {
			used[k] = true
		}
		return rawString(raw, keys...)
	}
	p.ID = rawInt(raw, "id")
	p.OrganizationID = rawInt(raw, "organization_id")
	used["id"], used["organization_id"] = true, true
	for _, f := range p.prospectStrings() {
		*f.v = take(f.key)
	}
	p.Status = ProspectStatus(take("status"))
	for _, d := range []struct {
		keys []string
		t    *time.Time
	}{
		{[]string{"last_contacted"}, &p.LastContacted},
		{[]string{"last_replied", "last replied"}, &p.LastReplied},
		{[]string{"updated"}, &p.Updated},
	} {
		t, err := ParseV1Time(take(d.keys...))
		if err != nil {
			return fmt.Errorf("prospect %s: %w", d.keys[0], err)
		}
		*d.t = t
	}
	for n := 1; n <= 15; n++ {
		keys := []string{"snippet" + strconv.Itoa(n), "snipet" + strconv.Itoa(n)}
		if n == 9 {
			keys = append(keys, "snipper9")
		}
		found := false
		for _, k := range keys {
			if _, ok := raw[k]; ok {
				found = true
			}
		}
		if v := take(keys...); found {
			if p.Snippets == nil {
				p.Snippets = make(map[int]string, 15)
			}
			p.Snippets[n] = v
		}
	}
	if lbl, ok := raw["snippet_labels"]; ok {
		used["snippet_labels"] = true
		_ = json.Unmarshal(lbl, &p.SnippetLabels) // labels are informative; a surprise shape is ignored
	}
	for k, v := range raw {
		if !used[k] {
			if p.Extra == nil {
				p.Extra = map[string]json.RawMessage{}
			}
			p.Extra[k] = v
		}
	}
	return nil
}

// MarshalJSON writes the prospect as the v1 import endpoints take it: only
// the fields that are set, and every snippet present in Snippets.
func (p Prospect) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, 8+len(p.Snippets))
	if p.ID != 0 {
		m["id"] = p.ID
	}
	for _, f := range p.prospectStrings() {
		if *f.v != "" {
			m[f.key] = *f.v
		}
	}
	if p.Status != "" {
		m["status"] = p.Status
	}
	keys := make([]int, 0, len(p.Snippets))
	for n := range p.Snippets {
		keys = append(keys, n)
	}
	sort.Ints(keys)
	for _, n := range keys {
		if n < 1 || n > 15 {
			return nil, fmt.Errorf("prospect %s: snippet %d out of range 1…15", p.Email, n)
		}
		m["snippet"+strconv.Itoa(n)] = p.Snippets[n]
	}
	return json.Marshal(m)
}

// ImportResult is Woodpecker's answer to a prospect import: one line per
// prospect and the overall v1 status (an overall ERROR is returned as an
// error instead).
type ImportResult struct {
	Prospects []ImportedProspect `json:"prospects"`
	Status    struct {
		Status  string `json:"status"`
		Code    string `json:"code"`
		Message string `json:"msg"`
	} `json:"status"`
}

// ImportedProspect is the outcome for one imported prospect; Status is
// Woodpecker's word for it (e.g. OK, DUPLICATE, ERROR) and Code and Message
// explain a refusal.
type ImportedProspect struct {
	ID      int64  `json:"id"`
	Email   string `json:"email"`
	Status  string `json:"status"`
	Code    string `json:"code,omitempty"`
	Message string `json:"msg,omitempty"`
}

// User is a team member (v2).
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	// Role is "admin" or "user".
	Role string `json:"role"`
}

// Company is a client company of an agency (v2 agency API).
type Company struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Owner            string `json:"owner"`
	Active           bool   `json:"active"`
	RunningCampaigns int    `json:"running_campaigns"`
	EmailSlots       int    `json:"email_slots"`
	LinkedInSlots    int    `json:"linkedin_slots"`
}

// APIKey is a client company's API key created by the agency. Its String
// method shows the label and a fingerprint, never the key.
type APIKey struct {
	Key   string `json:"api_key"`
	Label string `json:"label"`
}

// String describes the key without revealing it.
func (k APIKey) String() string {
	if k.Key == "" {
		return "woodpecker.APIKey{" + k.Label + "}"
	}
	return "woodpecker.APIKey{" + k.Label + " " + runtime.Fingerprint(k.Key) + "}"
}

// EmailAccount is a client company's e-mail account, from the agency API.
type EmailAccount struct {
	ID int64 `json:"id"`
	// Type is "SMTP" or "IMAP".
	Type    string              `json:"type"`
	Details EmailAccountDetails `json:"details"`
}

// EmailAccountDetails describe an e-mail account. IMAP accounts carry only
// Email, Provider and Error.
type EmailAccountDetails struct {
	Email    string `json:"email"`
	Provider string `json:"provider"`
	// Error is the connection problem, "" (null on the wire) when none.
	Error    string `json:"error"`
	FromName string `json:"from_name,omitempty"`
	// IMAPID is the IMAP account paired with an SMTP one.
	IMAPID int64 `json:"imap_id,omitempty"`
	// RunningCampaigns counts the running campaigns sending from it.
	RunningCampaigns int `json:"running_campaigns,omitempty"`
}

// Page is one page of a list, numbered from 1 whatever the endpoint's own
// convention (Woodpecker's /v2/users counts from 0; the facade converts).
type Page[T any] struct {
	Items []T
	// Page is the 1-based number of this page.
	Page int
	// PageSize is the server's page size, when it said.
	PageSize int
	// Total is the number of items over all pages, or -1 when unknown.
	Total int64
	// TotalPages is the number of pages, or -1 when unknown.
	TotalPages int
	// More reports that a next page may hold items.
	More bool
}

// rawString returns the first of keys that holds a string (or a number,
// rendered), trimmed; "" otherwise.
func rawString(raw map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		v, ok := raw[k]
		if !ok {
			continue
		}
		if s, ok := plainText(v); ok {
			return s
		}
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
		var n json.Number
		if json.Unmarshal(v, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// plainText reads, without a decoder, what rawString's json.Unmarshal
// calls would make of v, a value taken from a decoded JSON object: the
// content of a string without escapes, in valid UTF-8 (json replaces
// invalid bytes), or a number's text. ok is false for anything else.
func plainText(v json.RawMessage) (string, bool) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
		in := v[1 : len(v)-1]
		if bytes.IndexByte(in, '\\') >= 0 || bytes.IndexByte(in, '"') >= 0 || !utf8.Valid(in) {
			return "", false
		}
		for _, c := range in {
			if c < ' ' {
				return "", false
			}
		}
		return string(in), true
	case len(v) > 0 && (v[0] == '-' || '0' <= v[0] && v[0] <= '9'):
		if !json.Valid(v) {
			return "", false
		}
		return string(v), true
	}
	return "", false
}

// rawInt returns the integer at key, sent as a number or a numeric string;
// 0 otherwise.
func rawInt(raw map[string]json.RawMessage, key string) int64 {
	s := strings.TrimSpace(rawString(raw, key))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) {
		return int64(f)
	}
	return 0
}
