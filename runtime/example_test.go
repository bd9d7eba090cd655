package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// A vendor package binds its conventions once with NewEndpoint; the Endpoint
// then serves as the HTTP doer of its generated client. Here a fake vendor
// answers 429 with a Retry-After beyond the policy's MaxRetryAfter: the call
// returns at once with an error that says when to reschedule.
func ExampleNewEndpoint() {
	srv := vendorkittest.NewServer(vendorkittest.Standalone(), "/api")
	defer srv.Close()
	srv.FailNext(1, http.StatusTooManyRequests, `{"error":"workspace rate limit"}`, "600")

	kit, _ := vendorkit.New()
	cred, _ := vendorkit.StaticToken("qwt_prod_example")
	e, _ := runtime.NewEndpoint(kit, runtime.EndpointConfig{
		Vendor:     "qwoty",
		BaseURL:    srv.URL(),
		Credential: cred,
		AuthScheme: "Bearer",
	})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL()+"/payment-terms", nil)
	_, err := e.Do(req)

	var apiErr *vendorkit.APIError
	if errors.Is(err, vendorkit.ErrRateLimited) && errors.As(err, &apiErr) {
		fmt.Println("reschedule in", apiErr.RetryAfter, "-", apiErr.Message)
	}
	fmt.Println(apiErr.RetryAfter == 10*time.Minute)
	// Output:
	// reschedule in 10m0s - workspace rate limit
	// true
}

// Vendor sentinels match both themselves and a generic category.
func ExampleNewSentinel() {
	errCompanyInactive := runtime.NewSentinel("woodpecker: company is inactive", vendorkit.ErrConflict)
	err := fmt.Errorf("woodpecker: ListMailboxes: %w", &vendorkit.APIError{
		Vendor: "woodpecker", StatusCode: 409, Message: "Company is inactive",
		Kinds: []error{errCompanyInactive},
	})
	fmt.Println(errors.Is(err, errCompanyInactive), errors.Is(err, vendorkit.ErrConflict))
	// Output: true true
}
