package vendorkit_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// A fake Woofed CRM stands in for the real one in these examples; in
// production, drop WithBaseURL (or point it at your install).
func fakeCRM() *woofedtest.Server { return woofedtest.NewServer(vendorkittest.Standalone()) }

// Build one Client per process and cheap vendor clients from it, e.g. one
// per job or tenant: they share its connection pool, retry budget and the
// rate limits of each credential.
func ExampleNew() {
	srv := fakeCRM()
	defer srv.Close()

	kit, err := vendorkit.New()
	if err != nil {
		panic(err)
	}
	crm, err := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	ada := srv.AddContact(woofed.Contact{FullName: "Ada Lovelace", Email: "ada@example.com"})
	c, err := crm.GetContact(context.Background(), ada.ID)
	fmt.Println(c.FullName, err)
	// Output: Ada Lovelace <nil>
}

// WithHTTPClient layers vendorkit over your own transport (a proxy,
// otelhttp, custom TLS); its Timeout becomes the per-attempt timeout.
// vendorkit still adds the credential, only for the vendor's own origin.
func ExampleWithHTTPClient() {
	srv := fakeCRM()
	defer srv.Close()

	var seen int
	counting := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen++
		return http.DefaultTransport.RoundTrip(r)
	})
	kit, _ := vendorkit.New(vendorkit.WithHTTPClient(&http.Client{Transport: counting, Timeout: 10 * time.Second}))
	crm, _ := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))
	_, err := crm.GetContact(context.Background(), 404404)
	fmt.Println(seen, errors.Is(err, vendorkit.ErrNotFound))
	// Output: 1 true
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// WithRetry sets how often and how long to retry; zero fields keep their
// defaults. Here two 503s are retried away (NoSleep removes the waits, for
// the example's sake).
func ExampleWithRetry() {
	srv := fakeCRM()
	defer srv.Close()
	srv.FailNext(2, http.StatusServiceUnavailable, `{"error":"maintenance"}`, "")

	kit, _ := vendorkit.New(
		vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 5, MaxRetryAfter: 30 * time.Second}),
		vendorkittest.NoSleep(),
	)
	crm, _ := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))
	ada := srv.AddContact(woofed.Contact{FullName: "Ada", Email: "ada@example.com"})

	var info vendorkit.ResponseInfo
	_, err := crm.GetContact(vendorkit.CaptureResponse(context.Background(), &info), ada.ID)
	fmt.Println(err, info.Attempts)
	// Output: <nil> 3
}

// Every vendor answer that is not a success is an *APIError: match its
// category with errors.Is, read its fields with errors.As.
func ExampleAPIError() {
	srv := fakeCRM()
	defer srv.Close()
	kit, _ := vendorkit.New()
	crm, _ := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))

	_, err := crm.GetContact(context.Background(), 404404)
	var apiErr *vendorkit.APIError
	if errors.Is(err, vendorkit.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.Vendor, apiErr.Operation, apiErr.StatusCode)
	}
	// Output: woofed GetContact 404
}

// CaptureResponse records the metadata of a successful call: the vendor's
// request id for support tickets, the attempts it took, its headers.
func ExampleCaptureResponse() {
	srv := fakeCRM()
	defer srv.Close()
	kit, _ := vendorkit.New()
	crm, _ := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))
	ada := srv.AddContact(woofed.Contact{FullName: "Ada", Email: "ada@example.com"})

	var info vendorkit.ResponseInfo
	_, err := crm.GetContact(vendorkit.CaptureResponse(context.Background(), &info), ada.ID)
	fmt.Println(err, info.StatusCode, info.Attempts)
	// Output: <nil> 200 1
}

// A worker does not sleep on a long rate limit: a Retry-After beyond
// RetryPolicy.MaxRetryAfter comes back at once as ErrRateLimited with
// RetryAfter set, and the job is rescheduled for then.
func ExampleAPIError_retryAfter() {
	srv := fakeCRM()
	defer srv.Close()
	srv.FailNext(1, http.StatusTooManyRequests, `{"error":"slow down"}`, "600")
	kit, _ := vendorkit.New() // MaxRetryAfter defaults to 60 s
	crm, _ := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))

	reschedule := func(after time.Duration) { fmt.Println("rescheduled in", after) }
	_, err := crm.GetContact(context.Background(), 1)
	var apiErr *vendorkit.APIError
	switch {
	case errors.Is(err, vendorkit.ErrRateLimited) && errors.As(err, &apiErr) && apiErr.RetryAfter > 0:
		reschedule(apiErr.RetryAfter)
	case err != nil:
		fmt.Println("failed:", err)
	}
	// Output: rescheduled in 10m0s
}
