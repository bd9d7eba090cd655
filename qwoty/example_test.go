package qwoty_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// exampleClient returns a client on a fake server; the caller closes the
// returned T. Real code passes vendorkit.New()'s client and a real token.
func exampleClient() (*qwoty.Client, *qwotytest.Server, *vendorkittest.StandaloneT) {
	t := vendorkittest.Standalone()
	srv := qwotytest.NewServer(t)
	q, err := qwoty.New(vendorkittest.NewClient(t), "Bearer "+qwotytest.Token, qwoty.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	return q, srv, t
}

func Example() {
	q, _, t := exampleClient()
	defer t.Close()
	ctx := context.Background()

	terms, err := q.ListPaymentTerms(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, pt := range terms {
		fmt.Printf("%s (%s):", pt.Name, pt.APIName)
		for _, in := range pt.Installments {
			fmt.Printf(" %s%% %s", in.Percentage, in.Term)
		}
		fmt.Println()
	}
	// Output:
	// Net 30 (net_30): 100% net30
	// Three installments (three_way): 33.33% due_now 33.33% net30 33.34% net60
}

func ExampleClient_CreatePaymentTerm() {
	q, _, t := exampleClient()
	defer t.Close()
	ctx := context.Background()

	thirds := []qwoty.Installment{
		{Name: "Order", Percentage: qwoty.MustParseDecimal("33.33"), Term: qwoty.TermDueNow, OrderNumber: 1},
		{Name: "Delivery", Percentage: qwoty.MustParseDecimal("33.33"), Term: qwoty.TermNet30, OrderNumber: 2},
		{Name: "Go-live", Percentage: qwoty.MustParseDecimal("33.33"), Term: qwoty.TermNet60, OrderNumber: 3},
	}
	_, err := q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "Thirds", APIName: "thirds", Installments: thirds})
	fmt.Println(errors.Is(err, vendorkit.ErrInvalidArgument), err)

	thirds[2].Percentage = qwoty.MustParseDecimal("33.34")
	pt, err := q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "Thirds", APIName: "thirds", Installments: thirds})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pt.Name, pt.IsActive, len(pt.Installments))

	_, err = q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "Thirds again", APIName: "thirds"})
	fmt.Println(errors.Is(err, qwoty.ErrAPINameTaken))
	// Output:
	// true qwoty: CreatePaymentTerm: vendorkit: invalid argument: installment percentages must sum to exactly 100, got 99.99
	// Thirds true 3
	// true
}

func ExampleClient_UpdatePaymentTerm() {
	q, srv, t := exampleClient()
	defer t.Close()

	// Only the fields set are sent: here, just is_active.
	pt, err := q.UpdatePaymentTerm(context.Background(), qwotytest.Net30ID, qwoty.PaymentTermUpdate{IsActive: vendorkit.Ptr(false)})
	if err != nil {
		fmt.Println(err)
		return
	}
	last, _ := srv.LastRequest()
	fmt.Println(string(last.Body))
	fmt.Println(pt.Name, pt.IsActive)
	// Output:
	// {"is_active":false}
	// Net 30 false
}

func ExampleClient_DeletePaymentTerm() {
	q, _, t := exampleClient()
	defer t.Close()

	err := q.DeletePaymentTerm(context.Background(), qwotytest.ThreeWayID)
	switch {
	case errors.Is(err, qwoty.ErrPaymentTermInUse):
		fmt.Println("in use: deactivate it instead")
	case err != nil:
		fmt.Println(err)
	}
	// Output:
	// in use: deactivate it instead
}

func ExampleClient_GetQuote() {
	q, _, t := exampleClient()
	defer t.Close()

	quote, err := q.GetQuote(context.Background(), qwotytest.QuoteID)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := quote.Summary
	fmt.Println(quote.Number, quote.Status, quote.Customer.Name)
	fmt.Println("one-off:", s.OneOff.TotalAmount, quote.Currency)
	for _, r := range s.Recurring {
		fmt.Printf("every %d %s: %s %s\n", r.IntervalCount, r.Interval, r.TotalAmount, quote.Currency)
	}
	fmt.Println("net + tax = total:", s.OneOff.NetAmount.Add(s.OneOff.TaxAmount).Equal(s.OneOff.TotalAmount))
	// Output:
	// Q-2026-0042 sent Globex GmbH
	// one-off: 2400.36 EUR
	// every 1 month: 3897.00 EUR
	// net + tax = total: true
}

func ExampleDecimal() {
	a := qwoty.MustParseDecimal("0.1")
	b := qwoty.MustParseDecimal("0.2")
	fmt.Println(a.Add(b), a.Add(b).Equal(qwoty.MustParseDecimal("0.3")))
	fmt.Println(0.1+0.2 == 0.3) // constants are exact in Go; float64 variables are not
	x, y := 0.1, 0.2
	fmt.Println(x+y == 0.3)
	// Output:
	// 0.3 true
	// true
	// false
}

// quoteReader is code under test: it depends on the qwoty.API interface.
func quoteTotal(ctx context.Context, q qwoty.API, id string) (string, error) {
	quote, err := q.GetQuote(ctx, id)
	if err != nil {
		return "", err
	}
	return quote.Summary.OneOff.TotalAmount.String() + " " + quote.Currency, nil
}

// stubAPI is a hand-written test double: embedding qwoty.API satisfies the
// interface, and only the methods the test needs are written.
type stubAPI struct {
	qwoty.API
	quote qwoty.Quote
}

func (s stubAPI) GetQuote(context.Context, string) (qwoty.Quote, error) { return s.quote, nil }

// Mocking the facade through its interface, without any server.
func ExampleAPI() {
	stub := stubAPI{quote: qwoty.Quote{
		Currency: "EUR",
		Summary:  &qwoty.Summary{OneOff: qwoty.Amounts{TotalAmount: qwoty.MustParseDecimal("120.50")}},
	}}
	total, err := quoteTotal(context.Background(), stub, "any")
	fmt.Println(total, err)
	// Output:
	// 120.50 EUR <nil>
}
