// Command vendorkit checks vendorkit credentials and reads vendor data from
// the shell, as JSON.
//
//	go install github.com/vendorkit/vendorkit/cmd/vendorkit@latest
//
//	vendorkit check                         # every vendor whose token is set
//	vendorkit check --fake                  # the same against in-process fakes
//	vendorkit get woofed contact 42
//	vendorkit list woofed contacts --filter email_cont=@example.com > contacts.jsonl
//
// Credentials come from the environment only (WOOFED_TOKEN,
// WOODPECKER_API_KEY, QWOTY_TOKEN, DESKWOOT_TOKEN, CROW_TOKEN), never from a
// flag, so they stay out of shell history and process lists; base URLs and
// account, company and product ids come from the environment or flags. The
// CLI never prints a secret, not even with --debug.
//
// Exit codes: 0 success, 1 the vendor answered with an error (or the network
// failed), 2 usage (bad flags, arguments or configuration), 3 authentication
// (the credential is missing, refused or lacks access).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// Exit codes scripts can branch on.
const (
	exitOK    = 0
	exitAPI   = 1
	exitUsage = 2
	exitAuth  = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := runContext(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program minus the process: tests call it with their own
// writers and read the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdout, stderr)
}

const usage = `vendorkit checks credentials and reads data of Woofed CRM, Woodpecker,
Qwoty, Deskwoot and Crow through the vendorkit SDK.

Usage:
  vendorkit check [vendor...] [flags]                 verify credentials (read-only)
  vendorkit get <vendor> <resource> [id] [flags]      one record as JSON
  vendorkit list <vendor> <resource> [flags]          records as JSON lines
  vendorkit resources [vendor]                        what get and list can read

Vendors: woofed, woodpecker, qwoty, deskwoot, crow.
Run "vendorkit <command> --help" for a command's flags.

Environment:
%s
Exit codes: 0 ok, 1 API error, 2 usage, 3 authentication.
`

func printUsage(w io.Writer) {
	var env strings.Builder
	for _, v := range vendors {
		fmt.Fprintf(&env, "  %-10s %s\n", v.name, strings.Join(v.env.names(), " "))
	}
	fmt.Fprintf(w, usage, env.String())
}

func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "check":
		err = runCheck(ctx, rest, stdout, stderr)
	case "get":
		err = runGet(ctx, rest, stdout, stderr)
	case "list":
		err = runList(ctx, rest, stdout, stderr)
	case "resources":
		err = runResources(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		printUsage(stdout)
		return exitOK
	default:
		fmt.Fprintf(stderr, "vendorkit: unknown command %q\n\n", cmd)
		printUsage(stderr)
		return exitUsage
	}
	return exitCode(err, stderr)
}

// usageError is a mistake in the command line or the configuration: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// reported is an error already shown to the user (check's table): only its
// exit code remains to be returned.
type reported struct{ code int }

func (e *reported) Error() string { return fmt.Sprintf("exit %d", e.code) }

// exitCode prints err (when not already shown) and maps it to an exit code.
func exitCode(err error, stderr io.Writer) int {
	var rep *reported
	var use *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &rep):
		return rep.code
	case errors.As(err, &use):
		fmt.Fprintf(stderr, "vendorkit: %s\n", use.msg)
		return exitUsage
	}
	fmt.Fprintf(stderr, "vendorkit: %s\n", describeError(err))
	return codeOf(err)
}
