package deskwoot

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/deskwoot/internal/api"
)

// fill sets every field of v (recursively) to a non-zero value, so that a
// conversion that forgets a field shows.
func fill(v reflect.Value) {
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2026, 3, 22, 10, 30, 0, 0, time.UTC)))
		return
	case v.Type() == reflect.TypeFor[json.RawMessage]():
		v.Set(reflect.ValueOf(json.RawMessage(`{"k":[1]}`)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x-" + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		m.SetMapIndex(reflect.ValueOf("plan"), reflect.ValueOf(any("enterprise")))
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem())
		v.Set(p)
	case reflect.Interface:
		v.Set(reflect.ValueOf(any("x")))
	}
}

// sameJSON checks that conv(wire) marshals exactly as wire does, for a
// zero and a fully filled value.
func sameJSON[W, T any](t *testing.T, conv func(W) T) {
	t.Helper()
	var zero, full W
	fill(reflect.ValueOf(&full).Elem())
	for name, w := range map[string]W{"zero": zero, "full": full} {
		want, err := json.Marshal(w)
		require.NoError(t, err)
		got, err := json.Marshal(conv(w))
		require.NoError(t, err)
		assert.JSONEq(t, string(want), string(got), "%T (%s)", *new(T), name)
	}
}

// sameInput checks that an input's wire form marshals as the input does.
func sameInput[T any, W any](t *testing.T, wire func(T) W) {
	t.Helper()
	var zero, full T
	fill(reflect.ValueOf(&full).Elem())
	for name, in := range map[string]T{"zero": zero, "full": full} {
		want, err := json.Marshal(in)
		require.NoError(t, err)
		got, err := json.Marshal(wire(in))
		require.NoError(t, err)
		assert.JSONEq(t, string(want), string(got), "%T (%s)", in, name)
	}
}

// TestModelsMatchTheSpec checks every public model against the type
// generated from openapi/deskwoot.yaml: same JSON for the zero value (so
// the same fields are always present — false booleans included) and for a
// fully set value (so the conversion loses no field). Issue 11 point 1.
func TestModelsMatchTheSpec(t *testing.T) {
	sameJSON(t, meFrom)
	sameJSON(t, userFrom)
	sameJSON(t, conversationFrom)
	sameJSON(t, messageFrom)
	sameJSON(t, attachmentFrom)
	sameJSON(t, contactFrom)
	sameJSON(t, inboxFrom)
	sameJSON(t, labelFrom)
	sameJSON(t, teamFrom)
	sameJSON(t, agentFrom)
	sameJSON(t, cannedFrom)
	sameJSON(t, ruleFrom)
	sameJSON(t, webhookFrom)
	sameJSON(t, botFrom)

	sameInput(t, NewConversation.wire)
	sameInput(t, BulkConversationAction.wire)
	sameInput(t, NewMessage.wire)
	sameInput(t, ContactInput.wire)
	sameInput(t, InboxInput.wire)
	sameInput(t, LabelInput.wire)
	sameInput(t, TeamInput.wire)
	sameInput(t, AgentInvite.wire)
	sameInput(t, CannedResponseInput.wire)
	sameInput(t, AutomationRuleInput.wire)
	sameInput(t, WebhookInput.wire)
	sameInput(t, BotInput.wire)

	// Every field of a generated model has a public counterpart.
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[api.Conversation](), reflect.TypeFor[Conversation]()},
		{reflect.TypeFor[api.Message](), reflect.TypeFor[Message]()},
		{reflect.TypeFor[api.Contact](), reflect.TypeFor[Contact]()},
		{reflect.TypeFor[api.Inbox](), reflect.TypeFor[Inbox]()},
		{reflect.TypeFor[api.AutomationRule](), reflect.TypeFor[AutomationRule]()},
	} {
		assert.Equal(t, pair[0].NumField(), pair[1].NumField(), "%v vs %v", pair[0], pair[1])
	}
}

// sameDecode checks that JSON read straight into the public model T gives
// what reading it into the generated W and converting gives, for a zero and
// a fully filled value: a facade may then skip the generated type.
func sameDecode[W, T any](t *testing.T, conv func(W) T) {
	t.Helper()
	var zero, full W
	fill(reflect.ValueOf(&full).Elem())
	for name, w := range map[string]W{"zero": zero, "full": full} {
		b, err := json.Marshal(w)
		require.NoError(t, err)
		var viaWire W
		require.NoError(t, json.Unmarshal(b, &viaWire))
		var direct T
		require.NoError(t, json.Unmarshal(b, &direct))
		assert.Equal(t, conv(viaWire), direct, "%T (%s)", direct, name)
	}
}

// TestDirectDecodes covers the models the facade decodes without their
// generated type (GetContact).
func TestDirectDecodes(t *testing.T) {
	sameDecode(t, contactFrom)
}

// TestNoAliasModels keeps every exported type of the package a named type
// with its own documented fields: an alias of a generated type shows no
// fields in go doc (issue 11 point 1).
func TestNoAliasModels(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				if !ts.Name.IsExported() {
					continue
				}
				assert.False(t, ts.Assign.IsValid(), "%s is an alias", ts.Name.Name)
				assert.True(t, g.Doc != nil || ts.Doc != nil, "%s has no doc comment", ts.Name.Name)
			}
		}
	}
}
