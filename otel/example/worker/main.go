// Command worker is examples/worker's metrics and traces: a few jobs of
// several tenants on one *vendorkit.Client whose observer is this module's,
// exported by the OpenTelemetry SDK's stdout exporters. It lives in the otel
// module so that the SDK's own module never depends on OpenTelemetry.
//
//	cd otel && go run ./example/worker
//
// Each job runs under its own "job" span; the vendorkit call spans nest
// under it and the attempt spans under them. One Woofed job is answered 429
// twice before it succeeds (a call span with three attempts); Deskwoot jobs
// of one token are paced at 20 requests/s (limiter waits). At exit the
// metrics are printed once.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	vkotel "github.com/vendorkit/vendorkit/otel"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	// The OpenTelemetry SDK, printing spans and metrics.
	spanExp, err := stdouttrace.New(stdouttrace.WithWriter(out), stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spanExp))
	metricExp, err := stdoutmetric.New(stdoutmetric.WithWriter(out), stdoutmetric.WithPrettyPrint())
	if err != nil {
		return err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metricExp)))
	defer func() { _ = mp.Shutdown(ctx) }() // exports the metrics once, at exit
	defer func() { _ = tp.Shutdown(ctx) }()

	// One kit per process, observed.
	obs, err := vkotel.New(vkotel.WithTracerProvider(tp), vkotel.WithMeterProvider(mp))
	if err != nil {
		return err
	}
	kit, err := vendorkit.New(vendorkit.WithObserver(obs))
	if err != nil {
		return err
	}
	tracer := tp.Tracer("worker")
	t := vendorkittest.Standalone()
	defer t.Close()

	// A Woofed job whose call is answered 429 twice (Retry-After: 1, slept
	// on), then succeeds.
	wf := woofedtest.NewServer(t)
	ada := wf.AddContact(woofed.Contact{FullName: "Ada Lovelace", Email: "ada@example.com"})
	wf.FailNext(2, 429, `{"errors":"Too many requests"}`, "1")
	jobCtx, span := tracer.Start(ctx, "job", trace.WithAttributes(attribute.String("tenant", "acme"), attribute.String("job", "sync-contact")))
	crm, err := woofed.New(kit, wf.Token(), woofed.WithBaseURL(wf.URL()))
	if err == nil {
		_, err = crm.GetContact(jobCtx, ada.ID)
	}
	span.End()
	if err != nil {
		return err
	}

	// Deskwoot jobs of one tenant, paced by its token's limiter.
	dw := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 100))
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jobCtx, span := tracer.Start(ctx, "job", trace.WithAttributes(attribute.String("tenant", "globex"), attribute.Int("job", i)))
			defer span.End()
			desk, err := deskwoot.New(kit, dw.Token(), deskwoot.WithBaseURL(dw.URL()), deskwoot.WithRateLimit(1200, 1))
			if err == nil {
				_, err = desk.Me(jobCtx)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
