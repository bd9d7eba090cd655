package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/core"
)

// MaxErrorBody caps how many bytes of an error response are read and kept in
// APIError.Body.
const MaxErrorBody = 64 << 10

// StatusCategory maps an HTTP status to its generic category
// (vendorkit.ErrNotFound, …), or nil.
func StatusCategory(status int) error {
	return (&vendorkit.APIError{StatusCode: status}).Category()
}

// Sentinel is a vendor-specific error value that also matches a generic
// category: errors.Is(woodpecker.ErrCompanyInactive, vendorkit.ErrConflict)
// is true, and so is errors.Is(apiErr, vendorkit.ErrConflict) for an
// *vendorkit.APIError whose Kinds hold it.
type Sentinel struct {
	msg      string
	category error
}

// NewSentinel returns a sentinel with the given text that matches category.
func NewSentinel(msg string, category error) *Sentinel {
	return &Sentinel{msg: msg, category: category}
}

// Error returns the sentinel's text.
func (s *Sentinel) Error() string { return s.msg }

// Is reports whether target is the sentinel's category.
func (s *Sentinel) Is(target error) bool { return target == s.category }

// Unwrap returns the sentinel's category.
func (s *Sentinel) Unwrap() error { return s.category }

// SetOperation records the facade operation on err when it is an
// *vendorkit.APIError or a *vendorkit.RequestError (and on the last answer
// the latter carries), and returns err unchanged. Vendor packages call it
// (through their error helper) so that the error names the method the caller
// invoked.
func SetOperation(err error, op string) error {
	var reqErr *vendorkit.RequestError
	if errors.As(err, &reqErr) {
		if reqErr.Operation == "" {
			reqErr.Operation = op
		}
		if reqErr.Last != nil && reqErr.Last.Operation == "" {
			reqErr.Last.Operation = op
		}
	}
	var apiErr *vendorkit.APIError
	if errors.As(err, &apiErr) && apiErr.Operation == "" {
		apiErr.Operation = op
	}
	return err
}

// invalidArgf returns an error that wraps vendorkit.ErrInvalidArgument.
func invalidArgf(format string, args ...any) error { return core.InvalidArgf(format, args...) }

// DecodeErrorBody fills e.Code, e.Message and e.Fields from the common JSON
// error shapes, leniently: it reads "error", "errors", "message", "msg",
// "detail", "title", "code" and "details", each as a string, a list or an
// object, and falls back to a trimmed snippet of a non-JSON body. It never
// fails; vendor decoders call it first and refine what it found.
func DecodeErrorBody(e *vendorkit.APIError) {
	body := e.Body
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		if e.Message == "" {
			e.Message = Snippet(body)
		}
		return
	}
	text := func(keys ...string) string {
		for _, k := range keys {
			if raw, ok := m[k]; ok {
				if s := flattenJSON(raw, e); s != "" {
					return s
				}
			}
		}
		return ""
	}
	if e.Code == "" {
		e.Code = text("code", "error_code")
	}
	if e.Message == "" {
		e.Message = text("error", "errors", "message", "msg", "detail", "title")
		if d := text("details"); d != "" {
			if e.Message != "" {
				e.Message += ": " + d
			} else {
				e.Message = d
			}
		}
	}
}

// maxErrorDepth bounds how deep flattenJSON descends into nested lists:
// each level scans its sub-tree once, so a hostile, deeply nested body costs
// at most this many scans.
const maxErrorDepth = 8

// flattenJSON renders a JSON value as one line of text: a string as is, a list
// joined with "; ", an object of field → messages as "field msg" and recorded
// in e.Fields.
func flattenJSON(raw json.RawMessage, e *vendorkit.APIError) string {
	return flattenDepth(raw, e, 0)
}

func flattenDepth(raw json.RawMessage, e *vendorkit.APIError, depth int) string {
	raw = json.RawMessage(bytes.TrimSpace(raw))
	if len(raw) == 0 || depth > maxErrorDepth {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			parts := make([]string, 0, len(list))
			for _, item := range list {
				if p := flattenDepth(item, e, depth+1); p != "" {
					parts = append(parts, p)
				}
			}
			return strings.Join(parts, "; ")
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			return FieldErrors(obj, e)
		}
	default:
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// FieldErrors records a Rails-style {"field": ["msg", …]} object in e.Fields
// and returns it as one line ("email is invalid; phone is blank"), with the
// fields in sorted order.
func FieldErrors(obj map[string]json.RawMessage, e *vendorkit.APIError) string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		var msgs []string
		var one string
		switch {
		case json.Unmarshal(obj[k], &msgs) == nil:
		case json.Unmarshal(obj[k], &one) == nil:
			msgs = []string{one}
		default:
			continue
		}
		if e.Fields == nil {
			e.Fields = make(map[string][]string)
		}
		e.Fields[k] = append(e.Fields[k], msgs...)
		for _, msg := range msgs {
			parts = append(parts, k+" "+msg)
		}
	}
	return strings.Join(parts, "; ")
}

// Snippet returns a short, single-line, printable excerpt of a non-JSON body
// (an HTML error page, say) for an error message: the <title> when there is
// one, else the start of the body, without invalid UTF-8 or control
// characters, cut at 200 bytes on a character boundary. It accepts any bytes.
func Snippet(body []byte) string {
	s := strings.ToValidUTF8(string(body), "")
	// asciiLower keeps byte offsets (strings.ToLower does not for some
	// letters, such as "İ"), so positions found in it index s.
	if i := strings.Index(asciiLower(s), "<title>"); i >= 0 {
		rest := s[i+len("<title>"):]
		if j := strings.Index(asciiLower(rest), "</title>"); j >= 0 {
			s = rest[:j]
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// asciiLower lower-cases ASCII letters only, byte for byte.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
