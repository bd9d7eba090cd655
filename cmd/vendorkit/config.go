package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// envNames are the environment variables of one vendor, the quickstart's.
type envNames struct {
	token, base, account, company, product string
}

func (e envNames) names() []string {
	var out []string
	for _, n := range []string{e.token, e.base, e.account, e.company, e.product} {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// settings configure one vendor client. The token is only ever handed to
// the vendor's New: nothing prints a settings value.
type settings struct {
	token     string
	baseURL   string
	accountID string
	companyID string
	productID string
	fake      bool
}

// fromEnv reads the vendor's environment variables.
func (e envNames) fromEnv() settings {
	get := func(name string) string {
		if name == "" {
			return ""
		}
		return strings.TrimSpace(os.Getenv(name))
	}
	return settings{token: get(e.token), baseURL: get(e.base), accountID: get(e.account), companyID: get(e.company), productID: get(e.product)}
}

// options are the flags every command takes.
type options struct {
	json    bool
	fake    bool
	debug   bool
	timeout time.Duration
	// Per-vendor overrides of the environment (get and list, or check with
	// one vendor).
	baseURL, accountID, companyID, productID string
}

func newFlagSet(name, synopsis string, stderr io.Writer, o *options, defaultTimeout time.Duration) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.json, "json", false, "machine-readable output")
	fs.BoolVar(&o.fake, "fake", false, "run against in-process fake servers (no account needed)")
	fs.BoolVar(&o.debug, "debug", false, "log every attempt to stderr (method, host, path, status; never a secret)")
	fs.DurationVar(&o.timeout, "timeout", defaultTimeout, "give up after this long (0: no limit)")
	fs.StringVar(&o.baseURL, "base-url", "", "the vendor's base URL (overrides <VENDOR>_BASE_URL)")
	fs.StringVar(&o.accountID, "account-id", "", "woofed or deskwoot account id (overrides WOOFED_ACCOUNT_ID)")
	fs.StringVar(&o.companyID, "company-id", "", "woodpecker client company to act for with an HQ key (overrides WOODPECKER_COMPANY_ID)")
	fs.StringVar(&o.productID, "product-id", "", "crow product id (overrides CROW_PRODUCT_ID)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage:\n  %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags anywhere among the positional arguments, as gh and
// stripe do (vendorkit list woofed contacts --json).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, &usageError{msg: err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// overrides applies the flags to one vendor's settings.
func (o *options) overrides(s settings) settings {
	for _, f := range []struct{ flag, into *string }{
		{&o.baseURL, &s.baseURL}, {&o.accountID, &s.accountID}, {&o.companyID, &s.companyID}, {&o.productID, &s.productID},
	} {
		if *f.flag != "" {
			*f.into = *f.flag
		}
	}
	return s
}

func (o *options) anyOverride() bool {
	return o.baseURL != "" || o.accountID != "" || o.companyID != "" || o.productID != ""
}

// session is what a command runs with: the kit, and the fakes when --fake.
type session struct {
	kit   *vendorkit.Client
	fakes *vendorkittest.StandaloneT
	opts  *options
}

func newSession(o *options, stderr io.Writer, extra ...vendorkit.Option) (*session, error) {
	level := slog.LevelWarn
	if o.debug {
		level = slog.LevelDebug
	}
	kit, err := vendorkit.New(append([]vendorkit.Option{
		vendorkit.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))),
		vendorkit.WithUserAgent("vendorkit-cli"),
	}, extra...)...)
	if err != nil {
		return nil, err
	}
	s := &session{kit: kit, opts: o}
	if o.fake {
		s.fakes = vendorkittest.Standalone()
	}
	return s, nil
}

// Close stops the fakes.
func (s *session) Close() {
	if s.fakes != nil {
		s.fakes.Close()
	}
}

// settingsFor returns the vendor's settings: its fake's when --fake,
// otherwise the environment with the flags on top.
func (s *session) settingsFor(v *vendor) settings {
	if s.fakes != nil {
		st := v.startFake(s.fakes)
		st.fake = true
		return st
	}
	return s.opts.overrides(v.env.fromEnv())
}

// connect builds the vendor's client, or says which variable to set.
func (s *session) connect(v *vendor) (*conn, error) {
	st := s.settingsFor(v)
	if st.token == "" {
		return nil, fmt.Errorf("%s: %w: set %s (or use --fake)", v.name, errNoCredential, v.env.token)
	}
	c, err := v.open(s.kit, st)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
