// Package crowspec lints the OpenAPI document you upload to Crow, before you
// upload it. Crow turns each operation into a tool for its agent and calls
// your API with the auth type chosen in its dashboard, so the document must
//
//   - hold a securitySchemes entry that matches that auth type, as Crow's
//     docs write them (API Key: {type: apiKey, in: header, name: X-API-Key};
//     Bearer Token: {type: http, scheme: bearer}; JWT Forward: {type: http,
//     scheme: bearer, bearerFormat: JWT}), applied by a security requirement;
//   - give every operation an operationId (the tool's name) and a summary
//     (what the agent reads to pick it);
//   - not repeat the Base URL's path prefix in its paths: with Base URL
//     https://x.example/api, a path /api/orders is called as
//     /api/api/orders (the docs' "Double path prefix" trouble).
//
// Findings carry a JSON pointer (RFC 6901) into the document and, when
// known, the line:
//
//	findings, err := crowspec.Lint(ctx, doc, crowspec.Options{Auth: crow.ModeJWTForward, BaseURL: "https://api.example.com/api"})
//	for _, f := range findings {
//		fmt.Println(f) // error /paths/~1api~1orders (line 12): double-prefix: …
//	}
package crowspec

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
)

// Severity says whether a finding stops Crow from using the document as
// intended (Error) or is likely a mistake (Warning).
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rules, as they appear in Finding.Rule.
const (
	RuleInvalidDocument       = "invalid-document"
	RuleSecuritySchemeMissing = "security-scheme-missing"
	RuleBearerFormatMissing   = "bearer-format-missing"
	RuleSecurityNotApplied    = "security-not-applied"
	RuleSecuritySchemeUnknown = "security-scheme-undefined"
	RuleSecurityUnexpected    = "security-without-auth"
	RuleOperationIDMissing    = "operation-id-missing"
	RuleOperationIDDuplicate  = "operation-id-duplicate"
	RuleSummaryMissing        = "summary-missing"
	RuleDoublePrefix          = "double-prefix"
)

