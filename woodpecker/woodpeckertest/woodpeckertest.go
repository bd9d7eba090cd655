// Package woodpeckertest is an in-process fake of the Woodpecker API for
// tests: the real woodpecker client, its retries, rate limiting and error
// mapping run against it unchanged.
//
// It serves the documented v1 and v2 endpoints under /rest from in-memory
// accounts, and answers as Woodpecker does:
//   - x-api-key is checked exactly; an unknown key gets 401 "Invalid api
//     key", a key whose account lacks the API add-on 401 "No API addon", one
//     on a plan without API access 401 "Upgrade your plan";
//   - x-company-id: a non-numeric value gets 400, a key that is not the
//     agency HQ key 403 with an empty body, a company outside the agency 404
//     "Company not found", an inactive one 409 "Company is inactive";
//   - errors in the three dialects: v2 {title,status,detail,timestamp}, v1
//     {"status":{"status":"ERROR",…}} (HTTP 400, or 200 after
//     SetV1ErrorStatus(200)) and {code,message} (CAMPAIGN_NOT_EXIST);
//   - v1 pagination with page/per_page, X-Total-Count and 204 No Content for
//     an empty page; v2 {content, pagination_data} with 0-based pages on
//     /v2/users and 1-based pages on the agency lists;
//   - concurrency per key: one request processed at a time, a queue of 6
//     that waits at most 15 s, the rest dropped with 429 (v1 paths:
//     E_TOO_MANY_REQUESTS). SetProcessingTime makes each request hold the
//     worker, so tests create contention cheaply; Queue().Stats() counts
//     drops.
//
// The embedded *vendorkittest.Server records requests and injects faults:
//
//	srv := woodpeckertest.NewServer(t)
//	wp, _ := woodpecker.New(vendorkittest.NewClient(t), woodpeckertest.HQKey, woodpecker.WithBaseURL(srv.URL()))
//	acme, _ := wp.ForCompany(woodpeckertest.ActiveCompanyID)
//	srv.FailNext(1, 503, "", "")
//	boxes, err := acme.ListMailboxes(ctx) // retried once, then succeeds
//
// Behaviour the docs leave open is modelled as: 403 with an empty body for a
// non-HQ key on /v2/agency; per-prospect import statuses OK, DUPLICATE and
// ERROR; the code of the 409 that refuses a fourth subscription to one event
// (E_WRONG_PARAM, as for a duplicate one).
package woodpeckertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vendorkit/vendorkit/vendorkittest"
)

// Keys the fake accepts. Woodpecker keys look like "123456.abcdef…"; the
// client treats them as opaque.
const (
	// HQKey is the agency HQ key of HQCompanyID: it may send x-company-id
	// for the agency's client companies.
	HQKey = "100001.f4k3hq0agency0key0d6c1e9b7a2f"
	// ClientKey is the own key of ActiveCompanyID; with x-company-id it gets
	// 403.
	ClientKey = "200101.f4k3client0hooli0key0a7b3c9d1e"
	// NoAddonKey belongs to an account without the "API Key and
	// Integrations" add-on: every request gets 401 "No API addon".
	NoAddonKey = "300001.f4k3no0addon0key0e2d4f6a8b0c"
	// OldPlanKey belongs to an account whose plan has no API access: every
	// request gets 401 "Upgrade your plan".
	OldPlanKey = "300002.f4k3old0plan0key0b1c3d5e7f9a"
)

// Seeded companies.
const (
	// HQCompanyID is the agency's own account (HQKey without x-company-id).
	HQCompanyID int64 = 1
	// ActiveCompanyID is an active client company of the agency ("Hooli").
	ActiveCompanyID int64 = 101
	// InactiveCompanyID is an inactive client company ("Raviga"): 409.
	InactiveCompanyID int64 = 102
	// ForeignCompanyID exists but belongs to another agency: 404 for HQKey.
	ForeignCompanyID int64 = 201
	// HQCampaignID is a RUNNING campaign of the HQ account.
	HQCampaignID int64 = 1001
	// ActiveCampaignID is a DRAFT campaign of ActiveCompanyID.
	ActiveCampaignID int64 = 1101
)

