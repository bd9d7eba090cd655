// Package woofedtest is an in-process fake of Woofed CRM's REST API for
// tests: it serves every operation of package woofed from memory under
// /api/v1/accounts/{account_id}, checks the Bearer token exactly as Woofed's
// docs describe, answers in Woofed's own error shapes and Pagy pagination,
// and embeds *vendorkittest.Server for fault injection and request
// recording.
//
//	srv := woofedtest.NewServer(t)
//	crm, _ := woofed.New(vendorkittest.NewClient(t), srv.Token(), woofed.WithBaseURL(srv.URL()))
//	srv.FailNext(1, 503, "", "")   // faults from vendorkittest
//
// The fake starts with one admin user (id 1, the token's user) and one
// pipeline "Sales" (id 1) with the stages "Lead" (1), "Proposal" (2) and
// "Closing" (3). Woofed's behaviour it reproduces:
//   - a missing or malformed Authorization header, or another token, is 401
//     {"errors":"Unauthorized"}; a request for another account is 404;
//   - create/update validation failures answer {"errors":["Full message"]},
//     contact upsert the raw hash {"email":["is invalid"]}, products the
//     newer {"message":…,"attributes":[…]}, a bad search {"errors":"Invalid
//     search parameters","details":…};
//   - deals and products that do not exist answer {"errors":"Not found"},
//     other records {"error":"Resource could not be found"};
//   - contact upsert matches an email case-insensitively as a substring, or
//     the phone (with Brazilian 9th-digit variants), and answers 201 or 200;
//     deal upsert matches the contact's first deal and always answers 200;
//   - searches take Ransack predicates (_eq, _not_eq, _cont, _start, _end,
//     _in, _gt, _gteq, _lt, _lteq, _null, _not_null) over the documented
//     attributes, in a JSON body (POST) or a Rails query string (GET), and
//     paginate like Pagy 3.11: 10 items per page, the pagination object
//     exactly, an empty page past the last one;
//   - a page parameter below 1 makes Rails answer its HTML 500 page;
//   - request bodies keep only what the controllers permit (Rails' strong
//     parameters, tables in woofed/internal/permit copied from the
//     controllers): a label_list array, a contact's additional_attributes,
//     a deal's lost_reason, lost_at or won_at are dropped without an error
//     (Unpermitted lists them); a deal body with contacts_attributes, which
//     the controller permits but the model rejects, answers Rails' HTML 500
//     page; label_list is read as a comma-separated string;
//   - an event datetime with an offset other than "Z" is refused (422), as
//     the docs say datetimes must be UTC;
//   - records are written as Rails writes them: every column, with null,
//     false and 0 written out (the docs' examples, compared in the tests).
package woofedtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/internal/permit"
)

// DefaultToken is the token the fake accepts unless WithToken says
// otherwise.
const DefaultToken = "woofed-test-token"

// PerPage is Pagy's page size on Woofed.
const PerPage = 10

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	*vendorkittest.Server

	token   string
	account int64
	now     func() time.Time
	member  bool

	t            vendorkittest.T
	mu           sync.Mutex
	seq          map[string]int64
	reqs         int64
	contacts     map[int64]woofed.Contact
	deals        map[int64]woofed.Deal
	events       map[int64]woofed.Event
	products     map[int64]woofed.Product
	dealProducts map[int64]woofed.DealProduct
	assignees    map[int64]woofed.DealAssignee
	users        map[int64]woofed.User
	pipelines    map[int64]woofed.Pipeline
	stages       map[int64]woofed.Stage
	unpermitted  []string
	hookURLs     []string                // AddWebhook
	hooks        *vendorkittest.Webhooks // nil until AddWebhook
}

// Option configures NewServer.
type Option func(*Server)

// WithToken sets the only token the fake accepts.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithAccountID sets the account the fake serves (default 1); requests for
// any other account answer 404.
func WithAccountID(id int64) Option { return func(s *Server) { s.account = id } }

// WithoutAdmin makes the token's user a plain member: creating users, an
// admin-only operation, answers 403 {"errors":"Forbidden"}.
func WithoutAdmin() Option { return func(s *Server) { s.member = true } }

// WithClock sets the fake's clock for created_at, updated_at and the
// like (default time.Now in UTC).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// NewServer starts a fake closed when the test ends.
func NewServer(t vendorkittest.T, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		Server:       vendorkittest.NewServer(t, "/api/v1/accounts"),
		t:            t,
		token:        DefaultToken,
		account:      1,
		now:          func() time.Time { return time.Now().UTC() },
		seq:          map[string]int64{},
		contacts:     map[int64]woofed.Contact{},
		deals:        map[int64]woofed.Deal{},
		events:       map[int64]woofed.Event{},
		products:     map[int64]woofed.Product{},
		dealProducts: map[int64]woofed.DealProduct{},
		assignees:    map[int64]woofed.DealAssignee{},
		users:        map[int64]woofed.User{},
		pipelines:    map[int64]woofed.Pipeline{},
		stages:       map[int64]woofed.Stage{},
	}
	for _, o := range opts {
		o(s)
	}
	s.seed()
	s.Use(s.requestID)
	s.Use(vendorkittest.RequireBearer(func(tok string) bool { return vendorkittest.Equal(tok, s.token) }, unauthorized))
	s.Use(s.checkAccount)
	s.routes()
	return s
}

