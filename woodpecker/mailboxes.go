package woodpecker

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/woodpecker/internal/api"
)

// Secret is a password Woodpecker takes or returns (mailbox credentials).
// It prints as [redacted] with every fmt verb, in slog and in JSON (a
// struct holding one is safe to log in any form); Reveal returns the value,
// and the facade puts it in request bodies itself.
type Secret string

// Reveal returns the password.
func (s Secret) Reveal() string { return string(s) }

// String hides the password.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString hides the password from %#v.
func (s Secret) GoString() string { return `woodpecker.Secret("` + s.String() + `")` }

// Format hides the password from every fmt verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = f.Write([]byte(s.GoString()))
		return
	}
	_, _ = f.Write([]byte(s.String()))
}

// LogValue hides the password from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON hides the password from JSON encodings (slog's JSON handler
// marshals structs).
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the password.
func (s *Secret) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Secret(v)
	return nil
}

// MaxMailboxBatch is how many mailboxes one ConnectMailboxes call may
// submit.
const MaxMailboxBatch = 200

// MailboxConnection is one SMTP/IMAP mailbox to connect. The SMTP and IMAP
// e-mail, password, server and port are required; the rest is optional and
// sent only when set.
type MailboxConnection struct {
	SMTPEmail    string `json:"smtp_email"`
	SMTPLogin    string `json:"smtp_login,omitempty"`
	SMTPPassword Secret `json:"smtp_password"`
	SMTPServer   string `json:"smtp_server"`
	SMTPPort     int    `json:"smtp_port"`
	SMTPFromName string `json:"smtp_from_name,omitempty"`
	IMAPEmail    string `json:"imap_email"`
	IMAPPassword Secret `json:"imap_password"`
	IMAPServer   string `json:"imap_server"`
	IMAPPort     int    `json:"imap_port"`
	// Footer is HTML appended to every e-mail.
	Footer string `json:"footer,omitempty"`
	BCC    string `json:"bcc,omitempty"`
	// Tracking domains (custom domains for open, click and unsubscribe
	// links).
	OpenTrackingDomain        string `json:"open_tracking_domain,omitempty"`
	ClickTrackingDomain       string `json:"click_tracking_domain,omitempty"`
	UnsubscribeTrackingDomain string `json:"unsubscribe_tracking_domain,omitempty"`
	// SendingWaitTimeFrom and SendingWaitTimeTo bound the wait between two
	// e-mails (10…9999 and 20…9999, From < To).
	SendingWaitTimeFrom int `json:"sending_wait_time_from,omitempty"`
	SendingWaitTimeTo   int `json:"sending_wait_time_to,omitempty"`
	// DailySendingLimit is 1…5500.
	DailySendingLimit int `json:"daily_sending_limit,omitempty"`
}

// Completion notifications for ConnectMailboxes.
const (
	NotifyByMail = "MAIL"
	NotifyInApp  = "IN_APP"
)

// MailboxBatch is a ConnectMailboxes request.
type MailboxBatch struct {
	// Mailboxes to connect, 1…MaxMailboxBatch.
	Mailboxes []MailboxConnection `json:"mailboxes"`
	// CompletionNotificationTypes asks for a notification when the batch is
	// processed: NotifyByMail, NotifyInApp.
	CompletionNotificationTypes []string `json:"completion_notification_types,omitempty"`
}

// check validates what the docs say Woodpecker requires.
func (b MailboxBatch) check(op string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("woodpecker: %s: %w: "+format, append([]any{op, vendorkit.ErrInvalidArgument}, args...)...)
	}
	if len(b.Mailboxes) == 0 || len(b.Mailboxes) > MaxMailboxBatch {
		return bad("%d mailboxes: send 1…%d", len(b.Mailboxes), MaxMailboxBatch)
	}
	for i, m := range b.Mailboxes {
		for _, e := range []string{m.SMTPEmail, m.IMAPEmail} {
			if _, err := mail.ParseAddress(e); err != nil || strings.ContainsAny(e, "<> ") {
				return bad("mailbox %d: %q is not an e-mail address", i, e)
			}
		}
		if strings.TrimSpace(string(m.SMTPPassword)) == "" || strings.TrimSpace(string(m.IMAPPassword)) == "" {
			return bad("mailbox %d: SMTP and IMAP passwords are required", i)
		}
		if strings.TrimSpace(m.SMTPServer) == "" || strings.TrimSpace(m.IMAPServer) == "" {
			return bad("mailbox %d: SMTP and IMAP servers are required", i)
		}
		if m.SMTPPort < 1 || m.SMTPPort > 65535 || m.IMAPPort < 1 || m.IMAPPort > 65535 {
			return bad("mailbox %d: ports must be 1…65535", i)
		}
	}
	for _, n := range b.CompletionNotificationTypes {
		if n != NotifyByMail && n != NotifyInApp {
			return bad("notification %q: use NotifyByMail or NotifyInApp", n)
		}
	}
	return nil
}

