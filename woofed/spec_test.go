package woofed

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/woofed/internal/api"
)

// TestTypesMatchSpec checks that the hand-written types and the models
// generated from openapi/woofed.yaml carry the same JSON fields, both ways:
// a fully populated facade value decodes into the generated model with
// unknown fields disallowed, and the other way round.
func TestTypesMatchSpec(t *testing.T) {
	pairs := []struct {
		name   string
		facade any
		spec   any
	}{
		{"Contact", &Contact{}, &api.Contact{}},
		{"ContactInput", &ContactInput{}, &api.ContactInput{}},
		{"Deal", &Deal{}, &api.Deal{}},
		{"DealInput", &DealInput{}, &api.DealInput{}},
		{"DealUpdate", &DealUpdate{}, &api.DealUpdate{}},
		{"ProductUpdate", &ProductUpdate{}, &api.ProductUpdate{}},
		{"DealProductUpdate", &DealProductUpdate{}, &api.DealProductUpdate{}},
		{"Notifications", &Notifications{}, &api.Notifications{}},
		{"Stage", &Stage{}, &api.Stage{}},
		{"Pipeline", &Pipeline{}, &api.Pipeline{}},
		{"Event", &Event{}, &api.Event{}},
		{"EventInput", &EventInput{}, &api.EventInput{}},
		{"Product", &Product{}, &api.Product{}},
		{"ProductInput", &ProductInput{}, &api.ProductInput{}},
		{"Attachment", &Attachment{}, &api.Attachment{}},
		{"DealProduct", &DealProduct{}, &api.DealProduct{}},
		{"DealProductInput", &DealProductInput{}, &api.DealProductInput{}},
		{"DealAssignee", &DealAssignee{}, &api.DealAssignee{}},
		{"User", &User{}, &api.User{}},
		{"UserInput", &UserInput{}, &api.UserInput{}},
		{"Pagination", &Pagination{}, &api.Pagination{}},
		{"ContactPage", &Page[Contact]{}, &api.ContactPage{}},
		{"ProductPage", &Page[Product]{}, &api.ProductPage{}},
		{"UserPage", &Page[User]{}, &api.UserPage{}},
		{"SearchRequest", &searchBody{}, &api.SearchRequest{}},
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			fill(reflect.ValueOf(p.facade).Elem(), 0)
			roundTrip(t, p.facade, p.spec)
			spec := reflect.New(reflect.TypeOf(p.spec).Elem()).Interface()
			fill(reflect.ValueOf(spec).Elem(), 0)
			back := reflect.New(reflect.TypeOf(p.facade).Elem()).Interface()
			roundTrip(t, spec, back)
		})
	}
}

func roundTrip(t *testing.T, from, to any) {
	t.Helper()
	b, err := json.Marshal(from)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(to), "%T → %T: %s", from, to, b)
}

// fill sets every field of v to a non-zero value, nesting a few levels.
func fill(v reflect.Value, depth int) {
	if depth > 3 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	case reflect.Float64, reflect.Float32:
		v.SetFloat(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		if e.Kind() == reflect.Interface {
			e.Set(reflect.ValueOf("v"))
		} else {
			fill(e, depth+1)
		}
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Interface:
		v.Set(reflect.ValueOf("v"))
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	}
}
