package qwoty_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func setup(t *testing.T, token string, opts ...qwoty.Option) (*qwoty.Client, *qwotytest.Server) {
	t.Helper()
	srv := qwotytest.NewServer(t)
	q, err := qwoty.New(vendorkittest.NewClient(t), token, append([]qwoty.Option{qwoty.WithBaseURL(srv.URL())}, opts...)...)
	require.NoError(t, err)
	return q, srv
}

func dec(s string) qwoty.Decimal { return qwoty.MustParseDecimal(s) }

func lastBody(t *testing.T, srv *qwotytest.Server) string {
	t.Helper()
	r, ok := srv.LastRequest()
	require.True(t, ok)
	return string(r.Body)
}

func TestTokenForms(t *testing.T) {
	for _, tok := range []string{
		qwotytest.Token,
		"Bearer " + qwotytest.Token,
		"bearer " + qwotytest.Token,
		" BEARER  " + qwotytest.Token + "\n",
	} {
		t.Run(tok[:8], func(t *testing.T) {
			q, srv := setup(t, tok)
			terms, err := q.ListPaymentTerms(context.Background())
			require.NoError(t, err)
			assert.Len(t, terms, 2)
			r, _ := srv.LastRequest()
			assert.Equal(t, []string{"Bearer " + qwotytest.Token}, r.Header.Values("Authorization"))
		})
	}
}

func TestNewRefusesBadInput(t *testing.T) {
	kit := vendorkittest.NewClient(t)
	for name, tok := range map[string]string{
		"empty":       "",
		"blank":       "   ",
		"scheme only": "Bearer ",
		"CRLF":        "qwt_prod_a\r\nX-Evil: 1",
		"inner space": "qwt prod",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := qwoty.New(kit, tok)
			require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
			var apiErr *vendorkit.APIError
			assert.False(t, errors.As(err, &apiErr))
			if len(tok) > 4 {
				assert.NotContains(t, err.Error(), tok)
			}
		})
	}
	_, err := qwoty.New(kit, "tok", qwoty.WithBaseURL("http://qwoty.app/api"))
	assert.ErrorIs(t, err, vendorkit.ErrInsecureURL)
	_, err = qwoty.New(kit, "tok", qwoty.WithBaseURL("qwoty.app"))
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	_, err = qwoty.New(kit, "tok", qwoty.WithCredential(nil))
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	_, err = qwoty.New(kit, "tok", qwoty.WithCredential(vendorkit.CredentialFunc(func(context.Context) (string, error) { return "x", nil })))
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	q, err := qwoty.New(nil, "tok")
	require.NoError(t, err)
	assert.Equal(t, qwoty.DefaultBaseURL, q.Endpoint().BaseURL().String())
}

func TestBaseURLForms(t *testing.T) {
	srv := qwotytest.NewServer(t)
	kit := vendorkittest.NewClient(t)
	for _, base := range []string{srv.Origin(), srv.Origin() + "/", srv.URL(), srv.URL() + "/"} {
		t.Run(base, func(t *testing.T) {
			q, err := qwoty.New(kit, qwotytest.Token, qwoty.WithBaseURL(base))
			require.NoError(t, err)
			_, err = q.GetPaymentTerm(context.Background(), qwotytest.Net30ID)
			require.NoError(t, err)
			r, _ := srv.LastRequest()
			assert.Equal(t, "/api/payment-terms/"+qwotytest.Net30ID, r.Path)
		})
	}
	for _, doc := range []string{qwoty.DefaultBaseURL, qwoty.AlternateBaseURL, "https://qwoty.app", "https://app.qwoty.io/api/"} {
		q, err := qwoty.New(kit, "tok", qwoty.WithBaseURL(doc))
		require.NoError(t, err)
		assert.True(t, strings.HasSuffix(q.Endpoint().BaseURL().Path, "/api"))
		assert.False(t, strings.Contains(q.Endpoint().BaseURL().Path, "/api/api"))
	}
}

