// Package fidelity checks the SDK against a vendor's own documented
// examples, so that a fake and a client written from one reading of the docs
// cannot agree with each other while both disagree with the vendor.
//
// Two checks, both walking the example JSON:
//
//   - Lost reports every documented value that a typed model does not keep:
//     decode the example through the facade's type, hand the typed value to
//     Lost with the example, and every path whose value is missing from the
//     typed value's encoding, or came back different (e.g. as its zero
//     value), is a Loss. Fields whose documented value is itself zero (null,
//     false, 0, "", [], {}) must still have a typed field: the typed value is
//     encoded with every field, omitempty or not.
//   - Shape reports where an answer (typically a fake server's) differs from
//     an example in keys or JSON types, false, zero and null included. It is
//     a shape comparison, not equality: values may differ.
//
// Paths are written like a.b[2].c; patterns given to Ignore use [] for any
// index (a.b[].c) and may end in .* to cover a whole subtree.
package fidelity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Loss is one documented value the typed model does not keep.
type Loss struct {
	// Path is where the value sits in the example, e.g. steps.followup.id.
	Path string
	// Want is the example's value (JSON), Got what the typed value encodes
	// there (JSON), or "" when it has no such field.
	Want, Got string
}

// String renders the loss for a test failure message.
func (l Loss) String() string {
	if l.Got == "" {
		return fmt.Sprintf("%s: documented %s, no typed field", l.Path, l.Want)
	}
	return fmt.Sprintf("%s: documented %s, typed value has %s", l.Path, l.Want, l.Got)
}

// Option tunes Lost and Shape.
type Option func(*config)

type config struct {
	ignore  []string
	noExtra bool
}

// Ignore skips the paths matching the patterns (a.b[].c, or a.b.* for a
// subtree). Use it only for documented reasons — say why next to the call.
func Ignore(patterns ...string) Option {
	return func(c *config) { c.ignore = append(c.ignore, patterns...) }
}

// NoExtraKeys makes Shape also report keys the answer has and the example
// does not.
func NoExtraKeys() Option {
	return func(c *config) { c.noExtra = true }
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		o(c)
	}
	return c
}

func (c *config) ignored(path string) bool {
	norm := indexRE(path)
	for _, p := range c.ignore {
		if p == norm || p == path {
			return true
		}
		if sub, ok := strings.CutSuffix(p, ".*"); ok && (norm == sub || strings.HasPrefix(norm, sub+".") || strings.HasPrefix(norm, sub+"[")) {
			return true
		}
	}
	return false
}

// indexRE replaces every [n] of path with [].
func indexRE(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		if path[i] == '[' {
			j := strings.IndexByte(path[i:], ']')
			if j > 0 {
				b.WriteString("[]")
				i += j
				continue
			}
		}
		b.WriteByte(path[i])
	}
	return b.String()
}

// Lost decodes nothing itself: example is the documented JSON and typed the
// value the facade decoded from it. It returns every documented value typed
// does not keep (nil when none). typed is encoded with every field, omitempty
// ones included; a type with its own MarshalJSON is encoded by it.
func Lost(example []byte, typed any, opts ...Option) ([]Loss, error) {
	c := newConfig(opts)
	want, err := decode(example)
	if err != nil {
		return nil, fmt.Errorf("fidelity: example: %w", err)
	}
	got, err := encodeAll(reflect.ValueOf(typed))
	if err != nil {
		return nil, fmt.Errorf("fidelity: typed value: %w", err)
	}
	var out []Loss
	c.lost("", want, got, true, &out)
	return out, nil
}

// lost compares want (example) with got (typed encoding) at path; present
// says whether got exists at all.
func (c *config) lost(path string, want, got any, present bool, out *[]Loss) {
	if path != "" && c.ignored(path) {
		return
	}
	if !present {
		*out = append(*out, Loss{Path: orRoot(path), Want: render(want)})
		return
	}
	if isZero(want) {
		return // a typed field exists; a zero documented value cannot be lost
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*out = append(*out, Loss{Path: orRoot(path), Want: render(want), Got: render(got)})
			return
		}
		for _, k := range sortedKeys(w) {
			gv, ok := g[k]
			c.lost(join(path, k), w[k], gv, ok, out)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*out = append(*out, Loss{Path: orRoot(path), Want: render(want), Got: render(got)})
			return
		}
		for i := range w {
			c.lost(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], true, out)
		}
	default:
		if !sameLeaf(want, got) {
			*out = append(*out, Loss{Path: orRoot(path), Want: render(want), Got: render(got)})
		}
	}
}

// Mismatch is one place where an answer's shape differs from an example.
type Mismatch struct {
	// Path is where, e.g. content[0].details.imap_id.
	Path string
	// Want is the example's JSON kind there, Got the answer's ("missing" or
	// "extra" for keys only on one side).
	Want, Got string
}

// String renders the mismatch for a test failure message.
func (m Mismatch) String() string {
	return fmt.Sprintf("%s: example has %s, answer has %s", m.Path, m.Want, m.Got)
}

// Shape compares the keys and JSON kinds (null, boolean, number, string,
// array, object) of answer with example. Every key of an example object must
// be in the answer with the same kind (an example null accepts any kind).
// Each element of an answer array is compared with the example element it
// matches best (fewest keys missing or extra), so examples listing several variants (e.g. SMTP and IMAP
// accounts with different keys) are honoured; an empty example array accepts
// any elements. It returns nil when the shapes agree.
func Shape(example, answer []byte, opts ...Option) ([]Mismatch, error) {
	c := newConfig(opts)
	want, err := decode(example)
	if err != nil {
		return nil, fmt.Errorf("fidelity: example: %w", err)
	}
	got, err := decode(answer)
	if err != nil {
		return nil, fmt.Errorf("fidelity: answer: %w", err)
	}
	return c.shape("", want, got), nil
}

