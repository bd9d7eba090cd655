package runtime_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// endpoint binds a test vendor to srv with a static token.
func endpoint(t *testing.T, kit *vendorkit.Client, baseURL string, mod ...func(*runtime.EndpointConfig)) *runtime.Endpoint {
	t.Helper()
	cred, err := vendorkit.StaticToken("s3cr3t-token")
	require.NoError(t, err)
	cfg := runtime.EndpointConfig{Vendor: "acme", BaseURL: baseURL, Credential: cred, AuthScheme: "Bearer"}
	for _, m := range mod {
		m(&cfg)
	}
	e, err := runtime.NewEndpoint(kit, cfg)
	require.NoError(t, err)
	return e
}

func get(t *testing.T, e *runtime.Endpoint, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	require.NoError(t, err)
	return e.Do(req)
}

func okHandler(w http.ResponseWriter, _ *http.Request) {
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]string{"ok": "yes"})
}

func mustClose(t *testing.T, resp *http.Response) {
	t.Helper()
	require.NotNil(t, resp)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
}

func TestCredentialPlacement(t *testing.T) {
	tests := []struct {
		name       string
		header     string
		scheme     string
		wantHeader string
		wantValue  string
	}{
		{"bearer", "", "Bearer", "Authorization", "Bearer s3cr3t-token"},
		{"custom header", "x-api-key", "", "X-Api-Key", "s3cr3t-token"},
		{"crow style", "X-API-Key", "", "X-Api-Key", "s3cr3t-token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := vendorkittest.NewServer(t, "/rest")
			srv.HandleFunc("GET /v1/me", okHandler)
			e := endpoint(t, vendorkittest.NewClient(t), srv.URL(), func(c *runtime.EndpointConfig) {
				c.AuthHeader, c.AuthScheme = tt.header, tt.scheme
				c.Header = http.Header{"X-Company-Id": {"123"}}
			})
			resp, err := get(t, e, srv.URL()+"/v1/me")
			require.NoError(t, err)
			mustClose(t, resp)
			r, ok := srv.LastRequest()
			require.True(t, ok)
			assert.Equal(t, []string{tt.wantValue}, r.Header.Values(tt.wantHeader))
			assert.Equal(t, "123", r.Header.Get("X-Company-Id"))
			assert.Contains(t, r.Header.Get("User-Agent"), "vendorkit-go/")
		})
	}
}

// TestNoCredentialOnCrossOriginRedirect: a redirect to another origin —
// localhost vs 127.0.0.1 counts — never carries the credential or the
// origin-bound headers, whatever the redirect status.
func TestNoCredentialOnCrossOriginRedirect(t *testing.T) {
	for _, status := range []int{301, 302, 307, 308} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var got http.Header
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r.Header.Clone()
				okHandler(w, r)
			}))
			defer other.Close()
			otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)

			srv := vendorkittest.NewServer(t, "/api")
			srv.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, otherURL+"/stolen", status)
			})
			e := endpoint(t, vendorkittest.NewClient(t), srv.URL(), func(c *runtime.EndpointConfig) {
				c.Header = http.Header{"X-Company-Id": {"9"}}
			})
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				got = nil
				req, err := http.NewRequest(method, srv.URL()+"/x", strings.NewReader(`{"a":1}`))
				require.NoError(t, err)
				resp, err := e.Do(req)
				if status == 307 || status == 308 {
					// Following would re-send the body to the other origin
					// (issue 12.5).
					require.ErrorIs(t, err, vendorkit.ErrRedirectRefused)
					assert.Nil(t, got, "the body reached another origin")
					assert.Equal(t, vendorkit.Refused, vendorkit.WriteOutcome(err))
					// Without a body, the redirect is followed.
					req, err = http.NewRequest(method, srv.URL()+"/x", nil)
					require.NoError(t, err)
					resp, err = e.Do(req)
				}
				require.NoError(t, err)
				mustClose(t, resp)
				require.NotNil(t, got, "the redirect was followed")
				assert.Empty(t, got.Get("Authorization"), "credential leaked to another origin")
				assert.Empty(t, got.Get("X-Company-Id"), "origin-bound header leaked")
				r, _ := srv.LastRequest()
				assert.Equal(t, "Bearer s3cr3t-token", r.Header.Get("Authorization"), "own origin still gets it")
			}
		})
	}
}

