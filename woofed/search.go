package woofed

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// Predicate is one Ransack condition of a search: an attribute, a predicate
// and a value, sent as {"<attribute>_<predicate>": value}. Build one with
// Where or the helpers Eq, Cont, In, Gteq, Lteq and Null.
type Predicate struct {
	key   string
	value any
}

// Where returns the condition key: value, where key is a Ransack attribute
// plus predicate as Woofed documents them: "email_eq", "full_name_cont",
// "created_at_gteq", "id_in", "phone_null", "full_name_or_email_cont" … A
// key without a known predicate, an _in without a list or a _null without a
// bool is refused before sending (vendorkit.ErrInvalidArgument).
func Where(key string, value any) Predicate { return Predicate{key: key, value: value} }

// Eq matches attr equal to v (attr_eq).
func Eq(attr string, v any) Predicate { return Where(attr+"_eq", v) }

// Cont matches attr containing s, case-insensitively on Woofed's
// PostgreSQL (attr_cont).
func Cont(attr, s string) Predicate { return Where(attr+"_cont", s) }

// In matches attr equal to one of vs (attr_in).
func In[T any](attr string, vs ...T) Predicate { return Where(attr+"_in", vs) }

// Gteq matches attr ≥ v (attr_gteq); times are sent as RFC 3339 in UTC.
func Gteq(attr string, v any) Predicate { return Where(attr+"_gteq", v) }

// Lteq matches attr ≤ v (attr_lteq); times are sent as RFC 3339 in UTC.
func Lteq(attr string, v any) Predicate { return Where(attr+"_lteq", v) }

// Null matches attr being null (true) or not null (false) (attr_null).
func Null(attr string, isNull bool) Predicate { return Where(attr+"_null", isNull) }

// Key returns the predicate's key, e.g. "email_eq".
func (p Predicate) Key() string { return p.key }

// Value returns the predicate's value.
func (p Predicate) Value() any { return p.value }

// String renders the predicate as key=value.
func (p Predicate) String() string { return fmt.Sprintf("%s=%v", p.key, p.value) }

// Ransack's predicates, longest first so that "not_eq" wins over "eq".
var predicates = []string{
	"does_not_match", "not_start", "not_end",
	"not_null", "not_cont", "not_eq", "not_in", "matches", "present",
	"i_cont", "blank", "start", "false", "gteq", "lteq", "cont", "null",
	"true", "end", "eq", "in", "gt", "lt",
}

var attrRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// predicateOf splits key into attribute and predicate; the predicate may
// carry Ransack's _any or _all suffix (e.g. "email_eq_any").
func predicateOf(key string) (attr, pred, mod string, ok bool) {
	base := key
	for _, m := range []string{"_any", "_all"} {
		if s, found := strings.CutSuffix(key, m); found {
			base, mod = s, m[1:]
			break
		}
	}
	for _, p := range predicates {
		if a, found := strings.CutSuffix(base, "_"+p); found && attrRE.MatchString(a) {
			return a, p, mod, true
		}
	}
	return "", "", "", false
}

// buildQuery checks the predicates and returns the Ransack query object.
func buildQuery(op string, where []Predicate) (map[string]any, error) {
	q := make(map[string]any, len(where))
	for _, p := range where {
		_, pred, mod, ok := predicateOf(p.key)
		if !ok {
			return nil, invalid(op, "search key %q is not attribute_predicate (e.g. email_eq, full_name_cont, created_at_gteq, id_in, phone_null)", p.key)
		}
		if _, dup := q[p.key]; dup {
			return nil, invalid(op, "search key %q given twice", p.key)
		}
		v := p.value
		switch {
		case pred == "in" || pred == "not_in" || mod != "":
			rv := reflect.ValueOf(v)
			if !rv.IsValid() || (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) || rv.Len() == 0 {
				return nil, invalid(op, "search key %q needs a non-empty list", p.key)
			}
		case pred == "null" || pred == "not_null" || pred == "present" || pred == "blank" || pred == "true" || pred == "false":
			if _, isBool := v.(bool); !isBool {
				return nil, invalid(op, "search key %q needs true or false", p.key)
			}
		case v == nil:
			return nil, invalid(op, "search key %q has no value; use %s_null to match null", p.key, strings.TrimSuffix(p.key, "_"+pred))
		}
		if t, isTime := v.(time.Time); isTime {
			// Woofed asks for datetimes in UTC.
			v = t.UTC().Format(time.RFC3339Nano)
		}
		q[p.key] = v
	}
	return q, nil
}

// Pagination is Woofed's Pagy metadata of a search page. Pages hold 10
// items; the client cannot change that.
type Pagination struct {
	// Page is this page's number, from 1.
	Page int `json:"page"`
	// Items is the number of items on this page (Pagy 3: the last page
	// reports its actual size; a page past the last one reports 0).
	Items int `json:"items"`
	// Count is the number of matching records.
	Count int `json:"count"`
	// Pages and Last are the number of the last page (1 when nothing
	// matched).
	Pages int `json:"pages"`
	Last  int `json:"last"`
	// From and To are the 1-based positions of this page's first and last
	// items; 0 on an empty page.
	From int `json:"from"`
	To   int `json:"to"`
	// Prev and Next are the neighbouring page numbers, nil at either end.
	Prev *int `json:"prev"`
	Next *int `json:"next"`
}

// HasNext reports whether another page follows.
func (p Pagination) HasNext() bool { return p.Next != nil }

// Page is one page of search results.
type Page[T any] struct {
	Data       []T        `json:"data"`
	Pagination Pagination `json:"pagination"`
}

// searchBody is the JSON body of the search endpoints.
type searchBody struct {
	Query map[string]any `json:"query"`
	Page  int            `json:"page,omitempty"`
}
