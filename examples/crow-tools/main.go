// Command crow-tools is a small API that Crow's agent calls as tools, built
// with package crow:
//
//   - GET /api/crow-token (behind the app's own login) mints the Crow identity
//     token the widget passes to window.crow('identify', {token});
//   - GET /api/my/orders is a JWT Forward tool: Crow forwards the user's
//     identity token and the handler serves that user's orders;
//   - GET /api/products is a tool Crow may call with a static API key
//     (X-API-Key) or a user's token;
//   - GET /openapi.yaml is the document to upload to Crow, checked by
//     crowspec at start-up.
//
// Run it with
//
//	CROW_VERIFICATION_SECRET=… CROW_TOOLS_API_KEY=… go run ./examples/crow-tools
//
// See README.md for a walkthrough with curl.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/crow/crowspec"
)

//go:embed openapi.yaml
var openapiDoc []byte

// Order and Product are the tools' data.
type Order struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	TotalCents int64  `json:"total_cents"`
}

// Product is a catalogue entry.
type Product struct {
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	PriceCents int64  `json:"price_cents"`
}

// store is the demo's data: orders by user id.
var (
	orders = map[string][]Order{
		"42": {{ID: "ord_1002", Status: "shipped", TotalCents: 4999}, {ID: "ord_1001", Status: "delivered", TotalCents: 1250}},
		"43": {{ID: "ord_2001", Status: "pending", TotalCents: 990}},
	}
	products = []Product{{SKU: "A1", Name: "Anvil", PriceCents: 9900}, {SKU: "R2", Name: "Rocket skates", PriceCents: 24900}}
)

// sessions stands for the app's own login: session token → user.
var sessions = map[string]crow.Identity{
	"alice-session": {UserID: "42", Email: "alice@example.com", Name: "Alice"},
	"bob-session":   {UserID: "43", Email: "bob@example.com", Name: "Bob"},
}

// config is what the server needs.
type config struct {
	secret  string   // CROW_VERIFICATION_SECRET
	apiKeys []string // CROW_TOOLS_API_KEY (the key entered in Crow's dashboard)
	logger  *slog.Logger
}

// newHandler wires the routes; main and the tests share it.
func newHandler(cfg config) (http.Handler, error) {
	tools, err := crow.NewAuthenticator(crow.Config{
		VerificationSecret: cfg.secret,
		Leeway:             30 * time.Second,
		Logger:             cfg.logger,
	})
	if err != nil {
		return nil, err
	}
	keyOrUser, err := crow.NewAuthenticator(crow.Config{
		APIKeys:            cfg.apiKeys,
		VerificationSecret: cfg.secret,
		Leeway:             30 * time.Second,
		Logger:             cfg.logger,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	// The token endpoint sits behind the app's own auth (here: a session
	// header), never behind Crow's.
	mux.Handle("GET /api/crow-token", crow.TokenHandler(cfg.secret, func(r *http.Request) (crow.Identity, error) {
		id, ok := sessions[r.Header.Get("X-Session")]
		if !ok {
			return crow.Identity{}, errors.New("not signed in")
		}
		return id, nil
	}))
	mux.Handle("GET /api/my/orders", tools.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := crow.IdentityFrom(r.Context())
		list := orders[id.UserID]
		if list == nil {
			list = []Order{}
		}
		writeJSON(w, list)
	})))
	mux.Handle("GET /api/products", keyOrUser.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, products)
	})))
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(openapiDoc)
	})
	return mux, nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := config{secret: os.Getenv("CROW_VERIFICATION_SECRET"), logger: logger}
	if k := os.Getenv("CROW_TOOLS_API_KEY"); k != "" {
		cfg.apiKeys = []string{k}
	}
	if cfg.secret == "" || len(cfg.apiKeys) == 0 {
		fmt.Fprintln(os.Stderr, "crow-tools: set CROW_VERIFICATION_SECRET and CROW_TOOLS_API_KEY")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	// Lint the document Crow will read before serving it.
	findings, err := crowspec.Lint(ctx, openapiDoc, crowspec.Options{Auth: crow.ModeJWTForward, BaseURL: "https://acme.example.com/api"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "crow-tools:", err)
		os.Exit(1)
	}
	for _, f := range findings {
		logger.Warn("openapi.yaml", "finding", f.String())
	}

	h, err := newHandler(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crow-tools:", err)
		os.Exit(1)
	}
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	logger.Info("crow-tools listening", "addr", "http://"+addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "crow-tools:", err)
		os.Exit(1)
	}
}