func (c *config) shape(path string, want, got any) []Mismatch {
	if path != "" && c.ignored(path) {
		return nil
	}
	wk, gk := kind(want), kind(got)
	if wk == "null" {
		return nil
	}
	if wk != gk {
		return []Mismatch{{Path: orRoot(path), Want: wk, Got: gk}}
	}
	var out []Mismatch
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for _, k := range sortedKeys(w) {
			gv, ok := g[k]
			if !ok {
				if !c.ignored(join(path, k)) {
					out = append(out, Mismatch{Path: join(path, k), Want: kind(w[k]), Got: "missing"})
				}
				continue
			}
			out = append(out, c.shape(join(path, k), w[k], gv)...)
		}
		if c.noExtra {
			for _, k := range sortedKeys(g) {
				if _, ok := w[k]; !ok && !c.ignored(join(path, k)) {
					out = append(out, Mismatch{Path: join(path, k), Want: "missing", Got: kind(g[k])})
				}
			}
		}
	case []any:
		if len(w) == 0 {
			return nil
		}
		// The best variant is the one closest in both directions (keys
		// missing and keys extra), so a variant whose keys are a subset of
		// another's does not absorb every element.
		strict := *c
		strict.noExtra = true
		for i, gv := range got.([]any) {
			at := fmt.Sprintf("%s[%d]", path, i)
			best, bestScore := 0, -1
			for j, wv := range w {
				if score := len(strict.shape(at, wv, gv)); bestScore < 0 || score < bestScore {
					best, bestScore = j, score
				}
			}
			out = append(out, c.shape(at, w[best], gv)...)
		}
	}
	return out
}

// decode reads JSON with numbers kept exact.
func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

var marshalerType = reflect.TypeFor[json.Marshaler]()

// encodeAll turns v into the generic JSON form (map[string]any, []any,
// json.Number, string, bool, nil) with every struct field present, even the
// omitempty ones, so a typed field holding a zero value is still seen.
func encodeAll(v reflect.Value) (any, error) {
	if !v.IsValid() {
		return nil, nil
	}
	if v.Type().Implements(marshalerType) || (v.CanAddr() && v.Addr().Type().Implements(marshalerType)) || reflect.PointerTo(v.Type()).Implements(marshalerType) {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return nil, nil
		}
		b, err := json.Marshal(addressable(v).Interface())
		if err != nil {
			return nil, err
		}
		return decode(b)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return encodeAll(v.Elem())
	case reflect.Struct:
		m := map[string]any{}
		if err := encodeFields(v, m); err != nil {
			return nil, err
		}
		return m, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		m := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			e, err := encodeAll(it.Value())
			if err != nil {
				return nil, err
			}
			k, err := json.Marshal(it.Key().Interface())
			if err != nil {
				return nil, err
			}
			m[strings.Trim(string(k), `"`)] = e
		}
		return m, nil
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			break // []byte: base64, as encoding/json writes it
		}
		out := make([]any, v.Len())
		for i := range out {
			e, err := encodeAll(v.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, err
	}
	return decode(b)
}

// addressable returns v itself, or a pointer to a copy of it when only the
// pointer type has MarshalJSON.
func addressable(v reflect.Value) reflect.Value {
	if v.Type().Implements(marshalerType) {
		return v
	}
	if v.CanAddr() {
		return v.Addr()
	}
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	return p
}

// encodeFields writes v's exported fields under their JSON names, inlining
// embedded structs as encoding/json does.
func encodeFields(v reflect.Value, m map[string]any) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		fv := v.Field(i)
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue
				}
				fv, ft = fv.Elem(), ft.Elem()
			}
			if ft.Kind() == reflect.Struct && !ft.Implements(marshalerType) {
				if err := encodeFields(fv, m); err != nil {
					return err
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		e, err := encodeAll(fv)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if strings.Contains(tag, ",string") {
			if s, ok := e.(string); ok {
				if n, err := decode([]byte(s)); err == nil {
					e = n
				}
			}
		}
		m[name] = e
	}
	return nil
}

// isZero reports whether a documented value is a zero value.
func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case json.Number:
		f, ok := new(big.Float).SetString(x.String())
		return ok && f.Sign() == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// sameLeaf compares two scalar JSON values: numbers by value, strings
// exactly or, when both read as the same instant, as times (a v1
// "2025-02-10T13:14:57+0100" kept in a time.Time re-encodes as RFC 3339).
func sameLeaf(want, got any) bool {
	switch w := want.(type) {
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return false
		}
		a, ok1 := new(big.Float).SetString(w.String())
		b, ok2 := new(big.Float).SetString(g.String())
		return ok1 && ok2 && a.Cmp(b) == 0
	case string:
		g, ok := got.(string)
		if !ok {
			return false
		}
		if w == g {
			return true
		}
		tw, ok1 := parseTime(w)
		tg, ok2 := parseTime(g)
		return ok1 && ok2 && tw.Equal(tg)
	}
	return reflect.DeepEqual(want, got)
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	time.DateOnly,
}

func parseTime(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func render(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 120 {
		return string(b[:117]) + "..."
	}
	return string(b)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
