package woofed

import (
	"errors"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/stretchr/testify/assert"

	"github.com/vendorkit/vendorkit"
)

// FuzzDecodeError feeds arbitrary bodies and statuses to the error decoder:
// it must never panic, must keep the status's category, and must add the
// Woofed sentinels only to 400/422 answers.
func FuzzDecodeError(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{401, `{"errors":"Unauthorized"}`},
		{404, `{"errors":"Not found"}`},
		{404, `{"error":"Resource could not be found"}`},
		{422, `{"errors":["Name can't be blank","Stage must exist"]}`},
		{422, `{"errors":"Invalid search parameters","details":"Invalid search term foo_eq"}`},
		{422, `{"email":["is invalid"],"full_name":"can't be blank"}`},
		{422, `{"message":"Email is invalid, Phone is invalid","attributes":["email","phone"]}`},
		{422, `{"message":"İİİ is invalid","attributes":["i"]}`},
		{422, `{"errors":{"email":["is invalid"]}}`},
		{422, `{"":[""],"base":["x"]}`},
		{500, "<html><title>We're sorry</title></html>"},
		{400, ""},
		{422, `{"message":5,"attributes":"email"}`},
		{422, "\xff\xfe{"},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		e := &vendorkit.APIError{Vendor: "woofed", StatusCode: status, Body: body}
		decodeError(e)
		if c := runtime.StatusCategory(status); c != nil && !errors.Is(e, c) {
			t.Fatalf("status %d lost its category %v", status, c)
		}
		if status != http.StatusBadRequest && status != http.StatusUnprocessableEntity {
			if errors.Is(e, ErrValidation) || errors.Is(e, ErrInvalidSearch) {
				t.Fatalf("status %d matched a 422 sentinel", status)
			}
		}
		if status == http.StatusUnprocessableEntity && !errors.Is(e, ErrValidation) && !errors.Is(e, ErrInvalidSearch) {
			t.Fatalf("422 matched no Woofed sentinel")
		}
		for k, msgs := range e.Fields {
			for _, m := range msgs {
				if !utf8.ValidString(m) && utf8.Valid(body) {
					t.Fatalf("field %q: invalid UTF-8 %q from valid body", k, m)
				}
			}
		}
		_ = e.Error()
	})
}

func TestHumanize(t *testing.T) {
	for in, want := range map[string]string{
		"email":              "Email",
		"full_name":          "Full name",
		"contact_id":         "Contact",
		"_id":                "Id",
		"":                   "",
		"éclair":             "Éclair",
		"amount_in_cents":    "Amount in cents",
		"quantity_available": "Quantity available",
	} {
		assert.Equal(t, want, humanize(in), in)
	}
}

func FuzzPredicateKey(f *testing.F) {
	for _, k := range []string{"email_eq", "full_name_cont", "id_in", "created_at_gteq", "phone_null", "email_eq_any", "x_not_in", "_eq", "eq", "email", "a_b_c_lt_all", "É_eq"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		attr, pred, mod, ok := predicateOf(key)
		if !ok {
			return
		}
		if !attrRE.MatchString(attr) || pred == "" {
			t.Fatalf("%q: attr %q pred %q", key, attr, pred)
		}
		want := attr + "_" + pred
		if mod != "" {
			want += "_" + mod
		}
		if want != key {
			t.Fatalf("%q split into %q %q %q", key, attr, pred, mod)
		}
	})
}
