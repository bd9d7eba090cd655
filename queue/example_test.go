package queue_test

import (
	"fmt"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/queue"
)

// A job handler hands the error of its vendorkit calls to Decide and tells
// its queue what to do.
func Example() {
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	errs := []error{
		nil,
		// Deskwoot answered 429 with Retry-After: 90.
		&vendorkit.APIError{Vendor: "deskwoot", StatusCode: 429, RetryAfter: 90 * time.Second},
		// The tenant's token was revoked.
		fmt.Errorf("deskwoot: get conversation: %w", &vendorkit.APIError{Vendor: "deskwoot", StatusCode: 401}),
		// Woofed failed for a moment.
		&vendorkit.APIError{Vendor: "woofed", StatusCode: 502},
	}
	for _, err := range errs {
		d := queue.DecideAt(err, now)
		switch d.Action {
		case queue.Done:
			fmt.Println("done")
		case queue.RetryAt:
			fmt.Println("reschedule in", d.Delay(now), "- not a failure:", !d.Failure())
		case queue.Retry:
			fmt.Println("retry with backoff:", d.Reason)
		case queue.GiveUp:
			fmt.Println("dead-letter:", d.Reason)
		}
	}
	// Output:
	// done
	// reschedule in 1m30s - not a failure: true
	// dead-letter: unauthorized: the credential is missing, wrong or revoked
	// retry with backoff: vendor server error
}
