package vendorkittest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit/vendorkittest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newServer(t *testing.T) *vendorkittest.Server {
	srv := vendorkittest.NewServer(t, "/api/v1")
	srv.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		vendorkittest.WriteJSON(w, 200, map[string]string{"id": r.PathValue("id"), "pad": strings.Repeat("x", 100)})
	})
	return srv
}

func fetch(t *testing.T, url string, hdr ...string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestPrefixAndRecording(t *testing.T) {
	srv := newServer(t)
	resp, body, err := fetch(t, srv.URL()+"/items/7?x=1", "X-Test", "a")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(body), `"id":"7"`)
	r, ok := srv.LastRequest()
	require.True(t, ok)
	assert.Equal(t, "/api/v1/items/7", r.Path)
	assert.Equal(t, "x=1", r.RawQuery)
	assert.Equal(t, "a", r.Header.Get("X-Test"))
	assert.Equal(t, 1, srv.Count("GET", "/items/7"))
}

// fakeT records Errorf so that the escape check can be observed.
type fakeT struct {
	testing.TB
	errs []string
}

func (f *fakeT) Errorf(format string, args ...any) { f.errs = append(f.errs, format) }

func TestRequestEscapingPrefixFailsTest(t *testing.T) {
	ft := &fakeT{TB: t}
	srv := vendorkittest.NewServer(ft, "/api/v1")
	resp, _, err := fetch(t, srv.Origin()+"/api/items/1")
	require.NoError(t, err)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Len(t, ft.errs, 1)
}

func TestFaults(t *testing.T) {
	srv := newServer(t)
	srv.FailNext(2, 503, `{"error":"down"}`, "3")
	for range 2 {
		resp, body, err := fetch(t, srv.URL()+"/items/1")
		require.NoError(t, err)
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, "3", resp.Header.Get("Retry-After"))
		assert.JSONEq(t, `{"error":"down"}`, string(body))
	}
	resp, _, err := fetch(t, srv.URL()+"/items/1")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode, "fault used up")

	srv.ResetNext(1)
	_, _, err = fetch(t, srv.URL()+"/items/1")
	require.Error(t, err, "connection reset")

	srv.Inject(vendorkittest.Fault{Truncate: true})
	_, _, err = fetch(t, srv.URL()+"/items/1")
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)

	srv.Inject(vendorkittest.Fault{SlowBody: 5 * time.Millisecond})
	start := time.Now()
	resp, body, err := fetch(t, srv.URL()+"/items/1")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(body), `"id":"1"`)
	assert.GreaterOrEqual(t, time.Since(start), 25*time.Millisecond)

	srv.Inject(vendorkittest.Fault{Delay: 2 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/items/1", nil)
	_, err = http.DefaultClient.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	srv.Inject(vendorkittest.Fault{Times: -1, Status: 500, Match: func(r *http.Request) bool { return r.PathValue("id") == "" && strings.HasSuffix(r.URL.Path, "/9") }})
	for range 3 {
		resp, _, err := fetch(t, srv.URL()+"/items/9")
		require.NoError(t, err)
		assert.Equal(t, 500, resp.StatusCode)
	}
	srv.ClearFaults()
	resp, _, err = fetch(t, srv.URL()+"/items/9")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
}

func TestBearerAndRateLimit(t *testing.T) {
	srv := newServer(t)
	srv.Use(vendorkittest.RequireBearer(func(tok string) bool { return vendorkittest.Equal(tok, "good") },
		func(w http.ResponseWriter, _ *http.Request) {
			vendorkittest.WriteJSON(w, 401, map[string]string{"error": "Unauthorized"})
		}))
	rl := vendorkittest.NewRateLimit(1, 2, func(r *http.Request) string { return r.Header.Get("Authorization") })
	srv.Use(rl.Middleware(nil))

	for _, h := range []string{"", "Bearer bad", "bearer good", "Bearer  good", "Token good", `Bearer "good"`} {
		resp, _, err := fetch(t, srv.URL()+"/items/1", "Authorization", h)
		require.NoError(t, err)
		assert.Equal(t, 401, resp.StatusCode, "%q", h)
	}
	codes := []int{}
	for range 3 {
		resp, _, err := fetch(t, srv.URL()+"/items/1", "Authorization", "Bearer good")
		require.NoError(t, err)
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == 429 {
			assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		}
	}
	assert.Equal(t, []int{200, 200, 429}, codes)
	assert.Equal(t, 1, rl.Refused())
	assert.Equal(t, 2, rl.Admitted())
}

// TestFaultsCompose pins the documented queue order: faults apply in the
// order added, a Match that skips a request leaves it to later faults, and
// ClearFaults empties the queue.
func TestFaultsCompose(t *testing.T) {
	srv := newServer(t)
	srv.FailNext(2, 503, `{"error":"down"}`, "")
	srv.ResetNext(1)
	srv.Inject(vendorkittest.Fault{Status: 418, Match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/7") }})
	srv.FailNext(1, 502, "bad gateway", "")

	status := func(path string) int {
		resp, _, err := fetch(t, srv.URL()+path)
		if err != nil {
			return -1 // reset
		}
		return resp.StatusCode
	}
	assert.Equal(t, []int{503, 503, -1, 502, 418, 200}, []int{
		status("/items/1"), status("/items/1"), status("/items/1"),
		status("/items/1"), // the 418 does not match /1: the 502 behind it applies
		status("/items/7"), status("/items/7"),
	})

	srv.FailNext(5, 500, "", "")
	srv.ClearFaults()
	assert.Equal(t, 200, status("/items/1"))
}

func TestCall(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(append([]byte(r.Header.Get("X-Key")+" "), b...))
	})
	status, body := srv.Call(t, "POST", "/echo", []byte(`{"a":1}`), http.Header{"x-key": {"k1"}})
	assert.Equal(t, http.StatusCreated, status)
	assert.Equal(t, `k1 {"a":1}`, string(body))
	r, ok := srv.LastRequest()
	require.True(t, ok)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
}