func TestRotatingCredential(t *testing.T) {
	srv := qwotytest.NewServer(t)
	calls := 0
	cred := vendorkit.CredentialFunc(func(context.Context) (string, error) {
		calls++
		return "Bearer " + qwotytest.Token, nil
	})
	q, err := qwoty.New(vendorkittest.NewClient(t), "", qwoty.WithBaseURL(srv.URL()), qwoty.WithCredential(cred))
	require.NoError(t, err)
	_, err = q.GetQuote(context.Background(), qwotytest.QuoteID)
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
	r, _ := srv.LastRequest()
	assert.Equal(t, "Bearer "+qwotytest.Token, r.Header.Get("Authorization"))
}

func TestListAndGetPaymentTerms(t *testing.T) {
	ctx := context.Background()
	q, srv := setup(t, qwotytest.ReadOnlyToken)
	terms, err := q.ListPaymentTerms(ctx)
	require.NoError(t, err)
	require.Len(t, terms, 2)
	assert.Equal(t, "net_30", terms[0].APIName)
	three := terms[1]
	assert.Equal(t, qwotytest.ThreeWayID, three.ID)
	assert.Equal(t, "PT-3X", three.Reference)
	assert.True(t, three.IsActive)
	require.Len(t, three.Installments, 3)
	assert.Equal(t, "33.33", three.Installments[0].Percentage.String())
	assert.Equal(t, qwoty.TermNet60, three.Installments[2].Term)
	assert.True(t, qwoty.SumDecimals(three.Installments[0].Percentage, three.Installments[1].Percentage, three.Installments[2].Percentage).Equal(qwoty.DecimalFromInt(100)))
	assert.Equal(t, time.Date(2026, 1, 10, 9, 30, 0, 0, time.UTC), three.CreatedAt)
	assert.Equal(t, 1, srv.Count("GET", "/payment-terms"))

	var all []qwoty.PaymentTerm
	for pt, err := range q.AllPaymentTerms(ctx) {
		require.NoError(t, err)
		all = append(all, pt)
	}
	assert.Equal(t, terms, all)
	for range q.AllPaymentTerms(ctx) {
		break // stopping early must not panic
	}

	got, err := q.GetPaymentTerm(ctx, qwotytest.ThreeWayID)
	require.NoError(t, err)
	assert.Equal(t, three, got)
}

func TestCreatePaymentTermRoundTripsDecimalsExactly(t *testing.T) {
	ctx := context.Background()
	q, srv := setup(t, qwotytest.Token)
	in := qwoty.PaymentTermInput{
		Name:      "Thirds",
		APIName:   "thirds-2026",
		Reference: "REF-1",
		IsActive:  vendorkit.Ptr(false),
		IDCRM:     "crm-1",
		Installments: []qwoty.Installment{
			{Name: "One", Percentage: dec("0.1"), Term: qwoty.TermDueNow, OrderNumber: 1},
			{Name: "Two", Percentage: dec("0.2"), Term: qwoty.TermNet15, OrderNumber: 2},
			{Name: "Three", Percentage: dec("33.330"), Term: qwoty.TermNet30, OrderNumber: 3},
			{Name: "Rest", Percentage: dec("66.37"), Term: "net75_custom", CustomText: "75 days after delivery", OrderNumber: 4},
		},
	}
	pt, err := q.CreatePaymentTerm(ctx, in)
	require.NoError(t, err)
	assert.NotEmpty(t, pt.ID)
	assert.False(t, pt.IsActive)
	assert.Equal(t, "crm-1", pt.IDCRM)
	require.Len(t, pt.Installments, 4)
	for i, inst := range pt.Installments {
		assert.NotEmpty(t, inst.ID)
		assert.Equal(t, in.Installments[i].Percentage.String(), inst.Percentage.String())
	}
	assert.Equal(t, qwoty.Term("net75_custom"), pt.Installments[3].Term)

	body := lastBody(t, srv)
	assert.Contains(t, body, `"percentage":0.1,`)
	assert.Contains(t, body, `"percentage":33.330,`)
	assert.JSONEq(t, `{"name":"Thirds","api_name":"thirds-2026","reference":"REF-1","is_active":false,"id_crm":"crm-1","installments":[
		{"name":"One","percentage":0.1,"term":"due_now","order_number":1},
		{"name":"Two","percentage":0.2,"term":"net15","order_number":2},
		{"name":"Three","percentage":33.330,"term":"net30","order_number":3},
		{"name":"Rest","percentage":66.37,"term":"net75_custom","custom_text":"75 days after delivery","order_number":4}]}`, body)

	got, err := q.GetPaymentTerm(ctx, pt.ID)
	require.NoError(t, err)
	assert.Equal(t, pt, got)
	assert.Len(t, srv.PaymentTerms(qwotytest.Workspace), 3)
}

