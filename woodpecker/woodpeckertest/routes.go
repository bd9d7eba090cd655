package woodpeckertest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/vendorkittest"
)

func (s *Server) routes() {
	s.HandleFunc("GET /v1/me", s.me)
	s.HandleFunc("GET /v2/mailboxes", s.listMailboxes)
	s.HandleFunc("GET /v2/mailboxes/{id}", s.getMailbox)
	s.HandleFunc("GET /v1/campaign_list", s.campaignList)
	s.HandleFunc("POST /v2/campaigns", s.createCampaign)
	s.HandleFunc("GET /v2/campaigns/{id}", s.getCampaign)
	s.HandleFunc("PATCH /v2/campaigns/{id}", s.editCampaign(s.updateCampaign))
	s.HandleFunc("DELETE /v2/campaigns/{id}", s.deleteCampaign)
	s.HandleFunc("POST /v2/campaigns/{id}/run", s.campaignState("RUNNING"))
	s.HandleFunc("POST /v2/campaigns/{id}/pause", s.campaignState("PAUSED"))
	s.HandleFunc("POST /v2/campaigns/{id}/stop", s.campaignState("STOPPED"))
	s.HandleFunc("POST /v2/campaigns/{id}/make_editable", s.makeEditable)
	s.HandleFunc("POST /v2/campaigns/{id}/steps", s.editCampaign(s.addStep))
	s.HandleFunc("PATCH /v2/campaigns/{id}/steps/{step_id}", s.editCampaign(s.updateStep))
	s.HandleFunc("PATCH /v2/campaigns/{id}/steps/{step_id}/versions/{version_id}", s.editCampaign(s.updateStepVersion))
	s.HandleFunc("POST /v2/mailboxes/manual_connection/bulk", s.connectMailboxes)
	s.HandleFunc("GET /v2/mailboxes/manual_connection/bulk/{batch_id}/summary", s.batchSummary)
	s.HandleFunc("GET /v2/domains", s.listDomains)
	s.HandleFunc("GET /v2/domains/{domain}/mailboxes", s.listDomainMailboxes)
	s.HandleFunc("GET /v2/domains/{domain}/mailboxes/{email}", s.getDomainMailbox)
	s.HandleFunc("POST /v2/domains/mailboxes/order", s.orderMailboxes)
	s.HandleFunc("PATCH /v2/domains/{domain}/mailboxes/{email}/profile_picture", s.profilePicture)
	s.HandleFunc("POST /v2/agency/companies/{cid}/prospects/delete", s.deleteCompanyProspects)
	s.HandleFunc("GET /v2/webhooks", s.listWebhooks)
	s.HandleFunc("DELETE /v1/prospects", s.deleteProspects)
	s.HandleFunc("GET /v1/prospects", s.listProspects)
	s.HandleFunc("POST /v1/add_prospects_list", s.addProspects(false))
	s.HandleFunc("POST /v1/add_prospects_campaign", s.addProspects(true))
	s.HandleFunc("GET /v2/users", s.listUsers)
	s.HandleFunc("GET /v2/agency/companies", s.listCompanies)
	s.HandleFunc("POST /v2/agency/companies", s.createCompanies)
	s.HandleFunc("GET /v2/agency/companies/{cid}/api_keys", s.listAPIKeys)
	s.HandleFunc("POST /v2/agency/companies/{cid}/api_keys", s.createAPIKey)
	s.HandleFunc("GET /v2/agency/companies/{cid}/email_accounts", s.emailAccounts)
	s.HandleFunc("POST /v1/webhooks/subscribe", s.webhook(true))
	s.HandleFunc("POST /v1/webhooks/unsubscribe", s.webhook(false))
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	kind := "CLIENT"
	if c.key.hq {
		kind = "HQ"
	}
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{
		"id": c.acct.id*100 + 1, "email": c.acct.owner, "name": c.acct.name + " owner",
		"company_id": c.acct.id, "company_name": c.acct.name, "key_type": kind,
	})
}

func (s *Server) listMailboxes(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	list := c.acct.mailboxes
	if list == nil {
		list = []map[string]any{}
	}
	vendorkittest.WriteJSON(w, http.StatusOK, list)
}

func (s *Server) getMailbox(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	id, ok := pathID(r, "id")
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range c.acct.mailboxes {
		if ok && toInt64(m["id"]) == id {
			vendorkittest.WriteJSON(w, http.StatusOK, m)
			return
		}
	}
	V2Error(w, http.StatusNotFound, "Mailbox not found")
}

// ---- prospects (v1) ----

