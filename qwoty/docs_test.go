package qwoty_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/fidelity"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// The documented examples are in testdata/docs, listed with their sources
// in testdata/docs/SOURCES.md; the *.partial.txt files are examples the
// stored pages hold only up to a cut.
const docsDir = "testdata/docs"

func loadDocs(t *testing.T) map[string]fidelity.Example {
	t.Helper()
	list, err := fidelity.Load(docsDir)
	require.NoError(t, err)
	out := map[string]fidelity.Example{}
	for _, ex := range list {
		out[ex.File] = ex
	}
	return out
}

// partial reads a cut example and closes it: it keeps the text up to the
// end of the last complete value and closes the brackets still open. No
// value is added.
func partial(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(docsDir, name))
	require.NoError(t, err)
	closed, err := closeCut(b)
	require.NoError(t, err, name)
	require.True(t, json.Valid(closed), "%s closed as %s", name, closed)
	return closed
}

// closeCut implements partial's rule with a small scanner: it tracks the
// open brackets and, for each position, whether a value (not a key) has
// just ended there.
func closeCut(b []byte) ([]byte, error) {
	var stack []byte   // open brackets
	var keyNext []bool // per open object: is the next string a key?
	lastEnd, lastDepth := -1, []byte(nil)
	inString, escaped, isKey := false, false, false
	markEnd := func(i int) { lastEnd, lastDepth = i+1, append([]byte(nil), stack...) }
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if !isKey {
					markEnd(i)
				}
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			isKey = len(stack) > 0 && stack[len(stack)-1] == '{' && keyNext[len(keyNext)-1]
			if isKey {
				keyNext[len(keyNext)-1] = false
			}
		case '{', '[':
			stack = append(stack, c)
			keyNext = append(keyNext, c == '{')
		case '}', ']':
			stack, keyNext = stack[:len(stack)-1], keyNext[:len(keyNext)-1]
			markEnd(i)
		case ',':
			if len(stack) > 0 && stack[len(stack)-1] == '{' {
				keyNext[len(keyNext)-1] = true
			}
		case ' ', '\n', '\r', '\t', ':':
		default: // a number or a literal: it ends before the next delimiter
			j := i
			for j < len(b) && bytes.IndexByte([]byte(" \n\r\t,]}"), b[j]) < 0 {
				j++
			}
			if j == len(b) {
				i = j // cut inside the literal: not complete
				continue
			}
			markEnd(j - 1)
			i = j - 1
		}
	}
	if lastEnd < 0 {
		return nil, errors.New("no complete value")
	}
	out := append([]byte(nil), b[:lastEnd]...)
	for k := len(lastDepth) - 1; k >= 0; k-- {
		if lastDepth[k] == '{' {
			out = append(out, '}')
		} else {
			out = append(out, ']')
		}
	}
	return out, nil
}

func TestCloseCut(t *testing.T) {
	for in, want := range map[string]string{
		`{"a": 1, "b": {"c": "x", "d"`:      `{"a": 1, "b": {"c": "x"}}`,
		`{"a": [1, 2], "b": [{"c": 10, "d"`: `{"a": [1, 2], "b": [{"c": 10}]}`,
		`{"a": 1, "b": 10`:                  `{"a": 1}`,
		`{"a": [{"b": 1}, {"i`:              `{"a": [{"b": 1}]}`,
		`{"a": "x\"y", "b": 15`:             `{"a": "x\"y"}`,
		`{"a": null, "b": {"c": true}, `:    `{"a": null, "b": {"c": true}}`,
		`{"success": true, "data": {"q":`:   `{"success": true}`,
	} {
		got, err := closeCut([]byte(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, string(got), in)
	}
}

// data returns the example's data member (and, for a quote, data.quote).
func data(t *testing.T, example []byte, path ...string) []byte {
	t.Helper()
	var env map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(example, &env))
	out := env["data"]
	for _, p := range path {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(out, &m))
		out = m[p]
	}
	require.NotNil(t, out)
	return out
}

