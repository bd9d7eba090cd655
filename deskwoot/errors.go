package deskwoot

import (
	"net/http"
	"strings"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

// Deskwoot's documented failure cases. Each also matches its generic
// category with errors.Is (ErrMissingScope and ErrPlanRequired match
// vendorkit.ErrForbidden).
var (
	// ErrMissingScope: the token lacks the scope the endpoint needs (read,
	// write, contacts:read|write, conversations:read|write). Edit or recreate
	// the token with the right access.
	ErrMissingScope = runtime.NewSentinel("deskwoot: the token lacks the scope this endpoint needs", vendorkit.ErrForbidden)
	// ErrPlanRequired: the REST API is an Enterprise feature (also open
	// during the 7-day Enterprise trial), and the account has neither.
	ErrPlanRequired = runtime.NewSentinel("deskwoot: the REST API needs the Enterprise plan or its 7-day trial", vendorkit.ErrForbidden)
)

// forbiddenHint names both causes the docs give for a 403. Deskwoot's error
// text does not reliably say which one applies, so every 403 carries both.
const forbiddenHint = "either the token lacks the scope this endpoint needs (edit or recreate it with the right access) " +
	"or the account is not on the Enterprise plan or its 7-day trial, which the REST API requires"

// unauthorizedHint is the docs' advice for a 401.
const unauthorizedHint = "check that the token is copied whole, has not been revoked, and is sent with the Bearer prefix"

// decodeError reads Deskwoot's {"error": "<message>"} body (falling back to
// any common shape, then to the status text, as the official client does)
// and adds the sentinels and hints of the documented cases.
func decodeError(e *vendorkit.APIError) {
	runtime.DecodeErrorBody(e)
	msg := e.Message
	lower := strings.ToLower(msg)
	switch e.StatusCode {
	case http.StatusForbidden:
		switch {
		case strings.Contains(lower, "scope") || strings.Contains(lower, "permission"):
			e.AddKind(ErrMissingScope)
		case strings.Contains(lower, "plan") || strings.Contains(lower, "enterprise") || strings.Contains(lower, "trial"):
			e.AddKind(ErrPlanRequired)
		}
		e.Message = join(msg, forbiddenHint)
	case http.StatusUnauthorized:
		e.Message = join(msg, unauthorizedHint)
	case http.StatusTooManyRequests:
		e.Message = join(msg, "Deskwoot allows 60 requests per minute per token")
	}
	if e.Message == "" {
		e.Message = http.StatusText(e.StatusCode)
	}
}

func join(msg, hint string) string {
	if msg == "" {
		return hint
	}
	return msg + " (" + hint + ")"
}
