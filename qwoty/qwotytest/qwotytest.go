// Package qwotytest is an in-process fake of the Qwoty API for tests: the
// real qwoty client, retries and error mapping run against it unchanged.
//
// It serves the documented endpoints under /api from in-memory workspaces.
// Each API token belongs to one workspace and sees only that workspace's
// payment terms and quotes; a read-only token gets 403 on writes. Payment
// terms follow Qwoty's rules (name required and at most 50 characters,
// unique api_name, installment percentages summing to exactly 100, deletion
// refused while a quote uses the term), and every answer uses Qwoty's
// envelopes: {"success": true, "data": …} and {"success": false, "error": "…"}.
//
// The embedded *vendorkittest.Server records requests and injects faults
// (5xx, connection resets, slow or truncated bodies):
//
//	srv := qwotytest.NewServer(t)
//	q, _ := qwoty.New(vendorkittest.NewClient(t), qwotytest.Token, qwoty.WithBaseURL(srv.URL()))
//	srv.FailNext(1, 503, `{"success":false,"error":"Service unavailable"}`, "1")
//	terms, err := q.ListPaymentTerms(ctx) // retried once, then succeeds
//
// Status codes Qwoty does not document are modelled as: 422 for validation
// errors, 409 for a duplicate api_name and for a refused deletion, 400 for a
// body that is not JSON, 429 with Retry-After for the optional rate limit.
package qwotytest

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// The seeded workspaces and their tokens. Tokens follow the documented
// qwt_prod_ format, though the client treats them as opaque.
const (
	// Workspace is the main seeded workspace.
	Workspace = "acme"
	// OtherWorkspace is a second workspace, for isolation tests.
	OtherWorkspace = "globex"

	// Token has read and write permission on Workspace.
	Token = "qwt_prod_fake_acme_rw_7f3c9a1e5b2d8f4a6c0e9b7d5f3a1c8e"
	// ReadOnlyToken may only read Workspace: writes get 403.
	ReadOnlyToken = "qwt_prod_fake_acme_ro_2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e0b"
	// OtherToken has read and write permission on OtherWorkspace.
	OtherToken = "qwt_prod_fake_globex_rw_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
)

// Seeded records of Workspace.
const (
	// QuoteID is the seeded quote (see fixtures/quote.json).
	QuoteID = "5b0c8f9e-3f4a-4a8e-9a52-2f7e1c6d9b10"
	// Net30ID is a payment term "Net 30": one installment of 100%, unused.
	Net30ID = "3d2c1b0a-9f8e-4d7c-b6a5-0f1e2d3c4b5a"
	// ThreeWayID is a payment term of three installments 33.33 + 33.33 +
	// 33.34, used by the seeded quote (so it cannot be deleted).
	ThreeWayID = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
)

//go:embed fixtures/quote.json
var quoteFixture []byte

// Messages the fake sends, as Qwoty documents them where it does.
const (
	MsgInvalidToken      = "Invalid API token"
	MsgForbidden         = "Token doesn't have permission for this operation"
	MsgTermNotFound      = "Payment term not found"
	MsgQuoteNotFound     = "Quote not found"
	MsgDeleted           = "Payment term deleted successfully"
	MsgTermInUse         = "Payment term is used by active quotes or contracts and cannot be deleted"
	MsgAPINameTaken      = "A payment term with this api_name already exists"
	MsgPercentageSum     = "The percentages of the installments must sum to 100"
	MsgInvalidJSON       = "Invalid JSON body"
	MsgTooManyRequests   = "Too many requests"
	MsgNameRequired      = "name is required"
	MsgNameTooLong       = "name must be at most 50 characters"
	MsgAPINameRequired   = "api_name is required"
	MsgReferenceTooLong  = "reference must be at most 50 characters"
	MsgInstallmentFields = "each installment needs a name, a term and a percentage"
)

// Permission is what a token may do.
type Permission int

const (
	// ReadOnly tokens may list and get.
	ReadOnly Permission = iota
	// ReadWrite tokens may also create, update and delete.
	ReadWrite
)

// Server is the fake Qwoty API. Its methods are safe for concurrent use.
type Server struct {
	*vendorkittest.Server

	t          vendorkittest.T
	mu         sync.Mutex
	tokens     map[string]grant
	workspaces map[string]*workspace
	now        func() time.Time
	hooks      hookState // see webhooks.go
}

type grant struct {
	workspace string
	perm      Permission
}

type workspace struct {
	terms  []*qwoty.PaymentTerm
	quotes map[string]json.RawMessage
	uses   map[string]int // payment term id → active quotes or contracts using it
}

type ctxKey struct{}

