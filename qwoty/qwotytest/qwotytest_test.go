package qwotytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestFixtureMatchesTheModel decodes the seeded quote strictly: every field
// of the fixture (the documented Quote) has a place in qwoty.Quote, except
// owner_id, the other documented spelling of owner.
func TestFixtureMatchesTheModel(t *testing.T) {
	raw, err := os.ReadFile("fixtures/quote.json")
	require.NoError(t, err)
	type strict qwoty.Quote // without the lenient UnmarshalJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var q strict
	require.NoError(t, dec.Decode(&q))
	assert.Equal(t, qwotytest.QuoteID, q.ID)
}

func TestServeQuoteExactly(t *testing.T) {
	srv := qwotytest.NewServer(t)
	req, err := http.NewRequest(http.MethodGet, srv.URL()+"/quote/"+qwotytest.QuoteID, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+qwotytest.ReadOnlyToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var env struct {
		Success bool `json:"success"`
		Data    struct {
			Quote json.RawMessage `json:"quote"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &env))
	assert.True(t, env.Success)
	raw, err := os.ReadFile("fixtures/quote.json")
	require.NoError(t, err)
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, raw))
	assert.Equal(t, compact.String(), string(env.Data.Quote), "the fixture is served byte for byte (amounts keep their text)")
}

func TestAddTokenAndQuote(t *testing.T) {
	ctx := context.Background()
	srv := qwotytest.NewServer(t)
	srv.AddToken("tok-initech", "initech", qwotytest.ReadWrite)
	pt := srv.AddPaymentTerm("initech", qwoty.PaymentTerm{Name: "Due now", APIName: "due_now", IsActive: true,
		Installments: []qwoty.Installment{{Name: "All", Percentage: qwoty.DecimalFromInt(100), Term: qwoty.TermDueNow}}})
	assert.NotEmpty(t, pt.ID)
	assert.NotEmpty(t, pt.Installments[0].ID)
	id := srv.AddQuote("initech", json.RawMessage(`{"id":"q-1","number":"7","summary":{"one_off":{"net_amount":10.10,"tax_amount":0,"total_amount":10.10}}}`), pt.ID)
	assert.Equal(t, "q-1", id)

	q, err := qwoty.New(vendorkittest.NewClient(t), "tok-initech", qwoty.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	quote, err := q.GetQuote(ctx, "q-1")
	require.NoError(t, err)
	assert.Equal(t, "10.10", quote.Summary.OneOff.TotalAmount.String())
	assert.ErrorIs(t, q.DeletePaymentTerm(ctx, pt.ID), qwoty.ErrPaymentTermInUse)
	_, err = q.GetQuote(ctx, qwotytest.QuoteID)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound, "another workspace's quote")
}

func TestStandalone(t *testing.T) {
	st := vendorkittest.Standalone()
	srv := qwotytest.NewServer(st)
	q, err := qwoty.New(vendorkittest.NewClient(st), qwotytest.Token, qwoty.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	_, err = q.ListPaymentTerms(context.Background())
	require.NoError(t, err)
	st.Close()
	assert.False(t, st.Failed())
	_, err = q.ListPaymentTerms(context.Background())
	assert.Error(t, err, "the server is closed")
}
