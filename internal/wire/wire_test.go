package wire_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/wire"
)

func TestFail(t *testing.T) {
	assert.NoError(t, wire.Fail("acme", "GetThing", nil))
	apiErr := &vendorkit.APIError{Vendor: "acme", StatusCode: 404}
	err := wire.Fail("acme", "GetThing", apiErr)
	assert.Same(t, apiErr, err)
	assert.Equal(t, "GetThing", apiErr.Operation)
	other := errors.New("boom")
	err = wire.Fail("acme", "GetThing", other)
	assert.EqualError(t, err, "acme: GetThing: boom")
	assert.ErrorIs(t, err, other)
}

func resp(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body))}
}

func TestDecode(t *testing.T) {
	type thing struct{ A int }
	v, err := wire.Decode[thing](resp(200, `{"A":7}`), nil)
	require.NoError(t, err)
	assert.Equal(t, 7, v.A)
	for _, body := range []string{`<html>`, ``, ` `, `null`, `{"A":"x"}`, `{"A":1`} {
		_, err = wire.Decode[thing](resp(200, body), nil)
		assert.ErrorIs(t, err, vendorkit.ErrMalformedResponse, "%q", body)
		assert.Equal(t, vendorkit.Applied, vendorkit.WriteOutcome(err))
	}
	_, err = wire.Decode[thing](resp(200, `<html>`), nil)
	assert.ErrorContains(t, err, "not JSON")
	v, err = wire.Decode[thing](resp(204, ``), nil)
	require.NoError(t, err)
	assert.Zero(t, v)
	boom := errors.New("boom")
	_, err = wire.Decode[thing](nil, boom)
	assert.Same(t, boom, err)
	assert.NoError(t, wire.Discard(resp(200, "x"), nil))
}

func TestCheckID(t *testing.T) {
	for _, bad := range []string{"", ".", "..", "a/b", "a?b", "a#b", "a%2F", `a\b`, "a b", "a\nb", "a\x00", "a\x7f", "a\u0085", "a\u009f", strings.Repeat("x", 257)} {
		assert.ErrorIs(t, wire.CheckID("contact id", bad), vendorkit.ErrInvalidArgument, "%q", bad)
	}
	for _, good := range []string{"cmabc123", "3f2b8c1e-9d4a-4b7e-8f00-1234567890ab", "a.b", "...", "ünïcode", "a\u00a0b"} {
		assert.NoError(t, wire.CheckID("contact id", good), good)
	}
}

// FuzzInto: any success body decodes or fails with ErrMalformedResponse,
// never panics.
func FuzzInto(f *testing.F) {
	for _, s := range []string{`{"A":1}`, ``, `null`, `<html>`, `[1,2]`, `{"A":"x"}`, "\xff\xfe", `{"A":1`} {
		f.Add(200, s)
	}
	f.Add(204, ``)
	f.Fuzz(func(t *testing.T, status int, body string) {
		var v struct{ A int }
		err := wire.Into(resp(status, body), &v)
		if err != nil && !errors.Is(err, vendorkit.ErrMalformedResponse) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}