// HQDomain is a domain the HQ account bought in Woodpecker, with two
// mailboxes (richard@ and jared@).
const HQDomain = "piedpiper.com"

// Woodpecker's documented limits, the fake's defaults.
const (
	Workers      = 1
	QueueSize    = 6
	QueueTimeout = 15 * time.Second
	// V2PageSize is the v2 lists' page size.
	V2PageSize = 50
)

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	*vendorkittest.Server
	queue *vendorkittest.Queue

	mu            sync.Mutex
	keys          map[string]*keyInfo
	accounts      map[int64]*account
	nextID        int64
	pageSize      int
	v1ErrorStatus int
	hooks         *vendorkittest.Webhooks // see webhooks.go
}

type keyInfo struct {
	company int64
	hq      bool
	addon   bool
	plan    bool
}

// account is one company's data.
type account struct {
	id        int64
	name      string
	owner     string
	active    bool
	agency    int64 // the HQ company it is a client of; 0 for none
	mailboxes []map[string]any
	campaigns map[int64]map[string]any
	prospects []map[string]any // sorted by id
	users     []map[string]any
	webhooks  map[string]bool // event + " " + url
	apiKeys   []map[string]any
	batches   map[int64]map[string]any // mailbox connection batches
	domains   []*domain
}

// Option configures NewServer.
type Option func(*config)

type config struct {
	workers, size int
	timeout       time.Duration
	processing    time.Duration
}

// WithQueue changes the concurrency model: workers processed at once per
// key, size waiting, timeout the longest wait (defaults 1, 6, 15 s).
func WithQueue(workers, size int, timeout time.Duration) Option {
	return func(c *config) { c.workers, c.size, c.timeout = workers, size, timeout }
}

// WithProcessingTime makes every admitted request hold its worker for at
// least d (default 0), see SetProcessingTime.
func WithProcessingTime(d time.Duration) Option {
	return func(c *config) { c.processing = d }
}

// NewServer starts a fake with the seeded keys and companies; it is closed
// when the test ends.
func NewServer(t vendorkittest.T, opts ...Option) *Server {
	t.Helper()
	cfg := config{workers: Workers, size: QueueSize, timeout: QueueTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		Server:        vendorkittest.NewServer(t, "/rest"),
		keys:          map[string]*keyInfo{},
		accounts:      map[int64]*account{},
		nextID:        5000,
		pageSize:      V2PageSize,
		v1ErrorStatus: http.StatusBadRequest,
	}
	s.queue = vendorkittest.NewQueue(cfg.workers, cfg.size, cfg.timeout, func(r *http.Request) string {
		return r.Header.Get("x-api-key")
	})
	s.queue.SetServiceTime(cfg.processing)
	s.seed()
	s.Use(s.queue.Middleware(s.tooMany))
	s.Use(s.auth)
	s.Use(s.webhookChanges)
	s.routes()
	return s
}

// Token returns the key that reaches every seeded company (HQKey), as every
// vendor's fake does: pass it to woodpecker.New. The other keys are
// constants (ClientKey, NoAddonKey, OldPlanKey).
func (s *Server) Token() string { return HQKey }

// Queue returns the concurrency queue, e.g. to read Stats().Dropped.
func (s *Server) Queue() *vendorkittest.Queue { return s.queue }

// SetProcessingTime makes every admitted request hold its worker for at
// least d, like a busy Woodpecker.
func (s *Server) SetProcessingTime(d time.Duration) { s.queue.SetServiceTime(d) }

// SetPageSize changes the v2 lists' page size (default 50), so tests can
// page through few items.
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	s.pageSize = max(1, n)
	s.mu.Unlock()
}

