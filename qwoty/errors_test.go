package qwoty

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
)

// TestDecodeError maps the documented (and the assumed) error answers to
// the sentinels they must match.
func TestDecodeError(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		path        string
		status      int
		body        string
		want        []error
		notWant     []error
		wantMessage string
	}{
		{
			name: "documented 401", method: "GET", path: "/api/payment-terms", status: 401,
			body: `{"success":false,"error":"Invalid API token"}`,
			want: []error{vendorkit.ErrUnauthorized}, wantMessage: "Invalid API token",
		},
		{
			name: "401 without body", method: "GET", path: "/api/payment-terms", status: 401,
			want: []error{vendorkit.ErrUnauthorized}, wantMessage: "missing or invalid API token",
		},
		{
			name: "403 with Qwoty's wording", method: "POST", path: "/api/payment-terms", status: 403,
			body:    `{"success":false,"error":"Token doesn't have permission for this operation"}`,
			want:    []error{vendorkit.ErrForbidden},
			notWant: []error{vendorkit.ErrUnauthorized}, wantMessage: "Token doesn't have permission for this operation",
		},
		{
			name: "403 terse", method: "POST", path: "/api/payment-terms", status: 403,
			body: `{"success":false,"error":"Forbidden"}`,
			want: []error{vendorkit.ErrForbidden}, wantMessage: forbiddenHint,
		},
		{
			name: "403 other words", method: "DELETE", path: "/api/payment-terms/x", status: 403,
			body: `{"success":false,"error":"Access denied"}`,
			want: []error{vendorkit.ErrForbidden}, notWant: []error{ErrPaymentTermInUse},
			wantMessage: "Access denied: " + forbiddenHint,
		},
		{
			name: "documented 404", method: "GET", path: "/api/payment-terms/x", status: 404,
			body: `{"success":false,"error":"Payment term not found"}`,
			want: []error{vendorkit.ErrNotFound}, wantMessage: "Payment term not found",
		},
		{
			name: "in use, 409", method: "DELETE", path: "/api/payment-terms/x", status: 409,
			body: `{"success":false,"error":"Payment term is used by active quotes or contracts and cannot be deleted"}`,
			want: []error{ErrPaymentTermInUse, vendorkit.ErrConflict},
		},
		{
			name: "in use, 400 with another text", method: "DELETE", path: "/api/payment-terms/x", status: 400,
			body: `{"success":false,"error":"Cannot delete payment term"}`,
			want: []error{ErrPaymentTermInUse, vendorkit.ErrConflict}, notWant: []error{vendorkit.ErrBadRequest},
		},
		{
			name: "invalid id on delete is not in use", method: "DELETE", path: "/api/payment-terms/not-a-uuid", status: 400,
			body: `{"success":false,"error":"Invalid payment term id"}`,
			want: []error{vendorkit.ErrBadRequest}, notWant: []error{ErrPaymentTermInUse, vendorkit.ErrConflict},
		},
		{
			name: "in use, 422 on update", method: "PUT", path: "/api/payment-terms/x", status: 422,
			body: `{"success":false,"error":"Payment term is in use"}`,
			want: []error{ErrPaymentTermInUse},
		},
		{
			name: "duplicate api_name", method: "POST", path: "/api/payment-terms", status: 409,
			body: `{"success":false,"error":"A payment term with this api_name already exists"}`,
			want: []error{ErrAPINameTaken, vendorkit.ErrConflict}, notWant: []error{ErrPaymentTermInUse},
		},
		{
			name: "validation 422", method: "POST", path: "/api/payment-terms", status: 422,
			body: `{"success":false,"error":"The percentages of the installments must sum to 100"}`,
			want: []error{vendorkit.ErrBadRequest}, notWant: []error{ErrAPINameTaken, ErrPaymentTermInUse},
			wantMessage: "The percentages of the installments must sum to 100",
		},
		{
			name: "validation with field errors", method: "POST", path: "/api/payment-terms", status: 400,
			body: `{"success":false,"error":{"name":["is required"]}}`,
			want: []error{vendorkit.ErrBadRequest}, wantMessage: "name is required",
		},
		{
			name: "non-JSON 502", method: "GET", path: "/api/quote/x", status: 502,
			body: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
			want: []error{vendorkit.ErrServer}, wantMessage: "502 Bad Gateway",
		},
		{
			name: "429", method: "GET", path: "/api/payment-terms", status: 429,
			body: `{"success":false,"error":"Too many requests"}`,
			want: []error{vendorkit.ErrRateLimited},
		},
		{
			name: "success false in a 200", method: "GET", path: "/api/payment-terms", status: 200,
			body: `{"success":false,"error":"Workspace suspended"}`,
			want: []error{ErrUnsuccessful, vendorkit.ErrBadRequest}, wantMessage: "Workspace suspended",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &vendorkit.APIError{Vendor: "qwoty", Method: tt.method, Path: tt.path, StatusCode: tt.status, Body: []byte(tt.body)}
			decodeError(e)
			for _, w := range tt.want {
				assert.ErrorIs(t, e, w)
			}
			for _, w := range tt.notWant {
				assert.NotErrorIs(t, e, w)
			}
			if tt.wantMessage != "" {
				assert.Equal(t, tt.wantMessage, e.Message)
			}
		})
	}
}

