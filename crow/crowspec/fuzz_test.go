package crowspec_test

import (
	"context"
	"testing"

	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowspec"
)

// FuzzLint feeds arbitrary documents to the linter: it must return findings
// or an error, never panic, and every finding must carry a rule and a
// pointer that is empty or starts with "/".
func FuzzLint(f *testing.F) {
	f.Add(doc("https://api.example.com/api", myOrders, jwtScheme))
	f.Add(doc("", "  /api/a:\n    get:\n      responses: {}\n", apiKeyScheme))
	f.Add(`{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a~b":{"get":{}}}}`)
	f.Add("openapi: 3.1.0\ninfo: {title: x, version: '1'}\n")
	f.Add("openapi: 3.0.3\ncomponents:\n  securitySchemes:\n    A: {$ref: '#/components/securitySchemes/A'}\n")
	f.Fuzz(func(t *testing.T, src string) {
		for _, auth := range []crow.Mode{"", crow.ModeAPIKey, crow.ModeJWTForward} {
			findings, err := crowspec.Lint(context.Background(), []byte(src), crowspec.Options{Auth: auth, BaseURL: "https://x.example/api"})
			if err != nil {
				continue
			}
			for _, fd := range findings {
				if fd.Rule == "" || (fd.Pointer != "" && fd.Pointer[0] != '/') {
					t.Fatalf("bad finding %+v", fd)
				}
			}
		}
	})
}
