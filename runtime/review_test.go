package runtime_test

// Regression tests for defects found in review.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// Tenants whose keys come from credential sources get limiters of their
// own: one tenant's long Retry-After does not stop another.
func TestDynamicCredentialsDoNotShareALimiter(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer tenantA" {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		okHandler(w, r)
	})
	kit, err := vendorkit.New()
	require.NoError(t, err)
	mk := func(tok string) *runtime.Endpoint {
		e, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: srv.URL(), AuthScheme: "Bearer",
			Credential: vendorkit.CredentialFunc(func(context.Context) (string, error) { return tok, nil })})
		require.NoError(t, err)
		return e
	}
	_, err = get(t, mk("tenantA"), srv.URL()+"/x")
	require.ErrorIs(t, err, vendorkit.ErrRateLimited)
	resp, err := get(t, mk("tenantB"), srv.URL()+"/x")
	require.NoError(t, err)
	mustClose(t, resp)
	_, err = get(t, mk("tenantA"), srv.URL()+"/x")
	require.ErrorIs(t, err, vendorkit.ErrRateLimited, "tenant A itself stays paused")
	assert.Equal(t, 2, srv.Count("GET", "/x"), "A's second call was not sent")
}

type trackedBody struct {
	io.ReadSeeker
	closed atomic.Bool
}

func (b *trackedBody) Close() error { b.closed.Store(true); return nil }

// The caller's body is closed, and a seekable one is not shared between
// attempts (-race reported a Seek racing the previous attempt's write).
func TestCallerBodyClosedAndNotShared(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("PUT /x", okHandler)
	srv.FailNext(2, http.StatusTooManyRequests, "", "0")
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	payload := bytes.Repeat([]byte("a"), 1<<20)
	body := &trackedBody{ReadSeeker: bytes.NewReader(payload)}
	req, err := http.NewRequest("PUT", srv.URL()+"/x", nil)
	require.NoError(t, err)
	req.Body, req.ContentLength = body, int64(len(payload))
	resp, err := e.Do(req)
	require.NoError(t, err)
	mustClose(t, resp)
	assert.True(t, body.closed.Load())
	for _, r := range srv.Requests() {
		assert.Equal(t, len(payload), len(r.Body))
	}
}

// A request with http.NoBody can be shared by concurrent calls, as with
// http.Client.Do (-race reported a write into the caller's request).
func TestNoBodyRequestIsNotWritten(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	req, err := http.NewRequest("GET", srv.URL()+"/x", http.NoBody)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := e.Do(req)
			if assert.NoError(t, err) {
				mustClose(t, resp)
			}
		}()
	}
	wg.Wait()
	assert.True(t, req.Body == http.NoBody)
}

func TestBaseURLErrorsCarryNoSecret(t *testing.T) {
	for _, raw := range []string{"https://key:SECRETPW%zz@api.example.com/api", "https://api.example.com/x\x7f?api_key=SECRETKEY"} {
		_, err := runtime.ParseBaseURL(raw)
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
		assert.NotContains(t, err.Error(), "SECRET")
	}
}

// A malformed redirect Location is not retried and its query string reaches
// neither the error nor the logs.
func TestBadLocationIsRedactedAndNotRetried(t *testing.T) {
	var logs syncBuffer
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "/api/y%zz?search=email=bob@example.com")
		w.WriteHeader(http.StatusFound)
	})
	kit := vendorkittest.NewClient(t, vendorkit.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	e := endpoint(t, kit, srv.URL())
	_, err := get(t, e, srv.URL()+"/x")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "bob@example.com")
	assert.NotContains(t, logs.String(), "bob@example.com")
	assert.Equal(t, 1, srv.Count("GET", "/x"))
}