func TestCreatePaymentTermValidatesBeforeSending(t *testing.T) {
	q, srv := setup(t, qwotytest.Token)
	ok := func() qwoty.PaymentTermInput {
		return qwoty.PaymentTermInput{Name: "Split", APIName: "split", Installments: []qwoty.Installment{
			{Name: "A", Percentage: dec("50"), Term: qwoty.TermDueNow, OrderNumber: 1},
			{Name: "B", Percentage: dec("50"), Term: qwoty.TermNet30, OrderNumber: 2},
		}}
	}
	tests := []struct {
		name   string
		edit   func(*qwoty.PaymentTermInput)
		reason string
	}{
		{"no name", func(in *qwoty.PaymentTermInput) { in.Name = "" }, "name is required"},
		{"name 51 chars", func(in *qwoty.PaymentTermInput) { in.Name = strings.Repeat("é", 51) }, "at most 50 characters"},
		{"no api_name", func(in *qwoty.PaymentTermInput) { in.APIName = "" }, "api_name is required"},
		{"api_name upper case", func(in *qwoty.PaymentTermInput) { in.APIName = "Net30" }, "slug"},
		{"api_name space", func(in *qwoty.PaymentTermInput) { in.APIName = "net 30" }, "slug"},
		{"api_name leading dash", func(in *qwoty.PaymentTermInput) { in.APIName = "-net" }, "slug"},
		{"reference too long", func(in *qwoty.PaymentTermInput) { in.Reference = strings.Repeat("r", 51) }, "reference must be at most 50"},
		{"thirds 33.33 each", func(in *qwoty.PaymentTermInput) {
			in.Installments = []qwoty.Installment{
				{Name: "A", Percentage: dec("33.33"), Term: qwoty.TermDueNow},
				{Name: "B", Percentage: dec("33.33"), Term: qwoty.TermDueNow},
				{Name: "C", Percentage: dec("33.33"), Term: qwoty.TermDueNow},
			}
		}, "sum to exactly 100, got 99.99"},
		{"float-ish 0.1+0.2", func(in *qwoty.PaymentTermInput) {
			in.Installments = []qwoty.Installment{
				{Name: "A", Percentage: dec("0.1"), Term: qwoty.TermDueNow},
				{Name: "B", Percentage: dec("0.2"), Term: qwoty.TermDueNow},
				{Name: "C", Percentage: dec("99.70000000000001"), Term: qwoty.TermDueNow},
			}
		}, "got 100.00000000000001"},
		{"empty installments", func(in *qwoty.PaymentTermInput) { in.Installments = []qwoty.Installment{} }, "sum to exactly 100, got 0"},
		{"negative", func(in *qwoty.PaymentTermInput) {
			in.Installments = []qwoty.Installment{
				{Name: "A", Percentage: dec("150"), Term: qwoty.TermDueNow},
				{Name: "B", Percentage: dec("-50"), Term: qwoty.TermDueNow},
			}
		}, "negative"},
		{"installment without term", func(in *qwoty.PaymentTermInput) { in.Installments[1].Term = "" }, "installment 2: term is required"},
		{"installment without name", func(in *qwoty.PaymentTermInput) { in.Installments[0].Name = "" }, "installment 1: name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok()
			tt.edit(&in)
			_, err := q.CreatePaymentTerm(context.Background(), in)
			require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
			assert.ErrorContains(t, err, tt.reason)
			assert.ErrorContains(t, err, "qwoty: CreatePaymentTerm:")
		})
	}
	assert.Zero(t, srv.Count("", ""), "nothing may be sent")

	// The control: the valid input goes through, and so do 50 characters.
	in := ok()
	in.Name = strings.Repeat("é", 50)
	_, err := q.CreatePaymentTerm(context.Background(), in)
	require.NoError(t, err)
	// No installments at all: the rule has nothing to check (the docs do
	// not require installments).
	_, err = q.CreatePaymentTerm(context.Background(), qwoty.PaymentTermInput{Name: "Bare", APIName: "bare"})
	require.NoError(t, err)
}

