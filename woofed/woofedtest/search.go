package woofedtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
)

// The Ransack predicates the fake understands, longest first.
var fakePredicates = []string{"not_null", "not_eq", "not_in", "gteq", "lteq", "cont", "start", "null", "end", "eq", "in", "gt", "lt"}

type condition struct {
	attr, pred string
	value      any
}

// parseSearch reads the query and page of a search from a JSON body (POST)
// or a Rails query string (GET: query[email_eq]=x&query[id_in][]=1&page=2).
func parseSearch(r *http.Request) (query map[string]any, page string, ok bool) {
	if r.Method == http.MethodGet {
		v := r.URL.Query()
		query = map[string]any{}
		for k, vals := range v {
			inner, found := strings.CutPrefix(k, "query[")
			if !found {
				continue
			}
			if name, isList := strings.CutSuffix(inner, "][]"); isList {
				list := make([]any, len(vals))
				for i, s := range vals {
					list[i] = s
				}
				query[name] = list
			} else if name, found := strings.CutSuffix(inner, "]"); found && len(vals) > 0 {
				query[name] = vals[0]
			}
		}
		return query, v.Get("page"), true
	}
	var b struct {
		Query map[string]any  `json:"query"`
		Page  json.RawMessage `json:"page"`
	}
	if !vendorkittest.ReadJSON(r, &b) {
		return nil, "", false
	}
	page = strings.Trim(string(b.Page), `"`)
	if page == "" || page == "null" {
		page = r.URL.Query().Get("page")
	}
	return b.Query, page, true
}

// search answers a Ransack search over the records list returns, which it
// calls with s.mu held, each record written by render.
func search[T any](s *Server, w http.ResponseWriter, r *http.Request, fields []string, list func() []T, render func(T) object) {
	query, pageParam, ok := parseSearch(r)
	if !ok {
		railsError(w, http.StatusBadRequest)
		return
	}
	var conds []condition
	for key, v := range query {
		c, problem := parseCondition(key, v, fields)
		if problem != "" {
			vendorkittest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{
				"errors":  "Invalid search parameters",
				"details": problem,
			})
			return
		}
		conds = append(conds, c)
	}
	page := 1
	if pageParam != "" {
		n, err := strconv.Atoi(pageParam)
		if err != nil || n < 1 {
			// Pagy raises VariableError: Rails answers its 500 page.
			railsError(w, http.StatusInternalServerError)
			return
		}
		page = n
	}
	s.mu.Lock()
	records := list()
	s.mu.Unlock()
	var hits []T
	for _, rec := range records {
		if matches(rec, conds) {
			hits = append(hits, rec)
		}
	}
	p := Paginate(hits, page)
	vendorkittest.WriteJSON(w, http.StatusOK, object{"data": renderAll(p.Data, render), "pagination": p.Pagination})
}

// Paginate returns page (from 1) of items as Woofed's Pagy 3.11 answers it:
// 10 items per page; items is the size of this page (the last page reports
// its actual size, an empty result reports 10); from and to are 1-based
// positions (0 when nothing matched); a page past the last one is empty
// with items, from and to 0 and prev the last page.
func Paginate[T any](items []T, page int) woofed.Page[T] {
	count := len(items)
	pages := max(int(math.Ceil(float64(count)/PerPage)), 1)
	p := woofed.Pagination{Page: page, Count: count, Pages: pages, Last: pages, Items: PerPage}
	if page > pages {
		last := pages
		p.Items, p.From, p.To, p.Prev = 0, 0, 0, &last
		return woofed.Page[T]{Data: []T{}, Pagination: p}
	}
	offset := PerPage * (page - 1)
	if page == pages && count > 0 {
		p.Items = count - (pages-1)*PerPage
	}
	if count > 0 {
		p.From, p.To = offset+1, offset+p.Items
	}
	if page > 1 {
		prev := page - 1
		p.Prev = &prev
	}
	if page < pages {
		next := page + 1
		p.Next = &next
	}
	data := []T{}
	if count > 0 {
		data = items[offset : offset+p.Items]
	}
	return woofed.Page[T]{Data: data, Pagination: p}
}

// parseCondition reads one predicate, or says what is wrong with it.
func parseCondition(key string, v any, fields []string) (condition, string) {
	for _, pred := range fakePredicates {
		attr, found := strings.CutSuffix(key, "_"+pred)
		if !found {
			continue
		}
		if !slices.Contains(fields, attr) {
			return condition{}, fmt.Sprintf("Invalid search term %s: %s is not searchable", key, attr)
		}
		if pred == "in" || pred == "not_in" {
			if _, isList := v.([]any); !isList {
				return condition{}, fmt.Sprintf("Invalid search term %s: expected a list", key)
			}
		}
		return condition{attr: attr, pred: pred, value: v}, ""
	}
	return condition{}, "Invalid search term " + key
}

// matches applies the conditions to rec's JSON form.
func matches(rec any, conds []condition) bool {
	raw, _ := json.Marshal(rec)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	for _, c := range conds {
		if !match(m[c.attr], c) {
			return false
		}
	}
	return true
}

func match(have any, c condition) bool {
	isNull := have == nil || have == ""
	switch c.pred {
	case "null":
		return isNull == truthy(c.value)
	case "not_null":
		return isNull != truthy(c.value)
	case "eq":
		return equal(have, c.value)
	case "not_eq":
		return !equal(have, c.value)
	case "in", "not_in":
		list, _ := c.value.([]any)
		found := slices.ContainsFunc(list, func(v any) bool { return equal(have, v) })
		return found == (c.pred == "in")
	case "cont":
		return strings.Contains(strings.ToLower(text(have)), strings.ToLower(text(c.value)))
	case "start":
		return strings.HasPrefix(strings.ToLower(text(have)), strings.ToLower(text(c.value)))
	case "end":
		return strings.HasSuffix(strings.ToLower(text(have)), strings.ToLower(text(c.value)))
	}
	if isNull {
		return false
	}
	cmp := compare(have, c.value)
	switch c.pred {
	case "gt":
		return cmp > 0
	case "gteq":
		return cmp >= 0
	case "lt":
		return cmp < 0
	case "lteq":
		return cmp <= 0
	}
	return false
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x == "true" || x == "1" || x == "t"
	case float64:
		return x != 0
	}
	return false
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// equal compares like Rails casts: numbers with numeric strings, text
// exactly.
func equal(a, b any) bool {
	if fa, ok := number(a); ok {
		if fb, ok := number(b); ok {
			return fa == fb
		}
	}
	return text(a) == text(b)
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

// compare orders numbers numerically, times chronologically and anything
// else as text.
func compare(a, b any) int {
	if fa, ok := number(a); ok {
		if fb, ok := number(b); ok {
			switch {
			case fa < fb:
				return -1
			case fa > fb:
				return 1
			}
			return 0
		}
	}
	ta, errA := time.Parse(time.RFC3339Nano, text(a))
	tb, errB := time.Parse(time.RFC3339Nano, text(b))
	if errA == nil && errB == nil {
		return ta.Compare(tb)
	}
	return strings.Compare(text(a), text(b))
}
