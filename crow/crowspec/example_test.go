package crowspec_test

import (
	"context"
	"fmt"

	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowspec"
)

func ExampleLint() {
	doc := []byte(`
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /api/my/orders:
    get:
      operationId: getMyOrders
      responses:
        "200": {description: ok}
`)
	findings, err := crowspec.Lint(context.Background(), doc, crowspec.Options{
		Auth:    crow.ModeJWTForward,
		BaseURL: "https://api.example.com/api",
	})
	if err != nil {
		panic(err)
	}
	for _, f := range findings {
		fmt.Println(f.Severity, f.Pointer, f.Rule)
	}
	// Output:
	// error /components/securitySchemes security-scheme-missing
	// error /paths/~1api~1my~1orders double-prefix
	// error /paths/~1api~1my~1orders/get summary-missing
}