func TestUpdatePaymentTermSendsOnlySetFields(t *testing.T) {
	ctx := context.Background()
	q, srv := setup(t, qwotytest.Token)
	before, err := q.GetPaymentTerm(ctx, qwotytest.ThreeWayID)
	require.NoError(t, err)

	pt, err := q.UpdatePaymentTerm(ctx, qwotytest.ThreeWayID, qwoty.PaymentTermUpdate{IsActive: vendorkit.Ptr(false)})
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, http.MethodPut, r.Method)
	assert.Equal(t, "/api/payment-terms/"+qwotytest.ThreeWayID, r.Path)
	assert.Equal(t, `{"is_active":false}`, string(r.Body))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.False(t, pt.IsActive)
	assert.Equal(t, before.Name, pt.Name)
	assert.Equal(t, before.Reference, pt.Reference)
	assert.Equal(t, before.IDCRM, pt.IDCRM)
	assert.Equal(t, before.Installments, pt.Installments)

	pt, err = q.UpdatePaymentTerm(ctx, qwotytest.ThreeWayID, qwoty.PaymentTermUpdate{
		Name:      vendorkit.Ptr("Thirds"),
		Reference: vendorkit.Ptr(""),
		Installments: []qwoty.Installment{
			{Name: "Half", Percentage: dec("50.00"), Term: qwoty.TermDueNow, OrderNumber: 1},
			{Name: "Half", Percentage: dec("50.00"), Term: qwoty.TermEOM30, OrderNumber: 2},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, `{"name":"Thirds","reference":"","installments":[{"name":"Half","percentage":50.00,"term":"due_now","order_number":1},{"name":"Half","percentage":50.00,"term":"eom30","order_number":2}]}`, lastBody(t, srv))
	assert.Equal(t, "Thirds", pt.Name)
	assert.Empty(t, pt.Reference)
	assert.Equal(t, "three_way", pt.APIName)
	assert.False(t, pt.IsActive, "unchanged by the second update")
	require.Len(t, pt.Installments, 2)
	assert.Equal(t, "50.00", pt.Installments[0].Percentage.String())

	n := srv.Count("", "")
	for name, up := range map[string]qwoty.PaymentTermUpdate{
		"nothing set":  {},
		"empty name":   {Name: vendorkit.Ptr("")},
		"bad api_name": {APIName: vendorkit.Ptr("Bad Name")},
		"bad sum":      {Installments: []qwoty.Installment{{Name: "A", Percentage: dec("99.999"), Term: qwoty.TermDueNow}}},
	} {
		_, err := q.UpdatePaymentTerm(ctx, qwotytest.ThreeWayID, up)
		assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument, name)
	}
	_, err = q.UpdatePaymentTerm(ctx, "", qwoty.PaymentTermUpdate{IsActive: vendorkit.Ptr(true)})
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	assert.Equal(t, n, srv.Count("", ""), "nothing may be sent")
}