func (s *Server) listProspects(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	q := r.URL.Query()
	page, perPage := 1, 100
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.v1Error(w, "E_WRONG_PARAM", "page must be a positive number")
			return
		}
		page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			s.v1Error(w, "E_WRONG_PARAM", "per_page must be between 1 and 1000")
			return
		}
		perPage = n
	}
	search := map[string]string{}
	if v, ok := q["search"]; ok {
		for _, term := range strings.Split(strings.Join(v, ","), ",") {
			field, value, found := strings.Cut(term, "=")
			if !found || field == "" {
				s.v1Error(w, "E_WRONG_PARAM", "search must be field=value")
				return
			}
			search[strings.ToLower(field)] = value
		}
	}
	ids := splitList(q.Get("id"))
	campaigns := splitList(q.Get("campaigns_id"))
	status := strings.ToUpper(q.Get("status"))
	// A bare email= parameter is ignored, as by Woodpecker.
	s.mu.Lock()
	var match []map[string]any
	for _, p := range c.acct.prospects {
		if status != "" && str(p["status"]) != status {
			continue
		}
		if len(ids) > 0 && !slices.Contains(ids, strconv.FormatInt(toInt64(p["id"]), 10)) {
			continue
		}
		if len(campaigns) > 0 && !inCampaigns(p, campaigns) {
			continue
		}
		ok := true
		for f, v := range search {
			if !strings.EqualFold(str(p[f]), v) {
				ok = false
			}
		}
		if ok {
			match = append(match, public(p))
		}
	}
	s.mu.Unlock()
	start := (page - 1) * perPage
	w.Header().Set("X-Total-Count", strconv.Itoa(len(match)))
	if start >= len(match) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	vendorkittest.WriteJSON(w, http.StatusOK, match[start:min(len(match), start+perPage)])
}

// public is a prospect as the API shows it (without the fake's bookkeeping).
func public(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		if k != "campaigns" {
			out[k] = v
		}
	}
	return out
}

func inCampaigns(p map[string]any, ids []string) bool {
	list, _ := p["campaigns"].([]int64)
	for _, id := range list {
		if slices.Contains(ids, strconv.FormatInt(id, 10)) {
			return true
		}
	}
	return false
}

// addProspects serves add_prospects_list and add_prospects_campaign.
func (s *Server) addProspects(toCampaign bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := from(r)
		body, ok := decodeBody(r)
		if !ok {
			s.v1Error(w, "E_WRONG_PARAM", "Request body is not valid JSON")
			return
		}
		list, _ := body["prospects"].([]any)
		if len(list) == 0 || len(list) > 20000 {
			s.v1Error(w, "E_REQUIRED_ELEMENT", "prospects: between 1 and 20000 required")
			return
		}
		update, _ := body["update"].(bool)
		force, _ := body["force"].(bool)
		s.mu.Lock()
		defer s.mu.Unlock()
		var campaignID int64
		if toCampaign {
			target, _ := body["campaign"].(map[string]any)
			campaignID = toInt64(target["campaign_id"])
			if c.acct.campaigns[campaignID] == nil {
				vendorkittest.WriteJSON(w, http.StatusBadRequest, map[string]string{
					"code": "CAMPAIGN_NOT_EXIST", "message": "Campaign does not exist",
				})
				return
			}
		}
		results := make([]map[string]any, 0, len(list))
		for _, item := range list {
			in, _ := item.(map[string]any)
			email := strings.TrimSpace(str(in["email"]))
			if email == "" || !strings.Contains(email, "@") {
				results = append(results, map[string]any{"email": email, "status": "ERROR", "code": "E_EMAIL", "msg": "Invalid e-mail address"})
				continue
			}
			p := s.findProspect(c.acct, email)
			res := map[string]any{"email": email, "status": "OK"}
			switch {
			case p == nil:
				p = prospect(s.newID(), email, "", "ACTIVE")
				mergeProspect(p, in)
				c.acct.prospects = append(c.acct.prospects, p)
			case update:
				mergeProspect(p, in)
			case !toCampaign:
				res["status"], res["code"], res["msg"] = "DUPLICATE", "E_DUPLICATE", "Prospect already exists"
			}
			if toCampaign && res["status"] == "OK" {
				camps, _ := p["campaigns"].([]int64)
				switch {
				case str(p["status"]) != "ACTIVE" && !force:
					res["status"], res["code"], res["msg"] = "ERROR", "E_INV_STATUS", "Prospect status is "+str(p["status"])
				case slices.Contains(camps, campaignID) && !update:
					res["status"], res["code"], res["msg"] = "DUPLICATE", "E_DUPLICATE", "Prospect already in campaign"
				case !slices.Contains(camps, campaignID):
					p["campaigns"] = append(camps, campaignID)
				}
			}
			res["id"] = p["id"]
			results = append(results, res)
		}
		vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{
			"prospects": results,
			"status":    map[string]string{"status": "OK", "code": "OK", "msg": "Prospects processed"},
		})
	}
}

