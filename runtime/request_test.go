package runtime_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
)

// generatedURL is the URL an oapi-codegen request builder makes of base and
// an operation path whose parameters are escaped as path segments.
func generatedURL(t testing.TB, base, query string, segments ...string) string {
	server, err := url.Parse(strings.TrimRight(base, "/") + "/")
	require.NoError(t, err)
	esc := make([]string, len(segments))
	for i, s := range segments {
		esc[i] = url.PathEscape(s)
	}
	u, err := server.Parse("./" + strings.Join(esc, "/"))
	require.NoError(t, err)
	u.RawQuery = query
	return u.String()
}

func TestNewRequest(t *testing.T) {
	kit, err := vendorkit.New()
	require.NoError(t, err)
	for _, tt := range []struct {
		base, query string
		segments    []string
		want        string
	}{
		{"https://api.example.com", "", []string{"contacts", "42"}, "https://api.example.com/contacts/42"},
		{"https://api.example.com/api/v1/", "", []string{"accounts", "a1", "contacts", "c 2"}, "https://api.example.com/api/v1/accounts/a1/contacts/c%202"},
		{"http://127.0.0.1:8080/rest", "a=1&b=2", []string{"v1", "me"}, "http://127.0.0.1:8080/rest/v1/me?a=1&b=2"},
		{"https://x.example.com/api", "", []string{"products", "a/b?c#d%e;f,g:h@i"}, "https://x.example.com/api/products/a%2Fb%3Fc%23d%25e%3Bf%2Cg:h@i"},
		{"https://x.example.com/sub%20dir", "", []string{"p", "ü"}, "https://x.example.com/sub%20dir/p/%C3%BC"},
	} {
		e := endpoint(t, kit, tt.base)
		req, err := e.NewRequest(context.Background(), http.MethodGet, tt.query, tt.segments...)
		require.NoError(t, err)
		assert.Equal(t, tt.want, req.URL.String())
		assert.Equal(t, generatedURL(t, tt.base, tt.query, tt.segments...), req.URL.String())
		assert.Empty(t, req.Host, "the request goes to URL.Host; a Host set would make http.Client copy the URL")
		assert.Equal(t, http.MethodGet, req.Method)
		assert.Nil(t, req.Body)
	}
}

// TestNewRequestIsNetHTTPs: the request NewRequest builds by hand is the
// one http.NewRequestWithContext builds for its URL (but for Host, left
// empty), for every method; an unusual method or a nil context gets
// net/http's own checks.
func TestNewRequestIsNetHTTPs(t *testing.T) {
	kit, err := vendorkit.New()
	require.NoError(t, err)
	e := endpoint(t, kit, "https://api.example.com/api")
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead, "PROPFIND"} {
		got, err := e.NewRequest(ctx, method, "a=1", "things", "a b")
		require.NoError(t, err, method)
		want, err := http.NewRequestWithContext(ctx, method, got.URL.String(), nil)
		require.NoError(t, err)
		want.Host, want.URL = "", got.URL
		assert.Equal(t, want, got, method)
		assert.Equal(t, "v", got.Context().Value(key{}), method)
	}
	_, err = e.NewRequest(ctx, "BAD METHOD", "", "things")
	assert.ErrorContains(t, err, "invalid method")
	//lint:ignore SA1012 a nil context is refused with net/http's error, not a panic
	_, err = e.NewRequest(nil, http.MethodGet, "", "things")
	assert.ErrorContains(t, err, "nil Context")
	allocs := testing.AllocsPerRun(100, func() { _, _ = e.NewRequest(ctx, http.MethodGet, "", "things", "1") })
	assert.Equal(t, 4.0, allocs, "the request, its URL, its path and its header map")
}

func TestNewRequestRefusesDotSegments(t *testing.T) {
	kit, err := vendorkit.New()
	require.NoError(t, err)
	e := endpoint(t, kit, "https://api.example.com")
	for _, s := range []string{"", ".", ".."} {
		_, err := e.NewRequest(context.Background(), http.MethodGet, "", "contacts", s)
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument, "segment %q", s)
	}
}

func TestNewRequestSends(t *testing.T) {
	kit, err := vendorkit.New()
	require.NoError(t, err)
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		okHandler(w, r)
	}))
	defer srv.Close()
	e := endpoint(t, kit, srv.URL+"/api")
	req, err := e.NewRequest(context.Background(), http.MethodGet, "q=1", "things", "a b")
	require.NoError(t, err)
	resp, err := e.Do(req)
	require.NoError(t, err)
	mustClose(t, resp)
	require.NotNil(t, got)
	assert.Equal(t, "/api/things/a%20b", got.URL.EscapedPath())
	assert.Equal(t, "q=1", got.URL.RawQuery)
	assert.Equal(t, srv.Listener.Addr().String(), got.Host, "the Host header names the base URL's host")
	assert.Equal(t, "Bearer s3cr3t-token", got.Header.Get("Authorization"))
}

// FuzzNewRequest checks that NewRequest builds the URL a generated request
// builder would, for any path segment.
func FuzzNewRequest(f *testing.F) {
	for _, s := range []string{"42", "a b", "a/b", "../x", "%2F", "?#", "ü", ":", ""} {
		f.Add(s)
	}
	kit, err := vendorkit.New()
	if err != nil {
		f.Fatal(err)
	}
	cred, _ := vendorkit.StaticToken("t")
	e, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: "https://api.example.com/api/v1", Credential: cred})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		req, err := e.NewRequest(context.Background(), http.MethodGet, "", "things", s)
		if s == "" || s == "." || s == ".." {
			if !errors.Is(err, vendorkit.ErrInvalidArgument) {
				t.Fatalf("segment %q: %v, want ErrInvalidArgument", s, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if got, want := req.URL.String(), generatedURL(t, "https://api.example.com/api/v1", "", "things", s); got != want {
			t.Fatalf("segment %q: %s, generated builder %s", s, got, want)
		}
		if req.URL.Path != "/api/v1/things/"+s {
			t.Fatalf("segment %q: path %q", s, req.URL.Path)
		}
	})
}
