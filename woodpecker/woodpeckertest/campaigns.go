package woodpeckertest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/vendorkittest"
)

// Campaigns are kept as the JSON GET /v2/campaigns/{id} answers, plus the
// fake's bookkeeping under keys starting with "_" (never sent).

// defaultSettings are the settings GET-campaign documents as defaults.
func defaultSettings() map[string]any {
	return map[string]any{
		"timezone": "Europe/Warsaw", "prospect_timezone": false, "daily_enroll": 50,
		"gdpr_unsubscribe": false, "list_unsubscribe": false, "open_disabled_list": []any{},
		"auto_pause_prospect_from_domain": false, "catch_all_verification_mode": "BALANCED",
	}
}

// uuid makes a step id shaped like Woodpecker's (a UUID string).
func (s *Server) uuid() string {
	n := s.newID()
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", n, n%0xffff, n%0xfff, n%0xfff, n)
}

// hexID makes a version id shaped like Woodpecker's (a 64-digit hex string).
func (s *Server) hexID() string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(s.newID(), 10)))
	return hex.EncodeToString(sum[:])
}

// campaign seeds a one-step campaign shaped like the GET-campaign example.
func (s *Server) campaign(id int64, name, status string, boxes []int64) map[string]any {
	cp := map[string]any{
		"id": id, "name": name, "status": status, "email_account_ids": boxes,
		"settings": defaultSettings(),
		"steps": map[string]any{"type": "START", "followup": map[string]any{
			"type":           "EMAIL",
			"followup_after": map[string]any{"range": "DAY", "value": 1},
			"delivery_time":  map[string]any{"MONDAY": []any{map[string]any{"from": "08:00", "to": "18:00"}}},
			"body": map[string]any{"versions": []any{map[string]any{
				"subject": "Hi {{FIRST_NAME}}", "message": "<p>Hello</p>", "signature": "SENDER", "track_opens": true,
			}}},
		}},
		"_created": "2025-03-01T10:00:00+0100",
	}
	s.stepIDs(cp["steps"].(map[string]any))
	return cp
}

// stepIDs gives a step chain the ids, version letters, defaults and the
// closing "followup": null that Woodpecker's answers carry. s.mu is held.
func (s *Server) stepIDs(step map[string]any) {
	for step != nil {
		if str(step["id"]) == "" {
			step["id"] = s.uuid()
		}
		if body, ok := step["body"].(map[string]any); ok {
			versions, _ := body["versions"].([]any)
			for i, v := range versions {
				ver, ok := v.(map[string]any)
				if !ok {
					continue
				}
				if str(ver["id"]) == "" {
					ver["id"] = s.hexID()
				}
				ver["version"] = string(rune('A' + i))
				if _, ok := ver["subject"]; !ok {
					ver["subject"] = nil
				}
				if _, ok := ver["signature"]; !ok {
					ver["signature"] = "SENDER"
				}
				if _, ok := ver["track_opens"]; !ok {
					ver["track_opens"] = true
				}
			}
		}
		next, _ := step["followup"].(map[string]any)
		if next == nil {
			if step["type"] != "START" {
				step["followup"] = nil
			}
		}
		step = next
	}
}

// findStep returns the step with id in the chain, and the chain's last
// step.
func findStep(steps any, id string) (found, last map[string]any) {
	step, _ := steps.(map[string]any)
	for step != nil {
		if str(step["id"]) == id {
			found = step
		}
		last = step
		step, _ = step["followup"].(map[string]any)
	}
	return found, last
}

// publicCampaign is a campaign without the fake's bookkeeping.
func publicCampaign(cp map[string]any) map[string]any {
	out := make(map[string]any, len(cp))
	for k, v := range cp {
		if !strings.HasPrefix(k, "_") {
			out[k] = v
		}
	}
	return out
}