// SetV1ErrorStatus sets the HTTP status of v1 error answers: 400 (default)
// or 200, which Woodpecker also uses.
func (s *Server) SetV1ErrorStatus(status int) {
	s.mu.Lock()
	s.v1ErrorStatus = status
	s.mu.Unlock()
}

// seed creates the documented cast.
func (s *Server) seed() {
	s.keys[HQKey] = &keyInfo{company: HQCompanyID, hq: true, addon: true, plan: true}
	s.keys[ClientKey] = &keyInfo{company: ActiveCompanyID, addon: true, plan: true}
	s.keys[NoAddonKey] = &keyInfo{company: 301, plan: true}
	s.keys[OldPlanKey] = &keyInfo{company: 302, addon: true}

	hq := s.newAccount(HQCompanyID, "Pied Piper HQ", true, 0)
	hooli := s.newAccount(ActiveCompanyID, "Hooli", true, HQCompanyID)
	s.newAccount(InactiveCompanyID, "Raviga", false, HQCompanyID)
	s.newAccount(ForeignCompanyID, "Endframe", true, 200)
	s.newAccount(301, "No Addon Inc", true, 0)
	s.newAccount(302, "Old Plan Ltd", true, 0)

	hq.mailboxes = []map[string]any{
		mailbox(11, "SMTP", "richard@piedpiper.com", "Richard from Pied Piper", 12),
		mailbox(12, "IMAP", "richard@piedpiper.com", "", 0),
	}
	hooli.mailboxes = []map[string]any{mailbox(21, "SMTP", "gavin@hooli.com", "Gavin Belson", 0)}
	hq.campaigns[HQCampaignID] = s.campaign(HQCampaignID, "Series B outreach", "RUNNING", []int64{11})
	hooli.campaigns[ActiveCampaignID] = s.campaign(ActiveCampaignID, "Nucleus launch", "DRAFT", []int64{21})
	hq.domains = []*domain{{
		info: map[string]any{
			"domain": HQDomain, "mailboxes_count": 2, "provider": "GOOGLE", "is_custom_domain": false,
			"is_ready": true, "expires": "2027-06-24T10:00:00", "created": "2026-06-24T10:00:00",
		},
		mailboxes: []map[string]any{
			domainMailbox("Richard", "Hendricks", "richard@"+HQDomain),
			domainMailbox("Jared", "Dunn", "jared@"+HQDomain),
		},
	}}
	for i, p := range [][3]string{
		{"erlich@bachman.com", "Erlich", "REPLIED"},
		{"jared@piedpiper.com", "Jared", "ACTIVE"},
		{"monica@raviga.com", "Monica", "ACTIVE"},
	} {
		hq.prospects = append(hq.prospects, prospect(int64(4801+i), p[0], p[1], p[2]))
	}
	hooli.prospects = append(hooli.prospects, prospect(4901, "gavin@hooli.com", "Gavin", "ACTIVE"))
	// Roles as GET /v2/users documents them: admin or user.
	hq.users = []map[string]any{
		{"id": int64(1), "name": "Richard Hendricks", "email": "richard@piedpiper.com", "role": "admin"},
		{"id": int64(2), "name": "Dinesh Chugtai", "email": "dinesh@piedpiper.com", "role": "user"},
		{"id": int64(3), "name": "Bertram Gilfoyle", "email": "gilfoyle@piedpiper.com", "role": "admin"},
	}
	hooli.users = []map[string]any{{"id": int64(4), "name": "Gavin Belson", "email": "gavin@hooli.com", "role": "admin"}}
}

func (s *Server) newAccount(id int64, name string, active bool, agency int64) *account {
	a := &account{
		id: id, name: name, active: active, agency: agency,
		owner:     ownerOf(name),
		campaigns: map[int64]map[string]any{},
		webhooks:  map[string]bool{},
		batches:   map[int64]map[string]any{},
	}
	s.accounts[id] = a
	return a
}