// Finding is one problem in the document.
type Finding struct {
	// Pointer locates the problem: an RFC 6901 JSON pointer into the
	// document, e.g. /paths/~1my~1orders/get.
	Pointer string `json:"pointer"`
	// Line is the problem's line in the document, 0 when unknown.
	Line     int      `json:"line,omitempty"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// String renders the finding on one line.
func (f Finding) String() string {
	ptr := f.Pointer
	if ptr == "" {
		ptr = "(document)"
	}
	if f.Line > 0 {
		ptr += fmt.Sprintf(" (line %d)", f.Line)
	}
	return fmt.Sprintf("%s %s: %s: %s", f.Severity, ptr, f.Rule, f.Message)
}

// Options describe how Crow is configured to call the API.
type Options struct {
	// Auth is the auth type chosen in Crow's dashboard: crow.ModeAPIKey,
	// crow.ModeBearer or crow.ModeJWTForward; empty means None (a public
	// API). crow.ModeServiceKey is for MCP servers, not OpenAPI tools.
	Auth crow.Mode
	// APIKeyHeader is the header name entered in the dashboard for API Key
	// auth; default X-API-Key.
	APIKeyHeader string
	// BaseURL is the Base URL entered in Crow's dashboard. Default: the
	// document's first server URL, when it is absolute and has no variables.
	BaseURL string
}

// HasErrors reports whether findings hold an Error.
func HasErrors(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// LintFile reads the document at path (YAML or JSON) and lints it.
func LintFile(ctx context.Context, path string, opts Options) ([]Finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("crowspec: %w", err)
	}
	return Lint(ctx, data, opts)
}

// Lint checks an OpenAPI document (YAML or JSON). The error is for a
// document that cannot be read at all, or bad Options (wrapping
// vendorkit.ErrInvalidArgument); everything else is a Finding, sorted by
// pointer.
func Lint(ctx context.Context, data []byte, opts Options) ([]Finding, error) {
	switch opts.Auth {
	case "", crow.ModeAPIKey, crow.ModeBearer, crow.ModeJWTForward:
	default:
		return nil, fmt.Errorf("crowspec: %w: auth %q is not an OpenAPI auth type (use api_key, bearer, jwt_forward or empty)", vendorkit.ErrInvalidArgument, opts.Auth)
	}
	if opts.APIKeyHeader == "" {
		opts.APIKeyHeader = crow.DefaultAPIKeyHeader
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	loader.IncludeOrigin = true
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("crowspec: reading the document: %w", err)
	}
	l := &linter{doc: doc, opts: opts}
	if err := doc.Validate(ctx, openapi3.DisableExamplesValidation()); err != nil {
		l.add("", 0, RuleInvalidDocument, Error, "not a valid OpenAPI document: %v", err)
	}
	l.operations()
	l.security()
	if err := l.prefix(); err != nil {
		return nil, err
	}
	sort.SliceStable(l.findings, func(i, j int) bool {
		a, b := l.findings[i], l.findings[j]
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		return a.Rule < b.Rule
	})
	return l.findings, nil
}

type linter struct {
	doc      *openapi3.T
	opts     Options
	findings []Finding
}

func (l *linter) add(ptr string, line int, rule string, sev Severity, format string, args ...any) {
	l.findings = append(l.findings, Finding{Pointer: ptr, Line: line, Rule: rule, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// Pointer builds an RFC 6901 JSON pointer from reference tokens.
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// methods in the order the document model lists them.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

type operation struct {
	path, method string
	op           *openapi3.Operation
}

func (l *linter) each() []operation {
	var out []operation
	if l.doc.Paths == nil {
		return nil
	}
	paths := l.doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item := paths[p]
		if item == nil {
			continue
		}
		ops := item.Operations()
		for _, m := range methods {
			if op := ops[strings.ToUpper(m)]; op != nil {
				out = append(out, operation{p, m, op})
			}
		}
	}
	return out
}

func line(o *openapi3.Origin) int {
	if o != nil && o.Key != nil {
		return o.Key.Line
	}
	return 0
}

func (l *linter) operations() {
	seen := map[string]string{}
	for _, o := range l.each() {
		ptr := Pointer("paths", o.path, o.method)
		ln := line(o.op.Origin)
		id := strings.TrimSpace(o.op.OperationID)
		switch prev, dup := seen[id]; {
		case id == "":
			l.add(ptr, ln, RuleOperationIDMissing, Error, "%s %s has no operationId: Crow names the tool after it", strings.ToUpper(o.method), o.path)
		case dup:
			l.add(ptr+"/operationId", ln, RuleOperationIDDuplicate, Error, "operationId %q is also used by %s: tool names must be unique", id, prev)
		default:
			seen[id] = strings.ToUpper(o.method) + " " + o.path
		}
		if strings.TrimSpace(o.op.Summary) == "" {
			l.add(ptr, ln, RuleSummaryMissing, Error, "%s %s has no summary: Crow's agent reads it to choose the tool", strings.ToUpper(o.method), o.path)
		}
	}
}

// matches reports whether a security scheme is what Crow's docs show for
// the auth type; bearerNoFormat reports a bearer scheme lacking
// bearerFormat: JWT where JWT Forward wants it.
func (l *linter) matches(s *openapi3.SecurityScheme) (ok, bearerNoFormat bool) {
	if s == nil {
		return false, false
	}
	bearer := strings.EqualFold(s.Type, "http") && strings.EqualFold(s.Scheme, "bearer")
	switch l.opts.Auth {
	case crow.ModeAPIKey:
		return s.Type == "apiKey" && s.In == "header" && strings.EqualFold(s.Name, l.opts.APIKeyHeader), false
	case crow.ModeBearer:
		return bearer, false
	case crow.ModeJWTForward:
		if bearer && !strings.EqualFold(s.BearerFormat, "JWT") {
			return false, true
		}
		return bearer, false
	}
	return false, false
}

func (l *linter) security() {
	var schemes openapi3.SecuritySchemes
	if l.doc.Components != nil {
		schemes = l.doc.Components.SecuritySchemes
	}
	// Requirements naming a scheme that is not defined.
	checkReq := func(reqs openapi3.SecurityRequirements, ptr ...string) {
		for i, req := range reqs {
			for name := range req {
				if _, ok := schemes[name]; !ok {
					l.add(Pointer(append(ptr, fmt.Sprint(i), name)...), 0, RuleSecuritySchemeUnknown, Error, "security requirement names %q, which components.securitySchemes does not define", name)
				}
			}
		}
	}
	checkReq(l.doc.Security, "security")
	for _, o := range l.each() {
		if o.op.Security != nil {
			checkReq(*o.op.Security, "paths", o.path, o.method, "security")
		}
	}

	if l.opts.Auth == "" {
		if len(l.doc.Security) > 0 && len(l.doc.Security[0]) > 0 {
			l.add("/security", 0, RuleSecurityUnexpected, Warning, "the document requires authentication but Crow is configured with no auth: Crow will call without credentials")
		}
		return
	}
	names := make([]string, 0, len(schemes))
	for n := range schemes {
		names = append(names, n)
	}
	sort.Strings(names)
	matching := map[string]bool{}
	for _, n := range names {
		ref := schemes[n]
		if ref == nil {
			continue
		}
		ok, noFormat := l.matches(ref.Value)
		if ok {
			matching[n] = true
		}
		if noFormat {
			l.add(Pointer("components", "securitySchemes", n), line(ref.Value.Origin), RuleBearerFormatMissing, Warning,
				"scheme %q is a bearer scheme without bearerFormat: JWT; Crow's docs declare JWT Forward as {type: http, scheme: bearer, bearerFormat: JWT}", n)
			matching[n] = true // Crow still sends the token as Bearer.
		}
	}
	if len(matching) == 0 {
		l.add("/components/securitySchemes", 0, RuleSecuritySchemeMissing, Error, "no security scheme matches Crow's %s auth; add %s", l.opts.Auth, l.expected())
		return
	}
	applies := func(reqs openapi3.SecurityRequirements) bool {
		for _, req := range reqs {
			for name := range req {
				if matching[name] {
					return true
				}
			}
		}
		return false
	}
	for _, o := range l.each() {
		reqs := l.doc.Security
		ptr := "/security"
		if o.op.Security != nil {
			reqs = *o.op.Security
			ptr = Pointer("paths", o.path, o.method, "security")
		} else if len(reqs) == 0 {
			ptr = Pointer("paths", o.path, o.method)
		}
		if !applies(reqs) {
			l.add(ptr, line(o.op.Origin), RuleSecurityNotApplied, Warning, "%s %s does not require the %s scheme: add a security requirement (top-level or on the operation)", strings.ToUpper(o.method), o.path, l.opts.Auth)
		}
	}
}

func (l *linter) expected() string {
	switch l.opts.Auth {
	case crow.ModeAPIKey:
		return fmt.Sprintf("{type: apiKey, in: header, name: %s}", l.opts.APIKeyHeader)
	case crow.ModeBearer:
		return "{type: http, scheme: bearer}"
	}
	return "{type: http, scheme: bearer, bearerFormat: JWT}"
}

// prefix reports paths that start with the tail of the base URL's path.
func (l *linter) prefix() error {
	base := l.opts.BaseURL
	from := "Base URL"
	if base == "" && len(l.doc.Servers) > 0 && l.doc.Servers[0] != nil && !strings.Contains(l.doc.Servers[0].URL, "{") {
		base, from = l.doc.Servers[0].URL, "servers[0].url"
	}
	if base == "" {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil || (from == "Base URL" && u.Host == "") {
		if from == "Base URL" {
			return fmt.Errorf("crowspec: %w: BaseURL %q is not an absolute URL", vendorkit.ErrInvalidArgument, base)
		}
		return nil
	}
	baseSegs := segments(u.Path)
	if len(baseSegs) == 0 {
		return nil
	}
	paths := map[string]bool{}
	for _, o := range l.each() {
		if paths[o.path] {
			continue
		}
		paths[o.path] = true
		pathSegs := segments(o.path)
		for k := min(len(baseSegs), len(pathSegs)); k >= 1; k-- {
			if equal(baseSegs[len(baseSegs)-k:], pathSegs[:k]) {
				dup := "/" + strings.Join(pathSegs[:k], "/")
				l.add(Pointer("paths", o.path), line(l.doc.Paths.Value(o.path).Origin), RuleDoublePrefix, Error,
					"path %s repeats %s already at the end of the %s (%s): Crow would call %s; put the prefix in the Base URL or in the paths, not both",
					o.path, dup, from, base, strings.TrimRight(u.Path, "/")+o.path)
				break
			}
		}
	}
	return nil
}

func segments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
