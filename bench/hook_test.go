package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/vendorkit/vendorkit"
	vkotel "github.com/vendorkit/vendorkit/otel"
	"github.com/vendorkit/vendorkit/woofed"
)

// cannedTransport answers every request with the same contact, in memory:
// without sockets, what is left is vendorkit's own per-call work.
type cannedTransport struct{ body []byte }

func (c cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body)), Request: r}, nil
}

// BenchmarkObserverCost measures woofed.GetContact through the facade on an
// in-memory transport, with no observer, a no-op observer and the otel
// observer on the OpenTelemetry SDK — the per-call cost of the hook:
//
//	go test -run XXX -bench ObserverCost -benchmem -count 8
//
// "none" runs first, before any observer exists in the process; "none-later"
// runs after, when facades also put their operation in the context.
func BenchmarkObserverCost(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(tracetest.NewNoopExporter())))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	body := []byte(`{"id":1,"full_name":"Ada Lovelace","email":"ada@example.com","phone":"+5511999999999","label_list":["vip","lead"],"account_id":1}`)
	for _, c := range []struct {
		name string
		obs  func() vendorkit.Observer
	}{
		{"none", nil},
		{"nop-observer", func() vendorkit.Observer { return vendorkit.NopObserver{} }},
		{"otel-sdk", func() vendorkit.Observer {
			o, err := vkotel.New(vkotel.WithTracerProvider(tp), vkotel.WithMeterProvider(mp))
			if err != nil {
				b.Fatal(err)
			}
			return o
		}},
		{"none-later", nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			opts := []vendorkit.Option{vendorkit.WithTransport(cannedTransport{body})}
			if c.obs != nil {
				opts = append(opts, vendorkit.WithObserver(c.obs()))
			}
			kit, err := vendorkit.New(opts...)
			if err != nil {
				b.Fatal(err)
			}
			crm, err := woofed.New(kit, token, woofed.WithBaseURL("https://crm.example.com"))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := crm.GetContact(ctx, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
