package main

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// vendor is what the CLI knows of one vendor: where its configuration
// lives, how to start its fake and how to build a client.
type vendor struct {
	name string
	env  envNames
	// startFake starts the vendor's in-process fake with a little demo data
	// and returns the settings that reach it.
	startFake func(t *vendorkittest.StandaloneT) settings
	open      func(kit *vendorkit.Client, s settings) (*conn, error)
	// resources documents what get and list read; open fills the same
	// names with functions.
	gets, lists []resource
}

// resource documents one readable resource.
type resource struct {
	name string
	args string // e.g. "<id>"; empty when it takes none
	// filters names the --filter keys; "*" means free-form (Ransack).
	filters []string
	doc     string
}

// conn is one configured client of a vendor.
type conn struct {
	// check makes the vendor's cheapest read-only call and describes who
	// the credential belongs to.
	check func(ctx context.Context) (identity string, err error)
	get   map[string]func(ctx context.Context, id string) (any, error)
	list  map[string]func(ctx context.Context, f *filters, emit func(any) error) error
}

var vendors = []*vendor{woofedVendor, woodpeckerVendor, qwotyVendor, deskwootVendor, crowVendor}

func vendorNamed(name string) (*vendor, error) {
	for _, v := range vendors {
		if v.name == name {
			return v, nil
		}
	}
	names := make([]string, len(vendors))
	for i, v := range vendors {
		names[i] = v.name
	}
	return nil, usagef("unknown vendor %q (one of %s)", name, strings.Join(names, ", "))
}

func (v *vendor) resource(list bool, name string) (resource, error) {
	rs, verb := v.gets, "get"
	if list {
		rs, verb = v.lists, "list"
	}
	for _, r := range rs {
		if r.name == name {
			return r, nil
		}
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.name
	}
	return resource{}, usagef("%s %s: unknown resource %q (one of %s)", verb, v.name, name, strings.Join(names, ", "))
}

// filters are the --filter key=value pairs of a list command.
type filters struct {
	keys []string
	vals map[string]string
}

// String and Set make filters a flag.Value.
func (f *filters) String() string { return strings.Join(f.keys, ",") }

func (f *filters) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	if f.vals == nil {
		f.vals = map[string]string{}
	}
	if _, dup := f.vals[k]; !dup {
		f.keys = append(f.keys, k)
	}
	f.vals[k] = v
	return nil
}

// check refuses keys the resource does not take.
func (f *filters) check(r resource, vendorName string) error {
	if slices.Contains(r.filters, "*") {
		return nil
	}
	for _, k := range f.keys {
		if !acceptsFilter(r.filters, k) {
			accepted := "none"
			if len(r.filters) > 0 {
				accepted = strings.Join(r.filters, ", ")
			}
			return usagef("list %s %s: unknown filter %q (accepted: %s)", vendorName, r.name, k, accepted)
		}
	}
	return nil
}

// acceptsFilter reports whether key is one of accepted, where an accepted
// "prefix.<field>" takes any field.
func acceptsFilter(accepted []string, key string) bool {
	for _, a := range accepted {
		if a == key {
			return true
		}
		if prefix, ok := strings.CutSuffix(a, "<field>"); ok && strings.HasPrefix(key, prefix) && len(key) > len(prefix) {
			return true
		}
	}
	return false
}

func (f *filters) str(key string) string { return f.vals[key] }

func (f *filters) int(key string) (int, error) {
	s := f.vals[key]
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, usagef("filter %s: %q is not a number", key, s)
	}
	return n, nil
}

func (f *filters) id(key string) (int64, error) {
	s := f.vals[key]
	if s == "" {
		return 0, nil
	}
	return parseID(key, s)
}

func (f *filters) ids(key string) ([]int64, error) {
	var out []int64
	for _, s := range splitList(f.vals[key]) {
		id, err := parseID(key, s)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

func (f *filters) boolPtr(key string) (*bool, error) {
	s := f.vals[key]
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, usagef("filter %s: %q is not true or false", key, s)
	}
	return &b, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseID reads a numeric id (Woofed, Woodpecker).
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s: %q is not a positive number", what, s)
	}
	return id, nil
}

// emitAll streams an iterator's items.
func emitAll[T any](seq iter.Seq2[T, error], emit func(any) error) error {
	for item, err := range seq {
		if err != nil {
			return err
		}
		if err := emit(item); err != nil {
			return err
		}
	}
	return nil
}

// emitSlice emits the items of a list the vendor answers in one piece.
func emitSlice[T any](items []T, err error, emit func(any) error) error {
	if err != nil {
		return err
	}
	for _, item := range items {
		if err := emit(item); err != nil {
			return err
		}
	}
	return nil
}

// keyed is one entry of a map-shaped answer (Crow's endpoint configs).
type keyed[T any] struct {
	Key   string `json:"key"`
	Value T      `json:"value"`
}

func emitMap[T any](m map[string]T, err error, emit func(any) error) error {
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := emit(keyed[T]{Key: k, Value: m[k]}); err != nil {
			return err
		}
	}
	return nil
}

// noID adapts a get without an id argument (me).
func noID[T any](f func(ctx context.Context) (T, error)) func(context.Context, string) (any, error) {
	return func(ctx context.Context, _ string) (any, error) { return f(ctx) }
}

// byID adapts a get by string id.
func byID[T any](f func(ctx context.Context, id string) (T, error)) func(context.Context, string) (any, error) {
	return func(ctx context.Context, id string) (any, error) { return f(ctx, id) }
}

// byNumericID adapts a get by numeric id.
func byNumericID[T any](f func(ctx context.Context, id int64) (T, error)) func(context.Context, string) (any, error) {
	return func(ctx context.Context, s string) (any, error) {
		id, err := parseID("id", s)
		if err != nil {
			return nil, err
		}
		return f(ctx, id)
	}
}
