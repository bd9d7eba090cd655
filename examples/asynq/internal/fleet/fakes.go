// Package fleet sets up what the example's end-to-end test and its fleet
// run share: the vendor fakes with tenants and conversations, the checks of
// what the workers wrote (lost and duplicated work), and the counters the
// workers keep in Redis.
package fleet

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/examples/asynq/jobs"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// FakesConfig says what to put in the fakes.
type FakesConfig struct {
	// Tenants names the tenants.
	Tenants []string
	// Conversations is the number of conversations per tenant, each with a
	// contact of its own.
	Conversations int
	// DeskwootPerMinute and DeskwootBurst are the Deskwoot fake's limit per
	// token (0: Deskwoot's 60/min, burst 1).
	DeskwootPerMinute, DeskwootBurst int
}

// Fakes are one Deskwoot fake (an account and token per tenant) and one
// Woofed fake per tenant (each tenant its own CRM install).
type Fakes struct {
	Deskwoot *deskwoottest.Server
	Woofed   map[string]*woofedtest.Server
	Tenants  map[string]jobs.Tenant
	// Conversations are the Deskwoot conversation ids, by tenant.
	Conversations map[string][]string
	cfg           FakesConfig
}

// StartFakes starts the fakes; t's cleanups close them.
func StartFakes(t vendorkittest.T, cfg FakesConfig) *Fakes {
	if cfg.DeskwootPerMinute == 0 {
		cfg.DeskwootPerMinute = deskwoot.DefaultRequestsPerMinute
	}
	cfg.DeskwootBurst = max(1, cfg.DeskwootBurst)
	f := &Fakes{
		Deskwoot:      deskwoottest.NewServer(t, deskwoottest.WithRateLimit(cfg.DeskwootPerMinute, cfg.DeskwootBurst)),
		Woofed:        map[string]*woofedtest.Server{},
		Tenants:       map[string]jobs.Tenant{},
		Conversations: map[string][]string{},
		cfg:           cfg,
	}
	for _, name := range cfg.Tenants {
		account := f.Deskwoot.AddAccount(deskwoottest.PlanEnterprise)
		token := f.Deskwoot.AddToken(account, deskwoottest.ScopeRead, deskwoottest.ScopeWrite)
		crm := woofedtest.NewServer(t, woofedtest.WithToken("woofed-"+name+"-token"))
		f.Woofed[name] = crm
		f.Tenants[name] = jobs.Tenant{Name: name, DeskwootURL: f.Deskwoot.URL(), DeskwootAccount: account, DeskwootToken: token,
			WoofedURL: crm.URL(), WoofedToken: crm.Token(), WoofedPipelineID: 1}
		for i := range cfg.Conversations {
			// Fixed-width addresses: Woofed matches an email as a substring.
			c := f.Deskwoot.AddContact(account, deskwoot.ContactInput{Name: vendorkit.Ptr(fmt.Sprintf("Customer %04d", i)),
				Email: vendorkit.Ptr(fmt.Sprintf("customer%04d@%s.example", i, name))})
			conv := f.Deskwoot.AddConversation(account, c.ID, "Hello, I need help", deskwoot.StatusOpen)
			f.Conversations[name] = append(f.Conversations[name], conv.ID)
		}
	}
	return f
}

// WriteTenants writes the tenants as LoadTenants reads them, readable by
// the owner only.
func (f *Fakes) WriteTenants(path string) error {
	var list []jobs.Tenant
	for _, name := range f.cfg.Tenants {
		list = append(list, f.Tenants[name])
	}
	b, err := json.Marshal(list)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// DeskwootToken matches the Deskwoot requests of tenant.
func (f *Fakes) DeskwootToken(tenant string) func(*http.Request) bool {
	want := "Bearer " + f.Tenants[tenant].DeskwootToken
	return func(r *http.Request) bool { return r.Header.Get("Authorization") == want }
}

// GetConversation matches tenant's GETs of one conversation.
func (f *Fakes) GetConversation(tenant string) func(*http.Request) bool {
	token := f.DeskwootToken(tenant)
	return func(r *http.Request) bool {
		return token(r) && r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/conversations/")
	}
}

// Outcome is what the workers wrote to one tenant's CRM.
type Outcome struct {
	// Synced is the number of conversations with exactly one deal.
	Synced int
	// Missing lists the conversations with no deal.
	Missing []string
	// Duplicates counts deals beyond the first for a conversation, and
	// contacts beyond the first for an email.
	Duplicates int
}

// Check reads tenant's Woofed fake.
func (f *Fakes) Check(tenant string) Outcome {
	crm := f.Woofed[tenant]
	deals := map[string]int{}
	for id := int64(1); ; id++ {
		d, ok := crm.Deal(id)
		if !ok {
			break
		}
		if conv, ok := d.CustomAttributes[jobs.DealKey].(string); ok {
			deals[conv]++
		}
	}
	emails := map[string]int{}
	for id := int64(1); ; id++ {
		c, ok := crm.Contact(id)
		if !ok {
			break
		}
		emails[strings.ToLower(c.Email)]++
	}
	var o Outcome
	for _, conv := range f.Conversations[tenant] {
		switch n := deals[conv]; {
		case n == 0:
			o.Missing = append(o.Missing, conv)
		default:
			o.Synced++
			o.Duplicates += n - 1
		}
	}
	for _, n := range emails {
		o.Duplicates += max(0, n-1)
	}
	return o
}

// SentRatio is the busiest window of tenant's Deskwoot requests against
// the fake's limit: (requests in the window − burst) ÷ (window × rate),
// over every window of length w that starts at a request. 1 means exactly
// at the limit.
func (f *Fakes) SentRatio(tenant string, w time.Duration) float64 {
	match := f.DeskwootToken(tenant)
	var times []time.Time
	for _, r := range f.Deskwoot.Requests() {
		if r.Header.Get("Authorization") == "" {
			continue
		}
		req := &http.Request{Header: r.Header}
		if match(req) {
			times = append(times, r.Time)
		}
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	best, j := 0, 0
	for i := range times {
		for j < len(times) && times[j].Sub(times[i]) < w {
			j++
		}
		best = max(best, j-i)
	}
	perSecond := float64(f.cfg.DeskwootPerMinute) / 60
	return float64(best-f.cfg.DeskwootBurst) / (w.Seconds() * perSecond)
}
