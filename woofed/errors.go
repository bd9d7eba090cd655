package woofed

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

// Woofed-specific sentinels. Each also matches vendorkit.ErrBadRequest, so
// callers that only care about the category need not know them.
var (
	// ErrValidation matches a 422 answer to a create, update or upsert whose
	// record failed validation; APIError.Message holds Woofed's messages and
	// APIError.Fields the per-field ones when Woofed names the fields.
	ErrValidation = runtime.NewSentinel("woofed: validation failed", vendorkit.ErrBadRequest)
	// ErrInvalidSearch matches a 422 "Invalid search parameters" answer:
	// a Ransack predicate names an attribute that is not searchable.
	ErrInvalidSearch = runtime.NewSentinel("woofed: invalid search parameters", vendorkit.ErrBadRequest)
)

// decodeError reads every error shape Woofed answers with (they differ by
// endpoint and version) into e:
//
//	{"errors":"Unauthorized"}                       401, also a JWT error text
//	{"errors":"Not found"}                          404 from find_by_id paths
//	{"error":"Resource could not be found"}         404 from RecordNotFound
//	{"errors":["Full message", …]}                  422 on create/update
//	{"errors":"Invalid search parameters","details":"…"} 422 on a bad search
//	{"email":["is invalid"]}                        422 from contact upsert
//	{"message":"a, b","attributes":["email"]}       422 from RecordInvalid
//	{"errors":{"email":["is invalid"]}}             the shape the docs claim
//
// and non-JSON bodies (an HTML error page) as a snippet. It never fails.
func decodeError(e *vendorkit.APIError) {
	runtime.DecodeErrorBody(e)
	var m map[string]json.RawMessage
	if json.Unmarshal(e.Body, &m) == nil && len(m) > 0 {
		switch {
		case m["attributes"] != nil && m["message"] != nil:
			recordInvalidFields(e, m)
		case e.Message == "" && isFieldMap(m):
			e.Message = fieldMessages(e, m)
		}
	}
	if e.StatusCode != http.StatusUnprocessableEntity && e.StatusCode != http.StatusBadRequest {
		return
	}
	if strings.HasPrefix(strings.ToLower(e.Message), "invalid search parameters") {
		e.AddKind(ErrInvalidSearch)
	} else if e.StatusCode == http.StatusUnprocessableEntity {
		e.AddKind(ErrValidation)
	}
}

// isFieldMap reports whether m looks like a Rails errors hash: every value
// a string or a list of strings, and none of the envelope keys.
func isFieldMap(m map[string]json.RawMessage) bool {
	for k, raw := range m {
		switch k {
		case "error", "errors", "message", "details", "status":
			return false
		}
		var one string
		var many []string
		if json.Unmarshal(raw, &many) != nil && json.Unmarshal(raw, &one) != nil {
			return false
		}
	}
	return true
}

// fieldMessages records a Rails errors hash in e.Fields and returns it as
// Rails' full messages: {"full_name":["can't be blank"]} → "Full name can't
// be blank". Fields are sorted; "base" messages stand alone.
func fieldMessages(e *vendorkit.APIError, m map[string]json.RawMessage) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		var msgs []string
		if json.Unmarshal(m[k], &msgs) != nil {
			var one string
			_ = json.Unmarshal(m[k], &one)
			msgs = []string{one}
		}
		for _, msg := range msgs {
			msg = strings.TrimSpace(msg)
			if msg == "" {
				continue
			}
			addField(e, k, msg)
			if k == "base" {
				parts = append(parts, msg)
			} else {
				parts = append(parts, humanize(k)+" "+msg)
			}
		}
	}
	return strings.Join(parts, "; ")
}

// recordInvalidFields maps the newer {"message":"Email is invalid, Phone is
// invalid","attributes":["email","phone"]} shape to e.Fields: each part of
// the message that starts with an attribute's human name goes to that
// attribute; an attribute with no such part gets the whole message.
func recordInvalidFields(e *vendorkit.APIError, m map[string]json.RawMessage) {
	var attrs []string
	var msg string
	if json.Unmarshal(m["attributes"], &attrs) != nil || json.Unmarshal(m["message"], &msg) != nil {
		return
	}
	parts := strings.Split(msg, ", ")
	for _, a := range attrs {
		if a == "" {
			continue
		}
		name := strings.ToLower(humanize(a)) + " "
		found := false
		for _, p := range parts {
			if len(p) > len(name) && strings.EqualFold(p[:len(name)], name) {
				addField(e, a, p[len(name):])
				found = true
			}
		}
		if !found && strings.TrimSpace(msg) != "" {
			addField(e, a, strings.TrimSpace(msg))
		}
	}
}

func addField(e *vendorkit.APIError, field, msg string) {
	if e.Fields == nil {
		e.Fields = make(map[string][]string)
	}
	e.Fields[field] = append(e.Fields[field], msg)
}

// humanize writes an attribute as Rails does: "full_name" → "Full name",
// "contact_id" → "Contact".
func humanize(attr string) string {
	s := strings.TrimSuffix(attr, "_id")
	if s == "" {
		s = attr
	}
	s = strings.ReplaceAll(s, "_", " ")
	s = strings.TrimSpace(s)
	if s == "" {
		return attr
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
