package runtime_test

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "3600", "Wed, 25 Nov 2026 12:00:30 GMT", "Monday, 02-Jan-06 15:04:05 MST",
		"Mon Jan  2 15:04:05 2006", "", " ", "1e3", "99999999999999999999999", "+5"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := runtime.ParseRetryAfter(s, now)
		if d < 0 {
			t.Fatalf("negative delay %v for %q", d, s)
		}
		if !ok && d != 0 {
			t.Fatalf("delay %v without ok for %q", d, s)
		}
	})
}

func FuzzDecodeErrorBody(f *testing.F) {
	for _, s := range []string{`{"error":"x"}`, `{"errors":["a","b"]}`, `{"errors":{"email":["is invalid"]}}`,
		`{"errors":{"a":"b"}}`, `{"message":"a, b","attributes":["email"]}`, `{"status":{"status":"ERROR","code":"E_X","msg":"m"}}`,
		`<html><title>Oops</title></html>`, `[1,2,3]`, `null`, `{"error":{"nested":{"deep":[1,{"x":null}]}}}`, "\xff\xfe", ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := &vendorkit.APIError{Vendor: "acme", StatusCode: 400, Body: body}
		runtime.DecodeErrorBody(e)
		_ = e.Error()
		if !utf8.ValidString(e.Message) && utf8.Valid(body) {
			t.Fatalf("message not UTF-8 for valid UTF-8 body: %q", e.Message)
		}
		if _, err := json.Marshal(e); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}