// findProspect finds a prospect by e-mail; s.mu is held.
func (s *Server) findProspect(a *account, email string) map[string]any {
	for _, p := range a.prospects {
		if strings.EqualFold(str(p["email"]), email) {
			return p
		}
	}
	return nil
}

// mergeProspect applies v1 upsert rules: sent fields replace (snippets too,
// "" clears), omitted ones stay, tags add up.
func mergeProspect(p, in map[string]any) {
	for k, v := range in {
		switch k {
		case "id", "campaigns":
		case "tags":
			have := strings.Fields(str(p["tags"]))
			for _, t := range strings.Fields(str(v)) {
				if !slices.Contains(have, t) {
					have = append(have, t)
				}
			}
			p["tags"] = strings.Join(have, " ")
		default:
			p[k] = v
		}
	}
	p["updated"] = time.Now().Format("2006-01-02T15:04:05-0700")
}

// ---- users and agency (v2) ----

// v2Page writes items[page*size:…] in the v2 envelope; number is the page
// as the endpoint counts it and first its first page (0 or 1).
func (s *Server) v2Page(w http.ResponseWriter, r *http.Request, items []map[string]any, first int) {
	page := first
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < first {
			V2Error(w, http.StatusBadRequest, "Value of page is incorrect.")
			return
		}
		page = n
	}
	s.mu.Lock()
	size := s.pageSize
	s.mu.Unlock()
	start := (page - first) * size
	content := []map[string]any{}
	if start < len(items) {
		content = items[start:min(len(items), start+size)]
	}
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{
		"content": content,
		"pagination_data": map[string]any{
			"total_elements":      len(items),
			"total_pages":         (len(items) + size - 1) / size,
			"current_page_number": page - first + 1,
			"page_size":           size,
		},
	})
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	s.mu.Lock()
	users := slices.Clone(c.acct.users)
	s.mu.Unlock()
	if r.URL.Query().Get("sort") == "-id" {
		slices.Reverse(users)
	}
	s.v2Page(w, r, users, 0) // /v2/users counts pages from 0
}

func (s *Server) agencyCompanies(agency int64, active *bool) []map[string]any {
	var out []map[string]any
	ids := make([]int64, 0, len(s.accounts))
	for id := range s.accounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		a := s.accounts[id]
		if a.agency != agency || (active != nil && a.active != *active) {
			continue
		}
		running := 0
		for _, cp := range a.campaigns {
			if str(cp["status"]) == "RUNNING" {
				running++
			}
		}
		out = append(out, map[string]any{
			"id": a.id, "name": a.name, "owner": a.owner, "active": a.active,
			"running_campaigns": running, "email_slots": 5, "linkedin_slots": 1,
		})
	}
	return out
}

func (s *Server) listCompanies(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	var active *bool
	if v := r.URL.Query().Get("active"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			V2Error(w, http.StatusBadRequest, "Value of active is incorrect.")
			return
		}
		active = &b
	}
	s.mu.Lock()
	list := s.agencyCompanies(c.key.company, active)
	s.mu.Unlock()
	s.v2Page(w, r, list, 1) // agency lists count pages from 1
}