// NewServer starts a fake with two workspaces (Workspace, OtherWorkspace),
// the tokens Token, ReadOnlyToken and OtherToken, two payment terms and one
// quote in Workspace. It is closed when the test ends.
func NewServer(t vendorkittest.T) *Server {
	t.Helper()
	s := &Server{
		Server:     vendorkittest.NewServer(t, "/api"),
		t:          t,
		tokens:     map[string]grant{},
		workspaces: map[string]*workspace{},
		now:        func() time.Time { return time.Now().UTC().Truncate(time.Second) },
	}
	s.AddToken(Token, Workspace, ReadWrite)
	s.AddToken(ReadOnlyToken, Workspace, ReadOnly)
	s.AddToken(OtherToken, OtherWorkspace, ReadWrite)
	seeded := time.Date(2026, 1, 10, 9, 30, 0, 0, time.UTC)
	s.AddPaymentTerm(Workspace, qwoty.PaymentTerm{
		ID: Net30ID, Name: "Net 30", APIName: "net_30", IsActive: true,
		Installments: []qwoty.Installment{
			{ID: "11111111-2222-4333-8444-555555555555", Name: "Full payment", Percentage: qwoty.DecimalFromInt(100), Term: qwoty.TermNet30, OrderNumber: 1},
		},
		CreatedAt: seeded, UpdatedAt: seeded,
	})
	s.AddPaymentTerm(Workspace, qwoty.PaymentTerm{
		ID: ThreeWayID, Name: "Three installments", APIName: "three_way", Reference: "PT-3X", IsActive: true,
		IDCRM: "a0B5e000000XyZ1", IDERP: "PT003",
		Installments: []qwoty.Installment{
			{ID: "21111111-2222-4333-8444-555555555555", Name: "Deposit", Percentage: qwoty.MustParseDecimal("33.33"), Term: qwoty.TermDueNow, OrderNumber: 1},
			{ID: "31111111-2222-4333-8444-555555555555", Name: "Delivery", Percentage: qwoty.MustParseDecimal("33.33"), Term: qwoty.TermNet30, OrderNumber: 2},
			{ID: "41111111-2222-4333-8444-555555555555", Name: "Acceptance", Percentage: qwoty.MustParseDecimal("33.34"), Term: qwoty.TermNet60, OrderNumber: 3},
		},
		CreatedAt: seeded, UpdatedAt: seeded,
	})
	s.AddQuote(Workspace, quoteFixture, ThreeWayID)

	s.Use(s.authenticate)
	s.HandleFunc("GET /payment-terms", s.listTerms)
	s.HandleFunc("POST /payment-terms", s.writer(s.createTerm))
	s.HandleFunc("GET /payment-terms/{id}", s.getTerm)
	s.HandleFunc("PUT /payment-terms/{id}", s.writer(s.updateTerm))
	s.HandleFunc("DELETE /payment-terms/{id}", s.writer(s.deleteTerm))
	s.HandleFunc("GET /quote/{id}", s.getQuote)
	return s
}

// Token returns the read-write token of the default workspace (the Token
// constant), as every vendor's fake does: pass it to qwoty.New.
func (s *Server) Token() string { return Token }

// AddToken lets token into workspace (created when new) with perm.
func (s *Server) AddToken(token, workspace string, perm Permission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.workspace(workspace)
	s.tokens[token] = grant{workspace: workspace, perm: perm}
}

// RevokeToken makes token invalid (401 from then on).
func (s *Server) RevokeToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, token)
}

// AddPaymentTerm stores pt in workspace as is (no rule checked), giving it
// an id and timestamps when it has none, and returns what was stored.
func (s *Server) AddPaymentTerm(workspace string, pt qwoty.PaymentTerm) qwoty.PaymentTerm {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pt.ID == "" {
		pt.ID = newID()
	}
	if pt.CreatedAt.IsZero() {
		pt.CreatedAt = s.now()
		pt.UpdatedAt = pt.CreatedAt
	}
	for i := range pt.Installments {
		if pt.Installments[i].ID == "" {
			pt.Installments[i].ID = newID()
		}
	}
	pt.Installments = slices.Clone(pt.Installments)
	ws := s.workspace(workspace)
	ws.terms = append(ws.terms, &pt)
	return pt
}

