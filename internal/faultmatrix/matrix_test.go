package faultmatrix_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// vendor is one facade on its fake: a read that returns a record (a GET)
// and, where the matrix checks write safety, a write (a POST).
type vendor struct {
	name  string
	srv   *vendorkittest.Server
	read  func(context.Context) error
	write func(context.Context) error // nil: not in the write rows
	token string
	// errorIn200 is a 200 body that the vendor uses to report an error, if
	// it has one, and the category it must match.
	errorIn200 string
	errorIs    error
}

const attemptTimeout = 150 * time.Millisecond

func kit(t *testing.T) *vendorkit.Client {
	return vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{AttemptTimeout: attemptTimeout}))
}

var names = []string{"woofed", "deskwoot", "woodpecker", "qwoty", "crow"}

// newVendor builds one vendor's facade on a fresh fake (and a fresh kit, so
// that no limiter or budget state crosses rows).
func newVendor(t *testing.T, name string) vendor {
	var out []vendor
	switch name {
	case "woofed":
		wf := woofedtest.NewServer(t)
		crm, err := woofed.New(kit(t), wf.Token(), woofed.WithBaseURL(wf.URL()))
		require.NoError(t, err)
		c, err := crm.CreateContact(context.Background(), woofed.ContactInput{FullName: "Ada"})
		require.NoError(t, err)
		out = append(out, vendor{name: "woofed", srv: wf.Server, token: wf.Token(),
			read: func(ctx context.Context) error { _, err := crm.GetContact(ctx, c.ID); return err },
			write: func(ctx context.Context) error {
				_, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Bob"})
				return err
			},
		})
	case "deskwoot":
		dw := deskwoottest.NewServer(t)
		desk, err := deskwoot.New(kit(t), dw.Token(), deskwoot.WithBaseURL(dw.URL()), deskwoot.WithRateLimit(0, 0))
		require.NoError(t, err)
		_, err = desk.Me(context.Background()) // resolves the account once
		require.NoError(t, err)
		out = append(out, vendor{name: "deskwoot", srv: dw.Server, token: dw.Token(),
			read: func(ctx context.Context) error { _, err := desk.Me(ctx); return err },
			write: func(ctx context.Context) error {
				_, err := desk.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Bob")})
				return err
			},
		})
	case "woodpecker":
		wp := woodpeckertest.NewServer(t)
		pecker, err := woodpecker.New(kit(t), wp.Token(), woodpecker.WithBaseURL(wp.URL()))
		require.NoError(t, err)
		out = append(out, vendor{name: "woodpecker", srv: wp.Server, token: wp.Token(),
			read:       func(ctx context.Context) error { _, err := pecker.Me(ctx); return err },
			errorIn200: `{"status":{"status":"ERROR","code":"E_SESSION","msg":"Invalid key"}}`,
			errorIs:    vendorkit.ErrUnauthorized,
		})
	case "qwoty":
		qw := qwotytest.NewServer(t)
		quotes, err := qwoty.New(kit(t), qw.Token(), qwoty.WithBaseURL(qw.URL()))
		require.NoError(t, err)
		out = append(out, vendor{name: "qwoty", srv: qw.Server, token: qw.Token(),
			read:       func(ctx context.Context) error { _, err := quotes.ListPaymentTerms(ctx); return err },
			errorIn200: `{"success":false,"error":"boom"}`,
			errorIs:    qwoty.ErrUnsuccessful,
		})
	case "crow":
		cr := crowtest.NewServer(t)
		cr.SetConfigs("p1", map[string]crow.EndpointConfig{"api": {BaseURL: "https://api.example.com", Auth: crow.BearerAuth("upstream-token-1234")}})
		agent, err := crow.New(kit(t), cr.Token(), crow.WithBaseURL(cr.URL()))
		require.NoError(t, err)
		out = append(out, vendor{name: "crow", srv: cr.Server, token: cr.Token(),
			read: func(ctx context.Context) error { _, err := agent.ListEndpointConfigs(ctx, "p1"); return err },
		})
	}
	return out[0]
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// TestFaultMatrix (issue 12.9): every vendor's facade against every fault.
// Each row says what the read must end with: success after retries, or an
// error matching a category, with the number of requests the fake saw.
func TestFaultMatrix(t *testing.T) {
	html := []byte("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
	huge := []byte(strings.Repeat("e", 10<<20))
	rows := []struct {
		name     string
		faults   []vendorkittest.Fault
		want     error // nil: success
		requests int   // 0: not checked
		check    func(t *testing.T, err error)
	}{
		{name: "500 once is retried", faults: []vendorkittest.Fault{{Status: 500}}, requests: 2},
		{name: "503 forever", faults: []vendorkittest.Fault{{Status: 503, Times: -1}}, want: vendorkit.ErrServer, requests: 3},
		{name: "reset once is retried", faults: []vendorkittest.Fault{{Reset: true}}, requests: 2},
		// net/http itself re-sends a GET once when a reused connection is
		// reset, so the fake may see more than 3 requests.
		{name: "reset forever", faults: []vendorkittest.Fault{{Reset: true, Times: -1}}, want: vendorkit.ErrTransport},
		{name: "cut body once is retried", faults: []vendorkittest.Fault{{Truncate: true}}, requests: 2},
		{name: "cut body forever", faults: []vendorkittest.Fault{{Truncate: true, Times: -1}}, want: vendorkit.ErrTransport, requests: 3},
		{name: "stall past the attempt timeout", faults: []vendorkittest.Fault{{Delay: time.Second, Times: -1}}, want: vendorkit.ErrAttemptTimeout},
		{name: "slow drip forever", faults: []vendorkittest.Fault{{SlowBody: attemptTimeout, Times: -1}}, want: vendorkit.ErrAttemptTimeout},
		{name: "10 MB error body", faults: []vendorkittest.Fault{{Status: 400, Body: huge}}, want: vendorkit.ErrBadRequest, requests: 1,
			check: func(t *testing.T, err error) {
				var apiErr *vendorkit.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.True(t, apiErr.Truncated)
				assert.LessOrEqual(t, len(apiErr.Body), runtime.MaxErrorBody)
			}},
		{name: "HTML 502 page", faults: []vendorkittest.Fault{{Status: 502, Times: -1, Body: html, Header: header("Content-Type", "text/html")}}, want: vendorkit.ErrServer, requests: 3,
			check: func(t *testing.T, err error) { assert.Contains(t, err.Error(), "502 Bad Gateway") }},
		{name: "HTML 200 page", faults: []vendorkittest.Fault{{Status: 200, Body: html, Header: header("Content-Type", "text/html")}}, want: vendorkit.ErrMalformedResponse},
		{name: "empty 200", faults: []vendorkittest.Fault{{Status: 200}}, want: vendorkit.ErrMalformedResponse},
		{name: "garbage Retry-After", faults: []vendorkittest.Fault{{Status: 429, Header: header("Retry-After", "soon")}}, requests: 2},
		{name: "negative Retry-After", faults: []vendorkittest.Fault{{Status: 429, Header: header("Retry-After", "-5")}}, requests: 2},
		{name: "huge Retry-After", faults: []vendorkittest.Fault{{Status: 429, Header: header("Retry-After", "99999999")}}, want: vendorkit.ErrRateLimited, requests: 1,
			check: func(t *testing.T, err error) {
				var apiErr *vendorkit.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Greater(t, apiErr.RetryAfter, time.Hour)
			}},
	}
	cells := 0
	for _, name := range names {
		for _, row := range rows {
			t.Run(name+"/"+row.name, func(t *testing.T) {
				v := newVendor(t, name)
				v.srv.ResetRequests()
				for _, f := range row.faults {
					v.srv.Inject(f)
				}
				err := v.read(context.Background())
				v.srv.ClearFaults()
				if row.want == nil {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, row.want)
					assert.True(t, strings.HasPrefix(err.Error(), v.name+": "), "vendor named first: %v", err)
					assert.Equal(t, 1, strings.Count(err.Error(), v.name+":"), "vendor named once: %v", err)
				}
				if row.requests > 0 {
					assert.Len(t, v.srv.Requests(), row.requests)
				}
				if row.check != nil {
					row.check(t, err)
				}
				cells++
			})
		}
		if newVendor(t, name).errorIn200 != "" {
			t.Run(name+"/200 with an error body", func(t *testing.T) {
				v := newVendor(t, name)
				v.srv.Inject(vendorkittest.Fault{Status: 200, Body: []byte(v.errorIn200), Header: header("Content-Type", "application/json")})
				err := v.read(context.Background())
				v.srv.ClearFaults()
				require.ErrorIs(t, err, v.errorIs)
				cells++
			})
		}
		t.Run(name+"/deadline while retrying 503s", func(t *testing.T) {
			v := newVendor(t, name)
			// Two 503s, then an answer that never comes: the deadline ends
			// the third attempt.
			v.srv.Inject(vendorkittest.Fault{Status: 503, Times: 2, Header: header("X-Request-Id", "rid-1")})
			v.srv.Inject(vendorkittest.Fault{Delay: 5 * time.Second})
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond) // under the attempt timeout
			defer cancel()
			err := v.read(ctx)
			v.srv.ClearFaults()
			require.ErrorIs(t, err, context.DeadlineExceeded)
			var apiErr *vendorkit.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 503, apiErr.StatusCode)
			assert.Equal(t, "rid-1", apiErr.RequestID)
			cells++
		})
		if newVendor(t, name).write == nil {
			continue
		}
		for _, row := range []struct {
			name     string
			fault    vendorkittest.Fault
			outcome  vendorkit.Outcome
			requests int
		}{
			{"reset after sending", vendorkittest.Fault{Reset: true}, vendorkit.MayHaveRun, 1},
			{"500", vendorkittest.Fault{Status: 500}, vendorkit.MayHaveRun, 1},
			{"timeout", vendorkittest.Fault{Delay: time.Second}, vendorkit.MayHaveRun, 1},
			{"422", vendorkittest.Fault{Status: 422, Body: []byte(`{"errors":{"name":["is invalid"]}}`)}, vendorkit.Refused, 1},
			{"429 then success", vendorkittest.Fault{Status: 429, Header: header("Retry-After", "0")}, vendorkit.Applied, 2},
		} {
			t.Run(name+"/write "+row.name, func(t *testing.T) {
				v := newVendor(t, name)
				v.srv.ResetRequests()
				v.srv.Inject(row.fault)
				err := v.write(context.Background())
				v.srv.ClearFaults()
				assert.Equal(t, row.outcome, vendorkit.WriteOutcome(err), "%v", err)
				assert.Len(t, v.srv.Requests(), row.requests, "a write that may have run is never repeated")
				cells++
			})
		}
	}
	t.Logf("fault matrix: %d cells", cells)
}
