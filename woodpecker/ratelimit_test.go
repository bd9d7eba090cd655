package woodpecker_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

// burst fires n concurrent ListMailboxes calls and returns how many failed
// and how many of those were rate limits.
func burst(t *testing.T, wp *woodpecker.Client, n int) (failed, limited int, took time.Duration) {
	t.Helper()
	var wg sync.WaitGroup
	var nFailed, nLimited atomic.Int64
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := wp.ListMailboxes(ctx); err != nil {
				nFailed.Add(1)
				if errors.Is(err, vendorkit.ErrRateLimited) {
					nLimited.Add(1)
				}
			}
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	return int(nFailed.Load()), int(nLimited.Load()), time.Since(t0)
}

// The default client keeps at most one request in flight per key, so a
// burst of 100 concurrent calls never overflows Woodpecker's queue of 6.
func TestBurstOf100HasNoDrops(t *testing.T) {
	srv, wp := setup(t, woodpeckertest.WithProcessingTime(2*time.Millisecond))
	failed, _, took := burst(t, wp, 100)
	st := srv.Queue().Stats()
	t.Logf("burst of 100 with the default cap: %d failed, %d dropped, %d timed out, max waiting %d, %d served, in %v",
		failed, st.Dropped, st.TimedOut, st.MaxWaiting, st.Served, took)
	assert.Zero(t, failed)
	assert.Zero(t, st.Dropped, "no request overflowed the queue")
	assert.Zero(t, st.TimedOut)
	assert.Equal(t, 100, st.Served)
	assert.Equal(t, 100, srv.Count("GET", "/v2/mailboxes"), "no retries were needed")
}

// The same burst without the cap overflows the fake's queue: this is what
// the default protects against (and shows the fake enforces the limit).
func TestBurstWithoutCapOverflows(t *testing.T) {
	srv := woodpeckertest.NewServer(t, woodpeckertest.WithProcessingTime(50*time.Millisecond))
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1}))
	wp := newClientOn(t, kit, srv, woodpeckertest.HQKey, woodpecker.WithMaxInFlight(0))
	failed, limited, took := burst(t, wp, 100)
	st := srv.Queue().Stats()
	t.Logf("burst of 100 uncapped, no retries: %d failed (%d rate limited), %d dropped, in %v", failed, limited, st.Dropped, took)
	assert.Positive(t, st.Dropped)
	assert.Equal(t, st.Dropped+st.TimedOut, limited, "every drop surfaces as ErrRateLimited")
	assert.LessOrEqual(t, st.MaxWaiting, woodpeckertest.QueueSize)
}

// Every company view shares the key's limiter: an HQ key driving ten
// companies at once still has one request in flight, and nothing is dropped.
func TestLimiterPerKeyAcrossCompanies(t *testing.T) {
	srv, hq := setup(t, woodpeckertest.WithProcessingTime(time.Millisecond))
	names := make([]string, 10)
	for i := range names {
		names[i] = fmt.Sprintf("client %d", i)
	}
	companies, err := hq.CreateCompanies(ctx, names...)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for _, c := range companies {
		view, err := hq.ForCompany(c.ID)
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			failed, _, _ := burst(t, view, 10)
			assert.Zero(t, failed)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		failed, _, _ := burst(t, hq, 10)
		assert.Zero(t, failed)
	}()
	wg.Wait()
	st := srv.Queue().Stats()
	assert.Zero(t, st.Dropped)
	assert.Zero(t, st.MaxWaiting, "the server never saw two requests of the key at once")
}

