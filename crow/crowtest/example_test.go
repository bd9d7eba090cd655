package crowtest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowtest"
)

// Testing a tool the way Crow calls it: a freshly minted identity token
// forwarded as Bearer.
func ExampleNewCaller() {
	const secret = "crow-verification-secret"
	api := httptest.NewServer(crow.Middleware(crow.Config{VerificationSecret: secret})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := crow.IdentityFrom(r.Context())
			fmt.Fprintf(w, "orders of %s", id.UserID)
		})))
	defer api.Close()

	crowLike, _ := crowtest.NewCaller(crow.ModeJWTForward, api.URL+"/api",
		crowtest.WithSecret(secret), crowtest.WithIdentity(crow.Identity{UserID: "42"}))
	resp, err := crowLike.Get(context.Background(), "/my/orders")
	if err != nil {
		panic(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(b))

	wrong, _ := crowtest.NewCaller(crow.ModeJWTForward, api.URL+"/api",
		crowtest.WithSecret("some-other-secret"), crowtest.WithIdentity(crow.Identity{UserID: "42"}))
	_, err = wrong.Get(context.Background(), "/my/orders")
	fmt.Println(errors.Is(err, vendorkit.ErrUnauthorized))
	// Output:
	// orders of 42
	// true
}