// URL returns the base URL of the fake's account, as woofed.WithBaseURL
// takes it: http://127.0.0.1:port/api/v1/accounts/1.
func (s *Server) URL() string {
	return s.Server.URL() + "/" + strconv.FormatInt(s.account, 10)
}

// Token returns the token the fake accepts.
func (s *Server) Token() string { return s.token }

// AccountID returns the account the fake serves.
func (s *Server) AccountID() int64 { return s.account }

// Count returns how many recorded requests have method and path, the path
// relative to the account's base URL ("/contacts/search"); an empty method
// or path matches any.
func (s *Server) Count(method, path string) int {
	if path == "" {
		return s.Server.Count(method, "")
	}
	return s.Server.Count(method, "/"+strconv.FormatInt(s.account, 10)+path)
}

func (s *Server) seed() {
	now := s.now()
	s.users[s.next("users")] = woofed.User{ID: 1, Email: "admin@example.com", FullName: "Admin", Language: "en", JobDescription: "ceo",
		ThemePreference: "system", AccountID: s.account, CreatedAt: now, UpdatedAt: now}
	s.pipelines[s.next("pipelines")] = woofed.Pipeline{ID: 1, Name: "Sales", AccountID: s.account, CreatedAt: now, UpdatedAt: now}
	for i, name := range []string{"Lead", "Proposal", "Closing"} {
		id := s.next("stages")
		s.stages[id] = woofed.Stage{ID: id, Name: name, Position: i + 1, PipelineID: 1, AccountID: s.account, CreatedAt: now, UpdatedAt: now}
	}
}

// next returns the next id of table. s.mu is held (or the server is not
// serving yet).
func (s *Server) next(table string) int64 {
	s.seq[table]++
	return s.seq[table]
}

// AddContact stores c as if created through the API (its ID and timestamps
// are set when zero) and returns it; for seeding tests.
func (s *Server) AddContact(c woofed.Contact) woofed.Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == 0 {
		c.ID = s.next("contacts")
	} else if c.ID > s.seq["contacts"] {
		s.seq["contacts"] = c.ID
	}
	s.stamp(&c.CreatedAt, &c.UpdatedAt)
	c.AccountID = s.account
	s.contacts[c.ID] = c
	return c
}

// AddUser stores u (see AddContact).
func (s *Server) AddUser(u woofed.User) woofed.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ID == 0 {
		u.ID = s.next("users")
	} else if u.ID > s.seq["users"] {
		s.seq["users"] = u.ID
	}
	s.stamp(&u.CreatedAt, &u.UpdatedAt)
	u.AccountID = s.account
	s.users[u.ID] = u
	return u
}

// AddProduct stores p (see AddContact).
func (s *Server) AddProduct(p woofed.Product) woofed.Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID == 0 {
		p.ID = s.next("products")
	} else if p.ID > s.seq["products"] {
		s.seq["products"] = p.ID
	}
	s.stamp(&p.CreatedAt, &p.UpdatedAt)
	p.AccountID = s.account
	s.products[p.ID] = p
	return p
}

// Contact returns a stored contact.
func (s *Server) Contact(id int64) (woofed.Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[id]
	return c, ok
}

// Deal returns a stored deal.
func (s *Server) Deal(id int64) (woofed.Deal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.deals[id]
	return d, ok
}

// Assignees returns the stored deal assignments, by id.
func (s *Server) Assignees() []woofed.DealAssignee {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sorted(s.assignees)
}

// Stages returns the seeded stages.
func (s *Server) Stages() []woofed.Stage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sorted(s.stages)
}

func (s *Server) stamp(created, updated *time.Time) {
	now := s.now()
	if created.IsZero() {
		*created = now
	}
	if updated.IsZero() {
		*updated = now
	}
}

// ---- middleware and error answers ----

func unauthorized(w http.ResponseWriter, _ *http.Request) {
	vendorkittest.WriteJSON(w, http.StatusUnauthorized, map[string]string{"errors": "Unauthorized"})
}

// notFound is the find_by_id shape (deals, products, a wrong account).
func notFound(w http.ResponseWriter) {
	vendorkittest.WriteJSON(w, http.StatusNotFound, map[string]string{"errors": "Not found"})
}

// recordNotFound is the RecordNotFound handler's shape.
func recordNotFound(w http.ResponseWriter) {
	vendorkittest.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "Resource could not be found"})
}

// invalid answers 422 with full messages.
func invalid(w http.ResponseWriter, msgs ...string) {
	vendorkittest.WriteJSON(w, http.StatusUnprocessableEntity, map[string][]string{"errors": msgs})
}

// recordInvalid answers 422 in the newer RecordInvalid shape.
func recordInvalid(w http.ResponseWriter, msgs []string, attrs []string) {
	vendorkittest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": strings.Join(msgs, ", "), "attributes": attrs})
}

