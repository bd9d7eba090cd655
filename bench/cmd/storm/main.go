// Command storm runs the 429-storm load scenario: a loopback server allows R
// requests per second and answers the excess 429 + Retry-After; W workers
// loop on logical GETs for D through each contender. It prints goodput / R,
// the share of attempts wasted on 429 and the logical requests lost.
//
//	go run ./cmd/storm -rate 100 -workers 50 -duration 5s
package main

import (
	"flag"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/vendorkit/vendorkit/bench"
)

func main() {
	perSecond := flag.Float64("rate", 100, "requests per second the server allows (R)")
	burst := flag.Int("burst", 10, "the server's burst")
	workers := flag.Int("workers", 50, "concurrent workers")
	d := flag.Duration("duration", 5*time.Second, "duration per contender")
	flag.Parse()
	fmt.Printf("server: R=%.0f req/s, burst %d; %d workers; %s per contender\n", *perSecond, *burst, *workers, *d)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "contender\tgoodput/R\twasted on 429\tlost\tsucceeded\tattempts")
	for _, c := range bench.StormContenders {
		r := bench.RunStorm(c, *perSecond, *burst, *workers, *d)
		fmt.Fprintf(w, "%s\t%.2f\t%.1f%%\t%d\t%d\t%d\n", r.Name, r.Goodput(), 100*r.Wasted(), r.Lost, r.Succeeded, r.Attempts)
	}
	w.Flush()
}
