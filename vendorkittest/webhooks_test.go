package vendorkittest_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/vendorkittest"
)

// receiver answers the statuses in order, then 200; a status of -1 drops
// the connection.
func receiver(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			if statuses[i] == -1 {
				conn, _, err := w.(http.Hijacker).Hijack()
				require.NoError(t, err)
				_ = conn.Close()
				return
			}
			w.WriteHeader(statuses[i])
			return
		}
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, "sig-"+string(rune('0'+i+1)), r.Header.Get("X-Sig"), "signed afresh per attempt")
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func sign(h http.Header, _ []byte, attempt int) { h.Set("X-Sig", "sig-"+string(rune('0'+attempt))) }

func TestWebhooksRetryRules(t *testing.T) {
	fast := func(int) time.Duration { return 0 }
	t.Run("on failure", func(t *testing.T) {
		srv, n := receiver(t, 500, -1, 503)
		w := vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{Vendor: "v", Backoff: fast})
		d := w.Send(srv.URL, "e", []byte(`{}`), sign)
		assert.True(t, d.Delivered)
		assert.Len(t, d.Attempts, 4)
		assert.Equal(t, int32(4), n.Load())
		assert.Error(t, d.Attempts[1].Err)
		assert.Equal(t, 200, d.StatusCode())
	})
	t.Run("bounded", func(t *testing.T) {
		srv, n := receiver(t, 500, 500, 500)
		w := vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{Vendor: "v", Backoff: fast, MaxAttempts: 2})
		d := w.Send(srv.URL, "e", []byte(`{}`), sign)
		assert.False(t, d.Delivered)
		assert.Equal(t, int32(2), n.Load())
	})
	t.Run("connection errors only", func(t *testing.T) {
		srv, n := receiver(t, -1, 500)
		w := vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{Vendor: "v", Backoff: fast, Retry: vendorkittest.RetryOnConnectionError})
		d := w.Send(srv.URL, "e", []byte(`{}`), sign)
		assert.False(t, d.Delivered, "a 500 is not retried")
		assert.Equal(t, 500, d.StatusCode())
		assert.Equal(t, int32(2), n.Load())
	})
	t.Run("stop", func(t *testing.T) {
		srv, n := receiver(t, 410)
		w := vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{Vendor: "v", Backoff: fast, Stop: func(s int) bool { return s == 410 }})
		d := w.Send(srv.URL, "e", []byte(`{}`), sign)
		assert.True(t, d.Stopped)
		assert.Equal(t, int32(1), n.Load())
	})
	t.Run("loopback only", func(t *testing.T) {
		w := vendorkittest.NewWebhooks(vendorkittest.WebhookConfig{Vendor: "v"})
		d := w.Send("https://example.com/hook", "e", []byte(`{}`), nil)
		assert.False(t, d.Delivered)
		assert.ErrorContains(t, d.Err(), "loopback")
		assert.Len(t, w.Deliveries(), 1)
	})
}
