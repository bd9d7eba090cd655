package woodpecker

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

// Woodpecker's documented error cases. Each also matches the generic
// vendorkit category named in its comment, so callers may branch on either.
var (
	// ErrInvalidAPIKey: 401 "Invalid api key", or v1 E_SESSION (matches
	// vendorkit.ErrUnauthorized).
	ErrInvalidAPIKey = runtime.NewSentinel("woodpecker: invalid API key", vendorkit.ErrUnauthorized)
	// ErrAPIAddonRequired: 401 "No API addon": the account lacks the "API Key
	// and Integrations" add-on (matches vendorkit.ErrUnauthorized).
	ErrAPIAddonRequired = runtime.NewSentinel("woodpecker: the API add-on is not active", vendorkit.ErrUnauthorized)
	// ErrPlanUpgradeRequired: 401 "Upgrade your plan" (matches
	// vendorkit.ErrUnauthorized).
	ErrPlanUpgradeRequired = runtime.NewSentinel("woodpecker: the plan does not include API access", vendorkit.ErrUnauthorized)
	// ErrHQKeyRequired: 403 with an empty body: x-company-id was sent with a
	// key that is not the agency's HQ key (matches vendorkit.ErrForbidden).
	ErrHQKeyRequired = runtime.NewSentinel("woodpecker: x-company-id needs the agency HQ API key", vendorkit.ErrForbidden)
	// ErrInvalidCompanyID: 400 "X-Company-Id header value must be a number but
	// is not" (matches vendorkit.ErrBadRequest). The client validates company
	// ids itself, so this is only seen from other senders' requests.
	ErrInvalidCompanyID = runtime.NewSentinel("woodpecker: x-company-id is not a number", vendorkit.ErrBadRequest)
	// ErrCompanyNotFound: 404 "Company not found": the company is not a client
	// of the HQ key's agency (matches vendorkit.ErrNotFound).
	ErrCompanyNotFound = runtime.NewSentinel("woodpecker: company not found", vendorkit.ErrNotFound)
	// ErrCompanyInactive: 409 "Company is inactive" (matches
	// vendorkit.ErrConflict).
	ErrCompanyInactive = runtime.NewSentinel("woodpecker: company is inactive", vendorkit.ErrConflict)
	// ErrAlreadySubscribed: 409 from /v1/webhooks/subscribe: the target URL
	// already receives that event (matches vendorkit.ErrConflict).
	ErrAlreadySubscribed = runtime.NewSentinel("woodpecker: webhook already subscribed", vendorkit.ErrConflict)
	// ErrSubscriptionLimit: 409 from /v1/webhooks/subscribe: three target
	// URLs of the account already receive that event, the most Woodpecker
	// allows; unsubscribe one first (matches vendorkit.ErrConflict).
	ErrSubscriptionLimit = runtime.NewSentinel("woodpecker: the event already has 3 subscriptions, the most per account", vendorkit.ErrConflict)
	// ErrProspectNotFound is returned by FindProspectByEmail when no prospect
	// has the address (matches vendorkit.ErrNotFound). It is not an
	// *vendorkit.APIError: Woodpecker answered, with an empty result.
	ErrProspectNotFound = runtime.NewSentinel("woodpecker: prospect not found", vendorkit.ErrNotFound)
)

// hqKeyMessage explains the 403 that Woodpecker sends without a body.
const hqKeyMessage = "forbidden: x-company-id is accepted only with the agency's HQ API key; " +
	"use the HQ key with x-company-id, or the client company's own key without it"

// v1 error codes with a meaning of their own; the others are bad requests.
const (
	codeSession         = "E_SESSION"
	codeNotFound        = "E_RECORD_NOT_FOUND"
	codeTooManyRequests = "E_TOO_MANY_REQUESTS"
	codeDuplicate       = "E_DUPLICATE"
)

// Dialects of Woodpecker error bodies, as reported in ErrorDetail.Dialect.
const (
	// DialectV2 is {"title","status","detail","timestamp"}.
	DialectV2 = "v2"
	// DialectV1 is {"status":{"status":"ERROR","code":"E_…","msg":"…"}}.
	DialectV1 = "v1"
	// DialectCode is {"code","message"}.
	DialectCode = "code"
)

// ErrorDetail is a Woodpecker error body, in whichever of its three dialects
// it came; fields the dialect lacks stay zero.
type ErrorDetail struct {
	// Dialect is DialectV2, DialectV1 or DialectCode.
	Dialect string
	// Title, Status, Detail and Timestamp come from the v2 dialect. Timestamp
	// is UTC; zero when absent or malformed.
	Title     string
	Status    int
	Detail    string
	Timestamp time.Time
	// Code and Message come from the v1 dialect (E_SESSION, msg) or the
	// {code, message} one (CAMPAIGN_NOT_EXIST, message).
	Code    string
	Message string
	// Details are the reasons of a {code, details} body (mailbox
	// connections); Message joins them when the body has no message.
	Details []string
}