// docClient returns a client of a server answering body with status.
func docClient(t *testing.T, status int, body []byte) *qwoty.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	q, err := qwoty.New(vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1})), "qwt_prod_test", qwoty.WithBaseURL(srv.URL))
	require.NoError(t, err)
	return q
}

const termID = "550e8400-e29b-41d4-a716-446655440000"

// TestDocsResponsesDecode decodes every documented response through the
// facade method that receives it and fails when a documented value of its
// data is not kept by the typed result.
func TestDocsResponsesDecode(t *testing.T) {
	ctx := context.Background()
	docs := loadDocs(t)
	for _, name := range []string{"payment-terms-create.response.json", "payment-terms-get.response.json", "payment-terms-update.response.json"} {
		t.Run(name, func(t *testing.T) {
			ex := docs[name]
			status, err := strconv.Atoi(ex.Status)
			require.NoError(t, err)
			q := docClient(t, status, ex.Body)
			var pt qwoty.PaymentTerm
			switch ex.Operation {
			case "CreatePaymentTerm":
				pt, err = q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "Net 30 Days", APIName: "net_30_days"})
			case "GetPaymentTerm":
				pt, err = q.GetPaymentTerm(ctx, termID)
			case "UpdatePaymentTerm":
				pt, err = q.UpdatePaymentTerm(ctx, termID, qwoty.PaymentTermUpdate{Name: vendorkit.Ptr("Net 30 Days (Updated)")})
			}
			require.NoError(t, err)
			lost, err := fidelity.Lost(data(t, ex.Body), pt)
			require.NoError(t, err)
			assert.Empty(t, lost)
		})
	}
	t.Run("payment-terms-delete.response.json", func(t *testing.T) {
		// The confirmation message is not surfaced: DeletePaymentTerm
		// returns only an error.
		require.NoError(t, docClient(t, http.StatusOK, docs["payment-terms-delete.response.json"].Body).DeletePaymentTerm(ctx, termID))
	})
	for _, name := range []string{"quote-get.docs-qwoty-io.partial.txt", "quote-get.developer-qwoty-io.partial.txt"} {
		t.Run(name, func(t *testing.T) {
			body := partial(t, name)
			quote, err := docClient(t, http.StatusOK, body).GetQuote(ctx, termID)
			require.NoError(t, err)
			// developer.qwoty.io names the owner owner_id (one name); it is
			// read into Owner, checked below rather than by path.
			lost, err := fidelity.Lost(data(t, body, "quote"), quote, fidelity.Ignore("owner_id.*"))
			require.NoError(t, err)
			assert.Empty(t, lost)
			require.NotNil(t, quote.Owner)
			assert.Equal(t, "Paul Martin", quote.Owner.FullName())
			assert.Equal(t, "CRM-7654321", quote.Owner.ExternalIDs.CRM)
			// Full timestamps, not dates (issue 17, Qwoty point).
			assert.Equal(t, time.Date(2026, 3, 10, 9, 15, 0, 0, time.UTC), quote.IssueDate)
			assert.Equal(t, time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC), quote.ExpirationDate)
		})
	}
}