func TestDeletePaymentTerm(t *testing.T) {
	ctx := context.Background()
	q, srv := setup(t, qwotytest.Token)
	require.NoError(t, q.DeletePaymentTerm(ctx, qwotytest.Net30ID))
	assert.Len(t, srv.PaymentTerms(qwotytest.Workspace), 1)

	_, err := q.GetPaymentTerm(ctx, qwotytest.Net30ID)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
	err = q.DeletePaymentTerm(ctx, qwotytest.Net30ID)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)

	// The three-way term is used by the seeded quote.
	err = q.DeletePaymentTerm(ctx, qwotytest.ThreeWayID)
	require.ErrorIs(t, err, qwoty.ErrPaymentTermInUse)
	assert.ErrorIs(t, err, vendorkit.ErrConflict)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "DeletePaymentTerm", apiErr.Operation)
	assert.Equal(t, qwotytest.MsgTermInUse, apiErr.Message)
	assert.Equal(t, 1, srv.Count("DELETE", "/payment-terms/"+qwotytest.ThreeWayID), "a 409 is not retried")

	srv.SetInUse(qwotytest.Workspace, qwotytest.ThreeWayID, 0)
	require.NoError(t, q.DeletePaymentTerm(ctx, qwotytest.ThreeWayID))
	assert.Empty(t, srv.PaymentTerms(qwotytest.Workspace))

	assert.ErrorIs(t, q.DeletePaymentTerm(ctx, "a/b"), vendorkit.ErrInvalidArgument)
}

