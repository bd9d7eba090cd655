package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vendorkit/vendorkit"
)

func runGet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := newFlagSet("get", "vendorkit get <vendor> <resource> [id] [flags]\n\n"+
		"Reads one record and prints it as JSON (indented; one line with --json).\n"+
		`Run "vendorkit resources" for what can be read.`, stderr, &o, 2*time.Minute)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("get: want <vendor> <resource> [id]")
	}
	v, err := vendorNamed(pos[0])
	if err != nil {
		return err
	}
	r, err := v.resource(false, pos[1])
	if err != nil {
		return err
	}
	id := ""
	switch {
	case r.args == "" && len(pos) != 2:
		return usagef("get %s %s takes no id", v.name, r.name)
	case r.args != "" && len(pos) != 3:
		return usagef("get %s %s: want %s", v.name, r.name, r.args)
	case r.args != "":
		id = pos[2]
	}
	sess, err := newSession(&o, stderr)
	if err != nil {
		return err
	}
	defer sess.Close()
	c, err := sess.connect(v)
	if err != nil {
		return err
	}
	ctx, cancel := withTimeout(ctx, o.timeout)
	defer cancel()
	rec, err := c.get[r.name](ctx, id)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if !o.json {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(rec)
}

func runList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var flt filters
	progress := "auto"
	fs := newFlagSet("list", "vendorkit list <vendor> <resource> [--filter key=value]... [flags]\n\n"+
		"Streams every record as JSON lines, walking the pages lazily, so a large\n"+
		"export stays flat in memory. A progress line goes to stderr when stderr\n"+
		`is a terminal. Run "vendorkit resources" for resources and filters.`, stderr, &o, 0)
	fs.Var(&flt, "filter", "key=value narrowing the list (repeatable)")
	fs.StringVar(&progress, "progress", progress, "progress line on stderr: auto (when a terminal), always or never")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("list: want <vendor> <resource>")
	}
	v, err := vendorNamed(pos[0])
	if err != nil {
		return err
	}
	r, err := v.resource(true, pos[1])
	if err != nil {
		return err
	}
	if err := flt.check(r, v.name); err != nil {
		return err
	}
	var showProgress bool
	switch progress {
	case "auto":
		showProgress = isTerminal(stderr)
	case "always":
		showProgress = true
	case "never":
	default:
		return usagef("list: --progress is auto, always or never, not %q", progress)
	}
	var prog *progressLine
	var extra []vendorkit.Option
	if showProgress {
		prog = newProgress(stderr)
		extra = append(extra, vendorkit.WithObserver(prog))
	}
	sess, err := newSession(&o, stderr, extra...)
	if err != nil {
		return err
	}
	defer sess.Close()
	c, err := sess.connect(v)
	if err != nil {
		return err
	}
	ctx, cancel := withTimeout(ctx, o.timeout)
	defer cancel()
	if prog != nil {
		prog.run(250 * time.Millisecond)
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	err = c.list[r.name](ctx, &flt, func(rec any) error {
		prog.addItem()
		return enc.Encode(rec)
	})
	prog.stop()
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	return err
}

func runResources(args []string, stdout, stderr io.Writer) error {
	if len(args) > 1 {
		return usagef("resources: want at most one vendor")
	}
	vs := vendors
	if len(args) == 1 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			fmt.Fprintln(stderr, "Usage:\n  vendorkit resources [vendor]\n\nLists what get and list can read, with list filters.")
			return nil
		}
		v, err := vendorNamed(args[0])
		if err != nil {
			return err
		}
		vs = []*vendor{v}
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COMMAND\tVENDOR\tRESOURCE\tARGS / FILTERS\tNOTES")
	for _, v := range vs {
		for _, r := range v.gets {
			fmt.Fprintf(tw, "get\t%s\t%s\t%s\t%s\n", v.name, r.name, dash(r.args), r.doc)
		}
		for _, r := range v.lists {
			fl := "-"
			if len(r.filters) > 0 && r.filters[0] != "*" {
				fl = "--filter " + strings.Join(r.filters, "|") + "=…"
			} else if len(r.filters) > 0 {
				fl = "--filter <attribute>_<predicate>=…"
			}
			fmt.Fprintf(tw, "list\t%s\t%s\t%s\t%s\n", v.name, r.name, fl, r.doc)
		}
	}
	return tw.Flush()
}
