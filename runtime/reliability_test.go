package runtime_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// drip writes status, then one byte of body every step until the request
// ends or n bytes are written.
func drip(status, n int, step time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(status)
		for range n {
			_, _ = w.Write([]byte("x"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(step):
			}
		}
	}
}

// TestDeadlineDuringBodyRead (issue 12.1): the caller's deadline passing
// while an error body or an inspected 2xx body drips in ends the call with
// an error matching context.DeadlineExceeded — never net/http's "read on
// closed response body" or "use of closed network connection" alone.
func TestDeadlineDuringBodyRead(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		inspect bool
	}{
		{"error body", 400, false},
		{"503 body", 503, false},
		{"inspected 2xx body", 200, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := vendorkittest.NewServer(t, "/api")
			srv.HandleFunc("GET /x", drip(tc.status, 1000, 20*time.Millisecond))
			e := endpoint(t, vendorkittest.NewClient(t), srv.URL(), func(c *runtime.EndpointConfig) {
				if tc.inspect {
					c.InspectBody = func(*http.Request, *http.Response) bool { return true }
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/x", nil)
			start := time.Now()
			_, err := e.Do(req)
			require.Error(t, err)
			assert.Less(t, time.Since(start), time.Second)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotContains(t, err.Error(), "read on closed response body")
			if tc.status >= 400 {
				var apiErr *vendorkit.APIError
				require.ErrorAs(t, err, &apiErr, "the answer read so far is kept")
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.True(t, apiErr.Truncated)
			}
		})
	}
}

// TestStalledBodyPastAttemptTimeout (issue 12.1): a body stalled past the
// attempt timeout is an attempt timeout (ErrAttemptTimeout, or a truncated
// APIError for an error body), on both kinds of transport.
func TestStalledBodyPastAttemptTimeout(t *testing.T) {
	for name, opts := range map[string][]vendorkit.Option{
		"own transport":    nil,
		"caller transport": {vendorkit.WithTransport(http.DefaultTransport.(*http.Transport).Clone())},
	} {
		t.Run(name, func(t *testing.T) {
			srv := vendorkittest.NewServer(t, "/api")
			srv.HandleFunc("GET /ok", drip(200, 1000, 30*time.Millisecond))
			srv.HandleFunc("GET /bad", drip(422, 1000, 30*time.Millisecond))
			opts := append([]vendorkit.Option{vendorkit.WithRetry(vendorkit.RetryPolicy{AttemptTimeout: 150 * time.Millisecond, MaxAttempts: 2})}, opts...)
			e := endpoint(t, vendorkittest.NewClient(t, opts...), srv.URL(), func(c *runtime.EndpointConfig) {
				c.InspectBody = func(*http.Request, *http.Response) bool { return true }
			})
			_, err := get(t, e, srv.URL()+"/ok")
			require.ErrorIs(t, err, vendorkit.ErrAttemptTimeout)
			assert.NotContains(t, err.Error(), "read on closed response body")
			assert.Equal(t, 2, srv.Count("GET", "/ok"), "an idempotent call is retried")

			_, err = get(t, e, srv.URL()+"/bad")
			var apiErr *vendorkit.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.True(t, apiErr.Truncated, "a cut error body is flagged")
			assert.NotEmpty(t, apiErr.Body)
		})
	}
}

// TestHugeErrorBodyIsTruncated: a 10 MB error body keeps 64 KiB, flagged.
func TestHugeErrorBodyIsTruncated(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(400)
		_, _ = w.Write([]byte(strings.Repeat("e", 10<<20)))
	})
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	_, err := get(t, e, srv.URL()+"/x")
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, runtime.MaxErrorBody)
	assert.True(t, apiErr.Truncated)
}