// wire renders the batch as Woodpecker takes it, passwords revealed.
func (b MailboxBatch) wire(op string) (*bytes.Reader, error) {
	type connection struct {
		MailboxConnection
		SMTPPassword string `json:"smtp_password"`
		IMAPPassword string `json:"imap_password"`
	}
	out := struct {
		Mailboxes                   []connection `json:"mailboxes"`
		CompletionNotificationTypes []string     `json:"completion_notification_types,omitempty"`
	}{CompletionNotificationTypes: b.CompletionNotificationTypes}
	for _, m := range b.Mailboxes {
		out.Mailboxes = append(out.Mailboxes, connection{m, m.SMTPPassword.Reveal(), m.IMAPPassword.Reveal()})
	}
	return jsonBody(op, out)
}

// ConnectMailboxes submits mailboxes to connect with their SMTP/IMAP
// credentials (POST /v2/mailboxes/manual_connection/bulk). Woodpecker
// connects them in the background: poll GetMailboxConnectionBatch with the
// returned batch id. The call is a POST and is never repeated once
// Woodpecker may have acted on it.
func (c *Client) ConnectMailboxes(ctx context.Context, batch MailboxBatch) (int64, error) {
	ctx = runtime.WithOperation(ctx, "ConnectMailboxes")
	const op = "connect mailboxes"
	if err := batch.check(op); err != nil {
		return 0, err
	}
	body, err := batch.wire(op)
	if err != nil {
		return 0, err
	}
	w, err := decodeAs[struct {
		BatchID int64 `json:"batch_id"`
	}](op)(c.client().ConnectMailboxesWithBody(ctx, &api.ConnectMailboxesParams{}, "application/json", body))
	if err == nil && w.BatchID == 0 {
		err = fail(op, fmt.Errorf("answer has no batch_id"))
	}
	return w.BatchID, err
}

// BatchSummary is the progress of a ConnectMailboxes batch.
type BatchSummary struct {
	ProcessingFinished bool `json:"processing_finished"`
	BatchSize          int  `json:"batch_size"`
	Pending            int  `json:"pending_mailboxes_count"`
	Connected          int  `json:"connected_mailboxes_count"`
	// ConditionallyConnected are connected with a warning; they are not
	// counted in Connected.
	ConditionallyConnected int `json:"conditionally_connected_mailboxes_count"`
	Failed                 int `json:"failed_mailboxes_count"`
	// ConditionallyConnectedMailboxes and FailedMailboxes describe the
	// mailboxes concerned. Kept raw: the docs show them empty only.
	ConditionallyConnectedMailboxes []json.RawMessage `json:"conditionally_connected_mailboxes"`
	FailedMailboxes                 []json.RawMessage `json:"failed_mailboxes"`
}

// GetMailboxConnectionBatch returns the progress of a mailbox batch (GET
// /v2/mailboxes/manual_connection/bulk/{batch_id}/summary).
func (c *Client) GetMailboxConnectionBatch(ctx context.Context, batchID int64) (BatchSummary, error) {
	ctx = runtime.WithOperation(ctx, "GetMailboxConnectionBatch")
	const op = "get mailbox connection batch"
	if err := checkID(op, "batch", batchID); err != nil {
		return BatchSummary{}, err
	}
	return decodeAs[BatchSummary](op)(c.client().GetMailboxConnectionBatch(ctx, batchID, &api.GetMailboxConnectionBatchParams{}))
}