func TestGetQuote(t *testing.T) {
	ctx := context.Background()
	q, srv := setup(t, qwotytest.ReadOnlyToken)
	quote, err := q.GetQuote(ctx, qwotytest.QuoteID)
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, "/api/quote/"+qwotytest.QuoteID, r.Path, "the path is singular")

	assert.Equal(t, "Q-2026-0042", quote.Number)
	assert.Equal(t, "sent", quote.Status)
	require.NotNil(t, quote.Publish)
	assert.True(t, *quote.Publish)
	assert.Equal(t, time.Date(2026, 2, 14, 23, 59, 59, 0, time.UTC), quote.ExpirationDate)
	assert.Equal(t, time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC), quote.IssueDate)
	assert.Equal(t, "Camille Durand", quote.Owner.FullName())
	assert.Equal(t, "0055e000001AbCdAAK", quote.Owner.ExternalIDs.CRM)
	assert.Equal(t, "FR40123456824", quote.BusinessUnit.TaxIDs[0].Value)
	assert.Equal(t, "FR", quote.BusinessUnit.Address.CountryCode)
	require.Len(t, quote.Customer.Contacts, 2)
	assert.Equal(t, "signer", quote.Customer.Contacts[0].Role)
	assert.Equal(t, "3. OG", quote.Customer.BillingAddress.Line2)
	assert.Equal(t, "Hamburg", quote.Customer.ShippingAddress.City)
	assert.JSONEq(t, `0.075`, string(quote.Customer.CustomProperties["discount_rate"]))
	assert.Contains(t, quote.PDFLink, "expires=")

	require.Len(t, quote.PricingTable.Sections, 2)
	items := quote.PricingTable.Sections[0].Phases[0].LineItems
	require.Len(t, items, 2)
	assert.Equal(t, "1.5", items[0].Quantity.String())
	assert.Equal(t, "1333.33", items[0].Pricing.ListPrice.String())
	assert.Equal(t, "0.10", items[1].Pricing.ListPrice.String())
	assert.Equal(t, "day", items[0].Product.UnitOfMeasure)

	sum := quote.Summary
	assert.Equal(t, "2000.30", sum.OneOff.NetAmount.String())
	assert.True(t, sum.OneOff.NetAmount.Add(sum.OneOff.TaxAmount).Equal(sum.OneOff.TotalAmount))
	require.Len(t, sum.Recurring, 1)
	assert.Equal(t, "3897.00", sum.Recurring[0].TotalAmount.String())
	assert.Equal(t, "month", sum.Recurring[0].Interval)

	// Re-encoding keeps every amount's text.
	out, err := json.Marshal(quote.Summary)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"net_amount":2000.30`)
	assert.Contains(t, string(out), `"total_amount":3897.00`)

	_, err = q.GetQuote(ctx, "00000000-0000-4000-8000-000000000000")
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	assert.ErrorContains(t, err, qwotytest.MsgQuoteNotFound)
	_, err = q.GetQuote(ctx, "")
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
}

func TestWorkspaceIsolation(t *testing.T) {
	ctx := context.Background()
	srv := qwotytest.NewServer(t)
	kit := vendorkittest.NewClient(t)
	acme, err := qwoty.New(kit, qwotytest.Token, qwoty.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	globex, err := qwoty.New(kit, qwotytest.OtherToken, qwoty.WithBaseURL(srv.URL()))
	require.NoError(t, err)

	terms, err := globex.ListPaymentTerms(ctx)
	require.NoError(t, err)
	assert.Empty(t, terms)
	_, err = globex.GetPaymentTerm(ctx, qwotytest.Net30ID)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
	_, err = globex.GetQuote(ctx, qwotytest.QuoteID)
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
	_, err = globex.UpdatePaymentTerm(ctx, qwotytest.Net30ID, qwoty.PaymentTermUpdate{IsActive: vendorkit.Ptr(false)})
	assert.ErrorIs(t, err, vendorkit.ErrNotFound)
	assert.ErrorIs(t, globex.DeletePaymentTerm(ctx, qwotytest.Net30ID), vendorkit.ErrNotFound)

	// api_name is unique per workspace, not globally.
	_, err = globex.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "Net 30", APIName: "net_30"})
	require.NoError(t, err)
	_, err = acme.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "Net 30 again", APIName: "net_30"})
	require.ErrorIs(t, err, qwoty.ErrAPINameTaken)
	assert.ErrorIs(t, err, vendorkit.ErrConflict)
	assert.Len(t, srv.PaymentTerms(qwotytest.Workspace), 2)
	assert.Len(t, srv.PaymentTerms(qwotytest.OtherWorkspace), 1)
	_, err = acme.UpdatePaymentTerm(ctx, qwotytest.ThreeWayID, qwoty.PaymentTermUpdate{APIName: vendorkit.Ptr("net_30")})
	assert.ErrorIs(t, err, qwoty.ErrAPINameTaken)
}

func TestPermissionsAndAuth(t *testing.T) {
	ctx := context.Background()
	q, srv := setup(t, qwotytest.ReadOnlyToken)
	writes := map[string]func() error{
		"create": func() error {
			_, err := q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "X", APIName: "x"})
			return err
		},
		"update": func() error {
			_, err := q.UpdatePaymentTerm(ctx, qwotytest.Net30ID, qwoty.PaymentTermUpdate{IsActive: vendorkit.Ptr(false)})
			return err
		},
		"delete": func() error { return q.DeletePaymentTerm(ctx, qwotytest.Net30ID) },
	}
	for name, write := range writes {
		t.Run(name, func(t *testing.T) {
			err := write()
			require.ErrorIs(t, err, vendorkit.ErrForbidden)
			assert.NotErrorIs(t, err, qwoty.ErrPaymentTermInUse)
			assert.ErrorContains(t, err, "permission")
		})
	}
	assert.Len(t, srv.PaymentTerms(qwotytest.Workspace), 2, "nothing changed")

	bad, err := qwoty.New(vendorkittest.NewClient(t), "qwt_prod_wrong", qwoty.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	_, err = bad.ListPaymentTerms(ctx)
	require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "qwoty", apiErr.Vendor)
	assert.Equal(t, "ListPaymentTerms", apiErr.Operation)
	assert.Equal(t, qwotytest.MsgInvalidToken, apiErr.Message)
	assert.JSONEq(t, `{"success":false,"error":"Invalid API token"}`, string(apiErr.Body))
	assert.NotContains(t, err.Error(), "qwt_prod_wrong")

	srv.RevokeToken(qwotytest.ReadOnlyToken)
	_, err = q.GetQuote(ctx, qwotytest.QuoteID)
	assert.ErrorIs(t, err, vendorkit.ErrUnauthorized)
}

func TestServerSideRules(t *testing.T) {
	// Bypass the client's validation by sending bodies directly, to check
	// that the fake enforces Qwoty's rules itself.
	srv := qwotytest.NewServer(t)
	post := func(body string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, srv.URL()+"/payment-terms", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+qwotytest.Token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var env struct {
			Success bool   `json:"success"`
			Error   string `json:"error"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
		return resp.StatusCode, env.Error
	}
	tests := []struct {
		body   string
		status int
		msg    string
	}{
		{`{"api_name":"a"}`, 422, qwotytest.MsgNameRequired},
		{`{"name":"` + strings.Repeat("n", 51) + `","api_name":"a"}`, 422, qwotytest.MsgNameTooLong},
		{`{"name":"A"}`, 422, qwotytest.MsgAPINameRequired},
		{`{"name":"A","api_name":"net_30"}`, 409, qwotytest.MsgAPINameTaken},
		{`{"name":"A","api_name":"a","installments":[{"name":"x","term":"net30","percentage":33.33},{"name":"y","term":"net30","percentage":66.66}]}`, 422, qwotytest.MsgPercentageSum},
		{`{"name":"A","api_name":"a","installments":[{"name":"x","term":"net30","percentage":0.1},{"name":"y","term":"net30","percentage":99.9}]}`, 201, ""},
		{`not json`, 400, qwotytest.MsgInvalidJSON},
	}
	for _, tt := range tests {
		status, msg := post(tt.body)
		assert.Equal(t, tt.status, status, tt.body)
		assert.Equal(t, tt.msg, msg, tt.body)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/payment-terms", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "no token")
}

