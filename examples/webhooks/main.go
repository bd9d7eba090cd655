// Command webhooks is one small server that receives the webhooks of the
// four vendors that send them, each on its own path, verified, deduplicated
// (one deduper for all, keys are per vendor) and logged as typed events:
//
//	POST /hooks/woofed/{secret}      Woofed CRM (unsigned: secret path segment)
//	POST /hooks/woodpecker/{secret}  Woodpecker (unsigned: secret path segment)
//	POST /hooks/deskwoot             Deskwoot (X-Deskwoot-Signature, HMAC-SHA256)
//	POST /hooks/qwoty                Qwoty (Standard Webhooks signature, assumed)
//
// With WEBHOOKS_ADDR set (e.g. ":8080") it serves those paths with the
// secrets of WOOFED_WEBHOOK_SECRET, WOODPECKER_WEBHOOK_SECRET,
// DESKWOOT_WEBHOOK_SECRET and QWOTY_WEBHOOK_SECRET (a vendor whose secret
// is unset is not mounted); give Woofed and Woodpecker the URL with the
// secret in it. Without it, it runs a demo: the four fakes make changes and
// deliver to the server, and the events are logged.
//
//	go run ./examples/webhooks
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/webhook"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// Secrets holds each vendor's webhook secret; an empty one leaves the
// vendor's path unmounted.
type Secrets struct {
	Woofed, Woodpecker, Deskwoot, Qwoty string
}

// NewMux returns the four receivers on their paths, sharing one deduper.
// Each handler logs its typed events with log; a real worker would enqueue
// a job instead, and return its error so the vendor retries.
func NewMux(s Secrets, log *slog.Logger) http.Handler {
	dedupe := webhook.NewMemoryDeduper(0)
	common := []webhook.Option{webhook.WithDeduper(dedupe), webhook.WithLogger(log)}
	opts := func(extra ...webhook.Option) []webhook.Option { return append(extra, common...) }
	mux := http.NewServeMux()
	if s.Woofed != "" {
		mux.Handle("POST /hooks/woofed/{secret}", woofed.NewWebhookHandler(func(ctx context.Context, e woofed.WebhookEvent) error {
			switch e := e.(type) {
			case *woofed.ContactCreated:
				log.Info("woofed contact created", "id", e.Contact.ID, "name", e.Contact.FullName)
			case *woofed.ContactUpdated:
				log.Info("woofed contact updated", "id", e.Contact.ID, "changes", len(e.Changes))
			case *woofed.DealCreated:
				log.Info("woofed deal created", "id", e.Deal.ID, "name", e.Deal.Name)
			case *woofed.DealUpdated:
				log.Info("woofed deal updated", "id", e.Deal.ID, "status", e.Deal.Status)
			case *woofed.EventCreated:
				log.Info("woofed event created", "id", e.Event.ID, "kind", e.Event.Kind)
			default:
				log.Info("woofed event", "name", e.Name())
			}
			return nil
		}, opts(webhook.WithPathSecret(s.Woofed))...))
	}
	if s.Woodpecker != "" {
		mux.Handle("POST /hooks/woodpecker/{secret}", woodpecker.NewWebhookHandler(func(ctx context.Context, e woodpecker.Event) error {
			switch e := e.(type) {
			case *woodpecker.ReplyEvent:
				log.Info("woodpecker reply", "prospect", e.Prospect.Email, "subject", e.Email.Subject)
			case *woodpecker.LinkClicked:
				log.Info("woodpecker link clicked", "prospect", e.Prospect.Email, "url", e.ClickURL)
			default:
				log.Info("woodpecker "+string(e.Name()), "prospect", e.Base().Prospect.Email)
			}
			return nil
		}, opts(webhook.WithPathSecret(s.Woodpecker))...))
	}
	if s.Deskwoot != "" {
		mux.Handle("POST /hooks/deskwoot", deskwoot.NewWebhookHandler(func(ctx context.Context, e deskwoot.Event) error {
			switch e := e.(type) {
			case *deskwoot.ContactCreated:
				log.Info("deskwoot contact created", "id", e.Contact.ID)
			case *deskwoot.ConversationCreated:
				log.Info("deskwoot conversation created", "id", e.Conversation.ID)
			case *deskwoot.MessageCreated:
				log.Info("deskwoot message created", "conversation", e.Message.ConversationID)
			default:
				log.Info("deskwoot "+string(e.Name()), "account", e.Base().AccountID)
			}
			return nil
		}, opts(deskwoot.WebhookSecret(s.Deskwoot))...))
	}
	if s.Qwoty != "" {
		mux.Handle("POST /hooks/qwoty", qwoty.NewWebhookHandler(func(ctx context.Context, e qwoty.Event) error {
			log.Info("qwoty "+string(e.Name()), "id", e.Base().ID, "group", e.Name().Group())
			return nil
		}, opts(qwoty.WebhookSecret(s.Qwoty))...))
	}
	return mux
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stdout, nil))
	if addr := os.Getenv("WEBHOOKS_ADDR"); addr != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		if err := serve(ctx, addr, log); err != nil {
			fmt.Fprintln(os.Stderr, "webhooks:", err)
			os.Exit(1)
		}
		return
	}
	if _, err := demo(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "webhooks:", err)
		os.Exit(1)
	}
}