// ErrorDetails returns the Woodpecker error body behind err, e.g. to read the
// v2 timestamp. ok is false when err is not a Woodpecker *vendorkit.APIError
// or its body is in none of the dialects (the 403 has no body).
func ErrorDetails(err error) (d ErrorDetail, ok bool) {
	var apiErr *vendorkit.APIError
	if !errors.As(err, &apiErr) || apiErr.Vendor != vendorName {
		return ErrorDetail{}, false
	}
	return ParseErrorBody(apiErr.Body)
}

// timestampLayout is the v2 error timestamp, "YYYY-MM-DD HH:MM:SS" in UTC.
const timestampLayout = "2006-01-02 15:04:05"

// ParseErrorBody reads a Woodpecker error body in any of its three dialects.
// It never fails on untrusted input: ok is false for anything else.
func ParseErrorBody(body []byte) (d ErrorDetail, ok bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || m == nil {
		return ErrorDetail{}, false
	}
	str := func(key string) string {
		var s string
		if raw, found := m[key]; found && json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
		return ""
	}
	if raw, found := m["status"]; found {
		var st struct {
			Status string `json:"status"`
			Code   string `json:"code"`
			Msg    string `json:"msg"`
		}
		if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) && json.Unmarshal(raw, &st) == nil {
			return ErrorDetail{
				Dialect: DialectV1,
				Code:    strings.TrimSpace(st.Code),
				Message: strings.TrimSpace(st.Msg),
			}, true
		}
	}
	if _, hasTitle := m["title"]; hasTitle || m["detail"] != nil {
		d = ErrorDetail{Dialect: DialectV2, Title: str("title"), Detail: str("detail")}
		var n json.Number
		if raw, found := m["status"]; found && json.Unmarshal(raw, &n) == nil {
			if v, err := n.Int64(); err == nil && v >= 0 && v < 1000 {
				d.Status = int(v)
			}
		}
		d.Timestamp, _ = ParseTimestamp(str("timestamp"))
		return d, true
	}
	if _, hasCode := m["code"]; hasCode || m["message"] != nil {
		code := str("code")
		if code == "" {
			var n json.Number
			if json.Unmarshal(m["code"], &n) == nil {
				code = n.String()
			}
		}
		d = ErrorDetail{Dialect: DialectCode, Code: code, Message: str("message")}
		// The mailbox connection endpoint answers {code, details: [...]}
		// (help center, "Adding mailboxes").
		if raw, found := m["details"]; found && json.Unmarshal(raw, &d.Details) == nil && d.Message == "" {
			d.Message = strings.Join(d.Details, "; ")
		}
		return d, true
	}
	return ErrorDetail{}, false
}

// ParseTimestamp reads a v2 error timestamp ("2025-03-05 17:57:00", UTC).
func ParseTimestamp(s string) (time.Time, error) {
	return time.ParseInLocation(timestampLayout, strings.TrimSpace(s), time.UTC)
}

// v1ErrorCode reports whether body is a v1 status object saying ERROR, and
// its code. It reads the "status" member by its exact name, as
// ParseErrorBody does, so that the classifier and the decoder agree on what
// is a v1 error (encoding/json's struct decoding would also take "Status").
// It is cheap on bodies that are not: most bodies that name "status" are
// lists of campaigns or prospects, each with its own, and a scan of the
// top-level members (an array's first byte) rules them out without
// decoding. Only a body whose top-level "status" holds an object, or whose
// keys hold escapes, is decoded (v1ErrorCodeDecoded), so the answer is
// always the decoder's for a body that holds "status" in quotes
// (FuzzV1ErrorCode).
func v1ErrorCode(body []byte) (code string, isErr bool) {
	if !quotedStatus(body) {
		return "", false
	}
	var status []byte
	escaped := false
	if !wire.ScanObject(body, func(key []byte, special bool, value []byte) bool {
		if special {
			escaped = true // the decoder unescapes keys: let it decide
			return false
		}
		if string(key) == "status" {
			status = value // the last one, as a decoded map keeps
		}
		return true
	}) {
		return "", false // not an object: no status object either
	}
	if !escaped && !bytes.HasPrefix(status, []byte("{")) {
		return "", false
	}
	return v1ErrorCodeDecoded(body)
}