func TestFaultsAndRetries(t *testing.T) {
	ctx := context.Background()

	t.Run("503 on a read is retried", func(t *testing.T) {
		q, srv := setup(t, qwotytest.Token)
		srv.FailNext(2, http.StatusServiceUnavailable, `{"success":false,"error":"Service unavailable"}`, "")
		_, err := q.GetQuote(ctx, qwotytest.QuoteID)
		require.NoError(t, err)
		assert.Equal(t, 3, srv.Count("GET", "/quote/"+qwotytest.QuoteID))
	})
	t.Run("500 on a create is not retried", func(t *testing.T) {
		q, srv := setup(t, qwotytest.Token)
		srv.FailNext(1, http.StatusInternalServerError, "<html><title>Internal Server Error</title></html>", "")
		_, err := q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "X", APIName: "x"})
		require.ErrorIs(t, err, vendorkit.ErrServer)
		assert.ErrorContains(t, err, "Internal Server Error")
		assert.Equal(t, 1, srv.Count("POST", "/payment-terms"))
	})
	t.Run("429 on a create is retried after Retry-After", func(t *testing.T) {
		q, srv := setup(t, qwotytest.Token)
		srv.FailNext(1, http.StatusTooManyRequests, `{"success":false,"error":"Too many requests"}`, "1")
		_, err := q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "X", APIName: "x"})
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Count("POST", "/payment-terms"))
	})
	t.Run("429 beyond MaxRetryAfter is returned for rescheduling", func(t *testing.T) {
		q, srv := setup(t, qwotytest.Token)
		srv.FailNext(1, http.StatusTooManyRequests, `{"success":false,"error":"Too many requests"}`, "3600")
		_, err := q.ListPaymentTerms(ctx)
		require.ErrorIs(t, err, vendorkit.ErrRateLimited)
		var apiErr *vendorkit.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, time.Hour, apiErr.RetryAfter)
	})
	t.Run("workspace rate limit", func(t *testing.T) {
		// Waits scaled to a tenth (Retry-After: 1 → 100 ms), not removed:
		// the fake's bucket (20/s) must refill between attempts.
		srv := qwotytest.NewServer(t)
		q, err := qwoty.New(vendorkittest.NewClient(t, vendorkit.WithWaitScale(0.1)), qwotytest.Token, qwoty.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		rl := srv.LimitRate(1200, 1)
		for range 3 {
			_, err := q.ListPaymentTerms(ctx)
			require.NoError(t, err)
		}
		assert.Positive(t, rl.Refused(), "the fake refused some requests and the client retried them")
	})
	t.Run("connection reset on a read is retried", func(t *testing.T) {
		q, srv := setup(t, qwotytest.Token)
		srv.ResetNext(1)
		_, err := q.GetPaymentTerm(ctx, qwotytest.Net30ID)
		require.NoError(t, err)
	})
	t.Run("truncated body", func(t *testing.T) {
		srv := qwotytest.NewServer(t)
		q, err := qwoty.New(vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1})), qwotytest.Token, qwoty.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		srv.Inject(vendorkittest.Fault{Truncate: true})
		_, err = q.GetQuote(ctx, qwotytest.QuoteID)
		require.Error(t, err)
	})
	t.Run("success false in a 200", func(t *testing.T) {
		q, srv := setup(t, qwotytest.Token)
		srv.FailNext(1, http.StatusOK, `{"success":false,"error":"Workspace suspended"}`, "")
		_, err := q.ListPaymentTerms(ctx)
		require.ErrorIs(t, err, qwoty.ErrUnsuccessful)
		assert.ErrorIs(t, err, vendorkit.ErrBadRequest)
		assert.ErrorContains(t, err, "Workspace suspended")
	})
	t.Run("non-JSON success body", func(t *testing.T) {
		q, srv := setup(t, qwotytest.Token)
		srv.Inject(vendorkittest.Fault{Status: http.StatusOK, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<html>maintenance</html>")})
		_, err := q.GetPaymentTerm(ctx, qwotytest.Net30ID)
		require.Error(t, err)
		assert.ErrorContains(t, err, "qwoty: GetPaymentTerm:")
		assert.ErrorContains(t, err, "not JSON")
	})
	t.Run("context cancelled", func(t *testing.T) {
		q, _ := setup(t, qwotytest.Token)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := q.ListPaymentTerms(cctx)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestResponseMetadataAndConcurrency(t *testing.T) {
	q, srv := setup(t, qwotytest.Token)
	srv.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-42")
			next.ServeHTTP(w, r)
		})
	})
	var info vendorkit.ResponseInfo
	_, err := q.GetQuote(vendorkit.CaptureResponse(context.Background(), &info), qwotytest.QuoteID)
	require.NoError(t, err)
	assert.Equal(t, "req-42", info.RequestID)
	assert.Equal(t, 1, info.Attempts)

	// One client, many goroutines: creates and reads interleave safely.
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			_, err := q.CreatePaymentTerm(context.Background(), qwoty.PaymentTermInput{
				Name: "Term", APIName: "term-" + string(rune('a'+i)),
				Installments: []qwoty.Installment{{Name: "All", Percentage: qwoty.DecimalFromInt(100), Term: qwoty.TermDueNow}},
			})
			if err == nil {
				_, err = q.ListPaymentTerms(context.Background())
			}
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
	assert.Len(t, srv.PaymentTerms(qwotytest.Workspace), 10)
}
