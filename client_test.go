package vendorkit_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/woofed"
)

// TestCloseIdleConnections (issue 12.7): the kit closes its pool's idle
// connections on demand.
func TestCloseIdleConnections(t *testing.T) {
	var open atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("{}")) }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	kit, err := vendorkit.New()
	require.NoError(t, err)
	cred, _ := vendorkit.StaticToken("tok123456")
	e, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: srv.URL, Credential: cred})
	require.NoError(t, err)
	req, _ := http.NewRequest("GET", srv.URL+"/x", nil)
	resp, err := e.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Eventually(t, func() bool { return open.Load() == 1 }, time.Second, 5*time.Millisecond)
	kit.CloseIdleConnections()
	assert.Eventually(t, func() bool { return open.Load() == 0 }, time.Second, 5*time.Millisecond)
}

// TestNilAndZeroClient: a nil *Client stands for Default() everywhere, and a
// zero Client (not built with New) is refused when a vendor client is built
// on it, with an error that names the fix — never a nil dereference later.
func TestNilAndZeroClient(t *testing.T) {
	var nilKit *vendorkit.Client
	assert.Equal(t, vendorkit.Default().RetryPolicy(), nilKit.RetryPolicy())
	assert.Positive(t, nilKit.RetryBudget("woofed"))
	assert.NotPanics(t, nilKit.CloseIdleConnections)

	_, err := woofed.New(&vendorkit.Client{}, "tok")
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "vendorkit.New")
}
