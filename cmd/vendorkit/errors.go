package main

import (
	"context"
	"errors"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woofed"
)

// errNoCredential is a vendor named on the command line whose token is not
// in the environment: an authentication failure (exit 3).
var errNoCredential = errors.New("no credential configured")

// sentinel is an error value users match with errors.Is, and its Go name.
type sentinel struct {
	err  error
	name string
}

// sentinels are the names a script (or a Go program) would match: the
// vendors' own first, then the generic ones.
var sentinels = []sentinel{
	{woofed.ErrValidation, "woofed.ErrValidation"},
	{woofed.ErrInvalidSearch, "woofed.ErrInvalidSearch"},
	{woodpecker.ErrInvalidAPIKey, "woodpecker.ErrInvalidAPIKey"},
	{woodpecker.ErrAPIAddonRequired, "woodpecker.ErrAPIAddonRequired"},
	{woodpecker.ErrPlanUpgradeRequired, "woodpecker.ErrPlanUpgradeRequired"},
	{woodpecker.ErrHQKeyRequired, "woodpecker.ErrHQKeyRequired"},
	{woodpecker.ErrInvalidCompanyID, "woodpecker.ErrInvalidCompanyID"},
	{woodpecker.ErrCompanyNotFound, "woodpecker.ErrCompanyNotFound"},
	{woodpecker.ErrCompanyInactive, "woodpecker.ErrCompanyInactive"},
	{woodpecker.ErrAlreadySubscribed, "woodpecker.ErrAlreadySubscribed"},
	{woodpecker.ErrProspectNotFound, "woodpecker.ErrProspectNotFound"},
	{qwoty.ErrPaymentTermInUse, "qwoty.ErrPaymentTermInUse"},
	{qwoty.ErrAPINameTaken, "qwoty.ErrAPINameTaken"},
	{qwoty.ErrUnsuccessful, "qwoty.ErrUnsuccessful"},
	{deskwoot.ErrMissingScope, "deskwoot.ErrMissingScope"},
	{deskwoot.ErrPlanRequired, "deskwoot.ErrPlanRequired"},
	{crow.ErrSubdomainNotFound, "crow.ErrSubdomainNotFound"},
	{vendorkit.ErrBadRequest, "vendorkit.ErrBadRequest"},
	{vendorkit.ErrUnauthorized, "vendorkit.ErrUnauthorized"},
	{vendorkit.ErrForbidden, "vendorkit.ErrForbidden"},
	{vendorkit.ErrNotFound, "vendorkit.ErrNotFound"},
	{vendorkit.ErrConflict, "vendorkit.ErrConflict"},
	{vendorkit.ErrRateLimited, "vendorkit.ErrRateLimited"},
	{vendorkit.ErrServer, "vendorkit.ErrServer"},
	{vendorkit.ErrAttemptTimeout, "vendorkit.ErrAttemptTimeout"},
	{vendorkit.ErrMalformedResponse, "vendorkit.ErrMalformedResponse"},
	{vendorkit.ErrRedirectRefused, "vendorkit.ErrRedirectRefused"},
	{vendorkit.ErrTransport, "vendorkit.ErrTransport"},
	{vendorkit.ErrInvalidArgument, "vendorkit.ErrInvalidArgument"},
	{vendorkit.ErrInsecureURL, "vendorkit.ErrInsecureURL"},
	{context.DeadlineExceeded, "context.DeadlineExceeded"},
	{context.Canceled, "context.Canceled"},
}

// errorFacts is what the CLI shows of a failure: never the secret, which no
// vendorkit error carries, and only the fields of *vendorkit.APIError that
// locate and classify it (not its body or headers).
type errorFacts struct {
	Message   string `json:"message"`
	Category  string `json:"category"`
	Sentinel  string `json:"sentinel,omitempty"`
	Status    int    `json:"status,omitempty"`
	Code      string `json:"code,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	Attempts  int    `json:"attempts,omitempty"`
	// RetryAfter is the vendor's Retry-After in seconds, when it sent one.
	RetryAfter float64 `json:"retry_after_seconds,omitempty"`
}

func factsOf(err error) errorFacts {
	f := errorFacts{Message: err.Error(), Category: vendorkit.ErrorCategory(err)}
	if errors.Is(err, errNoCredential) {
		f.Category = "no_credential"
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			f.Sentinel = s.name
			break
		}
	}
	var apiErr *vendorkit.APIError
	if errors.As(err, &apiErr) {
		f.Status, f.Code, f.RequestID, f.Attempts = apiErr.StatusCode, apiErr.Code, apiErr.RequestID, apiErr.Attempts
		f.RetryAfter = apiErr.RetryAfter.Seconds()
	}
	return f
}

// describeError is the one-line text of a failure: the error, then its
// category and the sentinel to match.
func describeError(err error) string {
	f := factsOf(err)
	s := f.Message + " [" + f.Category
	if f.Sentinel != "" {
		s += ", " + f.Sentinel
	}
	return s + "]"
}

// codeOf maps an error to the exit code scripts branch on.
func codeOf(err error) int {
	switch {
	case errors.Is(err, vendorkit.ErrUnauthorized), errors.Is(err, vendorkit.ErrForbidden), errors.Is(err, errNoCredential):
		return exitAuth
	case errors.Is(err, vendorkit.ErrInvalidArgument), errors.Is(err, vendorkit.ErrInsecureURL):
		return exitUsage
	}
	var use *usageError
	if errors.As(err, &use) {
		return exitUsage
	}
	return exitAPI
}
