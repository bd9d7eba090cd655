package deskwoottest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/vendorkit/vendorkit/deskwoot"
)

// fill validates v and, when creating, sets its server-side fields; it
// writes the error answer and returns false when v is not acceptable.
type fill[T any] func(e *x, v *T, creating bool) bool

// crud registers list, create, (get,) update and delete of one account
// resource under base.
// defaults is the JSON a created row starts from, before the request's
// fields are applied (so that an explicit false or empty value is kept).
func crud[T any](s *Server, base, rd, wr string, tbl func(*account) *table[T], name string, withGet bool, fields []string, defaults string, f fill[T]) {
	s.handle("GET "+base, rd, func(e *x) {
		items := tbl(e.a).all()
		e.list(items, 1, len(items), len(items))
	})
	s.handle("POST "+base, wr, func(e *x) {
		var body map[string]json.RawMessage
		if !e.decode(&body) {
			return
		}
		v := new(T)
		if defaults != "" {
			if err := json.Unmarshal([]byte(defaults), v); err != nil {
				panic("deskwoottest: bad defaults for " + name)
			}
		}
		if err := patch(v, body, fields...); err != nil {
			e.fail(http.StatusBadRequest, "%v", err)
			return
		}
		if !f(e, v, true) {
			return
		}
		tbl(e.a).put(idOf(v), v)
		e.json(http.StatusCreated, v)
	})
	if withGet {
		s.handle("GET "+base+"/{id}", rd, func(e *x) {
			v := tbl(e.a).get(e.r.PathValue("id"))
			if v == nil {
				notFound(e.w, name)
				return
			}
			e.json(http.StatusOK, v)
		})
	}
	s.handle("PATCH "+base+"/{id}", wr, func(e *x) {
		v := tbl(e.a).get(e.r.PathValue("id"))
		if v == nil {
			notFound(e.w, name)
			return
		}
		var body map[string]json.RawMessage
		if !e.decode(&body) {
			return
		}
		next := *v
		if err := patch(&next, body, fields...); err != nil {
			e.fail(http.StatusBadRequest, "%v", err)
			return
		}
		if !f(e, &next, false) {
			return
		}
		*v = next
		e.json(http.StatusOK, v)
	})
	s.handle("DELETE "+base+"/{id}", wr, func(e *x) {
		if !tbl(e.a).del(e.r.PathValue("id")) {
			notFound(e.w, name)
			return
		}
		e.w.WriteHeader(http.StatusNoContent)
	})
}

// idOf reads the ID field every resource has.
func idOf(v any) string {
	switch r := v.(type) {
	case *deskwoot.Inbox:
		return r.ID
	case *deskwoot.Label:
		return r.ID
	case *deskwoot.Team:
		return r.ID
	case *deskwoot.Agent:
		return r.ID
	case *deskwoot.CannedResponse:
		return r.ID
	case *deskwoot.AutomationRule:
		return r.ID
	case *deskwoot.Webhook:
		return r.ID
	case *deskwoot.Bot:
		return r.ID
	}
	panic("deskwoottest: idOf: unknown resource")
}

func required(e *x, fields map[string]string) bool {
	for name, v := range fields {
		if strings.TrimSpace(v) == "" {
			e.fail(http.StatusBadRequest, "%s is required", name)
			return false
		}
	}
	return true
}

func newInbox(e *x, v *deskwoot.Inbox, creating bool) bool {
	if !required(e, map[string]string{"name": v.Name, "channelType": string(v.ChannelType)}) {
		return false
	}
	if !v.ChannelType.Valid() {
		e.fail(http.StatusBadRequest, "Invalid channelType")
		return false
	}
	if creating {
		v.ID, v.AccountID, v.CreatedAt = newID(), e.a.id, now()
	}
	return true
}

func newLabel(e *x, v *deskwoot.Label, creating bool) bool {
	if !required(e, map[string]string{"title": v.Title}) {
		return false
	}
	if creating {
		v.ID, v.AccountID, v.CreatedAt = newID(), e.a.id, now()
	}
	return true
}

func newTeam(e *x, v *deskwoot.Team, creating bool) bool {
	if !required(e, map[string]string{"name": v.Name}) {
		return false
	}
	if creating {
		v.ID, v.AccountID, v.CreatedAt = newID(), e.a.id, now()
	}
	return true
}

// validRole reports whether role is one the docs show: lowercase "agent"
// or "admin" (the docs list no others).
func validRole(e *x, role string) bool {
	if role != deskwoot.RoleAgent && role != deskwoot.RoleAdmin {
		e.fail(http.StatusBadRequest, "Invalid role: use agent or admin")
		return false
	}
	return true
}

func newAgent(e *x, v *deskwoot.Agent, creating bool) bool {
	if !creating {
		return required(e, map[string]string{"role": v.Role}) && validRole(e, v.Role)
	}
	if !required(e, map[string]string{"email": v.Email}) || !validRole(e, v.Role) {
		return false
	}
	for _, a := range e.a.agents.rows {
		if strings.EqualFold(a.Email, v.Email) {
			e.fail(http.StatusConflict, "An agent with this email already exists")
			return false
		}
	}
	v.ID, v.CreatedAt, v.Availability = newID(), now(), "OFFLINE"
	return true
}

func newCanned(e *x, v *deskwoot.CannedResponse, creating bool) bool {
	if !required(e, map[string]string{"shortCode": v.ShortCode, "content": v.Content}) {
		return false
	}
	for _, c := range e.a.canned.rows {
		if c.ShortCode == v.ShortCode && c.ID != v.ID {
			e.fail(http.StatusConflict, "A canned response with this short code already exists")
			return false
		}
	}
	if creating {
		v.ID, v.AccountID, v.CreatedAt = newID(), e.a.id, now()
	}
	return true
}

func newRule(e *x, v *deskwoot.AutomationRule, creating bool) bool {
	if !required(e, map[string]string{"name": v.Name, "eventName": v.EventName}) {
		return false
	}
	if absent(v.Conditions) || absent(v.Actions) {
		e.fail(http.StatusBadRequest, "conditions and actions are required")
		return false
	}
	if v.EventName != strings.ToUpper(v.EventName) {
		e.fail(http.StatusBadRequest, "eventName must be UPPER_SNAKE, e.g. CONVERSATION_CREATED")
		return false
	}
	if creating {
		v.ID, v.AccountID, v.CreatedAt = newID(), e.a.id, now()
	}
	return true
}

func newWebhook(e *x, v *deskwoot.Webhook, creating bool) bool {
	if !required(e, map[string]string{"url": v.URL}) {
		return false
	}
	if u, err := url.Parse(v.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		e.fail(http.StatusBadRequest, "url must be an absolute http(s) URL")
		return false
	}
	if len(v.Events) == 0 {
		e.fail(http.StatusBadRequest, "events is required")
		return false
	}
	for _, ev := range v.Events {
		if !ev.Valid() {
			e.fail(http.StatusBadRequest, "Unknown event %q", ev)
			return false
		}
	}
	v.Events = slices.Compact(slices.Sorted(slices.Values(v.Events)))
	if creating {
		v.ID, v.AccountID, v.CreatedAt = newID(), e.a.id, now()
	}
	return true
}

func newBot(e *x, v *deskwoot.Bot, creating bool) bool {
	if !required(e, map[string]string{"name": v.Name}) {
		return false
	}
	if creating {
		v.ID, v.AccountID, v.CreatedAt = newID(), e.a.id, now()
	}
	return true
}

// absent reports whether a JSON value was not given (or given as null).
func absent(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}