// TestDeadlineWhileRetryingKeepsLastAnswer (issue 11.5): a deadline that
// ends the retries of 503s matches context.DeadlineExceeded and the last
// *APIError, with its status, code and request id.
func TestDeadlineWhileRetryingKeepsLastAnswer(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "req-503")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(503)
		_, _ = w.Write([]byte(`{"code":"maintenance","message":"back soon"}`))
	})
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 10, BaseWait: 20 * time.Millisecond}), vendorkit.WithWaitScale(1))
	e := endpoint(t, kit, srv.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/x", nil)
	_, err := e.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, "maintenance", apiErr.Code)
	assert.Equal(t, "req-503", apiErr.RequestID)
	assert.ErrorIs(t, err, vendorkit.ErrServer)
	t.Log(err)
}

// TestEveryFailureHasACategory (issue 12.2): failures without a vendor
// answer match a category and keep the underlying error.
func TestEveryFailureHasACategory(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	srv.HandleFunc("GET /loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path, http.StatusFound) })
	srv.HandleFunc("GET /badloc", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "http://[::1%zz]/?token=abc")
		w.WriteHeader(302)
	})
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{AttemptTimeout: 100 * time.Millisecond}))
	e := endpoint(t, kit, srv.URL())

	srv.Inject(vendorkittest.Fault{Reset: true, Times: -1})
	_, err := get(t, e, srv.URL()+"/x")
	assert.ErrorIs(t, err, vendorkit.ErrTransport)
	var reqErr *vendorkit.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, 3, reqErr.Attempts)
	assert.Equal(t, "acme", reqErr.Vendor)
	srv.ClearFaults()

	srv.Inject(vendorkittest.Fault{Delay: time.Second, Times: -1})
	_, err = get(t, e, srv.URL()+"/x")
	assert.ErrorIs(t, err, vendorkit.ErrAttemptTimeout)
	srv.ClearFaults()

	_, err = get(t, e, srv.URL()+"/loop")
	assert.ErrorIs(t, err, vendorkit.ErrRedirectRefused)
	_, err = get(t, e, srv.URL()+"/badloc")
	assert.ErrorIs(t, err, vendorkit.ErrRedirectRefused)
	assert.NotContains(t, err.Error(), "token=abc")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/x", nil)
	_, err = e.Do(req)
	assert.ErrorIs(t, err, context.Canceled)
	for _, k := range []error{vendorkit.ErrTransport, vendorkit.ErrAttemptTimeout, vendorkit.ErrRedirectRefused, vendorkit.ErrMalformedResponse} {
		assert.NotErrorIs(t, err, k, "the caller's cancellation is no vendor failure")
	}
}

// TestWriteOutcome (issue 12.3): every error of a write says whether it was
// not sent, refused, or may have run.
func TestWriteOutcome(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("POST /x", okHandler)
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{AttemptTimeout: 100 * time.Millisecond}))
	e := endpoint(t, kit, srv.URL())
	post := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL()+"/x", strings.NewReader(`{"a":1}`))
		resp, err := e.Do(req)
		if err == nil {
			mustClose(t, resp)
		}
		return err
	}
	for _, tc := range []struct {
		name  string
		fault *vendorkittest.Fault
		want  vendorkit.Outcome
	}{
		{"success", nil, vendorkit.Applied},
		{"400", &vendorkittest.Fault{Status: 400}, vendorkit.Refused},
		{"409", &vendorkittest.Fault{Status: 409}, vendorkit.Refused},
		{"429 forever", &vendorkittest.Fault{Status: 429, Times: -1, Header: http.Header{"Retry-After": {"0"}}}, vendorkit.Refused},
		{"503 with Retry-After", &vendorkittest.Fault{Status: 503, Times: -1, Header: http.Header{"Retry-After": {"0"}}}, vendorkit.Refused},
		{"500", &vendorkittest.Fault{Status: 500}, vendorkit.MayHaveRun},
		{"502", &vendorkittest.Fault{Status: 502}, vendorkit.MayHaveRun},
		{"reset after sending", &vendorkittest.Fault{Reset: true}, vendorkit.MayHaveRun},
		{"timeout", &vendorkittest.Fault{Delay: time.Second}, vendorkit.MayHaveRun},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.ClearFaults()
			if tc.fault != nil {
				srv.Inject(*tc.fault)
			}
			err := post(context.Background())
			assert.Equal(t, tc.want, vendorkit.WriteOutcome(err), "%v", err)
		})
	}
	srv.ClearFaults()

	// Not sent: a refused dial, a context that ended first, a bad argument.
	dead := endpoint(t, kit, "http://127.0.0.1:1")
	req, _ := http.NewRequest("POST", "http://127.0.0.1:1/x", strings.NewReader("{}"))
	_, err := dead.Do(req)
	assert.ErrorIs(t, err, vendorkit.ErrTransport)
	assert.Equal(t, vendorkit.NotSent, vendorkit.WriteOutcome(err), "%v", err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.Equal(t, vendorkit.NotSent, vendorkit.WriteOutcome(post(ctx)))
	assert.Equal(t, vendorkit.NotSent, vendorkit.WriteOutcome(post(vendorkit.WithHeader(context.Background(), "X-A", "a\nb"))))

	// A GET retried after a 500 that then gets a 404 may have run.
	srv.HandleFunc("DELETE /y", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) })
	srv.Inject(vendorkittest.Fault{Status: 500})
	req, _ = http.NewRequest("DELETE", srv.URL()+"/y", nil)
	_, err = e.Do(req)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	assert.Equal(t, vendorkit.MayHaveRun, vendorkit.WriteOutcome(err))
	assert.Equal(t, vendorkit.MayHaveRun, vendorkit.WriteOutcome(errors.New("not ours")))
}