func TestSameOriginRedirectKeepsCredential(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/api/new", http.StatusFound) })
	srv.HandleFunc("GET /new", okHandler)
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	resp, err := get(t, e, srv.URL()+"/old")
	require.NoError(t, err)
	mustClose(t, resp)
	r, _ := srv.LastRequest()
	assert.Equal(t, "/api/new", r.Path)
	assert.Equal(t, "Bearer s3cr3t-token", r.Header.Get("Authorization"))
}

func TestCallerRequestUnchanged(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("POST /x", okHandler)
	srv.FailNext(1, 503, `{"error":"busy"}`, "0")
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/x?q=1", bytes.NewReader([]byte(`{"a":1}`)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	before := req.Header.Clone()
	body := req.Body
	url := req.URL.String()
	resp, err := e.Do(req)
	require.NoError(t, err)
	mustClose(t, resp)
	assert.Equal(t, before, req.Header)
	assert.Empty(t, req.Header.Get("Authorization"))
	assert.True(t, body == req.Body, "the caller's Body field is not replaced")
	assert.Equal(t, url, req.URL.String())
	assert.Equal(t, 2, srv.Count("POST", "/x"), "503 with Retry-After: a write may retry")
}

func TestBaseURLChecks(t *testing.T) {
	kit := vendorkittest.NewClient(t)
	cred, _ := vendorkit.StaticToken("tok")
	tests := []struct {
		url  string
		want error
	}{
		{"http://crm.example.com/api", vendorkit.ErrInsecureURL},
		{"http://10.0.0.8/api", vendorkit.ErrInsecureURL},
		{"ftp://crm.example.com", vendorkit.ErrInsecureURL},
		{"crm.example.com/api", vendorkit.ErrInvalidArgument},
		{"https://user:pw@crm.example.com", vendorkit.ErrInvalidArgument},
		{"https://crm.example.com/api?token=x", vendorkit.ErrInvalidArgument},
		{"https://crm.example.com/api", nil},
		{"http://127.0.0.1:8080/api", nil},
		{"http://localhost:8080", nil},
		{"http://[::1]:8080", nil},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: tt.url, Credential: cred})
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			var apiErr *vendorkit.APIError
			assert.False(t, errors.As(err, &apiErr), "client-side rejections are not APIErrors")
			assert.NotContains(t, err.Error(), "pw")
		})
	}
}

// TestInsecureRedirectNothingSent: a plain-http base URL to a non-loopback
// host is refused before anything is sent.
func TestInsecureURLNothingSent(t *testing.T) {
	var hits atomic.Int32
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) { hits.Add(1); return nil, errors.New("sent") })
	kit, err := vendorkit.New(vendorkit.WithTransport(rt))
	require.NoError(t, err)
	cred, _ := vendorkit.StaticToken("tok")
	_, err = runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: "http://api.example.com", Credential: cred})
	require.ErrorIs(t, err, vendorkit.ErrInsecureURL)
	assert.Zero(t, hits.Load())
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTokenValidation(t *testing.T) {
	for _, tok := range []string{"", "   ", "abc\r\ndef", "abc\ndef", "ab cd", "ab\tcd", "abc\x00"} {
		_, err := vendorkit.StaticToken(tok)
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument, "%q", tok)
		if len(tok) > 2 {
			assert.NotContains(t, err.Error(), tok)
		}
	}
	got, err := runtime.CleanToken("  abc.def-ghi  \n")
	require.NoError(t, err)
	assert.Equal(t, "abc.def-ghi", got)
}

// TestDynamicCredential: a credential source is asked on every attempt, so a
// rotated key is used by the retry; a bad one stops the call before sending.
func TestDynamicCredential(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer new" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		okHandler(w, r)
	})
	var calls atomic.Int32
	cred := vendorkit.CredentialFunc(func(context.Context) (string, error) {
		if calls.Add(1) == 1 {
			return "old", nil
		}
		return "new", nil
	})
	kit := vendorkittest.NewClient(t)
	e, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: srv.URL(), Credential: cred, AuthScheme: "Bearer"})
	require.NoError(t, err)
	resp, err := get(t, e, srv.URL()+"/x")
	require.NoError(t, err)
	mustClose(t, resp)
	assert.Equal(t, int32(2), calls.Load())

	bad := vendorkit.CredentialFunc(func(context.Context) (string, error) { return "evil\r\nX-Injected: 1", nil })
	e, err = runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: srv.URL(), Credential: bad, AuthScheme: "Bearer"})
	require.NoError(t, err)
	srv.ResetRequests()
	_, err = get(t, e, srv.URL()+"/x")
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	assert.Zero(t, srv.Count("", ""), "nothing sent")
	assert.NotContains(t, err.Error(), "evil")
}

