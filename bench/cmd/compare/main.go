// Command compare runs the GET + decode benchmark of every contender,
// interleaved over several rounds in one process, and prints ns/op (median
// and minimum over the rounds: the minimum is the least disturbed by other
// work on the machine) and allocs/op with their ratio to the net/http
// baseline (a).
//
//	go run ./cmd/compare -rounds 7
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"testing"
	"text/tabwriter"

	"github.com/vendorkit/vendorkit/bench"
)

func main() {
	rounds := flag.Int("rounds", 7, "interleaved rounds per contender; the median is reported")
	flag.Parse()
	srv := bench.NewServer()
	defer srv.Close()

	ns := make([][]float64, len(bench.Peers))
	allocs := make([]int64, len(bench.Peers))
	bytes := make([]int64, len(bench.Peers))
	getters := make([]bench.Getter, len(bench.Peers))
	for i, p := range bench.Peers {
		getters[i] = p.New(srv.URL)
	}
	for r := 0; r < *rounds; r++ {
		for i := range bench.Peers {
			get := getters[i]
			res := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				ctx := context.Background()
				for b.Loop() {
					if _, err := get(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
			ns[i] = append(ns[i], float64(res.NsPerOp()))
			allocs[i] = res.AllocsPerOp()
			bytes[i] = res.AllocedBytesPerOp()
		}
	}
	med := func(xs []float64) float64 {
		s := append([]float64(nil), xs...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	low := func(xs []float64) float64 {
		s := append([]float64(nil), xs...)
		sort.Float64s(s)
		return s[0]
	}
	base, baseLow := med(ns[0]), low(ns[0])
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "contender (%d interleaved rounds)\tns/op median\tvs (a)\tns/op min\tvs (a)\tallocs/op\tΔallocs vs (a)\tB/op\n", *rounds)
	for i, p := range bench.Peers {
		m, l := med(ns[i]), low(ns[i])
		fmt.Fprintf(w, "%s\t%.0f\t%.3f×\t%.0f\t%.3f×\t%d\t%+d\t%d\n", p.Name, m, m/base, l, l/baseLow, allocs[i], allocs[i]-allocs[0], bytes[i])
	}
	w.Flush()
}
