package woodpecker_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/vendorkit/vendorkit/webhook"
	"github.com/vendorkit/vendorkit/woodpecker"
)

// ExampleNewWebhookHandler receives a Woodpecker delivery on a URL that
// carries a secret path segment (Woodpecker does not sign its webhooks).
func ExampleNewWebhookHandler() {
	h := woodpecker.NewWebhookHandler(func(ctx context.Context, e woodpecker.Event) error {
		switch e := e.(type) {
		case *woodpecker.LinkClicked:
			fmt.Println(e.Name(), e.Prospect.Email, e.ClickURL)
		default:
			fmt.Println(e.Name(), e.Base().Prospect.Email)
		}
		return nil // an error answers 500: Woodpecker retries the batch
	}, webhook.WithPathSecret("s3cret"), webhook.WithLogger(slog.New(slog.DiscardHandler)))

	mux := http.NewServeMux()
	mux.Handle("POST /hooks/woodpecker/{secret}", h) // subscribe https://…/hooks/woodpecker/s3cret
	srv := httptest.NewServer(mux)
	defer srv.Close()

	body := `[{"method":"link_clicked","prospect":{"id":1,"email":"erlich@bachmanity.com"},"click_url":"https://google.com","step":1,"email_no":"#2","timestamp":"2025-03-21T20:47:47+0100","firm_id":456789},
	          {"method":"prospect_saved","prospect":{"id":2,"email":"jian@bachmanity.com"},"timestamp":"2025-03-21T20:47:47+0100","firm_id":456789}]`
	resp, err := http.Post(srv.URL+"/hooks/woodpecker/s3cret", "application/json", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	resp, _ = http.Post(srv.URL+"/hooks/woodpecker/guess", "application/json", strings.NewReader(body))
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// link_clicked erlich@bachmanity.com https://google.com
	// prospect_saved jian@bachmanity.com
	// 200
	// 401
}
