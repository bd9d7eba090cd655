package runtime_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

type ctxMark struct{ name string }

// recorder writes every event as a line, and marks the contexts it returns
// so that the test can see which context each later event got.
type recorder struct {
	mu     sync.Mutex
	events []string
	calls  []vendorkit.Call
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf(format, args...))
}

func mark(ctx context.Context) string {
	var parts []string
	for _, k := range []string{"call", "attempt"} {
		if v, ok := ctx.Value(ctxMark{k}).(int); ok {
			parts = append(parts, fmt.Sprintf("%s%d", k, v))
		}
	}
	return strings.Join(parts, "/")
}

func (r *recorder) CallStart(ctx context.Context, c *vendorkit.Call) context.Context {
	r.add("call start %s %s %s %s %s", c.Vendor, c.Operation, c.Method, c.Path, mark(ctx))
	return context.WithValue(ctx, ctxMark{"call"}, 1)
}

func (r *recorder) CallEnd(ctx context.Context, c *vendorkit.Call) {
	r.add("call end status=%d attempts=%d category=%q request=%s err=%t [%s]", c.StatusCode, c.Attempts, c.Category, c.RequestID, c.Err != nil, mark(ctx))
	r.mu.Lock()
	r.calls = append(r.calls, *c)
	r.mu.Unlock()
}

func (r *recorder) AttemptStart(ctx context.Context, _ *vendorkit.Call, a *vendorkit.Attempt) context.Context {
	r.add("attempt %d start [%s]", a.N, mark(ctx))
	return context.WithValue(ctx, ctxMark{"attempt"}, a.N)
}

func (r *recorder) AttemptEnd(ctx context.Context, _ *vendorkit.Call, a *vendorkit.Attempt) {
	r.add("attempt %d end status=%d category=%q retry=%t request=%s [%s]", a.N, a.StatusCode, a.Category, a.Retry, a.RequestID, mark(ctx))
}

func (r *recorder) Wait(ctx context.Context, _ *vendorkit.Call, w vendorkit.Wait) {
	r.add("wait %s after/before attempt %d [%s]", w.Kind, w.Attempt, mark(ctx))
}

func TestObserverSeesARetriedCall(t *testing.T) {
	var n atomic.Int32
	var seen sync.Map // attempt number → the mark of the request's context at the base transport
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", i))
		if i <= 2 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		okHandler(w, r)
	}))
	defer srv.Close()
	rec := &recorder{}
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen.Store(n.Load()+1, mark(r.Context()))
		return http.DefaultTransport.RoundTrip(r)
	})
	kit := vendorkittest.NewClient(t, vendorkit.WithObserver(rec), vendorkit.WithTransport(base))
	e := endpoint(t, kit, srv.URL)

	req, err := http.NewRequestWithContext(runtime.WithOperation(context.Background(), "GetThing"), http.MethodGet, srv.URL+"/things/1?email=x@y.com", nil)
	require.NoError(t, err)
	resp, err := e.Do(req)
	require.NoError(t, err)
	mustClose(t, resp)

	assert.Equal(t, []string{
		"call start acme GetThing GET /things/1 ",
		"attempt 1 start [call1]",
		"wait limiter after/before attempt 1 [call1/attempt1]",
		`attempt 1 end status=429 category="rate_limited" retry=true request=req-1 [call1/attempt1]`,
		"wait retry after/before attempt 1 [call1/attempt1]",
		"attempt 2 start [call1]",
		"wait limiter after/before attempt 2 [call1/attempt2]",
		`attempt 2 end status=429 category="rate_limited" retry=true request=req-2 [call1/attempt2]`,
		"wait retry after/before attempt 2 [call1/attempt2]",
		"attempt 3 start [call1]",
		"wait limiter after/before attempt 3 [call1/attempt3]",
		`attempt 3 end status=200 category="" retry=false request=req-3 [call1/attempt3]`,
		`call end status=200 attempts=3 category="" request=req-3 err=false [call1]`,
	}, rec.events)
	for i := int32(1); i <= 3; i++ {
		m, _ := seen.Load(i)
		assert.Equal(t, fmt.Sprintf("call1/attempt%d", i), m, "the base transport runs in the attempt's context")
	}
	require.Len(t, rec.calls, 1)
	c := rec.calls[0]
	assert.Equal(t, srv.Listener.Addr().String(), c.Host)
	assert.Positive(t, c.Duration)
	assert.Equal(t, 500-2*5+1, c.RetryBudget, "two retries at 5 tokens, one success refund")
	for _, ev := range rec.events {
		assert.NotContains(t, ev, "s3cr3t", "no secret in any event")
		assert.NotContains(t, ev, "email", "no query string in any event")
	}
}

// TestObserverSeesAPlainSuccess: a call that ends on its first answer,
// outside the retry loop, is told to the observer as the loop tells it.
func TestObserverSeesAPlainSuccess(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-1")
		okHandler(w, r)
	}))
	defer srv.Close()
	rec := &recorder{}
	kit := vendorkittest.NewClient(t, vendorkit.WithObserver(rec))
	e := endpoint(t, kit, srv.URL)
	resp, err := get(t, e, srv.URL+"/things/1")
	require.NoError(t, err)
	mustClose(t, resp)

	assert.Equal(t, []string{
		"call start acme  GET /things/1 ",
		"attempt 1 start [call1]",
		"wait limiter after/before attempt 1 [call1/attempt1]",
		`attempt 1 end status=200 category="" retry=false request=req-1 [call1/attempt1]`,
		`call end status=200 attempts=1 category="" request=req-1 err=false [call1]`,
	}, rec.events)
	require.Len(t, rec.calls, 1)
	assert.Equal(t, 500, rec.calls[0].RetryBudget, "the success refund on a full budget")
}

func TestObserverSeesFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-404")
		http.NotFound(w, r)
	}))
	rec := &recorder{}
	kit := vendorkittest.NewClient(t, vendorkit.WithObserver(rec))
	e := endpoint(t, kit, srv.URL)
	_, err := get(t, e, srv.URL+"/missing")
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	srv.Close()
	_, err = get(t, e, srv.URL+"/gone") // connection refused: retried, then a network error
	require.Error(t, err)

	require.Len(t, rec.calls, 2)
	assert.Equal(t, "not_found", rec.calls[0].Category)
	assert.Equal(t, 404, rec.calls[0].StatusCode)
	assert.Equal(t, "req-404", rec.calls[0].RequestID)
	assert.Equal(t, 1, rec.calls[0].Attempts)
	assert.Equal(t, "", rec.calls[0].Operation, "no facade named the call")
	assert.Equal(t, "network", rec.calls[1].Category)
	assert.Equal(t, 0, rec.calls[1].StatusCode)
	assert.Equal(t, 3, rec.calls[1].Attempts)
	assert.Contains(t, rec.events, `attempt 1 end status=0 category="network" retry=true request= [call1/attempt1]`)
}

func TestWithObserverRefusesNil(t *testing.T) {
	_, err := vendorkit.New(vendorkit.WithObserver(nil))
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
}