// Deeply nested error bodies decode in bounded work: DecodeErrorBody scans
// the body once for its top object and once per level of lists it
// descends, at most maxErrorDepth+1 (9) levels: 10 scans of the body, where
// descending all 9990 levels would cost ~5000. Each scan (json.Unmarshal
// into json.RawMessage) copies what it scanned, so the work is counted as
// bytes allocated, against one scan of the list in the same run, with one
// scan more for the small allocations around them (the top map, strings):
// a count, unlike the wall-clock bound this test had (500 ms), which a
// loaded machine under -race exceeded (1.3 s) by descheduling alone.
func TestDecodeNestedErrorBodyIsBounded(t *testing.T) {
	const depth, scans = 9990, 8 + 1 + 1 + 1 // maxErrorDepth + 1 levels, the top object, the small change
	body := []byte(`{"error":` + strings.Repeat("[", depth) + `"x"` + strings.Repeat("]", depth) + `}`)
	one := allocated(func() {
		var list []json.RawMessage
		require.NoError(t, json.Unmarshal(body[len(`{"error":`):len(body)-1], &list))
	})
	e := &vendorkit.APIError{Body: body}
	decode := allocated(func() { runtime.DecodeErrorBody(e) })
	t.Logf("one scan allocates %d B, DecodeErrorBody %d B (%.1f scans)", one, decode, float64(decode)/float64(one))
	assert.LessOrEqual(t, decode, scans*one)
}

// allocated returns the bytes the process allocated while f ran.
func allocated(f func()) uint64 {
	var before, after goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&before)
	f()
	goruntime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A vendor's rate-limit code on a 200 pauses the limiter like a 429.
func TestRateLimitCodeOnSuccessStatusPauses(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		vendorkittest.WriteJSON(w, 200, map[string]any{"status": map[string]string{"status": "ERROR", "code": "E_TOO_MANY_REQUESTS"}})
	})
	kit, err := vendorkit.New()
	require.NoError(t, err)
	e := endpoint(t, kit, srv.URL(), func(c *runtime.EndpointConfig) {
		c.InspectBody = func(*http.Request, *http.Response) bool { return true }
		c.Classify = func(status int, _ http.Header, body []byte) runtime.Verdict {
			if bytes.Contains(body, []byte("E_TOO_MANY_REQUESTS")) {
				return runtime.RateLimited
			}
			return runtime.ClassifyStatus(status)
		}
	})
	for range 2 {
		_, err = get(t, e, srv.URL()+"/x")
		require.ErrorIs(t, err, vendorkit.ErrRateLimited)
	}
	assert.Equal(t, 1, srv.Count("GET", "/x"))
}

// A 503 asking for more than MaxRetryAfter is a rate limit to reschedule
// as well as a server error.
func TestLong503RetryAfterIsRateLimited(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.FailNext(1, http.StatusServiceUnavailable, "", "3600")
	kit, err := vendorkit.New()
	require.NoError(t, err)
	_, err = get(t, endpoint(t, kit, srv.URL()), srv.URL()+"/x")
	require.ErrorIs(t, err, vendorkit.ErrRateLimited)
	require.ErrorIs(t, err, vendorkit.ErrServer)
}

// An APIError read back from a job queue still matches its categories.
func TestAPIErrorJSONKeepsCategories(t *testing.T) {
	orig := &vendorkit.APIError{Vendor: "woodpecker", StatusCode: 200, Code: "E_SESSION", Kinds: []error{vendorkit.ErrUnauthorized}}
	b, err := json.Marshal(orig)
	require.NoError(t, err)
	var back vendorkit.APIError
	require.NoError(t, json.Unmarshal(b, &back))
	assert.ErrorIs(t, &back, vendorkit.ErrUnauthorized)
	assert.Equal(t, "E_SESSION", back.Code)
}

func TestRequestWithoutURL(t *testing.T) {
	e := endpoint(t, vendorkittest.NewClient(t), "https://api.example.com")
	assert.NotPanics(t, func() {
		_, err := e.Do((&http.Request{Method: "GET", Header: http.Header{}}).WithContext(context.Background()))
		assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	})
}

// A non-2xx answer a classifier calls a success is handed back whole.
func TestSuccessfulNon2xxBodyIsWhole(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	big := bytes.Repeat([]byte("z"), 200<<10)
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusMultipleChoices)
		_, _ = w.Write(big)
	})
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	resp, err := get(t, e, srv.URL()+"/x")
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Len(t, b, len(big))
}

func TestExtraHeaderKeysAreCanonical(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL(), func(c *runtime.EndpointConfig) {
		c.Header = http.Header{"x-company-id": {"1"}}
	})
	d, err := e.Derive(http.Header{"X-Company-Id": {"2"}}, "company=2")
	require.NoError(t, err)
	resp, err := get(t, d, srv.URL()+"/x")
	require.NoError(t, err)
	mustClose(t, resp)
	r, _ := srv.LastRequest()
	assert.Equal(t, []string{"2"}, r.Header.Values("X-Company-Id"))
}