// editCampaign serves an update of campaign {id}: it reads the JSON body,
// finds the campaign (404) and checks it can be updated — DRAFT or EDITED,
// as every update page documents (409) — then calls edit with s.mu held.
func (s *Server) editCampaign(edit func(w http.ResponseWriter, r *http.Request, cp, body map[string]any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, ok := decodeBody(r)
		if !ok {
			V2Error(w, http.StatusBadRequest, "Request body is not valid JSON.")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		cp := s.campaignOf(w, r)
		if cp == nil {
			return
		}
		if st := str(cp["status"]); st != "DRAFT" && st != "EDITED" {
			V2Error(w, http.StatusConflict, "Only campaigns with a status of DRAFT or EDITED can be updated.")
			return
		}
		edit(w, r, cp, body)
	}
}

func (s *Server) campaignList(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	q := r.URL.Query()
	statuses := splitList(q.Get("status"))
	ids := splitList(q.Get("id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, id := range sortedIDs(c.acct.campaigns) {
		cp := c.acct.campaigns[id]
		if len(statuses) > 0 && !slices.Contains(statuses, strings.ToUpper(str(cp["status"]))) {
			continue
		}
		if len(ids) > 0 && !slices.Contains(ids, strconv.FormatInt(id, 10)) {
			continue
		}
		item := map[string]any{
			"id": id, "name": cp["name"], "status": cp["status"], "created": cp["_created"],
			"from_name": "Richard", "from_names": []string{"Richard"},
			"from_email": "richard@piedpiper.com", "from_emails": []string{"richard@piedpiper.com"},
			"folder_name": "", "folder_id": 0, "gdpr_unsubscribe": false, "per_day": 50,
			"bcc": "", "cc": "", "error": "",
		}
		if len(ids) == 1 {
			// One id adds the statistics. Their fields are not visible in
			// the docs' stored copy: the fake sends what SetCampaignStats
			// set, {} by default.
			stats, _ := cp["_stats"].(map[string]any)
			if stats == nil {
				stats = map[string]any{}
			}
			item["stats"] = stats
		}
		out = append(out, item)
	}
	if len(out) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	vendorkittest.WriteJSON(w, http.StatusOK, out)
}

// SetCampaignStats sets the stats object ListCampaigns (one id) and
// GetCampaignStats return for a campaign.
func (s *Server) SetCampaignStats(companyID, campaignID int64, stats map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp := s.accounts[companyID].campaigns[campaignID]; cp != nil {
		cp["_stats"] = stats
	}
}

func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	body, ok := decodeBody(r)
	if !ok {
		V2Error(w, http.StatusBadRequest, "Request body is not valid JSON.")
		return
	}
	if strings.TrimSpace(str(body["name"])) == "" {
		V2Error(w, http.StatusBadRequest, "Value of name is incorrect.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	settings := defaultSettings()
	if in, ok := body["settings"].(map[string]any); ok {
		for k, v := range in {
			settings[k] = v
		}
	}
	steps, _ := body["steps"].(map[string]any)
	if steps == nil {
		steps = map[string]any{"type": "START"}
	}
	s.stepIDs(steps)
	boxes := body["email_account_ids"]
	if boxes == nil {
		boxes = []any{}
	}
	cp := map[string]any{
		"id": id, "name": body["name"], "status": "DRAFT", "email_account_ids": boxes,
		"settings": settings, "steps": steps,
		"_created": time.Now().Format("2006-01-02T15:04:05-0700"),
	}
	c.acct.campaigns[id] = cp
	vendorkittest.WriteJSON(w, http.StatusCreated, publicCampaign(cp))
}

// campaignOf returns the caller's campaign {id}, answering 404 when absent.
// s.mu is held.
func (s *Server) campaignOf(w http.ResponseWriter, r *http.Request) map[string]any {
	id, ok := pathID(r, "id")
	if cp := from(r).acct.campaigns[id]; ok && cp != nil {
		return cp
	}
	V2Error(w, http.StatusNotFound, "Campaign not found")
	return nil
}

func (s *Server) getCampaign(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp := s.campaignOf(w, r); cp != nil {
		vendorkittest.WriteJSON(w, http.StatusOK, publicCampaign(cp))
	}
}

func (s *Server) updateCampaign(w http.ResponseWriter, r *http.Request, cp, body map[string]any) {
	if _, ok := body["steps"]; ok {
		V2Error(w, http.StatusBadRequest, "Use the steps endpoints to change steps.")
		return
	}
	for k, v := range body {
		switch k {
		case "name", "email_account_ids":
			cp[k] = v
		case "settings": // partial, setting by setting
			in, _ := v.(map[string]any)
			settings, _ := cp["settings"].(map[string]any)
			for sk, sv := range in {
				settings[sk] = sv
			}
		}
	}
	vendorkittest.WriteJSON(w, http.StatusOK, publicCampaign(cp))
}

func (s *Server) deleteCampaign(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp := s.campaignOf(w, r); cp != nil {
		delete(from(r).acct.campaigns, toInt64(cp["id"]))
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) campaignState(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		cp := s.campaignOf(w, r)
		if cp == nil {
			return
		}
		if st := str(cp["status"]); st == "STOPPED" || st == "COMPLETED" {
			V2Error(w, http.StatusConflict, "Campaign is "+strings.ToLower(st)+" and cannot change state.")
			return
		}
		cp["status"] = to
		w.WriteHeader(http.StatusOK)
	}
}

// makeEditable moves a campaign to EDITED; a DRAFT stays a DRAFT (both
// can be updated). Stopped and completed campaigns cannot change state.
func (s *Server) makeEditable(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := s.campaignOf(w, r)
	if cp == nil {
		return
	}
	switch str(cp["status"]) {
	case "STOPPED", "COMPLETED":
		V2Error(w, http.StatusConflict, "Campaign is "+strings.ToLower(str(cp["status"]))+" and cannot be edited.")
		return
	case "DRAFT":
	default:
		cp["status"] = "EDITED"
	}
	w.WriteHeader(http.StatusOK)
}

// addStep appends a step after the last one (parent_id must name it).
func (s *Server) addStep(w http.ResponseWriter, r *http.Request, cp, body map[string]any) {
	step, _ := body["step"].(map[string]any)
	parent := str(body["parent_id"])
	if step == nil || parent == "" {
		V2Error(w, http.StatusBadRequest, "Value of step is incorrect.")
		return
	}
	if t := str(step["type"]); t != "EMAIL" && t != "LINKEDIN" {
		V2Error(w, http.StatusBadRequest, "Value of step.type is incorrect.")
		return
	}
	found, last := findStep(cp["steps"], parent)
	switch {
	case found == nil:
		V2Error(w, http.StatusNotFound, "Step not found")
		return
	case found != nil && str(found["id"]) != str(last["id"]):
		V2Error(w, http.StatusConflict, "A step can only be added at the end of the campaign.")
		return
	}
	delete(step, "id")
	delete(step, "followup")
	s.stepIDs(step)
	found["followup"] = step
	w.WriteHeader(http.StatusOK)
}

func (s *Server) updateStep(w http.ResponseWriter, r *http.Request, cp, body map[string]any) {
	dt, _ := body["delivery_time"].(map[string]any)
	if len(dt) == 0 {
		V2Error(w, http.StatusBadRequest, "Value of delivery_time is incorrect.")
		return
	}
	step, _ := findStep(cp["steps"], r.PathValue("step_id"))
	if step == nil || step["type"] == "START" {
		V2Error(w, http.StatusNotFound, "Step not found")
		return
	}
	step["delivery_time"] = dt // replaces the whole object, as documented
	w.WriteHeader(http.StatusOK)
}

func (s *Server) updateStepVersion(w http.ResponseWriter, r *http.Request, cp, body map[string]any) {
	step, _ := findStep(cp["steps"], r.PathValue("step_id"))
	var version map[string]any
	if step != nil {
		b, _ := step["body"].(map[string]any)
		vs, _ := b["versions"].([]any)
		for _, v := range vs {
			if m, _ := v.(map[string]any); m != nil && str(m["id"]) == r.PathValue("version_id") {
				version = m
			}
		}
	}
	if version == nil {
		V2Error(w, http.StatusNotFound, "Version not found")
		return
	}
	allowed := []string{"subject", "message", "signature", "track_opens"}
	if step["type"] == "LINKEDIN" {
		allowed = []string{"message"}
	}
	for k, v := range body {
		if !slices.Contains(allowed, k) {
			V2Error(w, http.StatusBadRequest, "Field "+k+" cannot be updated.")
			return
		}
		if k == "signature" && v != "SENDER" && v != "NO_SIGNATURE" {
			V2Error(w, http.StatusBadRequest, "Value of signature is incorrect.")
			return
		}
	}
	for k, v := range body {
		version[k] = v
	}
	w.WriteHeader(http.StatusOK)
}

// deleteProspects removes prospects from the account or, with
// campaigns_id, from those campaigns only; unknown ids are ignored.
func (s *Server) deleteProspects(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	ids := splitList(r.URL.Query().Get("id"))
	if len(ids) == 0 {
		s.v1Error(w, "E_REQUIRED_ELEMENT", "id is required")
		return
	}
	campaigns := int64s(anyList(splitList(r.URL.Query().Get("campaigns_id"))))
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := c.acct.prospects[:0]
	for _, p := range c.acct.prospects {
		hit := slices.Contains(ids, strconv.FormatInt(toInt64(p["id"]), 10))
		switch {
		case hit && len(campaigns) == 0:
			continue
		case hit:
			p["campaigns"] = slices.DeleteFunc(slices.Clone(int64s(p["campaigns"])), func(id int64) bool { return slices.Contains(campaigns, id) })
		}
		kept = append(kept, p)
	}
	c.acct.prospects = kept
	w.WriteHeader(http.StatusOK)
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