func TestSentinelsMatchTheirCategory(t *testing.T) {
	assert.ErrorIs(t, ErrPaymentTermInUse, vendorkit.ErrConflict)
	assert.ErrorIs(t, ErrAPINameTaken, vendorkit.ErrConflict)
	assert.ErrorIs(t, ErrUnsuccessful, vendorkit.ErrBadRequest)
}

func TestClassify(t *testing.T) {
	assert.Equal(t, runtime.Success, classify(200, nil, []byte(`{"success":true,"data":[]}`)))
	assert.Equal(t, runtime.Success, classify(200, nil, nil))
	assert.Equal(t, runtime.Success, classify(200, nil, []byte(`[1]`)))
	assert.Equal(t, runtime.Failure, classify(200, nil, []byte(` {"success":false,"error":"x"}`)))
	assert.Equal(t, runtime.RateLimited, classify(429, nil, nil))
	assert.Equal(t, runtime.Transient, classify(503, nil, nil))
	assert.True(t, inspectBody(nil, &http.Response{Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}}))
	assert.False(t, inspectBody(nil, &http.Response{Header: http.Header{"Content-Type": {"application/pdf"}}}))
}

func response(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
}

func TestEnvelopes(t *testing.T) {
	t.Run("list as array", func(t *testing.T) {
		terms, err := decodePaymentTerms(response(200, `{"success":true,"data":[{"id":"a","name":"N","api_name":"n","is_active":true,"installments":[]}]}`), nil)
		require.NoError(t, err)
		require.Len(t, terms, 1)
		assert.Equal(t, "a", terms[0].ID)
	})
	t.Run("list nested", func(t *testing.T) {
		terms, err := decodePaymentTerms(response(200, `{"success":true,"data":{"payment_terms":[{"id":"a"},{"id":"b"}]}}`), nil)
		require.NoError(t, err)
		assert.Len(t, terms, 2)
	})
	t.Run("list empty", func(t *testing.T) {
		terms, err := decodePaymentTerms(response(200, `{"success":true,"data":[]}`), nil)
		require.NoError(t, err)
		assert.NotNil(t, terms)
		assert.Empty(t, terms)
	})
	t.Run("list object without list", func(t *testing.T) {
		_, err := decodePaymentTerms(response(200, `{"success":true,"data":{"count":2}}`), nil)
		assert.ErrorIs(t, err, errNoData)
	})
	t.Run("no data", func(t *testing.T) {
		_, err := decodeData[PaymentTerm](response(200, `{"success":true}`), nil)
		assert.ErrorIs(t, err, errNoData)
	})
	t.Run("success false", func(t *testing.T) {
		_, err := decodeData[PaymentTerm](response(200, `{"success":false,"error":"nope"}`), nil)
		assert.ErrorIs(t, err, ErrUnsuccessful)
		assert.ErrorContains(t, err, "nope")
	})
	t.Run("not JSON", func(t *testing.T) {
		_, err := decodeData[PaymentTerm](response(200, `<html>`), nil)
		assert.ErrorContains(t, err, "not JSON")
	})
	t.Run("error passes through", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := decodeQuote(nil, boom)
		assert.ErrorIs(t, err, boom)
	})
	t.Run("quote wrapped", func(t *testing.T) {
		q, err := decodeQuote(response(200, `{"success":true,"data":{"quote":{"id":"q1","owner":{"id":"u","first_name":"A","last_name":"B"}}}}`), nil)
		require.NoError(t, err)
		assert.Equal(t, "q1", q.ID)
		assert.Equal(t, "A B", q.Owner.FullName())
	})
	t.Run("quote bare, owner_id form", func(t *testing.T) {
		q, err := decodeQuote(response(200, `{"success":true,"data":{"id":"q1","publish":"yes","owner_id":{"id":"u","name":"Ann Bell","email":"a@b.c"}}}`), nil)
		require.NoError(t, err)
		assert.Equal(t, "Ann Bell", q.Owner.FullName())
		assert.Nil(t, q.Publish)
	})
	t.Run("quote missing", func(t *testing.T) {
		_, err := decodeQuote(response(200, `{"success":true,"data":{}}`), nil)
		assert.ErrorIs(t, err, errNoData)
	})
}

