package crowspec_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowspec"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The seed's three securitySchemes snippets, each in a small valid document.
const (
	apiKeyScheme = `
components:
  securitySchemes:
    ApiKeyAuth:
      type: apiKey
      in: header
      name: X-API-Key
security:
  - ApiKeyAuth: []
`
	bearerScheme = `
components:
  securitySchemes:
    BearerAuth:
      type: http
      scheme: bearer
security:
  - BearerAuth: []
`
	jwtScheme = `
components:
  securitySchemes:
    UserJWT:
      type: http
      scheme: bearer
      bearerFormat: JWT
security:
  - UserJWT: []
`
)

// doc assembles a document from a servers URL, paths and a security part.
func doc(server, paths, security string) string {
	s := "openapi: 3.0.3\ninfo:\n  title: Orders\n  version: \"1\"\n"
	if server != "" {
		s += "servers:\n  - url: " + server + "\n"
	}
	return s + "paths:\n" + paths + security
}

const myOrders = `  /my/orders:
    get:
      operationId: getMyOrders
      summary: Get user's orders
      responses:
        "200":
          description: ok
`

type want struct {
	rule, pointer string
	sev           crowspec.Severity
}

func lint(t *testing.T, src string, opts crowspec.Options) []crowspec.Finding {
	t.Helper()
	findings, err := crowspec.Lint(t.Context(), []byte(src), opts)
	require.NoError(t, err)
	return findings
}

func assertFindings(t *testing.T, got []crowspec.Finding, exp ...want) {
	t.Helper()
	var g []want
	for _, f := range got {
		g = append(g, want{f.Rule, f.Pointer, f.Severity})
		assert.NotEmpty(t, f.Message)
	}
	assert.ElementsMatch(t, exp, g, "findings: %v", got)
}

func TestGoodSpecs(t *testing.T) {
	for _, tc := range []struct {
		name     string
		auth     crow.Mode
		security string
	}{
		{"api key", crow.ModeAPIKey, apiKeyScheme},
		{"bearer", crow.ModeBearer, bearerScheme},
		{"jwt forward", crow.ModeJWTForward, jwtScheme},
		{"bearer scheme serves jwt too", crow.ModeBearer, jwtScheme},
		{"none", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lint(t, doc("https://api.example.com/api", myOrders, tc.security), crowspec.Options{Auth: tc.auth})
			assert.Empty(t, got)
			assert.False(t, crowspec.HasErrors(got))
		})
	}
}

func TestSecuritySchemeFindings(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     crowspec.Options
		security string
		want     []want
	}{
		{"missing security scheme", crowspec.Options{Auth: crow.ModeAPIKey}, "",
			[]want{{crowspec.RuleSecuritySchemeMissing, "/components/securitySchemes", crowspec.Error}}},
		{"api key in another header", crowspec.Options{Auth: crow.ModeAPIKey, APIKeyHeader: "X-Tools-Key"}, apiKeyScheme,
			[]want{{crowspec.RuleSecuritySchemeMissing, "/components/securitySchemes", crowspec.Error}}},
		{"api key header is case-insensitive", crowspec.Options{Auth: crow.ModeAPIKey, APIKeyHeader: "x-api-key"}, apiKeyScheme, nil},
		{"bearer scheme for api key", crowspec.Options{Auth: crow.ModeAPIKey}, bearerScheme,
			[]want{{crowspec.RuleSecuritySchemeMissing, "/components/securitySchemes", crowspec.Error}}},
		{"api key scheme for bearer", crowspec.Options{Auth: crow.ModeBearer}, apiKeyScheme,
			[]want{{crowspec.RuleSecuritySchemeMissing, "/components/securitySchemes", crowspec.Error}}},
		{"jwt without bearerFormat", crowspec.Options{Auth: crow.ModeJWTForward}, bearerScheme,
			[]want{{crowspec.RuleBearerFormatMissing, "/components/securitySchemes/BearerAuth", crowspec.Warning}}},
		{"scheme defined, never required", crowspec.Options{Auth: crow.ModeJWTForward}, strings.Split(jwtScheme, "security:")[0],
			[]want{{crowspec.RuleSecurityNotApplied, "/paths/~1my~1orders/get", crowspec.Warning}}},
		{"requirement names an undefined scheme", crowspec.Options{Auth: crow.ModeBearer}, bearerScheme + "  - Missing: []\n",
			[]want{{crowspec.RuleSecuritySchemeUnknown, "/security/1/Missing", crowspec.Error}, {crowspec.RuleInvalidDocument, "", crowspec.Error}}},
		{"auth none but security required", crowspec.Options{}, bearerScheme,
			[]want{{crowspec.RuleSecurityUnexpected, "/security", crowspec.Warning}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertFindings(t, lint(t, doc("", myOrders, tc.security), tc.opts), tc.want...)
		})
	}
}

