package qwoty

import (
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/internal/wire/wiretest"
)

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
		if wiretest.RepeatsKey(body) {
			t.Skip("a repeated key may merge (documented on decodeData)")
		}
		got, err := decodeData[PaymentTerm](wiretest.Answer(body), nil)
		want, wantErr := decodeDataTwoPass[PaymentTerm](wiretest.Answer(body))
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