// serve runs the receivers on addr until ctx ends.
func serve(ctx context.Context, addr string, log *slog.Logger) error {
	srv := &http.Server{Addr: addr, ReadHeaderTimeout: 10 * time.Second, Handler: NewMux(Secrets{
		Woofed: os.Getenv("WOOFED_WEBHOOK_SECRET"), Woodpecker: os.Getenv("WOODPECKER_WEBHOOK_SECRET"),
		Deskwoot: os.Getenv("DESKWOOT_WEBHOOK_SECRET"), Qwoty: os.Getenv("QWOTY_WEBHOOK_SECRET"),
	}, log)}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// demoResult counts what the demo's fakes delivered.
type demoResult struct {
	deliveries, delivered int
}

// demo starts the receivers and the four fakes, makes one change per
// vendor (and a duplicate), and logs what arrives to out.
func demo(ctx context.Context, out io.Writer) (demoResult, error) {
	t := vendorkittest.Standalone()
	defer t.Close()
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelInfo}))
	kit := vendorkittest.NewClient(t)

	wf, wp, dw, qw := woofedtest.NewServer(t), woodpeckertest.NewServer(t), deskwoottest.NewServer(t), qwotytest.NewServer(t)
	// The receiver's address is needed before its secrets are known (Qwoty
	// generates one per endpoint), so the listener starts first.
	recv := httptest.NewUnstartedServer(nil)
	base := "http://" + recv.Listener.Addr().String()
	secrets := Secrets{Woofed: "woofed-path-secret", Woodpecker: "woodpecker-path-secret", Deskwoot: dw.WebhookSecret(dw.AccountID())}
	secrets.Qwoty = qw.AddWebhookEndpoint(base + "/hooks/qwoty")
	recv.Config.Handler = NewMux(secrets, log)
	recv.Start()
	defer recv.Close()

	// Woofed CRM: a webhook configured in its settings; a contact and a deal.
	wf.AddWebhook(base + "/hooks/woofed/" + secrets.Woofed)
	crm, err := woofed.New(kit, wf.Token(), woofed.WithBaseURL(wf.URL()))
	if err != nil {
		return demoResult{}, err
	}
	c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Lorena", Email: "lorena@example.com"})
	if err != nil {
		return demoResult{}, err
	}
	if _, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "Website", ContactID: c.ID, StageID: 1}); err != nil {
		return demoResult{}, err
	}

	// Woodpecker: subscribe, then import two prospects (one batch).
	cold, err := woodpecker.New(kit, wp.Token(), woodpecker.WithBaseURL(wp.URL()))
	if err != nil {
		return demoResult{}, err
	}
	if err := cold.SubscribeWebhook(ctx, base+"/hooks/woodpecker/"+secrets.Woodpecker, woodpecker.EventProspectSaved); err != nil {
		return demoResult{}, err
	}
	if _, err := cold.AddProspects(ctx, woodpecker.ProspectImport{Prospects: []woodpecker.Prospect{
		{Email: "erlich@example.com", FirstName: "Erlich"}, {Email: "monica@example.com", FirstName: "Monica"},
	}}); err != nil {
		return demoResult{}, err
	}

	// Deskwoot: a webhook through the API, then a contact.
	desk, err := deskwoot.New(kit, dw.Token(), deskwoot.WithBaseURL(dw.URL()), deskwoot.WithAccountID(dw.AccountID()))
	if err != nil {
		return demoResult{}, err
	}
	if _, err := desk.CreateWebhook(ctx, deskwoot.WebhookInput{URL: vendorkit.Ptr(base + "/hooks/deskwoot"),
		Events: []deskwoot.EventName{deskwoot.EventContactCreated}}); err != nil {
		return demoResult{}, err
	}
	if _, err := desk.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("Ada"), Email: vendorkit.Ptr("ada@example.com")}); err != nil {
		return demoResult{}, err
	}

	// Qwoty: one event on demand, then the same delivery again (deduplicated).
	ds := qw.SendWebhook("quote.signed", nil)
	if len(ds) == 1 {
		qw.WebhookSender().Send(ds[0].URL, ds[0].Event, ds[0].Body, func(h http.Header, _ []byte, _ int) {
			for k, v := range ds[0].Attempts[len(ds[0].Attempts)-1].Header {
				h[k] = v
			}
		})
	}

	var res demoResult
	for _, d := range append(append(append(wf.Deliveries(), wp.Deliveries()...), dw.Deliveries()...), qw.Deliveries()...) {
		res.deliveries++
		if d.Delivered {
			res.delivered++
		}
	}
	fmt.Fprintf(out, "%d deliveries, %d answered 2xx\n", res.deliveries, res.delivered)
	return res, nil
}
