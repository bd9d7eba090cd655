// Package qwoty is a typed client for the Qwoty API (quotes / CPQ): payment
// terms (list, get, create, partial update, delete) and quotes (get).
//
//	kit, err := vendorkit.New()
//	q, err := qwoty.New(kit, os.Getenv("QWOTY_TOKEN")) // "Bearer …" works too
//	pt, err := q.CreatePaymentTerm(ctx, qwoty.PaymentTermInput{
//		Name:    "Deposit and balance",
//		APIName: "deposit_balance",
//		Installments: []qwoty.Installment{
//			{Name: "Deposit", Percentage: qwoty.MustParseDecimal("30"), Term: qwoty.TermDueNow, OrderNumber: 1},
//			{Name: "Balance", Percentage: qwoty.MustParseDecimal("70"), Term: qwoty.TermNet30, OrderNumber: 2},
//		},
//	})
//	switch {
//	case errors.Is(err, vendorkit.ErrInvalidArgument): // refused before sending
//	case errors.Is(err, qwoty.ErrAPINameTaken):
//	case errors.Is(err, vendorkit.ErrForbidden): // read-only token
//	}
//
// Qwoty wraps every answer in {"success": true, "data": …}; the methods
// return the data (PaymentTerm, Quote), and failures
// ({"success": false, "error": "…"}) as *vendorkit.APIError whose Message is
// Qwoty's error text.
//
// # Money
//
// Amounts, prices, quantities and percentages are Decimal: the exact JSON
// text Qwoty sent, with exact comparison and addition (math/big), never
// float64. A Decimal marshals back to the same text it was read from.
//
// # Tokens and workspaces
//
// A token belongs to one workspace and carries permissions: a token without
// write permission gets errors matching vendorkit.ErrForbidden on writes.
// Tokens are opaque; a pasted "Bearer " prefix is removed. Qwoty publishes no
// rate-limit numbers ("workspace-level"), so requests are not paced until a
// 429 says otherwise.
//
// Package qwotytest provides an in-process fake of the API for tests.
package qwoty