// railsError answers Rails' HTML error page.
func railsError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	title := "We're sorry, but something went wrong (500)"
	switch status {
	case http.StatusBadRequest:
		title = "Bad Request (400)"
	case http.StatusNotFound:
		title = "The page you were looking for doesn't exist (404)"
	}
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head>\n  <title>%s</title>\n</head>\n<body><h1>%s</h1></body>\n</html>\n", title, title)
}

func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs++
		n := s.reqs
		s.mu.Unlock()
		w.Header().Set("X-Request-Id", fmt.Sprintf("woofedtest-%06d", n))
		next.ServeHTTP(w, r)
	})
}

// checkAccount answers 404 for any account but the fake's, and fails the
// test on a doubled prefix (/api/v1/accounts/1/api/v1/accounts/1/…): a
// client that builds such URLs is caught, not merely answered 404.
func (s *Server) checkAccount(next http.Handler) http.Handler {
	want := "/api/v1/accounts/" + strconv.FormatInt(s.account, 10) + "/"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Count(r.URL.Path, "/api/v1/") > 1 {
			s.t.Errorf("woofedtest: request %s %s doubles the /api/v1 prefix", r.Method, r.URL.Path)
		}
		if !strings.HasPrefix(r.URL.Path, want) {
			notFound(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ---- request helpers ----

// body is a decoded JSON request body.
type body map[string]json.RawMessage

// readBody decodes a JSON body and keeps what the operation's controller
// permits (woofed/internal/permit), as Rails' strong parameters do: the
// rest is dropped without an error, and recorded (see Unpermitted).
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (body, bool) {
	var raw map[string]any
	if !vendorkittest.ReadJSON(r, &raw) || raw == nil {
		railsError(w, http.StatusBadRequest)
		return nil, false
	}
	rel := strings.TrimPrefix(r.URL.Path, "/api/v1/accounts/"+strconv.FormatInt(s.account, 10))
	table, ok := permit.For(r.Method, rel)
	if !ok {
		railsError(w, http.StatusNotFound)
		return nil, false
	}
	kept, dropped := table.Filter(raw)
	if len(dropped) > 0 {
		s.mu.Lock()
		for _, k := range dropped {
			s.unpermitted = append(s.unpermitted, r.Method+" "+rel+" "+k)
		}
		s.mu.Unlock()
	}
	b := make(body, len(kept))
	for k, v := range kept {
		b[k], _ = json.Marshal(v)
	}
	return b, true
}

// Unpermitted returns what the fake dropped from request bodies because
// Woofed's controllers do not permit it, one "METHOD /path key" each (e.g.
// "POST /contacts label_list"), in arrival order. A real server drops the
// same keys without telling the caller.
func (s *Server) Unpermitted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.unpermitted...)
}

func (b body) has(k string) bool { _, ok := b[k]; return ok }

func (b body) str(k string, dst *string) {
	var v *string
	if raw, ok := b[k]; ok && json.Unmarshal(raw, &v) == nil {
		if v == nil {
			*dst = ""
		} else {
			*dst = *v
		}
	}
}

// int reads an integer like Rails casts one: a number or a numeric string.
func (b body) int(k string, dst *int64) {
	raw, ok := b[k]
	if !ok {
		return
	}
	var n json.Number
	var s string
	switch {
	case json.Unmarshal(raw, &n) == nil:
	case json.Unmarshal(raw, &s) == nil:
		n = json.Number(s)
	default:
		return
	}
	if v, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		*dst = v
	} else if f, err := n.Float64(); err == nil {
		*dst = int64(f)
	}
}

func (b body) boolean(k string, dst *bool) {
	if raw, ok := b[k]; ok {
		_ = json.Unmarshal(raw, dst)
	}
}

func (b body) time(k string, dst *time.Time) {
	var s string
	if raw, ok := b[k]; ok && json.Unmarshal(raw, &s) == nil {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			*dst = t
		}
	}
}

// utc reports whether the datetime at k, if any, is written in UTC ("Z"),
// as Woofed's docs require.
func (b body) utc(k string) bool {
	var v string
	if raw, ok := b[k]; !ok || json.Unmarshal(raw, &v) != nil || v == "" {
		return true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return err != nil || (strings.HasSuffix(v, "Z") && t.Location() == time.UTC)
}

func (b body) attrs(k string, dst *woofed.Attributes) {
	var m map[string]any
	if raw, ok := b[k]; ok && json.Unmarshal(raw, &m) == nil {
		*dst = m
	}
}

// pathID reads the {id} wildcard; a non-number finds nothing, like Rails'
// find_by_id.
func pathID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		return -1
	}
	return id
}

func sorted[T any](m map[int64]T) []T {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		out = append(out, m[id])
	}
	return out
}

// phoneRE is Woofed's own validation, unanchored at the start as in the
// model (/\+[1-9]\d{1,14}\z/).
var phoneRE = regexp.MustCompile(`\+[1-9]\d{1,14}$`)

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// normalizePhone prefixes a missing "+", as Woofed does before validating.
func normalizePhone(p string) string {
	if p != "" && !strings.HasPrefix(p, "+") {
		return "+" + p
	}
	return p
}