// The Retry-After tests sleep for real (no NoSleep) on synctest's fake
// clock, through the fake's in-process Transport: the elapsed time is the
// client's own waiting, not the machine's scheduling (on the wall clock a
// loaded 2-core machine under -race could pass the upper bounds).
func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api") // outside the bubble: its listener blocks on the network
	srv.HandleFunc("GET /x", okHandler)
	srv.FailNext(1, 429, `{"error":"slow down"}`, "1")
	synctest.Test(t, func(t *testing.T) {
		kit, err := vendorkit.New(vendorkit.WithTransport(srv.Transport())) // real sleeps
		require.NoError(t, err)
		e := endpoint(t, kit, srv.URL())
		start := time.Now()
		var info vendorkit.ResponseInfo
		req, _ := http.NewRequestWithContext(vendorkit.CaptureResponse(context.Background(), &info), "GET", srv.URL()+"/x", nil)
		resp, err := e.Do(req)
		require.NoError(t, err)
		mustClose(t, resp)
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 950*time.Millisecond)
		assert.Less(t, elapsed, 3*time.Second)
		assert.Equal(t, 2, info.Attempts)
		assert.Equal(t, 200, info.StatusCode)
	})
}

func TestRetryAfterHTTPDate(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	synctest.Test(t, func(t *testing.T) {
		// An HTTP-date two seconds ahead on the bubble's clock (second
		// precision: 1–2 s from now).
		srv.FailNext(1, 503, "", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))
		kit, err := vendorkit.New(vendorkit.WithTransport(srv.Transport()))
		require.NoError(t, err)
		e := endpoint(t, kit, srv.URL())
		start := time.Now()
		resp, err := get(t, e, srv.URL()+"/x")
		require.NoError(t, err)
		mustClose(t, resp)
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 900*time.Millisecond)
		assert.Less(t, elapsed, 3500*time.Millisecond)
	})
}

func TestRetryAfterAboveMaxFailsFast(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.FailNext(1, 429, `{"error":"quota"}`, "3600")
	kit, err := vendorkit.New()
	require.NoError(t, err)
	e := endpoint(t, kit, srv.URL())
	start := time.Now()
	_, err = get(t, e, srv.URL()+"/x")
	require.Less(t, time.Since(start), time.Second, "not slept on")
	require.ErrorIs(t, err, vendorkit.ErrRateLimited)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.Equal(t, 1, srv.Count("", ""))
	assert.Equal(t, "quota", apiErr.Message)
}

func TestAPIErrorDropsCookies(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Set-Cookie", "session=s3cr3t")
		w.Header().Set("X-Request-Id", "req-1")
		w.WriteHeader(http.StatusForbidden)
	})
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	_, err := get(t, e, srv.URL()+"/x")
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Empty(t, apiErr.Header.Get("Set-Cookie"))
	assert.Equal(t, "req-1", apiErr.RequestID)
	b, _ := json.Marshal(apiErr)
	assert.NotContains(t, string(b), "s3cr3t")
}

func TestWritesAreNotRetriedAfterServerMayHaveActed(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("POST /x", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
	srv.HandleFunc("PATCH /x", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(502) })
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	for _, method := range []string{"POST", "PATCH"} {
		req, _ := http.NewRequest(method, srv.URL()+"/x", strings.NewReader(`{}`))
		_, err := e.Do(req)
		require.ErrorIs(t, err, vendorkit.ErrServer)
		assert.Equal(t, 1, srv.Count(method, "/x"), method)
	}
	// A documented upsert may be retried.
	up := endpoint(t, vendorkittest.NewClient(t), srv.URL(), func(c *runtime.EndpointConfig) {
		c.Idempotent = func(r *http.Request) bool { return r.Method == "POST" }
	})
	srv.ResetRequests()
	req, _ := http.NewRequest("POST", srv.URL()+"/x", strings.NewReader(`{}`))
	_, err := up.Do(req)
	require.ErrorIs(t, err, vendorkit.ErrServer)
	assert.Equal(t, 3, srv.Count("POST", "/x"))
}