// TestDocsErrorsDecode reads every documented error body into APIError.
func TestDocsErrorsDecode(t *testing.T) {
	ctx := context.Background()
	docs := loadDocs(t)
	want := map[string]struct {
		call    func(q *qwoty.Client) error
		matches error
		message string
	}{
		"authentication.error.json":    {func(q *qwoty.Client) error { _, err := q.ListPaymentTerms(ctx); return err }, vendorkit.ErrUnauthorized, "Invalid API token"},
		"payment-terms-get.error.json": {func(q *qwoty.Client) error { _, err := q.GetPaymentTerm(ctx, termID); return err }, vendorkit.ErrNotFound, "Payment term not found"},
		"payment-terms-update.error.json": {func(q *qwoty.Client) error {
			_, err := q.UpdatePaymentTerm(ctx, termID, qwoty.PaymentTermUpdate{Name: vendorkit.Ptr("x")})
			return err
		}, vendorkit.ErrNotFound, "Payment term not found"},
		"payment-terms-delete.error.json": {func(q *qwoty.Client) error { return q.DeletePaymentTerm(ctx, termID) }, vendorkit.ErrNotFound, "Payment term not found"},
	}
	n := 0
	for name, ex := range docs {
		if ex.Kind != "error" {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			require.True(t, ok, "no expectation for %s", name)
			status, err := strconv.Atoi(ex.Status)
			require.NoError(t, err)
			err = w.call(docClient(t, status, ex.Body))
			require.ErrorIs(t, err, w.matches)
			var apiErr *vendorkit.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, w.message, apiErr.Message)
		})
	}
	assert.Equal(t, len(want), n)
}

// TestDocsRequestsAreWhatTheClientSends checks that each documented request
// body is exactly what the client sends for the same input.
func TestDocsRequestsAreWhatTheClientSends(t *testing.T) {
	ctx := context.Background()
	docs := loadDocs(t)
	q, srv := setup(t, qwotytest.Token)

	_, err := q.UpdatePaymentTerm(ctx, qwotytest.Net30ID, qwoty.PaymentTermUpdate{Name: vendorkit.Ptr("Net 30 Days (Updated)")})
	require.NoError(t, err)
	assert.JSONEq(t, string(docs["payment-terms-update.request.json"].Body), lastBody(t, srv))

	_, err = q.UpdatePaymentTerm(ctx, qwotytest.Net30ID, qwoty.PaymentTermUpdate{IsActive: vendorkit.Ptr(false)})
	require.NoError(t, err)
	assert.JSONEq(t, string(docs["payment-terms-deactivate.request.json"].Body), lastBody(t, srv))

	_, err = q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{
		Name: "Net 30 Days", APIName: "net_30_days", Reference: "PT001", IsActive: vendorkit.Ptr(true),
		Installments: []qwoty.Installment{{Name: "Full Payment", Percentage: dec("100"), Term: qwoty.TermNet30, OrderNumber: 1}},
	})
	require.NoError(t, err)
	assert.JSONEq(t, string(partial(t, "payment-terms-create.request.partial.txt")), lastBody(t, srv))
}

