// Package otel records vendorkit calls as OpenTelemetry traces and metrics.
// It is its own module, so programs that do not use it never download
// OpenTelemetry.
//
//	import vkotel "github.com/vendorkit/vendorkit/otel"
//
//	obs, err := vkotel.New() // the global tracer and meter providers, or WithTracerProvider / WithMeterProvider
//	kit, err := vendorkit.New(vendorkit.WithObserver(obs))
//	crm, err := woofed.New(kit, token)
//	c, err := crm.GetContact(ctx, 42) // a "woofed.GetContact" span under ctx's, one "GET" child per attempt
//
// Traces: one span per logical call (kind internal), named
// "<vendor>.<Operation>" — "woofed.GetContact" — a child of the caller's span
// in ctx, with the vendor, operation, attempts, final status, error category
// and request id; under it one span per HTTP attempt (kind client, named
// after the method, with the HTTP client semantic conventions:
// http.request.method, server.address, server.port, url.path,
// http.request.resend_count, http.response.status_code, error.type). A 429
// or 5xx answer is an event on its attempt, the rate limiter's wait (when
// over a millisecond) too, and each retry wait an event on the call span.
// The attempt's context carries its span, so an otelhttp transport layered
// with vendorkit.WithHTTPClient nests under it.
//
// Metrics (meter "github.com/vendorkit/vendorkit/otel"):
//
//	vendorkit.calls                counter    calls, by vendor, operation and outcome ("ok" or the error category)
//	vendorkit.call.duration        histogram  seconds per call, retries and waits included; same attributes
//	vendorkit.calls.in_flight      up-down    calls in progress, by vendor
//	vendorkit.attempts             counter    HTTP attempts, by vendor, operation and outcome
//	vendorkit.retries              counter    attempts followed by a retry, by vendor and operation
//	vendorkit.rate_limited         counter    attempts answered 429 (or a vendor's rate-limit code), by vendor and operation
//	vendorkit.retry.wait           histogram  seconds slept before retries, by vendor
//	vendorkit.limiter.wait         histogram  seconds the client-side rate limiter held attempts, by vendor
//	vendorkit.retry_budget         gauge      retry tokens left, by vendor
//	http.client.request.duration   histogram  seconds per attempt, with the HTTP semantic-convention attributes
//
// No attribute ever holds a credential, header, query string or body: the
// observer only sees what vendorkit.Call and vendorkit.Attempt carry, and it
// does not record error texts (a vendor's message may quote the request),
// only their category.
package otel