func TestGetRetriesTransientErrors(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	srv.FailNext(2, 503, "", "")
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	resp, err := get(t, e, srv.URL()+"/x")
	require.NoError(t, err)
	mustClose(t, resp)
	assert.Equal(t, 3, srv.Count("GET", "/x"))

	srv.ResetNext(1)
	resp, err = get(t, e, srv.URL()+"/x")
	require.NoError(t, err, "a reset GET is retried")
	mustClose(t, resp)
}

func TestPostRetriedOnlyWhenNotSent(t *testing.T) {
	// A port nobody listens on: the dial is refused, nothing was sent.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	var dials atomic.Int32
	base := &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		dials.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, a)
	}}
	defer base.CloseIdleConnections()
	kit, err := vendorkit.New(vendorkit.WithTransport(base), vendorkittest.NoSleep())
	require.NoError(t, err)
	e := endpoint(t, kit, "http://"+addr)
	req, _ := http.NewRequest("POST", "http://"+addr+"/x", strings.NewReader(`{}`))
	_, err = e.Do(req)
	require.Error(t, err)
	assert.Equal(t, int32(3), dials.Load(), "refused connections are retried even for POST")
	assert.Contains(t, err.Error(), "after 3 attempts")

	// A reset after the request was written is not retried for POST.
	srv := vendorkittest.NewServer(t, "/api")
	srv.ResetNext(5)
	e = endpoint(t, vendorkittest.NewClient(t), srv.URL())
	req, _ = http.NewRequest("POST", srv.URL()+"/x", strings.NewReader(`{}`))
	_, err = e.Do(req)
	require.Error(t, err)
	assert.Equal(t, 1, srv.Count("POST", "/x"))
}

func TestBodyReplayedByteForByte(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("PUT /x", okHandler)
	srv.FailNext(2, 503, "", "")
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL())
	payload := bytes.Repeat([]byte(`{"name":"Zoë","n":123456789}`), 1000)
	req, _ := http.NewRequest("PUT", srv.URL()+"/x", io.NopCloser(bytes.NewReader(payload)))
	resp, err := e.Do(req)
	require.NoError(t, err)
	mustClose(t, resp)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, payload, r.Body)
	}
}

// TestCancelDuringBackoff runs on synctest's fake clock (through the fake's
// in-process Transport): cancelling the context ends the 30 s backoff with
// no time passing at all. On the wall clock it allowed 50 ms, which a
// loaded machine under -race can spend just scheduling the goroutines.
func TestCancelDuringBackoff(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api") // outside the bubble: its listener blocks on the network
	srv.FailNext(1, 503, "", "30")
	synctest.Test(t, func(t *testing.T) {
		kit, err := vendorkit.New(vendorkit.WithTransport(srv.Transport()))
		require.NoError(t, err)
		e := endpoint(t, kit, srv.URL())
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/x", nil)
		done := make(chan error, 1)
		go func() { _, err := e.Do(req); done <- err }()
		synctest.Wait() // the 503 is answered; Do sleeps its 30 s backoff
		require.Equal(t, 1, srv.Count("", ""))
		time.Sleep(20 * time.Millisecond) // well into the 30 s wait
		cancel()
		cancelledAt := time.Now()
		synctest.Wait()
		select {
		case err := <-done:
			assert.Zero(t, time.Since(cancelledAt), "Do returned on the cancel, before any timer fired")
			require.ErrorIs(t, err, context.Canceled)
		default:
			t.Fatal("Do did not return after cancel")
		}
	})
}

