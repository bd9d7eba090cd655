// Command quickstart shows vendorkit end to end. With no configuration it
// runs every vendor against the in-process fake servers (the <vendor>test
// packages) and prints what it did; when a vendor's token is set in the
// environment (WOOFED_TOKEN, WOODPECKER_API_KEY, QWOTY_TOKEN, DESKWOOT_TOKEN,
// CROW_TOKEN) that vendor runs against the real API instead, read-only
// unless -write is given. -vendor picks the vendors to run.
//
//	go run ./examples/quickstart
//	WOOFED_TOKEN=… go run ./examples/quickstart -vendor woofed
//
// Receiving webhooks is shown by ./examples/webhooks: one server for the
// four vendors that send them, fed by the same fakes.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit"
)

// demo is one vendor's part of the tour. Each vendor file registers its own
// in init, so vendors can be added without touching this file.
type demo struct {
	name string
	run  func(ctx context.Context, kit *vendorkit.Client, out *printer) error
}

var demos []demo

// liveWrites allows the demos to write to a real account (-write). Without
// it a vendor whose token is set is only read.
var liveWrites bool

// printer writes indented lines under a vendor heading.
type printer struct{ vendor string }

func (p *printer) Printf(format string, args ...any) {
	fmt.Printf("  "+format+"\n", args...)
}

func main() {
	only := flag.String("vendor", "", "comma-separated vendors to run (default: all)")
	flag.BoolVar(&liveWrites, "write", false, "let the demos write to the real accounts whose tokens are set (default: read-only)")
	flag.Parse()
	sort.Slice(demos, func(i, j int) bool { return demos[i].name < demos[j].name })
	if *only != "" {
		var names []string
		for _, d := range demos {
			names = append(names, d.name)
		}
		want := strings.Split(*only, ",")
		for _, w := range want {
			if !slices.Contains(names, w) {
				fmt.Fprintf(os.Stderr, "quickstart: unknown vendor %q (one of %s)\n", w, strings.Join(names, ", "))
				os.Exit(2)
			}
		}
		demos = slices.DeleteFunc(demos, func(d demo) bool { return !slices.Contains(want, d.name) })
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	level := slog.LevelInfo
	if os.Getenv("VENDORKIT_DEBUG") != "" {
		level = slog.LevelDebug
	}
	kit, err := vendorkit.New(
		vendorkit.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))),
		vendorkit.WithUserAgent("vendorkit-quickstart"),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
	failed := false
	for _, d := range demos {
		fmt.Printf("== %s\n", d.name)
		if err := d.run(ctx, kit, &printer{vendor: d.name}); err != nil {
			fmt.Printf("  FAILED: %v\n", err)
			failed = true
		}
	}
	if len(demos) == 0 {
		fmt.Println("no vendors registered")
	}
	if failed {
		os.Exit(1)
	}
}
