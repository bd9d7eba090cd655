package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func init() { demos = append(demos, demo{"qwoty", runQwoty}) }

// runQwoty lists payment terms, reads a quote and shows the exact-money and
// error handling, against the fake unless QWOTY_TOKEN is set (then against
// Qwoty itself, read-only, at QWOTY_BASE_URL or the default base URL; set
// QWOTY_QUOTE_ID to read a quote too).
func runQwoty(ctx context.Context, kit *vendorkit.Client, out *printer) error {
	token := os.Getenv("QWOTY_TOKEN")
	base := os.Getenv("QWOTY_BASE_URL")
	quoteID := os.Getenv("QWOTY_QUOTE_ID")
	live := token != ""
	if !live {
		t := vendorkittest.Standalone()
		defer t.Close()
		srv := qwotytest.NewServer(t)
		token, base, quoteID = qwotytest.Token, srv.URL(), qwotytest.QuoteID
		out.Printf("fake Qwoty at %s (set QWOTY_TOKEN to use the real API)", base)
	}
	var opts []qwoty.Option
	if base != "" {
		opts = append(opts, qwoty.WithBaseURL(base))
	}
	q, err := qwoty.New(kit, token, opts...)
	if err != nil {
		return err
	}

	terms, err := q.ListPaymentTerms(ctx)
	if err != nil {
		return err
	}
	out.Printf("%d payment terms", len(terms))
	for _, pt := range terms {
		line := fmt.Sprintf("  %s (%s, active=%t):", pt.Name, pt.APIName, pt.IsActive)
		for _, in := range pt.Installments {
			line += fmt.Sprintf(" %s%% %s", in.Percentage, in.Term)
		}
		out.Printf("%s", line)
	}

	if quoteID != "" {
		quote, err := q.GetQuote(ctx, quoteID)
		if err != nil {
			return err
		}
		out.Printf("quote %s (%s) for %s", quote.Number, quote.Status, customerName(quote))
		if s := quote.Summary; s != nil {
			out.Printf("  one-off total %s %s, exact: net %s + tax %s = %s",
				s.OneOff.TotalAmount, quote.Currency, s.OneOff.NetAmount, s.OneOff.TaxAmount, s.OneOff.NetAmount.Add(s.OneOff.TaxAmount))
		}
	}
	if live {
		return nil // no writes against a real workspace
	}

	// Client-side rules: 33.33 × 3 is 99.99, not 100; nothing is sent.
	third := qwoty.MustParseDecimal("33.33")
	_, err = q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{Name: "Thirds", APIName: "thirds", Installments: []qwoty.Installment{
		{Name: "1", Percentage: third, Term: qwoty.TermDueNow, OrderNumber: 1},
		{Name: "2", Percentage: third, Term: qwoty.TermNet30, OrderNumber: 2},
		{Name: "3", Percentage: third, Term: qwoty.TermNet60, OrderNumber: 3},
	}})
	out.Printf("create with 3 × 33.33%%: invalid argument=%t", errors.Is(err, vendorkit.ErrInvalidArgument))

	pt, err := q.UpdatePaymentTerm(ctx, qwotytest.Net30ID, qwoty.PaymentTermUpdate{IsActive: vendorkit.Ptr(false)})
	if err != nil {
		return err
	}
	out.Printf("deactivated %q with a partial update", pt.Name)

	err = q.DeletePaymentTerm(ctx, qwotytest.ThreeWayID)
	out.Printf("delete a term used by a quote: in use=%t, conflict=%t", errors.Is(err, qwoty.ErrPaymentTermInUse), errors.Is(err, vendorkit.ErrConflict))
	return nil
}

func customerName(q qwoty.Quote) string {
	if q.Customer == nil {
		return "(no customer)"
	}
	return q.Customer.Name
}