// Domain is a domain purchased in Woodpecker.
type Domain struct {
	Domain         string `json:"domain"`
	MailboxesCount int    `json:"mailboxes_count"`
	Provider       string `json:"provider"`
	// IsCustomDomain: bought elsewhere and transferred to Woodpecker.
	IsCustomDomain bool `json:"is_custom_domain"`
	IsReady        bool `json:"is_ready"`
	// Expires and Created are sent without a zone; read as UTC.
	Expires time.Time `json:"expires"`
	Created time.Time `json:"created"`
}

// UnmarshalJSON reads the zone-less timestamps.
func (d *Domain) UnmarshalJSON(b []byte) error {
	type plain Domain
	var w struct {
		*plain
		Expires string `json:"expires"`
		Created string `json:"created"`
	}
	w.plain = (*plain)(d)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return parseTimes(map[string]string{"expires": w.Expires, "created": w.Created}, map[string]*time.Time{"expires": &d.Expires, "created": &d.Created})
}

// Domain mailbox statuses.
const (
	DomainMailboxOrdered = "ORDERED"
	DomainMailboxPaid    = "PAID"
)

// DomainMailbox is a mailbox of a purchased domain. ListDomainMailboxes
// fills FirstName, LastName, Email, Provider and Status; GetDomainMailbox
// adds the credentials and settings.
type DomainMailbox struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	Login     string `json:"login,omitempty"`
	Provider  string `json:"provider"`
	// Status is DomainMailboxOrdered or DomainMailboxPaid.
	Status string `json:"status"`
	// Authenticator is the current one-time code, when there is one.
	Authenticator *string `json:"authenticator,omitempty"`
	SMTPServer    string  `json:"smtp_server,omitempty"`
	SMTPPassword  Secret  `json:"smtp_password,omitempty"`
	SMTPPort      int     `json:"smtp_port,omitempty"`
	IMAPServer    string  `json:"imap_server,omitempty"`
	IMAPEmail     string  `json:"imap_email,omitempty"`
	IMAPPassword  Secret  `json:"imap_password,omitempty"`
	IMAPPort      int     `json:"imap_port,omitempty"`
	// Created is sent without a zone; read as UTC.
	Created        time.Time `json:"created,omitzero"`
	ProfilePicture string    `json:"profile_picture,omitempty"`
}

// UnmarshalJSON reads the zone-less timestamp.
func (m *DomainMailbox) UnmarshalJSON(b []byte) error {
	type plain DomainMailbox
	var w struct {
		*plain
		Created string `json:"created"`
	}
	w.plain = (*plain)(m)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return parseTimes(map[string]string{"created": w.Created}, map[string]*time.Time{"created": &m.Created})
}

// parseTimes reads each named value with ParseV1Time (zone-less → UTC).
func parseTimes(in map[string]string, out map[string]*time.Time) error {
	for k, v := range in {
		t, err := ParseV1Time(v)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		*out[k] = t
	}
	return nil
}

// ListDomains returns the domains purchased in Woodpecker (GET /v2/domains).
func (c *Client) ListDomains(ctx context.Context) ([]Domain, error) {
	ctx = runtime.WithOperation(ctx, "ListDomains")
	w, err := decodeAs[struct {
		Domains []Domain `json:"domains"`
	}]("list domains")(c.client().ListDomains(ctx, &api.ListDomainsParams{}))
	return w.Domains, err
}

// ListDomainMailboxes returns the active mailboxes of a purchased domain
// (GET /v2/domains/{domain}/mailboxes), without credentials.
func (c *Client) ListDomainMailboxes(ctx context.Context, domain string) ([]DomainMailbox, error) {
	ctx = runtime.WithOperation(ctx, "ListDomainMailboxes")
	const op = "list domain mailboxes"
	if err := checkStringID(op, "domain", domain); err != nil {
		return nil, err
	}
	w, err := decodeAs[struct {
		Mailboxes []DomainMailbox `json:"mailboxes"`
	}](op)(c.client().ListDomainMailboxes(ctx, domain, &api.ListDomainMailboxesParams{}))
	return w.Mailboxes, err
}

