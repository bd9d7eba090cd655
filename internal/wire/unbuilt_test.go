package wire_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woofed"
)

// TestUnbuiltClients calls every method of every vendor's API interface on
// a nil and on a zero *Client, with plain arguments (ids 1 and "id1", zero
// structs): none may panic, every
// error must wrap vendorkit.ErrInvalidArgument, and the calls that get past
// argument checks must say to use New.
func TestUnbuiltClients(t *testing.T) {
	vendors := []struct {
		name       string
		nilC, zero any
		api        reflect.Type
	}{
		{"crow", (*crow.Client)(nil), &crow.Client{}, reflect.TypeFor[crow.API]()},
		{"deskwoot", (*deskwoot.Client)(nil), &deskwoot.Client{}, reflect.TypeFor[deskwoot.API]()},
		{"woodpecker", (*woodpecker.Client)(nil), &woodpecker.Client{}, reflect.TypeFor[woodpecker.API]()},
		{"woofed", (*woofed.Client)(nil), &woofed.Client{}, reflect.TypeFor[woofed.API]()},
		{"qwoty", (*qwoty.Client)(nil), &qwoty.Client{}, reflect.TypeFor[qwoty.API]()},
	}
	for _, v := range vendors {
		for _, c := range []struct {
			kind string
			val  any
		}{{"nil", v.nilC}, {"zero", v.zero}} {
			t.Run(v.name+" "+c.kind, func(t *testing.T) {
				said := 0
				rv := reflect.ValueOf(c.val)
				for i := range v.api.NumMethod() {
					m := v.api.Method(i)
					for _, err := range callWithZeroArgs(t, rv.MethodByName(m.Name)) {
						require.ErrorIs(t, err, vendorkit.ErrInvalidArgument, m.Name)
						if strings.Contains(err.Error(), v.name+".New") {
							said++
						}
					}
				}
				assert.Positive(t, said, "no call said to build the client with New")
			})
		}
	}
}

// callWithZeroArgs calls m with a background context and plain values, and
// returns the errors it produced: its error result, or the errors an
// iterator result yields.
func callWithZeroArgs(t *testing.T, m reflect.Value) []error {
	t.Helper()
	in := make([]reflect.Value, m.Type().NumIn())
	for i := range in {
		typ := m.Type().In(i)
		in[i] = reflect.New(typ).Elem()
		switch {
		case typ == reflect.TypeFor[context.Context]():
			in[i] = reflect.ValueOf(context.Background())
		case typ.Kind() == reflect.String:
			in[i].SetString("id1") // past the argument checks, where it can
		case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Int64:
			in[i].SetInt(1)
		}
	}
	var errs []error
	var out []reflect.Value
	require.NotPanics(t, func() {
		if m.Type().IsVariadic() {
			out = m.CallSlice(in)
		} else {
			out = m.Call(in)
		}
	})
	for _, o := range out {
		switch {
		case o.Type() == reflect.TypeFor[error]():
			if !o.IsNil() {
				errs = append(errs, o.Interface().(error))
			}
		case o.Kind() == reflect.Func && o.Type().NumIn() == 1: // iter.Seq2[T, error]
			yield := reflect.MakeFunc(o.Type().In(0), func(args []reflect.Value) []reflect.Value {
				if e, ok := args[len(args)-1].Interface().(error); ok && e != nil {
					errs = append(errs, e)
				}
				return []reflect.Value{reflect.ValueOf(false)}
			})
			require.NotPanics(t, func() { o.Call([]reflect.Value{yield}) })
		}
	}
	return errs
}