// quotedStatus reports whether body holds "status" in quotes, as
// bytes.Contains would, but looks for status" and then its opening quote: a
// search for a pattern that starts with a quote stops at every quote of a
// JSON body (about 240 ns for a 130-byte answer here, against 20).
func quotedStatus(body []byte) bool {
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte(`status"`))
		if j < 0 {
			return false
		}
		if i+j > 0 && body[i+j-1] == '"' {
			return true
		}
		i += j + 1
	}
}

// v1ErrorCodeDecoded is v1ErrorCode by decoding body.
func v1ErrorCodeDecoded(body []byte) (code string, isErr bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return "", false
	}
	raw, found := m["status"]
	if !found || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return "", false
	}
	var st struct {
		Status string `json:"status"`
		Code   string `json:"code"`
	}
	if json.Unmarshal(raw, &st) != nil || !strings.EqualFold(strings.TrimSpace(st.Status), "ERROR") {
		return "", false
	}
	return strings.TrimSpace(st.Code), true
}

// classify is the endpoint's classifier: v1 answers an error with HTTP 200
// (or 400) and a status object; E_TOO_MANY_REQUESTS is a rate limit however
// it arrives, so it is retried like a 429.
func classify(status int, _ http.Header, body []byte) runtime.Verdict {
	code, isErr := v1ErrorCode(body)
	switch {
	case isErr && strings.EqualFold(code, codeTooManyRequests):
		return runtime.RateLimited
	case status >= 200 && status < 300 && isErr:
		return runtime.Failure
	}
	return runtime.ClassifyStatus(status)
}

// inspectBody makes the core read v1 success bodies for classify.
func inspectBody(req *http.Request, resp *http.Response) bool {
	return resp.StatusCode != http.StatusNoContent && strings.Contains(req.URL.Path, "/v1/")
}

// decodeError fills an APIError from Woodpecker's three error dialects and
// adds the documented sentinels.
func decodeError(e *vendorkit.APIError) {
	d, ok := ParseErrorBody(e.Body)
	if !ok {
		runtime.DecodeErrorBody(e)
	}
	switch d.Dialect {
	case DialectV2:
		e.Message = d.Detail
		if e.Message == "" {
			e.Message = d.Title
		}
	case DialectV1, DialectCode:
		e.Code, e.Message = d.Code, d.Message
	}
	detail := strings.ToLower(strings.TrimSpace(e.Message))
	switch e.StatusCode {
	case http.StatusBadRequest:
		if strings.Contains(detail, "x-company-id") && strings.Contains(detail, "number") {
			e.AddKind(ErrInvalidCompanyID)
		}
	case http.StatusUnauthorized:
		switch {
		case strings.Contains(detail, "invalid api key"):
			e.AddKind(ErrInvalidAPIKey)
		case strings.Contains(detail, "no api addon"):
			e.AddKind(ErrAPIAddonRequired)
		case strings.Contains(detail, "upgrade your plan"):
			e.AddKind(ErrPlanUpgradeRequired)
		}
	case http.StatusForbidden:
		if len(bytes.TrimSpace(e.Body)) == 0 {
			e.Message = hqKeyMessage
			e.AddKind(ErrHQKeyRequired)
		}
	case http.StatusNotFound:
		if detail == "company not found" {
			e.AddKind(ErrCompanyNotFound)
		}
	case http.StatusConflict:
		switch {
		case detail == "company is inactive":
			e.AddKind(ErrCompanyInactive)
		case strings.HasSuffix(e.Path, "/v1/webhooks/subscribe") && strings.Contains(detail, "3 times"):
			e.AddKind(ErrSubscriptionLimit)
		case strings.HasSuffix(e.Path, "/v1/webhooks/subscribe"):
			e.AddKind(ErrAlreadySubscribed)
		}
	}
	switch d.Dialect {
	case DialectV1:
		addV1Kind(e, d.Code)
	case DialectCode:
		if c := strings.ToUpper(d.Code); strings.HasSuffix(c, "_NOT_EXIST") || strings.HasSuffix(c, "_NOT_FOUND") {
			e.AddKind(vendorkit.ErrNotFound)
		}
	}
}

// addV1Kind maps a v1 error code to its category. The category is recorded
// as a Kind so that it holds even when the code came with HTTP 200.
func addV1Kind(e *vendorkit.APIError, code string) {
	switch strings.ToUpper(code) {
	case codeSession:
		e.AddKind(ErrInvalidAPIKey)
	case codeNotFound:
		e.AddKind(vendorkit.ErrNotFound)
	case codeTooManyRequests:
		e.AddKind(vendorkit.ErrRateLimited)
	case codeDuplicate:
		e.AddKind(vendorkit.ErrConflict)
	default:
		// With HTTP 400 the status says as much; with HTTP 200 the code must.
		if e.StatusCode < 300 {
			e.AddKind(vendorkit.ErrBadRequest)
		}
	}
}
