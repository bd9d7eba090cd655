package crow

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vendorkit/vendorkit"
)

// FuzzDecodeError feeds arbitrary error bodies to the decoder: it must not
// panic, and no "token" string value and no echoed "input" may survive in a
// JSON body.
func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		`{"detail":"Subdomain not found"}`,
		`{"detail":[{"type":"missing","loc":["body","configs","ws1","api_base_url"],"msg":"Field required","input":{"token":"t0k3n-secret"}}]}`,
		`{"detail":[{"loc":[1,{"a":2}],"msg":null}]}`,
		`{"error":"Invalid","token":"t0k3n-secret"}`,
		`{"detail":{"token":"t0k3n-secret"}}`,
		`[{"token":"t0k3n-secret"}]`,
		`<html><title>502</title></html>`,
		"\u0130\u212a<TITLE>Bad gateway</TITLE>",
		``, `null`, `{"detail":[]}`,
	} {
		f.Add(s, 422)
	}
	f.Fuzz(func(t *testing.T, body string, status int) {
		e := &vendorkit.APIError{Vendor: "crow", StatusCode: status, Path: "/api/products/p/endpoint-configs/k", Body: []byte(body)}
		decodeError(e)
		var v any
		if json.Unmarshal(e.Body, &v) != nil {
			return
		}
		var check func(any)
		check = func(x any) {
			switch t2 := x.(type) {
			case map[string]any:
				for k, val := range t2 {
					if k == "input" || k == "ctx" {
						t.Fatalf("echoed %q kept in %s", k, e.Body)
					}
					if s, ok := val.(string); ok && strings.EqualFold(k, "token") && s != "[redacted]" {
						t.Fatalf("token kept in %s", e.Body)
					}
					check(val)
				}
			case []any:
				for _, it := range t2 {
					check(it)
				}
			}
		}
		check(v)
	})
}
