package qwoty

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/internal/wire"
)

func answer(body []byte) *http.Response {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body))}
}

// repeatsData reports whether body's top-level object has more than one
// key that encoding/json would match to "data".
func repeatsData(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if k, ok := tok.(string); ok && strings.EqualFold(k, "data") {
			n++
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
	}
	return n > 1
}

var envelopeSeeds = []string{
	`{"success":true,"data":{"id":"7a6b","name":"Three installments","api_name":"three_way","is_active":true,"installments":[{"name":"Deposit","percentage":33.33,"term":"due_now"}]}}`,
	`{"success":false,"error":"Workspace suspended"}`, `{"success":true}`, `{"success":true,"data":null}`, `{"data":{"id":"x"}}`,
	`{"success":true,"data":{"installments":[{"percentage":"abc"}]}}`, `{"success":true,"data":{"is_active":"yes"}}`,
	`{"success":"true","data":{}}`, `{"success":true,"data":[]}`, `{"success":true,"message":5,"data":{}}`, `[]`, `null`, ``, `{`,
	`{"success":false,"data":{"is_active":"yes"}}`, `{"Success":true,"DATA":{"id":"x"}}`,
}

// FuzzDecodeData checks decodeData's one pass against decodeDataSlow (the
// envelope, then its data), the way the facade read every answer before.
func FuzzDecodeData(f *testing.F) {
	for _, s := range envelopeSeeds {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("testdata/docs/payment-terms-get.response.json"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if repeatsData(body) {
			t.Skip("a repeated data key merges (documented on decodeData)")
		}
		got, err := decodeData[PaymentTerm](answer(body), nil)
		want, wantErr := decodeDataTwoPass[PaymentTerm](answer(body))
		if wantErr != nil {
			require.Error(t, err, "%q", body)
			assert.Equal(t, wantErr.Error(), err.Error(), "%q", body)
			return
		}
		require.NoError(t, err, "%q", body)
		assert.Equal(t, want, got, "%q", body)
	})
}

// decodeDataTwoPass reads resp the way decodeData did before its one-pass
// read: the envelope, then its data (decodeDataSlow).
func decodeDataTwoPass[T any](resp *http.Response) (T, error) {
	b, err := wire.Body(resp)
	if err != nil {
		var v T
		return v, err
	}
	return decodeDataSlow[T](resp, b)
}