// ownerOf makes up the owner's e-mail of a company.
func ownerOf(name string) string {
	f := strings.Fields(strings.ToLower(name))
	if len(f) == 0 {
		return "owner@example.com"
	}
	return f[0] + "@example.com"
}

func mailbox(id int64, typ, email, fromName string, imapID int64) map[string]any {
	d := map[string]any{"email": email, "provider": "GOOGLE", "login": email, "port": 993, "private": false}
	if typ == "SMTP" {
		// Every key of the GET-mailbox example (SMTP), nulls included.
		d["server"] = "smtp.gmail.com"
		d["port"] = 465
		d["from_name"] = fromName
		d["error"] = nil
		d["daily_limit"] = 500
		d["sent_today"] = 25
		d["frequency_from"] = 90
		d["frequency_to"] = 140
		d["bcc_crm"] = ""
		d["signature"] = ""
		d["open_url"], d["click_url"], d["unsubscribe_url"] = "", "", ""
		d["freeze_account"] = []map[string]string{{"from": "2025-07-06T00:00:00+0200", "to": "2025-07-06T23:59:59+0200"}}
		d["in_slot"] = true
		d["warmup_data"] = map[string]any{"status": "RUNNING"}
		d["imap_id"] = imapID
		delete(d, "private")
	} else {
		d["server"] = "imap.gmail.com"
	}
	return map[string]any{"id": id, "type": typ, "details": d}
}

func prospect(id int64, email, first, status string) map[string]any {
	return map[string]any{
		"id": id, "email": email, "first_name": first, "last_name": "", "company": "",
		"status": status, "tags": "", "last_contacted": "2016-08-14T02:08:58+0200",
		"updated": "2016-09-03T15:02:57+0200", "snippet1": "", "campaigns": []int64{},
	}
}

// AddCompany adds a client company of the agency and returns its id.
func (s *Server) AddCompany(name string, active bool) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	s.newAccount(s.nextID, name, active, HQCompanyID)
	return s.nextID
}

// AddProspect adds a prospect with the given v1 fields (email required) to
// a company's list and returns its id.
func (s *Server) AddProspect(companyID int64, fields map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[companyID]
	s.nextID++
	p := prospect(s.nextID, "", "", "ACTIVE")
	for k, v := range fields {
		p[k] = v
	}
	a.prospects = append(a.prospects, p)
	return s.nextID
}

// AddUser adds a team member to a company and returns its id.
func (s *Server) AddUser(companyID int64, name, email, role string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	a := s.accounts[companyID]
	a.users = append(a.users, map[string]any{"id": s.nextID, "name": name, "email": email, "role": role})
	return s.nextID
}

// Prospect returns a copy of a company's prospect by e-mail (ok false when
// absent).
func (s *Server) Prospect(companyID int64, email string) (p map[string]any, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.accounts[companyID].prospects {
		if strings.EqualFold(str(p["email"]), email) {
			c := make(map[string]any, len(p))
			for k, v := range p {
				c[k] = v
			}
			return c, true
		}
	}
	return nil, false
}

// ProspectCount returns how many prospects a company has.
func (s *Server) ProspectCount(companyID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.accounts[companyID].prospects)
}

// CampaignStatus returns a company's campaign status ("" when absent).
func (s *Server) CampaignStatus(companyID, campaignID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.accounts[companyID].campaigns[campaignID]; c != nil {
		return str(c["status"])
	}
	return ""
}