// GetDomainMailbox returns one mailbox of a purchased domain with its
// credentials (Secret values: they never print) and IMAP/SMTP settings (GET
// /v2/domains/{domain}/mailboxes/{email}).
func (c *Client) GetDomainMailbox(ctx context.Context, domain, email string) (DomainMailbox, error) {
	ctx = runtime.WithOperation(ctx, "GetDomainMailbox")
	const op = "get domain mailbox"
	if err := checkStringID(op, "domain", domain); err != nil {
		return DomainMailbox{}, err
	}
	if err := checkStringID(op, "mailbox", email); err != nil {
		return DomainMailbox{}, err
	}
	return decodeAs[DomainMailbox](op)(c.client().GetDomainMailbox(ctx, domain, email, &api.GetDomainMailboxParams{}))
}

// MailboxOrder is one mailbox to order on a domain bought in Woodpecker;
// the names make its "from name".
type MailboxOrder struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
}

// OrderDomainMailboxes orders mailboxes on active domains bought in
// Woodpecker (POST /v2/domains/mailboxes/order). It is billable (paid from
// prepaid funds) and processed in the background: ListDomainMailboxes shows
// them ORDERED, then PAID. A POST, never repeated once Woodpecker may have
// acted on it.
func (c *Client) OrderDomainMailboxes(ctx context.Context, mailboxes ...MailboxOrder) error {
	ctx = runtime.WithOperation(ctx, "OrderDomainMailboxes")
	const op = "order domain mailboxes"
	if len(mailboxes) == 0 {
		return fmt.Errorf("woodpecker: %s: %w: no mailbox", op, vendorkit.ErrInvalidArgument)
	}
	for i, m := range mailboxes {
		if strings.TrimSpace(m.FirstName) == "" || strings.TrimSpace(m.LastName) == "" {
			return fmt.Errorf("woodpecker: %s: %w: mailbox %d: first and last names are required", op, vendorkit.ErrInvalidArgument, i)
		}
		if a, err := mail.ParseAddress(m.Email); err != nil || a.Address != m.Email {
			return fmt.Errorf("woodpecker: %s: %w: mailbox %d: %q is not an e-mail address", op, vendorkit.ErrInvalidArgument, i, m.Email)
		}
	}
	body, err := jsonBody(op, struct {
		Mailboxes []MailboxOrder `json:"mailboxes"`
	}{mailboxes})
	if err != nil {
		return err
	}
	return discardAs(op)(c.client().OrderDomainMailboxesWithBody(ctx, &api.OrderDomainMailboxesParams{}, "application/json", body))
}

// MaxProfilePicture is the largest decoded profile picture Woodpecker
// takes (5 MB; also at most 4096x4096 pixels).
const MaxProfilePicture = 5 << 20

// UpdateDomainMailboxProfilePicture sets the profile picture of a domain
// mailbox (Google mailboxes; PATCH …/mailboxes/{email}/profile_picture).
// image is the PNG or JPEG file's bytes; the client sends them as Base64.
func (c *Client) UpdateDomainMailboxProfilePicture(ctx context.Context, domain, email string, image []byte) error {
	ctx = runtime.WithOperation(ctx, "UpdateDomainMailboxProfilePicture")
	const op = "update domain mailbox profile picture"
	if err := checkStringID(op, "domain", domain); err != nil {
		return err
	}
	if err := checkStringID(op, "mailbox", email); err != nil {
		return err
	}
	if ct := http.DetectContentType(image); len(image) == 0 || len(image) > MaxProfilePicture || (ct != "image/png" && ct != "image/jpeg") {
		return fmt.Errorf("woodpecker: %s: %w: the picture must be a PNG or JPEG of at most 5 MB", op, vendorkit.ErrInvalidArgument)
	}
	body, err := jsonBody(op, map[string]string{"avatar": base64.StdEncoding.EncodeToString(image)})
	if err != nil {
		return err
	}
	w, err := decodeAs[struct {
		Success *bool `json:"success"`
	}](op)(c.client().UpdateDomainMailboxProfilePictureWithBody(ctx, domain, email, &api.UpdateDomainMailboxProfilePictureParams{}, "application/json", body))
	if err == nil && w.Success != nil && !*w.Success {
		err = fail(op, fmt.Errorf("woodpecker answered success: false"))
	}
	return err
}
