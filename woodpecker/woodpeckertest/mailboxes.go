package woodpeckertest

import (
	"encoding/base64"
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"github.com/vendorkit/vendorkit/vendorkittest"
)

// connectMailboxes accepts a batch of manual connections (202 {batch_id})
// and connects them at once: each becomes an SMTP mailbox and its IMAP
// twin, and the batch summary reports them connected. Errors use the
// {code, details} body the help center documents for this endpoint.
func (s *Server) connectMailboxes(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	body, ok := decodeBody(r)
	list, _ := body["mailboxes"].([]any)
	if !ok || len(list) == 0 || len(list) > 200 {
		vendorkittest.WriteJSON(w, http.StatusBadRequest, map[string]any{"code": "VALIDATION_ERROR", "details": []string{"mailboxes: between 1 and 200 required"}})
		return
	}
	var problems []string
	for i, item := range list {
		m, _ := item.(map[string]any)
		for _, k := range []string{"smtp_email", "imap_email"} {
			if _, err := mail.ParseAddress(str(m[k])); err != nil {
				problems = append(problems, "mailboxes["+strconv.Itoa(i)+"]."+k+": must be a valid email address")
			}
		}
		for _, k := range []string{"smtp_password", "smtp_server", "imap_password", "imap_server"} {
			if strings.TrimSpace(str(m[k])) == "" {
				problems = append(problems, "mailboxes["+strconv.Itoa(i)+"]."+k+": must not be blank")
			}
		}
		for _, k := range []string{"smtp_port", "imap_port"} {
			if p := toInt64(m[k]); p < 1 || p > 65535 {
				problems = append(problems, "mailboxes["+strconv.Itoa(i)+"]."+k+": must be in range <1; 65535>")
			}
		}
	}
	if len(problems) > 0 {
		vendorkittest.WriteJSON(w, http.StatusBadRequest, map[string]any{"code": "VALIDATION_ERROR", "details": problems})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, item := range list {
		m := item.(map[string]any)
		imapID, smtpID := s.newID(), s.newID()
		imap := mailbox(imapID, "IMAP", str(m["imap_email"]), "", 0)
		smtp := mailbox(smtpID, "SMTP", str(m["smtp_email"]), str(m["smtp_from_name"]), imapID)
		d := smtp["details"].(map[string]any)
		d["provider"], d["server"], d["port"] = "CUSTOM", m["smtp_server"], toInt64(m["smtp_port"])
		if v, ok := m["daily_sending_limit"]; ok {
			d["daily_limit"] = toInt64(v)
		}
		c.acct.mailboxes = append(c.acct.mailboxes, imap, smtp)
	}
	id := s.newID()
	c.acct.batches[id] = map[string]any{
		"processing_finished": true, "batch_size": len(list), "pending_mailboxes_count": 0,
		"connected_mailboxes_count": len(list), "conditionally_connected_mailboxes_count": 0,
		"failed_mailboxes_count": 0, "conditionally_connected_mailboxes": []any{}, "failed_mailboxes": []any{},
	}
	vendorkittest.WriteJSON(w, http.StatusAccepted, map[string]any{"batch_id": id})
}

func (s *Server) batchSummary(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	id, ok := pathID(r, "batch_id")
	s.mu.Lock()
	b := c.acct.batches[id]
	s.mu.Unlock()
	if !ok || b == nil {
		V2Error(w, http.StatusNotFound, "Batch not found")
		return
	}
	vendorkittest.WriteJSON(w, http.StatusOK, b)
}

// domain is a purchased domain and its mailboxes.
type domain struct {
	info      map[string]any
	mailboxes []map[string]any
}

func (s *Server) listDomains(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	s.mu.Lock()
	out := []map[string]any{}
	for _, d := range c.acct.domains {
		out = append(out, d.info)
	}
	s.mu.Unlock()
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"domains": out})
}

// domainOf returns the caller's domain {domain}, answering 404 when absent.
// s.mu is held.
func (s *Server) domainOf(w http.ResponseWriter, r *http.Request) *domain {
	for _, d := range from(r).acct.domains {
		if strings.EqualFold(str(d.info["domain"]), r.PathValue("domain")) {
			return d
		}
	}
	V2Error(w, http.StatusNotFound, "Domain not found")
	return nil
}

