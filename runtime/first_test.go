package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// TestFirstAttempt: the first attempt of a GET, made outside the retry loop,
// ends the call when it is a plain success, and otherwise leaves the loop to
// decide on its answer as on one the loop had sent: whether the first
// answer is a success, a 200 the vendor's classifier refuses, a 429, a
// redirect, or a success that reports the quota spent, and whether debug
// logging (which keeps every attempt in the loop) is on or off.
func TestFirstAttempt(t *testing.T) {
	refuseNope := func(c *runtime.EndpointConfig) {
		c.InspectBody = func(*http.Request, *http.Response) bool { return true }
		c.Classify = func(status int, _ http.Header, body []byte) runtime.Verdict {
			if bytes.Contains(body, []byte("nope")) {
				return runtime.Failure
			}
			return runtime.ClassifyStatus(status)
		}
	}
	tests := []struct {
		name     string
		setup    func(srv *vendorkittest.Server)
		mod      []func(*runtime.EndpointConfig)
		refused  bool  // the first call ends in an *APIError
		attempts int   // the first call's
		requests int   // both calls', to /x
		second   error // what the second call's error matches, if any
	}{
		{name: "success", setup: func(srv *vendorkittest.Server) {
			srv.HandleFunc("GET /x", okHandler)
		}, attempts: 1, requests: 2},
		{name: "success the classifier refuses", setup: func(srv *vendorkittest.Server) {
			srv.HandleFunc("GET /x", func(w http.ResponseWriter, _ *http.Request) {
				vendorkittest.WriteJSON(w, http.StatusOK, map[string]string{"ok": "nope"})
			})
		}, mod: []func(*runtime.EndpointConfig){refuseNope}, refused: true, attempts: 1, requests: 2, second: &vendorkit.APIError{}},
		{name: "429 then success", setup: func(srv *vendorkittest.Server) {
			srv.HandleFunc("GET /x", okHandler)
			srv.FailNext(1, http.StatusTooManyRequests, `{"error":"slow down"}`, "0")
		}, attempts: 2, requests: 3},
		{name: "redirect on the origin", setup: func(srv *vendorkittest.Server) {
			srv.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("moved") == "" {
					http.Redirect(w, r, r.URL.Path+"?moved=1", http.StatusFound)
					return
				}
				okHandler(w, r)
			})
		}, attempts: 1, requests: 4},
		{name: "success with the quota spent", setup: func(srv *vendorkittest.Server) {
			srv.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", "3600")
				okHandler(w, r)
			})
		}, attempts: 1, requests: 1, second: vendorkit.ErrRateLimited},
	}
	for _, tt := range tests {
		for _, debug := range []bool{false, true} {
			name := tt.name
			if debug {
				name += ", debug log"
			}
			t.Run(name, func(t *testing.T) {
				srv := vendorkittest.NewServer(t, "/api")
				tt.setup(srv)
				level := slog.LevelInfo
				if debug {
					level = slog.LevelDebug
				}
				logger := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: level}))
				kit, err := vendorkit.New(vendorkit.WithLogger(logger)) // real waits: the spent quota's pause is refused, not slept
				require.NoError(t, err)
				e := endpoint(t, kit, srv.URL(), tt.mod...)

				var info vendorkit.ResponseInfo
				req, err := http.NewRequestWithContext(vendorkit.CaptureResponse(context.Background(), &info), http.MethodGet, srv.URL()+"/x", nil)
				require.NoError(t, err)
				resp, err := e.Do(req)
				if tt.refused {
					var apiErr *vendorkit.APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, http.StatusOK, apiErr.StatusCode)
					assert.Equal(t, tt.attempts, apiErr.Attempts)
				} else {
					require.NoError(t, err)
					body, err := io.ReadAll(resp.Body)
					require.NoError(t, err)
					require.NoError(t, resp.Body.Close())
					assert.JSONEq(t, `{"ok":"yes"}`, string(body))
					assert.IsType(t, &runtime.BufferedBody{}, resp.Body, "read whole, its connection released")
					assert.Equal(t, tt.attempts, info.Attempts)
					assert.Equal(t, http.StatusOK, info.StatusCode)
				}

				_, err = get(t, e, srv.URL()+"/x")
				var apiErr *vendorkit.APIError
				switch {
				case tt.second == nil:
					require.NoError(t, err)
				case errors.As(tt.second, &apiErr):
					require.ErrorAs(t, err, &apiErr)
				default:
					require.ErrorIs(t, err, tt.second)
				}
				assert.Equal(t, tt.requests, srv.Count(http.MethodGet, "/x"))
			})
		}
	}
}
