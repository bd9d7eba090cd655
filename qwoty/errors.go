package qwoty

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

// Qwoty's documented failures that callers branch on. Each also matches a
// generic vendorkit category with errors.Is.
var (
	// ErrPaymentTermInUse: Qwoty refused to delete a payment term because
	// active quotes or contracts use it. Deactivate it instead
	// (UpdatePaymentTerm with IsActive false). The docs state the refusal
	// but not its status code; the fake answers 409, so the sentinel matches
	// vendorkit.ErrConflict whatever status (400, 409 or 422) Qwoty sends.
	ErrPaymentTermInUse = runtime.NewSentinel("qwoty: payment term is used by active quotes or contracts", vendorkit.ErrConflict)

	// ErrAPINameTaken: another payment term of the workspace already has
	// this api_name. Not documented beyond "unique"; matches
	// vendorkit.ErrConflict.
	ErrAPINameTaken = runtime.NewSentinel("qwoty: api_name is already used by another payment term", vendorkit.ErrConflict)

	// ErrUnsuccessful: a 2xx answer whose envelope says "success": false.
	// Qwoty does not document this; it is treated as a refused request and
	// matches vendorkit.ErrBadRequest.
	ErrUnsuccessful = runtime.NewSentinel("qwoty: answer reports success false", vendorkit.ErrBadRequest)
)

// forbiddenHint is added to every 403 message: Qwoty's tokens carry
// per-token permissions chosen when the token is created.
const forbiddenHint = "the API token lacks the permission for this operation (token permissions are set under Settings → Developer → API Tokens)"

// decodeError fills e from Qwoty's error envelope
// {"success": false, "error": "<message>"} and adds Qwoty's sentinels. It
// copes with any body: JSON of another shape, HTML or nothing.
func decodeError(e *vendorkit.APIError) {
	runtime.DecodeErrorBody(e)
	msg := strings.ToLower(e.Message)
	switch {
	case e.StatusCode >= 200 && e.StatusCode < 300:
		e.AddKind(ErrUnsuccessful)
	case e.StatusCode == http.StatusForbidden:
		switch {
		case e.Message == "" || strings.EqualFold(e.Message, "forbidden"):
			e.Message = forbiddenHint
		case !strings.Contains(msg, "permission"):
			e.Message += ": " + forbiddenHint
		}
	case e.StatusCode == http.StatusUnauthorized && e.Message == "":
		e.Message = "missing or invalid API token"
	}
	if isPaymentTermPath(e.Path) {
		switch {
		case inUse(e, msg):
			e.AddKind(ErrPaymentTermInUse)
		case apiNameTaken(e, msg):
			e.AddKind(ErrAPINameTaken)
		}
	}
}

func isPaymentTermPath(p string) bool {
	return strings.Contains(p, "/payment-terms")
}

// inUse recognises a refused deletion: a 409 to DELETE a payment term, or a
// 400, 409 or 422 whose message says the term is in use. Another 400 or 422
// on a DELETE (an invalid id, say) keeps its generic category only.
func inUse(e *vendorkit.APIError, msg string) bool {
	refused := e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusConflict || e.StatusCode == http.StatusUnprocessableEntity
	if !refused {
		return false
	}
	if e.Method == http.MethodDelete && e.StatusCode == http.StatusConflict {
		return true
	}
	return strings.Contains(msg, "in use") || strings.Contains(msg, "used by") ||
		strings.Contains(msg, "active quotes") || strings.Contains(msg, "contracts") ||
		strings.Contains(msg, "cannot delete") || strings.Contains(msg, "cannot be deleted")
}

// apiNameTaken recognises a duplicate api_name on create or update.
func apiNameTaken(e *vendorkit.APIError, msg string) bool {
	refused := e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusConflict || e.StatusCode == http.StatusUnprocessableEntity
	if !refused || !strings.Contains(msg, "api_name") {
		return false
	}
	return strings.Contains(msg, "already") || strings.Contains(msg, "taken") ||
		strings.Contains(msg, "unique") || strings.Contains(msg, "exists")
}

// classify is the endpoint's classifier: the default one, except that a 2xx
// answer whose envelope says "success": false is a failure.
func classify(status int, _ http.Header, body []byte) runtime.Verdict {
	if status >= 200 && status < 300 && unsuccessful(body) {
		return runtime.Failure
	}
	return runtime.ClassifyStatus(status)
}

// inspectBody asks to see the body of 2xx JSON answers, for classify.
func inspectBody(_ *http.Request, resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	return ct == "" || strings.Contains(ct, "json")
}

// unsuccessful reports whether body is a JSON object whose "success" is false
// (as encoding/json reads it: the key matched case-insensitively, the last
// of repeated keys winning). Most bodies are ruled out by a scan of the
// top-level keys that decodes nothing (mayBeUnsuccessful); the others are
// decoded.
func unsuccessful(body []byte) bool {
	body = bytes.TrimSpace(body)
	// A false "success" is the literal false: a body without one is ruled
	// out by one IndexByte-fast search, before any scan.
	if len(body) == 0 || body[0] != '{' || !bytes.Contains(body, []byte("false")) || !mayBeUnsuccessful(body) {
		return false
	}
	var env struct {
		Success *bool `json:"success"`
	}
	return json.Unmarshal(body, &env) == nil && env.Success != nil && !*env.Success
}

// mayBeUnsuccessful is false when b cannot be an object with a top-level
// "success" member whose value is false: it scans the top-level members
// without decoding them and answers true at the first one whose value
// starts with 'f' and whose key is "success" in any ASCII case, or holds an
// escape or a non-ASCII byte (encoding/json could match those to "success"
// too). On a valid object it therefore never misses a false "success"; on
// anything else unsuccessful's decoding fails anyway.
func mayBeUnsuccessful(b []byte) bool {
	found := false
	wire.ScanObject(b, func(key []byte, special bool, value []byte) bool {
		found = len(value) > 0 && value[0] == 'f' && (special || wire.KeyIs(key, "success"))
		return !found
	})
	return found
}