// countingTransport counts the response body bytes the client reads.
type countingTransport struct {
	base http.RoundTripper
	read atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if resp != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func TestHugeErrorBodyIsCapped(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	big := bytes.Repeat([]byte("x"), 10<<20)
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(big)
	})
	ct := &countingTransport{base: http.DefaultTransport}
	kit, err := vendorkit.New(vendorkit.WithTransport(ct))
	require.NoError(t, err)
	e := endpoint(t, kit, srv.URL())
	_, err = get(t, e, srv.URL()+"/x")
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, runtime.MaxErrorBody)
	assert.LessOrEqual(t, ct.read.Load(), int64(runtime.MaxErrorBody+8<<10), "read only up to the cap (plus a small drain)")
	assert.Less(t, len(apiErr.Error()), 400)
}

func TestDebugLogsAreRedacted(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := vendorkittest.NewServer(t, "/rest")
	srv.HandleFunc("GET /v1/prospects", okHandler)
	srv.FailNext(1, 503, `{"error":"busy"}`, "")
	kit := vendorkittest.NewClient(t, vendorkit.WithLogger(logger))
	e := endpoint(t, kit, srv.URL())
	resp, err := get(t, e, srv.URL()+"/v1/prospects?search=email%3Djane%40example.com")
	require.NoError(t, err)
	mustClose(t, resp)
	_, err = get(t, e, srv.URL()+"/missing?search=email%3Djane%40example.com")
	require.Error(t, err)
	logs := buf.String()
	require.Contains(t, logs, `"path":"/rest/v1/prospects"`)
	require.Contains(t, logs, `"status":503`)
	require.Contains(t, logs, "vendorkit: retrying")
	for _, secret := range []string{"s3cr3t-token", "jane", "example.com", "search="} {
		assert.NotContains(t, logs, secret)
		assert.NotContains(t, err.Error(), secret)
	}
	assert.Contains(t, logs, runtime.Fingerprint("s3cr3t-token"))
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRetryBudgetStopsRetriesInOutage(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) })
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{Budget: 50}))
	e := endpoint(t, kit, srv.URL())
	// Each call makes 1 attempt + up to 2 retries at 5 tokens: 50 tokens buy
	// 10 retries in all, then calls make a single attempt.
	for range 20 {
		_, err := get(t, e, srv.URL()+"/x")
		require.ErrorIs(t, err, vendorkit.ErrServer)
	}
	assert.Equal(t, 20+10, srv.Count("GET", "/x"))
	assert.Zero(t, kit.RetryBudget("acme"))

	// Successes refund the budget.
	srv.HandleFunc("GET /ok", okHandler)
	for range 5 {
		resp, err := get(t, e, srv.URL()+"/ok")
		require.NoError(t, err)
		mustClose(t, resp)
	}
	assert.Equal(t, 5, kit.RetryBudget("acme"))
}

func TestMaxAttemptsOneDisablesRetries(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.FailNext(3, 503, "", "")
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1}))
	e := endpoint(t, kit, srv.URL())
	_, err := get(t, e, srv.URL()+"/x")
	require.ErrorIs(t, err, vendorkit.ErrServer)
	assert.Equal(t, 1, srv.Count("", ""))
}

// TestErrorInDisguise: a vendor classifier reading a 2xx body turns an error
// reported with HTTP 200 into an APIError of the decoder's category.
func TestErrorInDisguise(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/rest")
	srv.HandleFunc("GET /v1/me", func(w http.ResponseWriter, _ *http.Request) {
		vendorkittest.WriteJSON(w, 200, map[string]any{"status": map[string]string{"status": "ERROR", "code": "E_SESSION", "msg": "bad key"}})
	})
	srv.HandleFunc("GET /v1/ok", okHandler)
	e := endpoint(t, vendorkittest.NewClient(t), srv.URL(), func(c *runtime.EndpointConfig) {
		c.InspectBody = func(*http.Request, *http.Response) bool { return true }
		c.Classify = func(status int, _ http.Header, body []byte) runtime.Verdict {
			if bytes.Contains(body, []byte(`"ERROR"`)) {
				return runtime.Failure
			}
			return runtime.ClassifyStatus(status)
		}
		c.Decode = func(e *vendorkit.APIError) {
			runtime.DecodeErrorBody(e)
			e.Code = "E_SESSION"
			e.AddKind(vendorkit.ErrUnauthorized)
		}
	})
	_, err := get(t, e, srv.URL()+"/v1/me")
	require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 200, apiErr.StatusCode)
	resp, err := get(t, e, srv.URL()+"/v1/ok")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.JSONEq(t, `{"ok":"yes"}`, string(b), "an inspected success body is handed back whole")
}