func TestOperationFindings(t *testing.T) {
	paths := `  /my/orders:
    get:
      responses:
        "200":
          description: ok
    post:
      operationId: createOrder
      summary: Create an order
      security: []
      responses:
        "201":
          description: ok
  /orders/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema:
          type: string
    get:
      operationId: createOrder
      summary: "  "
      responses:
        "200":
          description: ok
`
	got := lint(t, doc("", paths, jwtScheme), crowspec.Options{Auth: crow.ModeJWTForward})
	assertFindings(t, got,
		// kin-openapi's validation refuses the duplicate operationId too.
		want{crowspec.RuleInvalidDocument, "", crowspec.Error},
		want{crowspec.RuleOperationIDMissing, "/paths/~1my~1orders/get", crowspec.Error},
		want{crowspec.RuleSummaryMissing, "/paths/~1my~1orders/get", crowspec.Error},
		want{crowspec.RuleSecurityNotApplied, "/paths/~1my~1orders/post/security", crowspec.Warning},
		want{crowspec.RuleOperationIDDuplicate, "/paths/~1orders~1{id}/get/operationId", crowspec.Error},
		want{crowspec.RuleSummaryMissing, "/paths/~1orders~1{id}/get", crowspec.Error},
	)
	assert.True(t, crowspec.HasErrors(got))
	for _, f := range got[1:] {
		assert.Positive(t, f.Line, "line of %v", f)
	}
	assert.Contains(t, got[1].String(), "error /paths/~1my~1orders/get (line 7): operation-id-missing: ")
}

func TestDoublePrefix(t *testing.T) {
	apiOrders := `  /api/orders:
    get:
      operationId: listOrders
      summary: List orders
      responses:
        "200":
          description: ok
`
	for _, tc := range []struct {
		name, server, baseURL, paths string
		want                         []want
	}{
		{"base URL ends in /api, path starts with /api", "", "https://api.example.com/api", apiOrders,
			[]want{{crowspec.RuleDoublePrefix, "/paths/~1api~1orders", crowspec.Error}}},
		{"base URL with trailing slash", "", "https://api.example.com/api/", apiOrders,
			[]want{{crowspec.RuleDoublePrefix, "/paths/~1api~1orders", crowspec.Error}}},
		{"from servers[0].url", "https://api.example.com/api", "", apiOrders,
			[]want{{crowspec.RuleDoublePrefix, "/paths/~1api~1orders", crowspec.Error}}},
		{"two-segment overlap", "", "https://x.example.com/api/v1", strings.ReplaceAll(apiOrders, "/api/orders", "/v1/orders"),
			[]want{{crowspec.RuleDoublePrefix, "/paths/~1v1~1orders", crowspec.Error}}},
		{"prefix only in the base URL", "", "https://api.example.com/api", myOrders, nil},
		{"prefix only in the paths", "", "https://api.example.com", apiOrders, nil},
		{"server URL with variables is skipped", "https://{tenant}.example.com/api\n    variables:\n      tenant:\n        default: acme", "", apiOrders, nil},
		{"segment boundary: /apix is not /api", "", "https://api.example.com/api", strings.ReplaceAll(apiOrders, "/api/orders", "/apix/orders"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lint(t, doc(tc.server, tc.paths, ""), crowspec.Options{BaseURL: tc.baseURL})
			assertFindings(t, got, tc.want...)
			for _, f := range got {
				assert.Contains(t, f.Message, "not both")
			}
		})
	}
}

func TestInvalidDocuments(t *testing.T) {
	// Parses, but is not valid OpenAPI: a finding at the root.
	got := lint(t, "openapi: 3.0.3\ninfo:\n  title: x\npaths:\n  /a:\n    get:\n      operationId: a\n      summary: a\n", crowspec.Options{})
	assertFindings(t, got, want{crowspec.RuleInvalidDocument, "", crowspec.Error})

	for name, src := range map[string]string{
		"not YAML":     "openapi: [",
		"not OpenAPI":  "- 1\n- 2\n",
		"external ref": "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    $ref: 'other.yaml#/a'\n",
	} {
		_, err := crowspec.Lint(t.Context(), []byte(src), crowspec.Options{})
		require.Error(t, err, name)
	}
	_, err := crowspec.Lint(t.Context(), []byte(doc("", myOrders, "")), crowspec.Options{Auth: crow.ModeServiceKey})
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	_, err = crowspec.Lint(t.Context(), []byte(doc("", myOrders, "")), crowspec.Options{BaseURL: "/api"})
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
}

func TestLintFileAndPointer(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "openapi.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a~b/c":{"get":{"responses":{"200":{"description":"ok"}}}}}}`), 0o600))
	got, err := crowspec.LintFile(t.Context(), path, crowspec.Options{})
	require.NoError(t, err)
	assertFindings(t, got,
		want{crowspec.RuleOperationIDMissing, "/paths/~1a~0b~1c/get", crowspec.Error},
		want{crowspec.RuleSummaryMissing, "/paths/~1a~0b~1c/get", crowspec.Error})
	_, err = crowspec.LintFile(t.Context(), filepath.Join(dir, "missing.yaml"), crowspec.Options{})
	require.Error(t, err)
	assert.Equal(t, "/a/b~1c/d~0e", crowspec.Pointer("a", "b/c", "d~e"))
}
