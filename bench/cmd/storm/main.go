// Command storm runs the 429-storm load scenarios.
//
// In one process (the default): a loopback server allows R requests per
// second and answers the excess 429 + Retry-After; W workers loop on logical
// GETs for D through each contender. It prints goodput / R (over the run,
// and over its second half: the steady state), the share of attempts wasted
// on 429 and the logical requests lost.
//
//	go run ./cmd/storm -rate 100 -workers 50 -duration 20s
//
// With -quota W the server allows R×W requests per fixed window of W and
// reports the quota left on every answer (X-RateLimit-*); the contenders are
// vendorkit reading those headers, and vendorkit shown them only once the
// quota is spent.
//
//	go run ./cmd/storm -quota 1s -rate 100 -workers 50 -duration 20s
//
// With -fleet N: N worker processes (this command re-executed) share one
// credential against one fake, first with in-process limiters (what a fleet
// has without Redis), then with redislimit on a redis-server it starts on a
// free loopback port; for a known rate, a rate to learn, and Woodpecker's one
// request in flight with a queue of 6 (-cap-fleet processes), and a quota
// per 10 s window reported in X-RateLimit-* headers. -chart writes
// accepted and refused requests per second as an SVG.
//
//	go run ./cmd/storm -fleet 4 -rate 100 -workers 48 -duration 20s -chart fleet.svg
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vendorkit/vendorkit/bench"
)

func main() {
	perSecond := flag.Float64("rate", 100, "requests per second the server allows (R)")
	burst := flag.Int("burst", 10, "the server's burst")
	workers := flag.Int("workers", 50, "concurrent workers (with -fleet: in all)")
	d := flag.Duration("duration", 5*time.Second, "duration per contender")
	only := flag.String("only", "", "run only the contenders (one process) or scenarios (-fleet) whose name contains this")
	verbose := flag.Bool("v", false, "print accepted/refused per second")
	fleet := flag.Int("fleet", 0, "run the fleet scenarios with this many worker processes")
	capFleet := flag.Int("cap-fleet", 8, "with -fleet: worker processes of the in-flight cap scenario")
	capDelay := flag.Duration("cap-delay", 20*time.Millisecond, "with -fleet: the cap fake's time per request")
	chart := flag.String("chart", "", "with -fleet: write an SVG chart of accepted/refused per second here")
	quota := flag.Duration("quota", 0, "a fixed-window quota server with this window, reporting X-RateLimit-* on every answer")
	worker := flag.String("worker", "", "internal: run as a fleet worker with this JSON config")
	flag.Parse()
	if *worker != "" {
		var cfg bench.WorkerConfig
		if err := json.Unmarshal([]byte(*worker), &cfg); err != nil {
			fail(err)
		}
		if err := bench.RunWorker(cfg, os.Stdout); err != nil {
			fail(err)
		}
		return
	}
	if *fleet > 0 {
		runFleet(bench.Fleet{Processes: *fleet, Workers: *workers, Rate: *perSecond, Burst: *burst, Duration: *d, CapDelay: *capDelay}, *capFleet, *only, *chart, *verbose)
		return
	}
	contenders, run := bench.StormContenders, func(c bench.StormContender) bench.StormResult {
		return bench.RunStorm(c, *perSecond, *burst, *workers, *d)
	}
	if *quota > 0 {
		fmt.Printf("server: %.0f requests per fixed window of %s (R=%.0f req/s), X-RateLimit-* on every answer; %d workers; %s per contender\n",
			*perSecond*quota.Seconds(), *quota, *perSecond, *workers, *d)
		contenders, run = bench.QuotaContenders, func(c bench.StormContender) bench.StormResult {
			return bench.RunQuotaStorm(c, *perSecond, *quota, *workers, *d)
		}
	} else {
		fmt.Printf("server: R=%.0f req/s, burst %d; %d workers; %s per contender\n", *perSecond, *burst, *workers, *d)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "contender\tgoodput/R\tsecond half\twasted on 429\tlost\tsucceeded\tattempts")
	for _, c := range contenders {
		if !strings.Contains(c.Name, *only) {
			continue
		}
		r := run(c)
		if *verbose {
			fmt.Fprintln(os.Stderr, c.Name, r.Seconds)
		}
		fmt.Fprintf(w, "%s\t%.2f\t%.2f\t%.1f%%\t%d\t%d\t%d\n", r.Name, r.Goodput(), r.Steady(), 100*r.Wasted(), r.Lost, r.Succeeded, r.Attempts)
	}
	w.Flush()
}

func runFleet(f bench.Fleet, capFleet int, only, chart string, verbose bool) {
	exe, err := os.Executable()
	if err != nil {
		fail(err)
	}
	f.Exe = exe
	addr, stop, err := bench.StartRedis()
	if err != nil {
		fail(err)
	}
	defer stop()
	f.Redis = addr
	fmt.Printf("fleet: %d processes, %d workers in all, %s per run; rate fake R=%.0f req/s burst %d; cap fake: 1 in flight, queue 6, %s per request, %d processes; redis-server %s\n",
		f.Processes, f.Workers, f.Duration, f.Rate, f.Burst, f.CapDelay, capFleet, addr)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "scenario\tlimiters\tsent/R\tgoodput/R\tsecond half\trefused\tlost\tp50\tp99\tsucceeded\tattempts")
	var panels []bench.Panel
	for _, s := range []bench.Scenario{bench.Known, bench.Unknown, bench.Cap, bench.Quota} {
		if !strings.Contains(string(s), only) {
			continue
		}
		run := f
		if s == bench.Cap {
			run.Processes = capFleet
			run.Workers = max(f.Workers, 3*capFleet)
		}
		results, err := run.Run(s)
		if err != nil {
			fail(err)
		}
		for _, r := range results {
			refused := fmt.Sprintf("%.1f%%", 100*r.Wasted())
			if s == bench.Cap {
				refused = fmt.Sprintf("%d dropped", r.Refused)
			}
			fmt.Fprintf(w, "%s\t%s\t%.2f\t%.2f\t%.2f\t%s\t%d\t%s\t%s\t%d\t%d\n", label(s), r.Name, r.SentRate(), r.Goodput(), r.Steady(), refused, r.Lost,
				r.P50.Round(time.Millisecond), r.P99.Round(time.Millisecond), r.Succeeded, r.Attempts)
			if verbose {
				fmt.Fprintln(os.Stderr, s, r.Name, r.Seconds)
			}
			limit := r.Rate
			panels = append(panels, bench.Panel{Title: fmt.Sprintf("%s — %s (%d processes)", label(s), r.Name, r.Processes), Seconds: r.Seconds, Limit: limit})
		}
	}
	w.Flush()
	if chart != "" {
		out, err := os.Create(chart)
		if err != nil {
			fail(err)
		}
		title := fmt.Sprintf("Fleet of worker processes on one credential: in-process limiters vs redislimit (R = %.0f/s)", f.Rate)
		if err := bench.WriteChart(out, title, panels, 2); err != nil {
			fail(err)
		}
		if err := out.Close(); err != nil {
			fail(err)
		}
	}
}

func label(s bench.Scenario) string {
	switch s {
	case bench.Known:
		return "known rate"
	case bench.Unknown:
		return "unknown rate"
	case bench.Quota:
		return "quota per 10 s, X-RateLimit-*"
	}
	return "1 in flight, queue 6"
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "storm:", err)
	os.Exit(1)
}