// A PUT marked NonIdempotent is not repeated after a 5xx.
func TestNonIdempotentPut(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("PUT /x", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	req, _ := http.NewRequestWithContext(vendorkit.NonIdempotent(context.Background()), "PUT", srv.URL()+"/x", strings.NewReader(`{}`))
	_, err := e.Do(req)
	require.ErrorIs(t, err, vendorkit.ErrServer)
	assert.Equal(t, 1, srv.Count("PUT", "/x"))
	req, _ = http.NewRequest("PUT", srv.URL()+"/x", strings.NewReader(`{}`))
	_, err = e.Do(req)
	require.ErrorIs(t, err, vendorkit.ErrServer)
	assert.Equal(t, 1+3, srv.Count("PUT", "/x"), "an unmarked PUT is retried")
}

// WithHTTPClient's redirect policy applies to every attempt.
func TestWithHTTPClientCheckRedirect(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/api/new", http.StatusFound) })
	srv.HandleFunc("GET /new", okHandler)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	kit := vendorkittest.NewClient(t, vendorkit.WithHTTPClient(hc))
	resp, err := get(t, endpoint(t, kit, srv.URL()), srv.URL()+"/old")
	require.NoError(t, err)
	mustClose(t, resp)
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Zero(t, srv.Count("GET", "/new"))
}

// Per-request headers from the context go to the vendor's origin only, and a
// bad value stops the call before sending.
func TestContextHeaders(t *testing.T) {
	var leaked http.Header
	other := vendorkittest.NewServer(t, "")
	other.HandleFunc("GET /stolen", func(w http.ResponseWriter, r *http.Request) { leaked = r.Header.Clone(); okHandler(w, r) })
	otherURL := strings.Replace(other.URL(), "127.0.0.1", "localhost", 1)
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	srv.HandleFunc("GET /away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherURL+"/stolen", http.StatusFound)
	})
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())

	ctx := vendorkit.WithHeader(vendorkit.WithHeader(context.Background(), "x-company-id", "7"), "X-Trace", "t1")
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/x", nil)
	resp, err := e.Do(req)
	require.NoError(t, err)
	mustClose(t, resp)
	r, _ := srv.LastRequest()
	assert.Equal(t, "7", r.Header.Get("X-Company-Id"))
	assert.Equal(t, "t1", r.Header.Get("X-Trace"))

	req, _ = http.NewRequestWithContext(ctx, "GET", srv.URL()+"/away", nil)
	resp, err = e.Do(req)
	require.NoError(t, err)
	mustClose(t, resp)
	require.NotNil(t, leaked)
	assert.Empty(t, leaked.Get("X-Company-Id"))

	srv.ResetRequests()
	req, _ = http.NewRequestWithContext(vendorkit.WithHeader(context.Background(), "X-Company-Id", "7\r\nX-Evil: 1"), "GET", srv.URL()+"/x", nil)
	_, err = e.Do(req)
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	assert.Zero(t, srv.Count("", ""))
}

// A call the limiter refuses during a vendor's pause carries the time left
// of the pause, not rounded to the second: rescheduled at RetryAfter, it
// comes back when the pause ends, never earlier.
func TestPausedRetryAfterIsTheTimeLeft(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	srv.FailNext(1, http.StatusTooManyRequests, "", "2")
	kit, err := vendorkit.New(vendorkit.WithRetry(vendorkit.RetryPolicy{MaxRetryAfter: time.Second}))
	require.NoError(t, err)
	e := endpoint(t, kit, srv.URL())
	_, err = get(t, e, srv.URL()+"/x")
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 2*time.Second, apiErr.RetryAfter, "the vendor's own answer")
	time.Sleep(300 * time.Millisecond)
	_, err = get(t, e, srv.URL()+"/x")
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 1, srv.Count("GET", "/x"), "not sent during the pause")
	assert.Greater(t, apiErr.RetryAfter, 1500*time.Millisecond)
	assert.Less(t, apiErr.RetryAfter, 1800*time.Millisecond, "the time left, not rounded to the second")
}