func (s *Server) createCompanies(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	body, ok := decodeBody(r)
	list, _ := body["companies"].([]any)
	if !ok || len(list) == 0 || len(list) > 10 {
		V2Error(w, http.StatusBadRequest, "Value of companies is incorrect.")
		return
	}
	var names []string
	for _, item := range list {
		m, _ := item.(map[string]any)
		name := strings.TrimSpace(str(m["name"]))
		if name == "" {
			V2Error(w, http.StatusBadRequest, "Value of name is incorrect.")
			return
		}
		names = append(names, name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, n := range names {
		a := s.newAccount(s.newID(), n, true, c.key.company)
		out = append(out, map[string]any{"id": a.id, "name": a.name, "owner": a.owner, "active": true})
	}
	vendorkittest.WriteJSON(w, http.StatusCreated, map[string]any{"companies": out})
}

// clientOf returns the agency's client company {cid}, answering 404 when it
// is not one. s.mu is held.
func (s *Server) clientOf(w http.ResponseWriter, r *http.Request) *account {
	id, ok := pathID(r, "cid")
	if a := s.accounts[id]; ok && a != nil && a.agency == from(r).key.company {
		return a
	}
	V2Error(w, http.StatusNotFound, "Company not found")
	return nil
}

func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.clientOf(w, r)
	var keys []map[string]any
	if a != nil {
		keys = slices.Clone(a.apiKeys)
	}
	s.mu.Unlock()
	if a != nil {
		s.v2Page(w, r, keys, 1)
	}
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) {
	body, ok := decodeBody(r)
	label := strings.TrimSpace(str(body["label"]))
	if !ok || label == "" {
		V2Error(w, http.StatusBadRequest, "Value of label is incorrect.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.clientOf(w, r)
	if a == nil {
		return
	}
	key := strconv.FormatInt(a.id, 10) + ".f4k3" + strconv.FormatInt(s.newID(), 36) + "key"
	a.apiKeys = append(a.apiKeys, map[string]any{"api_key": key, "label": label})
	s.keys[key] = &keyInfo{company: a.id, addon: true, plan: true}
	vendorkittest.WriteJSON(w, http.StatusCreated, map[string]string{"api_key": key})
}

func (s *Server) emailAccounts(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.clientOf(w, r)
	if a == nil {
		return
	}
	// As documented: {content: [...]}, the account's fields under details;
	// IMAP accounts carry email, provider and error only; error is null
	// when the account has no problem.
	out := []map[string]any{}
	for _, m := range a.mailboxes {
		d, _ := m["details"].(map[string]any)
		var problem any
		if e := str(d["error"]); e != "" {
			problem = e
		}
		details := map[string]any{"email": d["email"], "provider": d["provider"], "error": problem}
		if m["type"] == "SMTP" {
			running := 0
			for _, cp := range a.campaigns {
				if str(cp["status"]) == "RUNNING" && slices.Contains(int64s(cp["email_account_ids"]), toInt64(m["id"])) {
					running++
				}
			}
			details["from_name"], details["imap_id"], details["running_campaigns"] = d["from_name"], toInt64(d["imap_id"]), running
		}
		out = append(out, map[string]any{"id": m["id"], "type": m["type"], "details": details})
	}
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"content": out})
}

// deleteCompanyProspects deletes a client company's prospects (type ALL,
// the only type documented) and answers 202 with the documented receipt.
func (s *Server) deleteCompanyProspects(w http.ResponseWriter, r *http.Request) {
	body, ok := decodeBody(r)
	if !ok || str(body["type"]) != "ALL" {
		V2Error(w, http.StatusBadRequest, "Value of type is incorrect.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.clientOf(w, r)
	if a == nil {
		return
	}
	n := len(a.prospects)
	a.prospects = nil
	vendorkittest.WriteJSON(w, http.StatusAccepted, map[string]any{"deletion_request_id": s.newID(), "count": n})
}

// ---- webhooks (v1) ----

func (s *Server) webhook(subscribe bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := from(r)
		body, ok := decodeBody(r)
		target, event := strings.TrimSpace(str(body["target_url"])), strings.TrimSpace(str(body["event"]))
		if !ok || target == "" || event == "" {
			s.v1Error(w, "E_REQUIRED_ELEMENT", "target_url and event are required")
			return
		}
		key := event + " " + target
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case subscribe && c.acct.webhooks[key]:
			// The answer the help center shows (docs.woodpecker.co
			// 5223757, shared/webhooks.md "Subscription").
			V1Error(w, http.StatusConflict, "E_WRONG_PARAM", "Event defined for this url.")
			return
		case subscribe && c.acct.subscribers(event) >= MaxSubscriptionsPerEvent:
			// "You can subscribe to the same event up to three times per
			// account, provided that each subscription uses a unique
			// target_url" (developers.woodpecker.co, POST-subscribe-webhook);
			// the message is the help center's, its code is not shown
			// there (E_WRONG_PARAM, as for the duplicate, is a guess).
			V1Error(w, http.StatusConflict, "E_WRONG_PARAM", "You can only subscribe to the same webhook 3 times per one account.")
			return
		case subscribe:
			c.acct.webhooks[key] = true
			// 201 (help center) with the body the developers page shows.
			vendorkittest.WriteJSON(w, http.StatusCreated, map[string]any{
				"target_url": target, "event": event, "message": "Subscribed.",
			})
		case !c.acct.webhooks[key]:
			V1Error(w, s.v1ErrorStatus, "E_RECORD_NOT_FOUND", "Webhook not found")
		default:
			delete(c.acct.webhooks, key)
			w.WriteHeader(http.StatusOK) // documented: 200, no body
		}
	}
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	s.mu.Lock()
	keys := make([]string, 0, len(c.acct.webhooks))
	for k := range c.acct.webhooks {
		keys = append(keys, k)
	}
	s.mu.Unlock()
	slices.Sort(keys)
	out := []map[string]any{}
	for _, k := range keys {
		event, target, _ := strings.Cut(k, " ")
		out = append(out, map[string]any{"target_url": target, "event": event})
	}
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"webhooks": out})
}

// ---- small helpers ----

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.ToUpper(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func sortedIDs[V any](m map[int64]V) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// int64s reads a JSON list of ids kept in the fake's state.
func int64s(v any) []int64 {
	switch x := v.(type) {
	case []int64:
		return x
	case []any:
		out := make([]int64, 0, len(x))
		for _, e := range x {
			out = append(out, toInt64(e))
		}
		return out
	}
	return nil
}