// listFields are the fields the domain mailbox list shows.
var listFields = []string{"first_name", "last_name", "email", "provider", "status"}

func (s *Server) listDomainMailboxes(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domainOf(w, r)
	if d == nil {
		return
	}
	out := []map[string]any{}
	for _, m := range d.mailboxes {
		item := map[string]any{}
		for _, k := range listFields {
			item[k] = m[k]
		}
		out = append(out, item)
	}
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"mailboxes": out})
}

func (s *Server) getDomainMailbox(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domainOf(w, r)
	if d == nil {
		return
	}
	for _, m := range d.mailboxes {
		if strings.EqualFold(str(m["email"]), r.PathValue("email")) {
			vendorkittest.WriteJSON(w, http.StatusOK, m)
			return
		}
	}
	V2Error(w, http.StatusNotFound, "Mailbox not found")
}

// domainMailbox seeds a mailbox of a purchased domain.
func domainMailbox(first, last, email string) map[string]any {
	return map[string]any{
		"first_name": first, "last_name": last, "email": email, "login": email,
		"provider": "GOOGLE", "status": "PAID", "authenticator": nil,
		"smtp_server": "smtp.gmail.com", "smtp_password": "f4k3-smtp-secret", "smtp_port": 587,
		"imap_server": "imap.gmail.com", "imap_email": email, "imap_password": "f4k3-imap-secret", "imap_port": 993,
		"created": "2026-06-24T10:00:00", "profile_picture": "",
	}
}

// orderMailboxes adds ORDERED mailboxes to the caller's ready domains; the
// docs show no answer body, so the fake sends 202 with none.
func (s *Server) orderMailboxes(w http.ResponseWriter, r *http.Request) {
	c := from(r)
	body, ok := decodeBody(r)
	list, _ := body["mailboxes"].([]any)
	if !ok || len(list) == 0 {
		V2Error(w, http.StatusBadRequest, "Value of mailboxes is incorrect.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	type order struct {
		d *domain
		m map[string]any
	}
	var orders []order
	for _, item := range list {
		m, _ := item.(map[string]any)
		email := str(m["email"])
		_, host, _ := strings.Cut(email, "@")
		var d *domain
		for _, cand := range c.acct.domains {
			if strings.EqualFold(str(cand.info["domain"]), host) {
				d = cand
			}
		}
		switch {
		case str(m["first_name"]) == "" || str(m["last_name"]) == "":
			V2Error(w, http.StatusBadRequest, "Value of first_name and last_name is incorrect.")
			return
		case d == nil || d.info["is_ready"] != true:
			V2Error(w, http.StatusBadRequest, "Domain of "+email+" is not an active domain of the account.")
			return
		}
		for _, have := range d.mailboxes {
			if strings.EqualFold(str(have["email"]), email) {
				V2Error(w, http.StatusConflict, "Mailbox "+email+" already exists.")
				return
			}
		}
		mb := domainMailbox(str(m["first_name"]), str(m["last_name"]), email)
		mb["status"] = "ORDERED"
		orders = append(orders, order{d, mb})
	}
	for _, o := range orders {
		o.d.mailboxes = append(o.d.mailboxes, o.m)
		o.d.info["mailboxes_count"] = len(o.d.mailboxes)
	}
	w.WriteHeader(http.StatusAccepted)
}

// profilePicture sets a domain mailbox's picture from Base64 PNG or JPEG.
func (s *Server) profilePicture(w http.ResponseWriter, r *http.Request) {
	body, ok := decodeBody(r)
	img, err := base64.StdEncoding.DecodeString(str(body["avatar"]))
	if ct := http.DetectContentType(img); !ok || err != nil || len(img) == 0 || (ct != "image/png" && ct != "image/jpeg") {
		V2Error(w, http.StatusBadRequest, "Value of avatar is incorrect.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domainOf(w, r)
	if d == nil {
		return
	}
	for _, m := range d.mailboxes {
		if strings.EqualFold(str(m["email"]), r.PathValue("email")) {
			m["profile_picture"] = "https://avatars.example.com/" + str(m["email"]) + ".png"
			vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"success": true})
			return
		}
	}
	V2Error(w, http.StatusNotFound, "Mailbox not found")
}
