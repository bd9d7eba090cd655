// Package vendorkit is the shared core of a typed Go SDK for five sales and
// support SaaS APIs: Woofed CRM (package woofed), Woodpecker (woodpecker),
// Qwoty (qwoty), Deskwoot (deskwoot) and Crow (crow).
//
// A *Client holds what every vendor client shares: the connection pool, the
// retry policy, the logger, and the rate-limit and retry-budget state. Vendor
// clients are cheap views on it, bound to one credential:
//
//	kit, err := vendorkit.New(
//		vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 5}),
//		vendorkit.WithLogger(slog.Default()),
//	)
//	crm, err := woofed.New(kit, os.Getenv("WOOFED_TOKEN"), woofed.WithAccountID(1))
//	c, err := crm.GetContact(ctx, 42)
//	var apiErr *vendorkit.APIError
//	switch {
//	case errors.Is(err, vendorkit.ErrNotFound):
//		// …
//	case errors.As(err, &apiErr) && apiErr.RetryAfter > 0:
//		// reschedule the job after apiErr.RetryAfter
//	}
//
// # Requests
//
// Every request goes through the core (package runtime has the whole
// path, for authors of vendor packages): the credential is set on a copy of the request, only for the
// vendor's own origin; the limiter paces it; the answer is classified by the
// vendor's rules; rate-limited and transient failures are retried with
// full-jitter backoff or exactly the vendor's Retry-After, but never a write
// the server may have acted on, never past RetryPolicy.MaxRetryAfter, and
// never once the vendor's retry budget is spent. Every final failure is an
// *APIError that matches a generic category (ErrNotFound, ErrRateLimited, …)
// and the vendor's own sentinels with errors.Is. Arguments refused before
// sending wrap ErrInvalidArgument or ErrInsecureURL.
//
// # Conventions
//
// The same habits hold in every vendor package: New(kit, credential,
// opts...) is cheap (no I/O), methods are Verb+Noun and take a context
// first, records come back by value, List* returns one page and All* an
// iter.Seq2 that walks every page lazily (Search* stands for List* where the
// vendor's API is a search, as Woofed's is). Update inputs use pointer
// fields: nil leaves a field unchanged, Ptr(x) sets it and, where the vendor
// allows it, Ptr of the zero value clears it. A credential given as
// "Bearer abc" is accepted wherever the vendor sends Bearer. A nil or zero
// vendor client returns an error that says to use New.
//
// # Testing
//
// Each vendor package has a fake server (woofed/woofedtest, …) built on
// package vendorkittest, an interface for its client (woofed.API, …) with a
// generated testify mock (woofed/woofedmock, …), vendorkittest.Seq2 for a
// mocked All* iterator, and vendorkittest.NoSleep, an option that removes
// retry waits.
package vendorkit
