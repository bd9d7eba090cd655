// Package woodpecker is a typed client for the Woodpecker cold-email API
// (https://api.woodpecker.co/rest, v1 legacy and v2 endpoints), built on the
// shared vendorkit core.
//
// Every request carries the API key as x-api-key. An agency's HQ key can act
// for its client companies by adding x-company-id: set a default with
// WithCompanyID, or derive a cheap per-company client with ForCompany, so
// one HQ client serves many companies in a worker. The header is bound to
// Woodpecker's origin like the key, and company ids are checked before
// anything is sent.
//
//	kit, _ := vendorkit.New()
//	hq, err := woodpecker.New(kit, os.Getenv("WOODPECKER_API_KEY"))
//	acme, err := hq.ForCompany(123)
//	boxes, err := acme.ListMailboxes(ctx)
//	switch {
//	case errors.Is(err, woodpecker.ErrCompanyInactive): // 409 "Company is inactive"
//	case errors.Is(err, vendorkit.ErrUnauthorized): // bad key, no API add-on, plan
//	}
//
// Woodpecker processes one request at a time per key and drops what
// overflows a queue of 6, so a client sends at most one request at a time
// per key, all its companies together, by default (WithMaxInFlight); a
// rate-limit answer (429,
// or the v1 code E_TOO_MANY_REQUESTS, even inside an HTTP 200) pauses the
// key's requests for a second (it names no wait) and is retried.
// Writes (POST, PATCH), prospect imports included, are never retried once
// Woodpecker may have acted on them.
//
// Errors are *vendorkit.APIError decoded from any of Woodpecker's three
// error dialects (v2 {title,status,detail,timestamp}, v1
// {"status":{"status":"ERROR","code":…}} — also when it comes with HTTP 200 —
// and {code,message}); the documented cases have sentinels (ErrInvalidAPIKey,
// ErrAPIAddonRequired, ErrPlanUpgradeRequired, ErrHQKeyRequired,
// ErrCompanyNotFound, ErrCompanyInactive, …) that also match vendorkit's
// generic categories. ErrorDetails gives the parsed body, timestamp included.
//
// Lists come back as a Page numbered from 1 on every endpoint (the client
// converts for /v2/users, which counts from 0), plus All… iterators that walk
// the pages lazily. A v1 204 No Content is an empty page, not an error.
//
// Updates take inputs whose pointer fields say what changes (CampaignUpdate,
// SettingsUpdate, StepVersionUpdate): nil leaves a field as it is,
// vendorkit.Ptr(x) sets it, zero values included; each field says what an
// empty value sends. Step and version ids are the strings GetCampaign shows.
//
// Package woodpeckertest provides an in-process fake Woodpecker for tests.
package woodpecker
