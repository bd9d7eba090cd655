package vendorkit_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func TestSmoke(t *testing.T) {
	srv := vendorkittest.NewServer(t, "/api")
	srv.Use(vendorkittest.RequireBearer(func(tok string) bool { return tok == "tok" }, func(w http.ResponseWriter, r *http.Request) {
		vendorkittest.WriteJSON(w, 401, map[string]string{"error": "Invalid token"})
	}))
	srv.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) { vendorkittest.WriteJSON(w, 200, map[string]int{"a": 1}) })
	kit := vendorkittest.NewClient(t)
	cred, err := vendorkit.StaticToken("tok")
	require.NoError(t, err)
	e, err := kit.NewEndpoint(vendorkit.EndpointConfig{Vendor: "test", BaseURL: srv.URL(), Credential: cred, AuthScheme: "Bearer"})
	require.NoError(t, err)
	srv.FailNext(2, 503, `{"error":"down"}`, "")
	req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL()+"/x?email=a@b.c", nil)
	resp, err := e.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.JSONEq(t, `{"a":1}`, string(b))
	require.Equal(t, 3, srv.Count("GET", "/x"))

	req, _ = http.NewRequestWithContext(context.Background(), "GET", srv.URL()+"/missing", nil)
	_, err = e.Do(req)
	var apiErr *vendorkit.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	t.Log(err)
}