func TestLimiterSharedPerCredentialAndPausedBy429(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	var inFlight, maxInFlight atomic.Int32
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		inFlight.Add(-1)
		okHandler(w, r)
	})
	kit := vendorkittest.NewClient(t)
	limit := func(c *runtime.EndpointConfig) { c.Limit = vendorkit.Limit{MaxInFlight: 1} }
	e1 := endpoint(t, kit, srv.URL(), limit)
	e2 := endpoint(t, kit, srv.URL(), limit) // same credential → same limiter
	assert.Same(t, e1.Limiter(), e2.Limiter())
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := e1
			if i%2 == 0 {
				e = e2
			}
			resp, err := get(t, e, srv.URL()+"/x")
			if assert.NoError(t, err) {
				mustClose(t, resp)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), maxInFlight.Load())

	other, err := vendorkit.New()
	require.NoError(t, err)
	assert.NotSame(t, e1.Limiter(), endpoint(t, other, srv.URL(), limit).Limiter(), "separate kits do not share")
}

func TestAPIErrorJSONAndSentinels(t *testing.T) {
	inactive := runtime.NewSentinel("acme: company is inactive", vendorkit.ErrConflict)
	e := &vendorkit.APIError{Vendor: "acme", Method: "GET", Host: "h", Path: "/p", StatusCode: 409,
		Message: "Company is inactive", RetryAfter: 2 * time.Second, Kinds: []error{inactive}}
	assert.ErrorIs(t, e, inactive)
	assert.ErrorIs(t, e, vendorkit.ErrConflict)
	assert.ErrorIs(t, inactive, vendorkit.ErrConflict)
	assert.NotErrorIs(t, e, vendorkit.ErrNotFound)
	wrapped := fmt.Errorf("acme: get company: %w", e)
	assert.ErrorIs(t, wrapped, inactive)
	b, err := json.Marshal(e)
	require.NoError(t, err)
	var back vendorkit.APIError
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, 409, back.StatusCode)
	assert.Equal(t, 2*time.Second, back.RetryAfter)
	assert.ErrorIs(t, &back, vendorkit.ErrConflict)

	statuses := map[int]error{400: vendorkit.ErrBadRequest, 422: vendorkit.ErrBadRequest, 401: vendorkit.ErrUnauthorized,
		403: vendorkit.ErrForbidden, 404: vendorkit.ErrNotFound, 409: vendorkit.ErrConflict, 429: vendorkit.ErrRateLimited,
		500: vendorkit.ErrServer, 503: vendorkit.ErrServer}
	for status, want := range statuses {
		assert.ErrorIs(t, &vendorkit.APIError{StatusCode: status}, want, status)
	}
}

func TestDecodeErrorBodyShapes(t *testing.T) {
	tests := []struct {
		body    string
		code    string
		message string
		fields  map[string][]string
	}{
		{`{"error":"Invalid API token"}`, "", "Invalid API token", nil},
		{`{"errors":["Name can't be blank","Phone is invalid"]}`, "", "Name can't be blank; Phone is invalid", nil},
		{`{"errors":{"email":["is invalid"]}}`, "", "email is invalid", map[string][]string{"email": {"is invalid"}}},
		{`{"title":"Conflict","status":409,"detail":"Company is inactive"}`, "", "Company is inactive", nil},
		{`{"code":"CAMPAIGN_NOT_EXIST","message":"no such campaign"}`, "CAMPAIGN_NOT_EXIST", "no such campaign", nil},
		{`{"errors":"Invalid search parameters","details":"bad predicate"}`, "", "Invalid search parameters: bad predicate", nil},
		{`<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`, "", "502 Bad Gateway", nil},
		{``, "", "", nil},
	}
	for _, tt := range tests {
		e := &vendorkit.APIError{Body: []byte(tt.body)}
		runtime.DecodeErrorBody(e)
		assert.Equal(t, tt.code, e.Code, tt.body)
		assert.Equal(t, tt.message, e.Message, tt.body)
		assert.Equal(t, tt.fields, e.Fields, tt.body)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"-5", 0, true},
		{"Wed, 25 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Wed, 25 Nov 2026 11:00:00 GMT", 0, true},
		{"Wednesday, 25-Nov-26 12:01:00 GMT", time.Minute, true},
		{"", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := runtime.ParseRetryAfter(tt.in, now)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestNilClientUsesDefault(t *testing.T) {
	var kit *vendorkit.Client
	cred, _ := vendorkit.StaticToken("t")
	e, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: "https://api.example.com", Credential: cred})
	require.NoError(t, err)
	assert.Equal(t, "api.example.com", e.BaseURL().Host)
}