// AddQuote stores the quote JSON (its "id" is its key) in workspace, used by
// the payment term termID when not empty: the term cannot be deleted while
// the quote exists. It returns the quote's id.
func (s *Server) AddQuote(workspace string, quote json.RawMessage, termID string) string {
	var q struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(quote, &q); err != nil || q.ID == "" {
		s.t.Helper()
		s.t.Fatalf("qwotytest: AddQuote: the quote is not a JSON object with an id")
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.workspace(workspace)
	ws.quotes[q.ID] = slices.Clone(quote)
	if termID != "" {
		ws.uses[termID]++
	}
	return q.ID
}

// SetInUse records that n active quotes or contracts use the payment term
// termID of workspace (0 makes it deletable).
func (s *Server) SetInUse(workspace, termID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.workspace(workspace).uses[termID] = n
}

// PaymentTerms returns a copy of workspace's payment terms, oldest first.
func (s *Server) PaymentTerms(workspace string) []qwoty.PaymentTerm {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.workspace(workspace)
	out := make([]qwoty.PaymentTerm, 0, len(ws.terms))
	for _, pt := range ws.terms {
		c := *pt
		c.Installments = slices.Clone(pt.Installments)
		out = append(out, c)
	}
	return out
}

// LimitRate enforces a workspace-level rate limit of perMinute requests
// (burst at once): requests over it get 429 with Retry-After and Qwoty's
// error envelope. Qwoty publishes no numbers; pick what the test needs.
func (s *Server) LimitRate(perMinute, burst int) *vendorkittest.RateLimit {
	rl := vendorkittest.PerMinute(perMinute, burst, func(r *http.Request) string {
		if g, ok := r.Context().Value(ctxKey{}).(grant); ok {
			return g.workspace
		}
		return ""
	})
	s.Use(rl.Middleware(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusTooManyRequests, MsgTooManyRequests)
	}))
	return rl
}

// workspace returns (creating) the named workspace. s.mu is held.
func (s *Server) workspace(name string) *workspace {
	ws := s.workspaces[name]
	if ws == nil {
		ws = &workspace{quotes: map[string]json.RawMessage{}, uses: map[string]int{}}
		s.workspaces[name] = ws
	}
	return ws
}

// authenticate checks "Authorization: Bearer <token>" as Qwoty does and puts
// the token's grant in the request context.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := vendorkittest.BearerToken(r)
		var g grant
		if ok {
			s.mu.Lock()
			ok = false
			for known, kg := range s.tokens {
				if vendorkittest.Equal(known, tok) {
					g, ok = kg, true
				}
			}
			s.mu.Unlock()
		}
		if !ok {
			writeError(w, http.StatusUnauthorized, MsgInvalidToken)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, g)))
	})
}

// writer refuses h to read-only tokens.
func (s *Server) writer(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if g, _ := r.Context().Value(ctxKey{}).(grant); g.perm != ReadWrite {
			writeError(w, http.StatusForbidden, MsgForbidden)
			return
		}
		h(w, r)
	}
}

// ws returns the caller's workspace. s.mu is held.
func (s *Server) ws(r *http.Request) *workspace {
	g, _ := r.Context().Value(ctxKey{}).(grant)
	return s.workspace(g.workspace)
}

func (ws *workspace) find(id string) (int, *qwoty.PaymentTerm) {
	for i, pt := range ws.terms {
		if pt.ID == id {
			return i, pt
		}
	}
	return -1, nil
}

func (s *Server) listTerms(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ws := s.ws(r)
	out := make([]map[string]any, 0, len(ws.terms))
	for _, pt := range ws.terms {
		out = append(out, renderTerm(*pt))
	}
	s.mu.Unlock()
	writeData(w, http.StatusOK, out)
}

func (s *Server) getTerm(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, pt := s.ws(r).find(r.PathValue("id"))
	var out qwoty.PaymentTerm
	if pt != nil {
		out = *pt
	}
	s.mu.Unlock()
	if pt == nil {
		writeError(w, http.StatusNotFound, MsgTermNotFound)
		return
	}
	writeData(w, http.StatusOK, renderTerm(out))
}

// renderTerm writes a payment term with every key the docs' examples show,
// an empty optional text as null (as the docs show custom_text) and false
// written out.
func renderTerm(pt qwoty.PaymentTerm) map[string]any {
	null := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	at := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC().Format(time.RFC3339)
	}
	installments := make([]map[string]any, 0, len(pt.Installments))
	for _, in := range pt.Installments {
		installments = append(installments, map[string]any{
			"id": in.ID, "name": in.Name, "percentage": in.Percentage, "term": in.Term,
			"custom_text": null(in.CustomText), "order_number": in.OrderNumber,
		})
	}
	return map[string]any{
		"id": pt.ID, "name": pt.Name, "api_name": pt.APIName, "reference": null(pt.Reference),
		"is_active": pt.IsActive, "id_crm": null(pt.IDCRM), "id_erp": null(pt.IDERP),
		"id_accounting": null(pt.IDAccounting), "installments": installments,
		"created_at": at(pt.CreatedAt), "updated_at": at(pt.UpdatedAt),
	}
}

// termFields is a create or update body; a nil field was not sent.
type termFields struct {
	Name         *string              `json:"name"`
	APIName      *string              `json:"api_name"`
	Reference    *string              `json:"reference"`
	IsActive     *bool                `json:"is_active"`
	IDCRM        *string              `json:"id_crm"`
	IDERP        *string              `json:"id_erp"`
	IDAccounting *string              `json:"id_accounting"`
	Installments *[]qwoty.Installment `json:"installments"`
}