// TestCutSuccessBodyIsRetried (issue 12.6): a GET whose 2xx body is cut is
// retried and succeeds; the body handed back is whole.
func TestCutSuccessBodyIsRetried(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	srv.HandleFunc("POST /x", okHandler)
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	srv.Inject(vendorkittest.Fault{Truncate: true})
	resp, err := get(t, e, srv.URL()+"/x")
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.JSONEq(t, `{"ok":"yes"}`, string(b))
	assert.Equal(t, 2, srv.Count("GET", "/x"))

	// A write's body is read by the caller: the cut shows there, once.
	srv.Inject(vendorkittest.Fault{Truncate: true})
	req, _ := http.NewRequest("POST", srv.URL()+"/x", strings.NewReader("{}"))
	resp, err = e.Do(req)
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	assert.Error(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 1, srv.Count("POST", "/x"))
}

// TestPostNotRedirectedToAnotherOrigin (issue 12.5): the body of a write
// never reaches another origin through a 307/308; the same origin is fine.
func TestPostNotRedirectedToAnotherOrigin(t *testing.T) {
	var stolen []string
	other := vendorkittest.NewServer(t, "/api")
	other.HandleFunc("POST /stolen", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		stolen = append(stolen, string(b))
		okHandler(w, r)
	})
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("POST /away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other.URL(), "127.0.0.1", "localhost", 1)+"/stolen", http.StatusTemporaryRedirect)
	})
	srv.HandleFunc("POST /here", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL()+"/there", http.StatusPermanentRedirect)
	})
	var there []string
	srv.HandleFunc("POST /there", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		there = append(there, string(b))
		okHandler(w, r)
	})
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	req, _ := http.NewRequest("POST", srv.URL()+"/away", strings.NewReader(`{"email":"ada@example.com"}`))
	_, err := e.Do(req)
	require.ErrorIs(t, err, vendorkit.ErrRedirectRefused)
	assert.Empty(t, stolen)
	assert.Equal(t, 1, srv.Count("POST", "/away"), "not retried")

	// A reader http.NewRequest cannot snapshot: the redirect's body is
	// the endpoint's copy.
	req, _ = http.NewRequest("POST", srv.URL()+"/here", io.MultiReader(strings.NewReader(`{"a":1}`)))
	resp, err := e.Do(req)
	require.NoError(t, err)
	mustClose(t, resp)
	assert.Equal(t, []string{`{"a":1}`}, there, "the body follows a same-origin 308")
}
