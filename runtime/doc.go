// Package runtime is what vendor packages are built with: the Endpoint that
// carries one vendor's requests through vendorkit's core, and the helpers
// that turn a vendor's answers into *vendorkit.APIError.
//
// Consumers of the SDK do not need it: they use package vendorkit (Client,
// options, APIError, sentinels) and the vendor packages. Anyone adding a
// vendor binds its conventions once:
//
//	ep, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{
//		Vendor:     "acme",
//		BaseURL:    "https://api.acme.example/v1",
//		Credential: cred,                // vendorkit.StaticToken or a vendorkit.CredentialFunc
//		AuthScheme: "Bearer",
//		Decode:     decodeAcmeError,     // fills APIError.Code, Message, Kinds
//		Classify:   runtime.ClassifyStatus,
//		Limit:      vendorkit.PerMinute(60, 1),
//	})
//	resp, err := ep.Do(req) // credential, limiter, retries, typed errors
//
// An Endpoint suits oapi-codegen's HttpRequestDoer, so a generated client
// runs on it unchanged. The life of a request, step by step, is told at the
// top of transport.go: credential → limiter → attempt → classify → wait →
// retry. Vendor sentinels (NewSentinel) match a generic category too, so
// callers can branch on either.
package runtime