// TestFakeMatchesDocs compares the fake's answers with the documented ones
// by shape: every documented key with its JSON type, false and null
// included.
func TestFakeMatchesDocs(t *testing.T) {
	docs := loadDocs(t)
	srv := qwotytest.NewServer(t)
	call := func(method, path, body string) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL()+path, bytes.NewReader([]byte(body)))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, b
	}
	create := `{"name":"Net 30 Days","api_name":"net_30_days_docs","reference":"PT001","id_crm":"crm_123","id_erp":"erp_456","id_accounting":"acc_789",` +
		`"installments":[{"name":"Full Payment","percentage":100,"term":"net30","order_number":1}]}`
	status, created := call("POST", "/payment-terms", create)
	require.Equal(t, http.StatusCreated, status, "%s", created)
	var env struct {
		Data struct{ ID string } `json:"data"`
	}
	require.NoError(t, json.Unmarshal(created, &env))
	id := env.Data.ID
	missing := "/payment-terms/00000000-0000-4000-8000-000000000000"

	steps := []struct {
		example      []byte
		status       int
		method, path string
		body         string
		opts         []fidelity.Option
	}{
		{docs["payment-terms-create.response.json"].Body, 0, "", "", "", nil},
		{docs["payment-terms-get.response.json"].Body, 200, "GET", "/payment-terms/" + id, "", nil},
		{docs["payment-terms-update.response.json"].Body, 200, "PUT", "/payment-terms/" + id, string(docs["payment-terms-update.request.json"].Body), nil},
		{docs["payment-terms-get.error.json"].Body, 404, "GET", missing, "", nil},
		{docs["payment-terms-update.error.json"].Body, 404, "PUT", missing, `{"name":"x"}`, nil},
		{docs["payment-terms-delete.error.json"].Body, 404, "DELETE", missing, "", nil},
		{docs["payment-terms-delete.response.json"].Body, 200, "DELETE", "/payment-terms/" + id, "", nil},
		// custom_properties are the workspace's own fields: their keys differ
		// by workspace.
		{partial(t, "quote-get.docs-qwoty-io.partial.txt"), 200, "GET", "/quote/" + qwotytest.QuoteID, "",
			[]fidelity.Option{fidelity.Ignore("data.quote.customer.custom_properties.*")}},
	}
	for i, st := range steps {
		answer := created
		if st.method != "" {
			var status int
			status, answer = call(st.method, st.path, st.body)
			require.Equal(t, st.status, status, "step %d: %s", i, answer)
		}
		diffs, err := fidelity.Shape(st.example, answer, st.opts...)
		require.NoError(t, err)
		assert.Empty(t, diffs, "step %d: %s %s", i, st.method, st.path)
	}

	// The token error comes from any operation.
	req, _ := http.NewRequest("GET", srv.URL()+"/payment-terms", nil)
	req.Header.Set("Authorization", "Bearer qwt_prod_wrong")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	diffs, err := fidelity.Shape(docs["authentication.error.json"].Body, b)
	require.NoError(t, err)
	assert.Empty(t, diffs)
	assert.JSONEq(t, string(docs["authentication.error.json"].Body), string(b), "the documented body, word for word")
}

// The quote's dates are timestamps (issue 17, Qwoty point): both documented
// forms, a bare date, null and absent decode; anything else is an error.
func TestQuoteDates(t *testing.T) {
	for in, want := range map[string]time.Time{
		`"2026-03-10T09:15:00.000Z"`:  time.Date(2026, 3, 10, 9, 15, 0, 0, time.UTC),
		`"2024-12-31T23:59:59Z"`:      time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC),
		`"2024-12-31T23:59:59+01:00"`: time.Date(2024, 12, 31, 22, 59, 59, 0, time.UTC),
		`"2026-03-10"`:                time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC),
		`null`:                        {},
		`""`:                          {},
	} {
		var q qwoty.Quote
		require.NoError(t, json.Unmarshal([]byte(`{"id":"q","issue_date":`+in+`,"expiration_date":`+in+`}`), &q), in)
		assert.True(t, want.Equal(q.IssueDate), "%s: %v", in, q.IssueDate)
		assert.True(t, want.Equal(q.ExpirationDate), in)
	}
	var q qwoty.Quote
	err := json.Unmarshal([]byte(`{"id":"q","issue_date":"10/03/2026"}`), &q)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "issue_date")
}

// FuzzQuoteJSON feeds arbitrary bytes to the quote decoder: it must never
// panic, and a quote it accepts must encode again.
func FuzzQuoteJSON(f *testing.F) {
	f.Add([]byte(`{"id":"q","issue_date":"2026-03-10T09:15:00.000Z","expiration_date":"2024-12-31T23:59:59Z","publish":true}`))
	f.Add([]byte(`{"id":"q","issue_date":"2026-03-10","owner_id":{"id":"o","name":"P M"}}`))
	f.Add([]byte(`{"issue_date":12,"expiration_date":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var q qwoty.Quote
		if json.Unmarshal(b, &q) != nil {
			return
		}
		if _, err := json.Marshal(q); err != nil && q.IssueDate.Year() >= 0 && q.IssueDate.Year() <= 9999 &&
			q.ExpirationDate.Year() >= 0 && q.ExpirationDate.Year() <= 9999 {
			t.Fatalf("accepted quote does not encode: %v", err)
		}
	})
}
