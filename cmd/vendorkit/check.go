package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/vendorkit/vendorkit"
)

// checkRow is one line of check's output.
type checkRow struct {
	Vendor    string      `json:"vendor"`
	OK        bool        `json:"ok"`
	Identity  string      `json:"identity,omitempty"`
	LatencyMS float64     `json:"latency_ms"`
	RequestID string      `json:"request_id,omitempty"`
	Error     *errorFacts `json:"error,omitempty"`
	err       error
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := newFlagSet("check", "vendorkit check [vendor...] [flags]\n\n"+
		"Verifies each configured credential with a read-only call (who am I, or\n"+
		"the cheapest read) and prints vendor, identity, result, latency and request\n"+
		"id. With no vendor named, checks every vendor whose token is set.", stderr, &o, 30*time.Second)
	names, err := parse(fs, args)
	if err != nil {
		return err
	}
	var vs []*vendor
	for _, n := range names {
		v, err := vendorNamed(n)
		if err != nil {
			return err
		}
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		var tokens []string
		for _, v := range vendors {
			if o.fake || v.env.fromEnv().token != "" {
				vs = append(vs, v)
			}
			tokens = append(tokens, v.env.token)
		}
		if len(vs) == 0 {
			return fmt.Errorf("%w: set one of %s, or use --fake", errNoCredential, strings.Join(tokens, ", "))
		}
	}
	if o.anyOverride() && len(vs) != 1 {
		return usagef("check: --base-url and the id flags apply to one vendor; name exactly one")
	}
	sess, err := newSession(&o, stderr)
	if err != nil {
		return err
	}
	defer sess.Close()

	rows := make([]checkRow, len(vs))
	conns := make([]*conn, len(vs))
	for i, v := range vs { // fakes start one at a time
		rows[i].Vendor = v.name
		conns[i], rows[i].err = sess.connect(v)
	}
	var wg sync.WaitGroup
	for i := range vs {
		if rows[i].err != nil {
			continue
		}
		wg.Add(1)
		go func(row *checkRow, c *conn) {
			defer wg.Done()
			ctx, cancel := withTimeout(ctx, o.timeout)
			defer cancel()
			var info vendorkit.ResponseInfo
			start := time.Now()
			row.Identity, row.err = c.check(vendorkit.CaptureResponse(ctx, &info))
			row.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
			row.RequestID = info.RequestID
		}(&rows[i], conns[i])
	}
	wg.Wait()

	code := exitOK
	for i := range rows {
		r := &rows[i]
		if r.err == nil {
			r.OK = true
			continue
		}
		f := factsOf(r.err)
		r.Error = &f
		if r.RequestID == "" {
			r.RequestID = f.RequestID
		}
		// The most serious failure sets the exit code: auth (3) over usage
		// (2) over an API error (1).
		code = max(code, codeOf(r.err))
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return err
		}
	} else {
		printCheckTable(stdout, rows)
	}
	if code != exitOK {
		return &reported{code: code}
	}
	return nil
}

func printCheckTable(w io.Writer, rows []checkRow) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VENDOR\tIDENTITY\tRESULT\tLATENCY\tREQUEST ID")
	for _, r := range rows {
		result, latency := "OK", fmt.Sprintf("%.0fms", r.LatencyMS)
		if r.Error != nil {
			result = r.Error.Category
			if r.Error.Status != 0 {
				result = fmt.Sprintf("%s (%d)", result, r.Error.Status)
			}
			if r.Error.Sentinel != "" {
				result += " " + r.Error.Sentinel
			}
		}
		if r.LatencyMS == 0 && r.Error != nil {
			latency = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Vendor, dash(r.Identity), result, latency, dash(r.RequestID))
	}
	tw.Flush()
	for _, r := range rows {
		if r.Error != nil {
			fmt.Fprintf(w, "\n%s", r.Error.Message) // it names the vendor
		}
	}
	for _, r := range rows {
		if r.Error != nil {
			fmt.Fprintln(w)
			break
		}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