// FuzzDecodeError feeds arbitrary bodies to the error decoder: it must not
// panic, must keep the status category, and must keep the message on one
// printable line.
func FuzzDecodeError(f *testing.F) {
	f.Add(401, "GET", []byte(`{"success":false,"error":"Invalid API token"}`))
	f.Add(403, "POST", []byte(`{"success":false,"error":"Forbidden"}`))
	f.Add(409, "DELETE", []byte(`{"success":false,"error":"Payment term is used by active quotes or contracts"}`))
	f.Add(422, "PUT", []byte(`{"success":false,"error":{"api_name":["has already been taken"]}}`))
	f.Add(502, "GET", []byte("<html><title>Bad gateway</title></html>"))
	f.Add(200, "GET", []byte(`{"success":false}`))
	f.Add(500, "GET", []byte{0xff, 0x00, '\n'})
	f.Fuzz(func(t *testing.T, status int, method string, body []byte) {
		e := &vendorkit.APIError{Vendor: "qwoty", Method: method, Path: "/api/payment-terms/x", StatusCode: status, Body: body}
		decodeError(e)
		if c := runtime.StatusCategory(status); c != nil && !errors.Is(c, vendorkit.ErrBadRequest) && !errors.Is(c, vendorkit.ErrConflict) {
			assert.ErrorIs(t, e, c)
		}
		_ = e.Error()
	})
}

// FuzzEnvelope feeds arbitrary success bodies to every envelope decoder:
// they must not panic, and must return data or an error.
func FuzzEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"success":true,"data":[]}`,
		`{"success":true,"data":{"payment_terms":[{"id":"a","installments":[{"percentage":33.33}]}]}}`,
		`{"success":true,"data":{"id":"a","name":"n","api_name":"n","installments":[{"percentage":"100"}]}}`,
		`{"success":true,"data":{"quote":{"id":"q","summary":{"one_off":{"net_amount":1.10}}}}}`,
		`{"success":false,"error":"x"}`,
		`{"success":true,"data":null}`,
		`[]`, `null`, ``, `{"data":{"quote":null,"id":1}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := func() *http.Response {
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		}
		if terms, err := decodePaymentTerms(resp(), nil); err == nil {
			assert.NotNil(t, terms)
		}
		_, _ = decodeData[PaymentTerm](resp(), nil)
		_, _ = decodeQuote(resp(), nil)
	})
}

// unsuccessfulByDecoding is unsuccessful without its scan: what the
// classifier decided before the scan was added.
func unsuccessfulByDecoding(body []byte) bool {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return false
	}
	var env struct {
		Success *bool `json:"success"`
	}
	return json.Unmarshal(body, &env) == nil && env.Success != nil && !*env.Success
}

var unsuccessfulSeeds = []string{
	`{"success":true,"data":{"id":"x","is_active":false}}`, `{"success":false,"error":"Workspace suspended"}`,
	` {"success" : false}`, `{"SUCCESS":false}`, `{"Success":false}`, `{"succ\u0065ss":false}`, "{\"\u017fuccess\":false}",
	`{"success":false,"success":true}`, `{"success":true,"success":false}`, `{"success":false,"success":null}`,
	`{"success":5,"success":false}`, `{"success":false,"x":}`, `{"data":{"success":false}}`, `{"a":"\"success\":false"}`,
	`{"a":[1,{"b":"}"}],"success":false}`, `{"a":"x\\","success":false}`, `{"success":false}x`, `{"success":fals}`,
	"\u00a0{\"success\":false}", `[{"success":false}]`, `{}`, `{`, `{"`, `{"success"`, `{"success":`, `{"a":1 ,"success":false }`,
	`{"a":-1.5e3,"b":true,"c":null,"success":false}`,
}

func TestUnsuccessfulScan(t *testing.T) {
	for _, s := range unsuccessfulSeeds {
		assert.Equal(t, unsuccessfulByDecoding([]byte(s)), unsuccessful([]byte(s)), "%s", s)
	}
	assert.True(t, unsuccessful([]byte(`{"data":{},"Success":false}`)))
	assert.False(t, mayBeUnsuccessful([]byte(`{"success":true,"data":{"id":"x","ok":false,"list":[false]}}`)),
		"a success body is ruled out without decoding")
}

// FuzzUnsuccessful checks the classifier's scan against decoding the body.
func FuzzUnsuccessful(f *testing.F) {
	for _, s := range unsuccessfulSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if got, want := unsuccessful(body), unsuccessfulByDecoding(body); got != want {
			t.Fatalf("unsuccessful(%q) = %v, decoding says %v", body, got, want)
		}
	})
}
