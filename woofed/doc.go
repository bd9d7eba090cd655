// Package woofed is a typed client for the REST API of Woofed CRM
// (woofedcrm.com, self-hostable): contacts, deals and their events,
// products, deal products, deal assignees and users.
//
//	kit, _ := vendorkit.New()
//	crm, err := woofed.New(kit, os.Getenv("WOOFED_TOKEN"), woofed.WithAccountID(1))
//	if err != nil { … }
//	c, created, err := crm.UpsertContact(ctx, woofed.ContactInput{
//		FullName: "Ada Lovelace", Email: "ada@example.com", Phone: "+5511999990000",
//	})
//	for c, err := range crm.AllContacts(ctx, woofed.Cont("email", "@example.com")) { … }
//
// # Authentication and base URL
//
// Woofed authenticates every request with the user's JWT as
// "Authorization: Bearer <token>". The token never expires; it acts as its
// user. The default base URL is the cloud's
// https://app.woofedcrm.com/api/v1/accounts/1; WithBaseURL takes a
// self-hosted origin or the documented base URL, and WithAccountID the
// account (an account id in the URL that contradicts it is refused).
//
// # Errors
//
// Every non-2xx answer is a *vendorkit.APIError: branch with errors.Is on
// vendorkit.ErrUnauthorized (401), ErrForbidden (403), ErrNotFound (404 —
// also a wrong account id), ErrBadRequest (400/422), ErrRateLimited (429),
// ErrServer (5xx), and on this package's ErrValidation and ErrInvalidSearch.
// Woofed's error bodies differ by endpoint; all of them are read into
// APIError.Message and, for validation errors that name fields,
// APIError.Fields. Arguments the API would refuse (an id ≤ 0, a phone that
// is not E.164, a negative amount, a malformed search predicate) are
// refused before sending with an error that wraps
// vendorkit.ErrInvalidArgument.
//
// # Retries and rate limits
//
// Reads, PUT updates, DELETEs, the upserts (which match the record a lost
// first attempt may have created) and the read-only searches are retried
// after 5xx answers and timeouts; plain creates only when the server cannot
// have acted. Woofed publishes no rate limit: the client starts unthrottled
// and waits out 429 answers' Retry-After.
//
// # Search and pagination
//
// Woofed lists records only through its search endpoints (POST
// /contacts/search, /products/search, /users/search), so this package's page
// methods are named Search*, where other vendors have List*; the All*
// iterators follow the SDK-wide convention. Searches take Ransack
// predicates (Where, Eq, Cont, In, Gteq, Lteq, Null)
// and return a Page with Woofed's Pagy metadata, 10 records per page; the
// All* iterators walk every page lazily.
//
// # Testing
//
// Code that uses the client can depend on the API interface and mock it, or
// run the real client against the in-process fake in package woofedtest.
package woofed