// Webhooks returns a company's subscriptions as "event url", sorted.
func (s *Server) Webhooks(companyID int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.accounts[companyID].webhooks {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ---- answers in Woodpecker's dialects ----

// V2Error writes a v2 error body: {title, status, detail, timestamp}.
func V2Error(w http.ResponseWriter, status int, detail string) {
	vendorkittest.WriteJSON(w, status, map[string]any{
		"title":     http.StatusText(status),
		"status":    status,
		"detail":    detail,
		"timestamp": time.Now().UTC().Format("2006-01-02 15:04:05"),
	})
}

// MaxSubscriptionsPerEvent is how many target URLs of one account may
// receive the same event (developers.woodpecker.co, POST-subscribe-webhook).
const MaxSubscriptionsPerEvent = 3

// subscribers counts the target URLs subscribed to event. s.mu is held.
func (a *account) subscribers(event string) int {
	n := 0
	for k := range a.webhooks {
		if ev, _, _ := strings.Cut(k, " "); ev == event {
			n++
		}
	}
	return n
}

// V1Error writes a v1 error body {"status":{"status":"ERROR","code","msg"}}
// with the given HTTP status.
func V1Error(w http.ResponseWriter, status int, code, msg string) {
	vendorkittest.WriteJSON(w, status, map[string]any{
		"status": map[string]string{"status": "ERROR", "code": code, "msg": msg},
	})
}

func (s *Server) v1Error(w http.ResponseWriter, code, msg string) {
	s.mu.Lock()
	status := s.v1ErrorStatus
	s.mu.Unlock()
	V1Error(w, status, code, msg)
}

func isV1(r *http.Request) bool { return strings.Contains(r.URL.Path, "/rest/v1/") }

// tooMany answers a request the queue refused.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, timedOut bool) {
	msg := "Too many concurrent requests: the queue is full"
	if timedOut {
		msg = "Request timed out in the queue"
	}
	if isV1(r) {
		V1Error(w, http.StatusTooManyRequests, "E_TOO_MANY_REQUESTS", msg)
		return
	}
	V2Error(w, http.StatusTooManyRequests, msg)
}

// ---- authentication and company context ----

type ctxKey struct{}

type caller struct {
	key  *keyInfo
	acct *account
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vals := r.Header.Values("x-api-key")
		var ki *keyInfo
		s.mu.Lock()
		if len(vals) == 1 {
			for k, info := range s.keys {
				if vendorkittest.Equal(k, vals[0]) {
					ki = info
				}
			}
		}
		s.mu.Unlock()
		switch {
		case ki == nil:
			V2Error(w, http.StatusUnauthorized, "Invalid api key")
			return
		case !ki.addon:
			V2Error(w, http.StatusUnauthorized, "No API addon")
			return
		case !ki.plan:
			V2Error(w, http.StatusUnauthorized, "Upgrade your plan")
			return
		}
		s.mu.Lock()
		acct := s.accounts[ki.company]
		s.mu.Unlock()
		if hv := r.Header.Values("x-company-id"); len(hv) > 0 {
			id, err := strconv.ParseInt(strings.TrimSpace(hv[0]), 10, 64)
			if err != nil || len(hv) > 1 {
				V2Error(w, http.StatusBadRequest, "X-Company-Id header value must be a number but is not")
				return
			}
			if !ki.hq {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			s.mu.Lock()
			c := s.accounts[id]
			s.mu.Unlock()
			switch {
			case c == nil || c.agency != ki.company:
				V2Error(w, http.StatusNotFound, "Company not found")
				return
			case !c.active:
				V2Error(w, http.StatusConflict, "Company is inactive")
				return
			}
			acct = c
		}
		if strings.Contains(r.URL.Path, "/rest/v2/agency/") && !ki.hq {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, caller{ki, acct})))
	})
}

func from(r *http.Request) caller { return r.Context().Value(ctxKey{}).(caller) }

// ---- helpers ----

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	case json.Number:
		n, _ := x.Int64()
		return n
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

// pathID reads the {name} path value as a positive id.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// decodeBody reads a JSON object body.
func decodeBody(r *http.Request) (map[string]any, bool) {
	var m map[string]any
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if dec.Decode(&m) != nil || m == nil {
		return nil, false
	}
	return m, true
}

func (s *Server) newID() int64 {
	s.nextID++
	return s.nextID
}
