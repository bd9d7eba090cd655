package crow

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

// decodeError reads Crow's error answers into e. Crow does not document its
// error body; its API answers like a FastAPI service, so this reads
//
//	{"detail":"Subdomain not found"}
//	{"detail":[{"loc":["body","configs","ws1","api_base_url"],"msg":"Field required","type":"missing","input":{…}}]}
//
// and falls back to runtime.DecodeErrorBody for {"error"|"message": …}
// and non-JSON bodies. Echoed request values ("input") and any "token"
// member are removed from e.Body first: an error kept in a job queue or a
// log must not carry an endpoint's credentials. It never fails.
func decodeError(e *vendorkit.APIError) {
	e.Body = redactBody(e.Body)
	var m struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(e.Body, &m) == nil && len(m.Detail) > 0 {
		var items []struct {
			Loc []any  `json:"loc"`
			Msg string `json:"msg"`
		}
		if json.Unmarshal(m.Detail, &items) == nil && len(items) > 0 {
			e.Message = validationMessage(e, items)
		}
	}
	runtime.DecodeErrorBody(e)
	if e.StatusCode == http.StatusNotFound && strings.Contains(e.Path, "/endpoint-configs/") {
		e.AddKind(ErrSubdomainNotFound)
	}
}

// validationMessage records FastAPI's per-field messages in e.Fields, keyed
// by the dotted location without its "body" head, and joins them.
func validationMessage(e *vendorkit.APIError, items []struct {
	Loc []any  `json:"loc"`
	Msg string `json:"msg"`
}) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		loc := make([]string, 0, len(it.Loc))
		for i, l := range it.Loc {
			s := fmt.Sprint(l)
			if i == 0 && (s == "body" || s == "path" || s == "query") {
				continue
			}
			loc = append(loc, s)
		}
		field := strings.Join(loc, ".")
		if e.Fields == nil {
			e.Fields = map[string][]string{}
		}
		e.Fields[field] = append(e.Fields[field], it.Msg)
		if field != "" {
			parts = append(parts, field+": "+it.Msg)
		} else {
			parts = append(parts, it.Msg)
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// tokenMember matches a JSON "token" member's string value, for bodies that
// do not parse (an error body cut at runtime.MaxErrorBody, say).
var tokenMember = regexp.MustCompile(`(?i)("(?:token|api_key|secret)"\s*:\s*")(?:[^"\\]|\\.)*("?)`)

// redactBody removes "input" members and replaces "token" strings in a JSON
// error body; in a body that does not parse, every "token" member's value is
// blanked out by pattern.
func redactBody(body []byte) []byte {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return tokenMember.ReplaceAll(body, []byte("${1}[redacted]${2}"))
	}
	changed := false
	var walk func(any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case map[string]any:
			for k, val := range t {
				switch {
				case k == "input" || k == "ctx":
					delete(t, k)
					changed = true
				case strings.EqualFold(k, "token"):
					if _, ok := val.(string); ok {
						t[k] = "[redacted]"
						changed = true
					}
				default:
					t[k] = walk(val)
				}
			}
		case []any:
			for i := range t {
				t[i] = walk(t[i])
			}
		}
		return x
	}
	v = walk(v)
	if !changed {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}
