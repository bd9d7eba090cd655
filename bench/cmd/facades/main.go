// Command facades measures the full facade call of every vendor (the
// request as the facade builds it, vendorkit's transport, the facade's
// decoding into its model) against the same call written by hand with
// net/http and encoding/json, and the cost of the observer hook.
//
//	go run ./cmd/facades -rounds 9
//
// Two phases, each with its own baseline measured in the same rounds:
//
//  1. before any observer exists in the process: (a) net/http, (c) facade,
//     and (a') net/http again on its own client: the same code as (a), so
//     its ratio is the harness's noise and order bias;
//  2. after: (a), (c) facade on a kit without an observer (its facades now
//     put their operation name in the context), (d) facade with a no-op
//     observer (the hook's own cost), (e) facade with the otel observer on
//     the OpenTelemetry SDK (spans through a simple processor to a no-op
//     exporter, metrics aggregated for a manual reader).
//
// Each round runs every contender of a call back to back, for about a
// second each. "vs (a), paired" is the median of the rounds' own ratios to
// (a), with their interquartile range: it cancels the machine's drift from
// round to round, which the ratio of two medians keeps.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"testing"
	"text/tabwriter"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/bench"
	vkotel "github.com/vendorkit/vendorkit/otel"
)

type contender struct {
	name string
	call bench.Call
}

type result struct {
	ns     []float64
	allocs int64
}

func main() {
	rounds := flag.Int("rounds", 7, "interleaved rounds; the median and minimum are reported, and the median and interquartile range of each round's ratio to (a)")
	only := flag.String("vendor", "", "run only the case whose name starts with this")
	flag.Parse()
	var cases []*bench.FacadeBench
	for _, fc := range bench.Facades {
		if *only != "" && (len(fc.Name) < len(*only) || fc.Name[:len(*only)] != *only) {
			continue
		}
		b, err := bench.NewFacadeBench(fc)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer b.Close()
		cases = append(cases, b)
	}

	plain := must(vendorkit.New())
	phase1 := map[string][]contender{}
	for _, b := range cases {
		phase1[b.Name] = []contender{{"net/http+json (a)", b.NetHTTP}, {"facade (c)", must(b.Facade(plain))}, {"net/http+json again (a')", b.NetHTTPAgain}}
	}
	fmt.Println("Phase 1: no observer anywhere in the process")
	report(cases, phase1, *rounds)

	nop := must(vendorkit.New(vendorkit.WithObserver(vendorkit.NopObserver{})))
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(tracetest.NewNoopExporter())))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	obs := must(vkotel.New(vkotel.WithTracerProvider(tp), vkotel.WithMeterProvider(mp)))
	withOtel := must(vendorkit.New(vendorkit.WithObserver(obs)))
	phase2 := map[string][]contender{}
	for _, b := range cases {
		phase2[b.Name] = []contender{
			{"net/http+json (a)", b.NetHTTP},
			{"facade, no observer (c)", must(b.Facade(plain))},
			{"facade, no-op observer (d)", must(b.Facade(nop))},
			{"facade, otel SDK (e)", must(b.Facade(withOtel))},
		}
	}
	fmt.Println("\nPhase 2: observers exist in the process")
	report(cases, phase2, *rounds)
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return v
}

func report(cases []*bench.FacadeBench, contenders map[string][]contender, rounds int) {
	results := map[string][]result{}
	for _, b := range cases {
		results[b.Name] = make([]result, len(contenders[b.Name]))
	}
	for range rounds {
		for _, b := range cases {
			for i, c := range contenders[b.Name] {
				call := c.call
				res := testing.Benchmark(func(tb *testing.B) {
					tb.ReportAllocs()
					ctx := context.Background()
					for tb.Loop() {
						if err := call(ctx); err != nil {
							tb.Fatal(err)
						}
					}
				})
				r := &results[b.Name][i]
				r.ns = append(r.ns, float64(res.NsPerOp()))
				r.allocs = res.AllocsPerOp()
			}
		}
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "call\tcontender (%d rounds)\tns/op median\tvs (a), paired\t(IQR)\tns/op min\tvs (a)\tallocs/op\tΔallocs vs (a)\n", rounds)
	for _, b := range cases {
		rs := results[b.Name]
		baseMin := minimum(rs[0].ns)
		for i, c := range contenders[b.Name] {
			r := rs[i]
			ratios := pairedRatios(r.ns, rs[0].ns)
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.3f×\t(%.3f–%.3f)\t%.0f\t%.3f×\t%d\t%+d\n", b.Name, c.name, median(r.ns),
				median(ratios), quantile(ratios, 0.25), quantile(ratios, 0.75), minimum(r.ns), minimum(r.ns)/baseMin, r.allocs, r.allocs-rs[0].allocs)
		}
	}
	tw.Flush()
}

// pairedRatios divides each round's time by the baseline's in the same
// round: the contenders of a round run back to back, so the ratios cancel
// the machine's drift from one round to the next, which the ratio of the
// two medians would keep.
func pairedRatios(ns, base []float64) []float64 {
	out := make([]float64, len(ns))
	for i := range ns {
		out[i] = ns[i] / base[i]
	}
	return out
}

// quantile is the q-quantile of xs, interpolated between order statistics.
func quantile(xs []float64, q float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

func median(xs []float64) float64 { return quantile(xs, 0.5) }

func minimum(xs []float64) float64 { return quantile(xs, 0) }