// TestAttemptTimeout: an answer slower than AttemptTimeout ends the attempt,
// and an idempotent request is retried — on vendorkit's own transport
// (ResponseHeaderTimeout) and on a caller's (a context timeout).
func TestAttemptTimeout(t *testing.T) {
	for name, opts := range map[string][]vendorkit.Option{
		"own transport":    nil,
		"caller transport": {vendorkit.WithTransport(http.DefaultTransport.(*http.Transport).Clone())},
	} {
		t.Run(name, func(t *testing.T) {
			srv := vendorkittest.NewServer(t, "/api")
			srv.HandleFunc("GET /x", okHandler)
			srv.Inject(vendorkittest.Fault{Delay: 2 * time.Second})
			opts := append([]vendorkit.Option{vendorkit.WithRetry(vendorkit.RetryPolicy{AttemptTimeout: 100 * time.Millisecond})}, opts...)
			e := endpoint(t, vendorkittest.NewClient(t, opts...), srv.URL())
			start := time.Now()
			resp, err := get(t, e, srv.URL()+"/x")
			require.NoError(t, err)
			mustClose(t, resp)
			assert.Less(t, time.Since(start), 1500*time.Millisecond)
			assert.Equal(t, 2, srv.Count("GET", "/x"))
		})
	}
}

// TestDrippingErrorBodyIsCut: an error page that never finishes arriving
// does not hold the call past the attempt timeout.
func TestDrippingErrorBodyIsCut(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		for i := 0; i < 100; i++ {
			_, _ = w.Write([]byte("x"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{AttemptTimeout: 200 * time.Millisecond}))
	e := endpoint(t, kit, srv.URL())
	start := time.Now()
	_, err := get(t, e, srv.URL()+"/x")
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	assert.Less(t, time.Since(start), 2*time.Second)
}

// TestIdlePooledConnectionKeepsFullTimeout: a request sent on a connection
// that sat idle in the pool gets the whole attempt timeout for its answer.
func TestIdlePooledConnectionKeepsFullTimeout(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /fast", okHandler)
	srv.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(250 * time.Millisecond)
		okHandler(w, r)
	})
	kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{AttemptTimeout: 400 * time.Millisecond, MaxAttempts: 1}))
	e := endpoint(t, kit, srv.URL())
	resp, err := get(t, e, srv.URL()+"/fast")
	require.NoError(t, err)
	mustClose(t, resp)
	time.Sleep(300 * time.Millisecond) // idle: the pooled connection's background read has run 300 ms
	resp, err = get(t, e, srv.URL()+"/slow")
	require.NoError(t, err, "250 ms answer within a 400 ms attempt timeout")
	mustClose(t, resp)
}

// TestLongRetryAfterFailsLaterCallsFast: after a Retry-After beyond
// MaxRetryAfter, the next calls with the same credential are not sent and
// not blocked: they fail at once, matching ErrRateLimited with the time left.
func TestLongRetryAfterFailsLaterCallsFast(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("GET /x", okHandler)
	srv.FailNext(1, 429, `{"error":"quota"}`, "600")
	kit, err := vendorkit.New()
	require.NoError(t, err)
	e := endpoint(t, kit, srv.URL())
	_, err = get(t, e, srv.URL()+"/x")
	require.ErrorIs(t, err, vendorkit.ErrRateLimited)

	start := time.Now()
	_, err = get(t, e, srv.URL()+"/x")
	require.Less(t, time.Since(start), time.Second, "not blocked for the pause")
	require.ErrorIs(t, err, vendorkit.ErrRateLimited)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.InDelta(t, 600, apiErr.RetryAfter.Seconds(), 2)
	assert.Equal(t, 1, srv.Count("GET", "/x"), "the second call was not sent")
	assert.Contains(t, apiErr.Message, "not sent")
}