// apply sets the sent fields on pt.
func (f termFields) apply(pt *qwoty.PaymentTerm) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&pt.Name, f.Name)
	set(&pt.APIName, f.APIName)
	set(&pt.Reference, f.Reference)
	set(&pt.IDCRM, f.IDCRM)
	set(&pt.IDERP, f.IDERP)
	set(&pt.IDAccounting, f.IDAccounting)
	if f.IsActive != nil {
		pt.IsActive = *f.IsActive
	}
	if f.Installments != nil {
		pt.Installments = slices.Clone(*f.Installments)
		for i := range pt.Installments {
			if pt.Installments[i].ID == "" {
				pt.Installments[i].ID = newID()
			}
		}
	}
}

// check applies Qwoty's rules to pt, a term about to be stored in ws.
// s.mu is held.
func (ws *workspace) check(pt *qwoty.PaymentTerm) (int, string) {
	switch {
	case pt.Name == "":
		return http.StatusUnprocessableEntity, MsgNameRequired
	case utf8.RuneCountInString(pt.Name) > qwoty.MaxNameLength:
		return http.StatusUnprocessableEntity, MsgNameTooLong
	case pt.APIName == "":
		return http.StatusUnprocessableEntity, MsgAPINameRequired
	case utf8.RuneCountInString(pt.Reference) > qwoty.MaxNameLength:
		return http.StatusUnprocessableEntity, MsgReferenceTooLong
	}
	if len(pt.Installments) > 0 {
		sum := qwoty.Decimal{}
		for _, in := range pt.Installments {
			if in.Name == "" || in.Term == "" {
				return http.StatusUnprocessableEntity, MsgInstallmentFields
			}
			sum = sum.Add(in.Percentage)
		}
		if !sum.Equal(qwoty.DecimalFromInt(100)) {
			return http.StatusUnprocessableEntity, MsgPercentageSum
		}
	}
	for _, other := range ws.terms {
		if other.ID != pt.ID && strings.EqualFold(other.APIName, pt.APIName) {
			return http.StatusConflict, MsgAPINameTaken
		}
	}
	return 0, ""
}

func readFields(w http.ResponseWriter, r *http.Request) (termFields, bool) {
	var f termFields
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&f); err != nil {
		writeError(w, http.StatusBadRequest, MsgInvalidJSON)
		return f, false
	}
	return f, true
}

func (s *Server) createTerm(w http.ResponseWriter, r *http.Request) {
	f, ok := readFields(w, r)
	if !ok {
		return
	}
	pt := qwoty.PaymentTerm{ID: newID(), IsActive: true, Installments: []qwoty.Installment{}}
	f.apply(&pt)
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.ws(r)
	if status, msg := ws.check(&pt); status != 0 {
		writeError(w, status, msg)
		return
	}
	pt.CreatedAt = s.now()
	pt.UpdatedAt = pt.CreatedAt
	ws.terms = append(ws.terms, &pt)
	writeData(w, http.StatusCreated, renderTerm(pt))
}

func (s *Server) updateTerm(w http.ResponseWriter, r *http.Request) {
	f, ok := readFields(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.ws(r)
	i, cur := ws.find(r.PathValue("id"))
	if cur == nil {
		writeError(w, http.StatusNotFound, MsgTermNotFound)
		return
	}
	next := *cur
	f.apply(&next)
	if status, msg := ws.check(&next); status != 0 {
		writeError(w, status, msg)
		return
	}
	next.UpdatedAt = s.now()
	ws.terms[i] = &next
	writeData(w, http.StatusOK, renderTerm(next))
}

func (s *Server) deleteTerm(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.ws(r)
	id := r.PathValue("id")
	i, pt := ws.find(id)
	switch {
	case pt == nil:
		writeError(w, http.StatusNotFound, MsgTermNotFound)
	case ws.uses[id] > 0:
		writeError(w, http.StatusConflict, MsgTermInUse)
	default:
		ws.terms = slices.Delete(ws.terms, i, i+1)
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": MsgDeleted})
	}
}

func (s *Server) getQuote(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	q, ok := s.ws(r).quotes[r.PathValue("id")]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, MsgQuoteNotFound)
		return
	}
	writeData(w, http.StatusOK, map[string]json.RawMessage{"quote": q})
}

// writeJSON writes v as JSON without HTML escaping ("&" stays "&", as
// Qwoty's own answers show it).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeData writes {"success": true, "data": data}.
func writeData(w http.ResponseWriter, status int, data any) {
	writeJSON(w, status, struct {
		Success bool `json:"success"`
		Data    any  `json:"data"`
	}{true, data})
}

// writeError writes {"success": false, "error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		Success bool   `json:"success"`
		Error   string `json:"error"`
	}{false, msg})
}

// newID returns a random UUID (version 4).
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