// 429 and E_TOO_MANY_REQUESTS (HTTP 400 or 200) are retried, for any method.
func TestRateLimitAnswersAreRetried(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"429 v2", 429, `{"title":"Too Many Requests","status":429,"detail":"Too many requests","timestamp":"2025-03-05 17:57:00"}`},
		{"400 E_TOO_MANY_REQUESTS", 400, `{"status":{"status":"ERROR","code":"E_TOO_MANY_REQUESTS","msg":"Too many requests"}}`},
		{"200 E_TOO_MANY_REQUESTS", 200, `{"status":{"status":"ERROR","code":"E_TOO_MANY_REQUESTS","msg":"Too many requests"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, wp := setup(t)
			srv.FailNext(1, tt.status, tt.body, "")
			res, err := wp.AddProspects(ctx, woodpecker.ProspectImport{Prospects: []woodpecker.Prospect{{Email: "new@example.com"}}})
			require.NoError(t, err)
			require.Len(t, res.Prospects, 1)
			assert.Equal(t, "OK", res.Prospects[0].Status)
			assert.Equal(t, 2, srv.Count("POST", "/v1/add_prospects_list"), "the refused import was sent again")
			_, ok := srv.Prospect(woodpeckertest.HQCompanyID, "new@example.com")
			assert.True(t, ok)
		})
	}
}

// A rate limit that persists ends as ErrRateLimited after MaxAttempts.
func TestRateLimitGivesUp(t *testing.T) {
	srv, wp := setup(t)
	srv.FailNext(3, 200, `{"status":{"status":"ERROR","code":"E_TOO_MANY_REQUESTS","msg":"Too many requests"}}`, "")
	_, err := wp.ListProspects(ctx, woodpecker.ProspectQuery{})
	require.ErrorIs(t, err, vendorkit.ErrRateLimited)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.Equal(t, "E_TOO_MANY_REQUESTS", apiErr.Code)
}

// POSTs are never retried once the server may have acted: a 500 or a reset
// after an import is returned, with the server having seen one request.
func TestWritesAreNotRetriedAfterTheServerMayHaveActed(t *testing.T) {
	writes := map[string]struct {
		path string
		call func(wp *woodpecker.Client) error
	}{
		"AddProspects": {"/v1/add_prospects_list", func(wp *woodpecker.Client) error {
			_, err := wp.AddProspects(ctx, woodpecker.ProspectImport{Prospects: []woodpecker.Prospect{{Email: "x@example.com"}}})
			return err
		}},
		"AddProspectsToCampaign": {"/v1/add_prospects_campaign", func(wp *woodpecker.Client) error {
			_, err := wp.AddProspectsToCampaign(ctx, woodpeckertest.HQCampaignID, woodpecker.CampaignImport{Prospects: []woodpecker.Prospect{{Email: "x@example.com"}}})
			return err
		}},
		"CreateCampaign": {"/v2/campaigns", func(wp *woodpecker.Client) error {
			_, err := wp.CreateCampaign(ctx, woodpecker.Campaign{Name: "x"})
			return err
		}},
		"CreateCompanies": {"/v2/agency/companies", func(wp *woodpecker.Client) error {
			_, err := wp.CreateCompanies(ctx, "Billable Co")
			return err
		}},
	}
	for name, w := range writes {
		t.Run(name+"/500", func(t *testing.T) {
			srv, wp := setup(t)
			srv.FailNext(1, 500, `{"title":"Internal Server Error","status":500,"detail":"An unexpected error has occurred. Please try again later.","timestamp":"2025-03-05 17:57:00"}`, "")
			err := w.call(wp)
			require.ErrorIs(t, err, vendorkit.ErrServer)
			assert.Equal(t, 1, srv.Count("POST", w.path), "the server counted one request")
		})
		t.Run(name+"/reset", func(t *testing.T) {
			srv, wp := setup(t)
			srv.ResetNext(1)
			require.Error(t, w.call(wp))
			assert.Equal(t, 1, srv.Count("POST", w.path))
		})
	}
	// A GET is retried on 500.
	srv, wp := setup(t)
	srv.FailNext(2, 500, `{"title":"Internal Server Error","status":500,"detail":"x","timestamp":"2025-03-05 17:57:00"}`, "")
	_, err := wp.ListMailboxes(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Count("GET", "/v2/mailboxes"))
}

// Queued requests time out after the queue timeout (15 s at Woodpecker;
// shortened here) and are answered 429.
func TestFakeQueueTimeout(t *testing.T) {
	srv := woodpeckertest.NewServer(t,
		woodpeckertest.WithQueue(1, 6, 20*time.Millisecond),
		woodpeckertest.WithProcessingTime(200*time.Millisecond))
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1}))
	wp := newClientOn(t, kit, srv, woodpeckertest.HQKey, woodpecker.WithMaxInFlight(0))
	failed, limited, _ := burst(t, wp, 3)
	st := srv.Queue().Stats()
	assert.Equal(t, 2, failed)
	assert.Equal(t, 2, limited)
	assert.Equal(t, 2, st.TimedOut)
	assert.Equal(t, 1, st.Served)
}
