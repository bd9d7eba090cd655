package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/crow/crowtest"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/qwoty/qwotytest"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// secrets are every credential the tests hand the CLI, the fakes' own
// included: none may appear in any output.
var secrets = []string{
	"s3cr3t-woofed-token-do-not-print", woofedtest.DefaultToken,
	woodpeckertest.HQKey, woodpeckertest.NoAddonKey, qwotytest.Token, crowtest.DefaultToken, "dw_s3cr3t_deskwoot",
}

// result is one run of the CLI.
type result struct {
	code           int
	stdout, stderr string
}

// cli runs the CLI with a clean vendor environment plus env, and checks
// that no secret reached its output.
func cli(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	for _, v := range vendors {
		for _, name := range v.env.names() {
			t.Setenv(name, "")
		}
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	for _, s := range secrets {
		require.NotContains(t, r.stdout, s, "a secret in stdout of %v", args)
		require.NotContains(t, r.stderr, s, "a secret in stderr of %v", args)
	}
	return r
}

func TestCheckFakeTable(t *testing.T) {
	r := cli(t, nil, "check", "--fake", "--debug")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 6, r.stdout)
	assert.Regexp(t, `^VENDOR\s+IDENTITY\s+RESULT\s+LATENCY\s+REQUEST ID$`, lines[0])
	for i, name := range []string{"woofed", "woodpecker", "qwoty", "deskwoot", "crow"} {
		assert.Regexp(t, `^`+name+`\s+\S.*\s+OK\s+\d+ms\s+\S+$`, lines[i+1])
	}
	assert.Contains(t, r.stdout, `company "Pied Piper HQ" (1)`)
	assert.Regexp(t, `woofed\s+account 1, 1 user\(s\)\s+OK\s+\d+ms\s+woofedtest-\d+`, r.stdout)
}

func TestCheckFakeJSON(t *testing.T) {
	r := cli(t, nil, "check", "--fake", "--json", "qwoty", "deskwoot")
	require.Equal(t, exitOK, r.code, r.stderr)
	var rows []checkRow
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	require.Len(t, rows, 2)
	for _, row := range rows {
		assert.True(t, row.OK)
		assert.NotEmpty(t, row.Identity)
		assert.Nil(t, row.Error)
		assert.Greater(t, row.LatencyMS, 0.0)
	}
	assert.Equal(t, "qwoty", rows[0].Vendor)
	assert.Contains(t, rows[1].Identity, "scopes read write")
}

func TestCheckAuthFailures(t *testing.T) {
	wf := woofedtest.NewServer(t)
	wp := woodpeckertest.NewServer(t)
	dw := deskwoottest.NewServer(t)
	env := map[string]string{
		"DESKWOOT_TOKEN": "dw_s3cr3t_deskwoot", "DESKWOOT_BASE_URL": dw.URL(),
		"WOOFED_TOKEN": "s3cr3t-woofed-token-do-not-print", "WOOFED_BASE_URL": wf.URL(),
		"WOODPECKER_API_KEY": woodpeckertest.NoAddonKey, "WOODPECKER_BASE_URL": wp.URL(),
	}
	r := cli(t, env, "check", "--debug")
	assert.Equal(t, exitAuth, r.code)
	assert.Regexp(t, `woofed\s+-\s+unauthorized \(401\) vendorkit.ErrUnauthorized\s+\d+ms\s+woofedtest-\d+`, r.stdout)
	assert.Regexp(t, `woodpecker\s+-\s+unauthorized \(401\) woodpecker.ErrAPIAddonRequired`, r.stdout)
	assert.Regexp(t, `deskwoot\s+-\s+unauthorized \(401\) vendorkit.ErrUnauthorized`, r.stdout)
	assert.NotContains(t, r.stdout, "qwoty", "a vendor without a token is not checked unless named")

	r = cli(t, env, "check", "--json", "woofed", "qwoty")
	assert.Equal(t, exitAuth, r.code)
	var rows []checkRow
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	require.Len(t, rows, 2)
	assert.False(t, rows[0].OK)
	assert.Equal(t, errorFacts{Message: rows[0].Error.Message, Category: "unauthorized", Sentinel: "vendorkit.ErrUnauthorized",
		Status: 401, RequestID: rows[0].RequestID, Attempts: 1}, *rows[0].Error)
	assert.Equal(t, "no_credential", rows[1].Error.Category)
	assert.Contains(t, rows[1].Error.Message, "set QWOTY_TOKEN")
}

func TestCheckNothingConfigured(t *testing.T) {
	r := cli(t, nil, "check")
	assert.Equal(t, exitAuth, r.code)
	assert.Contains(t, r.stderr, "set one of WOOFED_TOKEN, WOODPECKER_API_KEY, QWOTY_TOKEN, DESKWOOT_TOKEN, CROW_TOKEN")
}

func TestGet(t *testing.T) {
	r := cli(t, nil, "get", "woofed", "contact", "1", "--fake")
	require.Equal(t, exitOK, r.code, r.stderr)
	var c woofed.Contact
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &c))
	assert.Equal(t, "Ada Lovelace", c.FullName)
	assert.Contains(t, r.stdout, "\n  \"full_name\"", "indented without --json")

	r = cli(t, nil, "get", "--json", "--fake", "qwoty", "quote", qwotytest.QuoteID)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"), "one line with --json")
	assert.Contains(t, r.stdout, qwotytest.QuoteID)

	r = cli(t, nil, "get", "deskwoot", "me", "--fake")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"accountId"`)
}

// TestGetWoodpeckerMe checks that /v1/me prints under Woodpecker's field
// names (openapi/woodpecker.yaml), with the fields the SDK does not model
// kept as sent, and no Go field names.
func TestGetWoodpeckerMe(t *testing.T) {
	r := cli(t, nil, "get", "--json", "woodpecker", "me", "--fake")
	require.Equal(t, exitOK, r.code, r.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	for _, k := range []string{"id", "email", "name", "company_id", "company_name", "key_type"} {
		assert.Contains(t, got, k)
	}
	for _, k := range []string{"ID", "CompanyID", "CompanyName", "Raw"} {
		assert.NotContains(t, got, k)
	}
	assert.Equal(t, "HQ", got["key_type"])
	assert.NotZero(t, got["company_id"])
}

func TestGetNotFound(t *testing.T) {
	r := cli(t, nil, "get", "woofed", "contact", "999", "--fake")
	assert.Equal(t, exitAPI, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "404 Not Found")
	assert.Contains(t, r.stderr, "[not_found, vendorkit.ErrNotFound]")

	r = cli(t, nil, "get", "crow", "endpoint-config", "nope", "--fake")
	assert.Equal(t, exitAPI, r.code)
	assert.Contains(t, r.stderr, "[not_found, crow.ErrSubdomainNotFound]")
}

func TestRateLimitedBeyondTheRetryCap(t *testing.T) {
	srv := woofedtest.NewServer(t)
	env := map[string]string{"WOOFED_TOKEN": srv.Token(), "WOOFED_BASE_URL": srv.URL()}

	// Every attempt answers 429 (Retry-After 0, so no sleeping): the
	// default policy's 3 attempts are spent.
	srv.FailNext(3, 429, `{"errors":"Too many requests"}`, "0")
	r := cli(t, env, "list", "woofed", "contacts", "--progress=always")
	assert.Equal(t, exitAPI, r.code)
	assert.Contains(t, r.stderr, "0 items, 0 requests")
	assert.Contains(t, r.stderr, "2 retries")
	assert.Contains(t, r.stderr, "429 Too Many Requests")
	assert.Contains(t, r.stderr, "[rate_limited, vendorkit.ErrRateLimited]")
	assert.Equal(t, 3, srv.Count("POST", "/contacts/search"))

	// A Retry-After beyond MaxRetryAfter is not slept on: one attempt, and
	// the JSON error says when to come back.
	srv.FailNext(1, 429, `{"errors":"Too many requests"}`, "3600")
	r = cli(t, env, "check", "woofed", "--json")
	assert.Equal(t, exitAPI, r.code)
	var rows []checkRow
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, "rate_limited", rows[0].Error.Category)
	assert.Equal(t, 3600.0, rows[0].Error.RetryAfter)
	assert.Equal(t, 1, rows[0].Error.Attempts)
}

func TestListStreamsJSONLines(t *testing.T) {
	srv := woofedtest.NewServer(t)
	const n = 1000 // 100 pages
	for i := range n {
		srv.AddContact(woofed.Contact{FullName: fmt.Sprintf("Lead %d", i), Email: fmt.Sprintf("lead%d@example.com", i)})
	}
	env := map[string]string{"WOOFED_TOKEN": srv.Token(), "WOOFED_BASE_URL": srv.URL()}
	var firstWriteAt atomic.Int64
	firstWriteAt.Store(-1)
	var out bytes.Buffer
	w := writerFunc(func(p []byte) (int, error) {
		firstWriteAt.CompareAndSwap(-1, int64(srv.Count("POST", "/contacts/search")))
		return out.Write(p)
	})
	for _, v := range vendors {
		for _, name := range v.env.names() {
			t.Setenv(name, "")
		}
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	var stderr bytes.Buffer
	code := run([]string{"list", "woofed", "contacts", "--filter", "email_cont=@example.com"}, w, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	assert.Empty(t, stderr.String(), "no progress line when stderr is not a terminal")

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, n)
	seen := map[int64]bool{}
	for _, l := range lines {
		var c woofed.Contact
		require.NoError(t, json.Unmarshal([]byte(l), &c))
		seen[c.ID] = true
	}
	assert.Len(t, seen, n)
	assert.Equal(t, 100, srv.Count("POST", "/contacts/search"), "100 pages of 10")
	// Streamed: output started while most pages were still unread.
	assert.Less(t, firstWriteAt.Load(), int64(50))
}

func TestListProgressAndFilters(t *testing.T) {
	r := cli(t, nil, "list", "deskwoot", "conversations", "--fake", "--filter", "status=open", "--progress=always")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"))
	assert.Contains(t, r.stdout, `"status":"OPEN"`)
	assert.Contains(t, r.stderr, "1 items, 2 requests", "the account lookup and one page")
	assert.Contains(t, r.stderr, "0 retries")

	r = cli(t, nil, "list", "woodpecker", "prospects", "--fake", "--filter", "search.email=erlich@bachman.com")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "erlich@bachman.com")

	r = cli(t, nil, "list", "crow", "endpoint-configs", "--fake")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 2, strings.Count(r.stdout, "\n"))
	assert.NotContains(t, r.stdout, "token-for-ws1", "Crow masks tokens in lists")
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "Usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"check", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"check", "nosuch"}, `unknown vendor "nosuch"`},
		{[]string{"check", "woofed", "qwoty", "--base-url", "https://x.example"}, "name exactly one"},
		{[]string{"get"}, "want <vendor> <resource> [id]"},
		{[]string{"get", "woofed", "contact"}, "want <id>"},
		{[]string{"get", "woofed", "contact", "abc", "--fake"}, `"abc" is not a positive number`},
		{[]string{"get", "woofed", "contact", "1", "2"}, "want <id>"},
		{[]string{"get", "woodpecker", "me", "7"}, "takes no id"},
		{[]string{"get", "woofed", "invoice", "1"}, `unknown resource "invoice"`},
		{[]string{"list", "woofed"}, "want <vendor> <resource>"},
		{[]string{"list", "deskwoot", "conversations", "--filter", "colour=red"}, `unknown filter "colour"`},
		{[]string{"list", "woofed", "contacts", "--filter", "novalue"}, "want key=value"},
		{[]string{"list", "woofed", "contacts", "--fake", "--filter", "email_sounds_like=x"}, "invalid argument"},
		{[]string{"list", "deskwoot", "messages", "--fake"}, "conversation=ID is required"},
		{[]string{"list", "woofed", "contacts", "--progress=sometimes"}, "auto, always or never"},
		{[]string{"resources", "nosuch"}, `unknown vendor "nosuch"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := cli(t, nil, tc.args...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.want)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestBadBaseURLIsUsage(t *testing.T) {
	r := cli(t, map[string]string{"QWOTY_TOKEN": qwotytest.Token, "QWOTY_BASE_URL": "http://qwoty.example"}, "get", "qwoty", "payment-term", "x")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "insecure")
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"check", "--help"}, {"get", "-h"}, {"list", "--help"}, {"resources", "--help"}} {
		r := cli(t, nil, args...)
		assert.Equal(t, exitOK, r.code, "%v", args)
		assert.Contains(t, r.stdout+r.stderr, "Usage:", "%v", args)
	}
	r := cli(t, nil, "list", "--help")
	assert.Contains(t, r.stderr, "-filter")
	r = cli(t, nil, "help")
	assert.Contains(t, r.stdout, "WOODPECKER_API_KEY WOODPECKER_BASE_URL WOODPECKER_COMPANY_ID")
}

func TestResources(t *testing.T) {
	r := cli(t, nil, "resources")
	require.Equal(t, exitOK, r.code)
	for _, v := range vendors {
		for _, res := range v.gets {
			assert.Regexp(t, `get\s+`+v.name+`\s+`+res.name+`\s`, r.stdout)
		}
		for _, res := range v.lists {
			assert.Regexp(t, `list\s+`+v.name+`\s+`+res.name+`\s`, r.stdout)
		}
	}
}

// TestEveryResourceIsWired runs each documented get and list against the
// fakes, so a resource in the docs without a function (or the reverse)
// fails here.
func TestEveryResourceIsWired(t *testing.T) {
	sess, err := newSession(&options{fake: true}, &bytes.Buffer{})
	require.NoError(t, err)
	defer sess.Close()
	for _, v := range vendors {
		c, err := sess.connect(v)
		require.NoError(t, err)
		assert.Len(t, c.get, len(v.gets), v.name)
		assert.Len(t, c.list, len(v.lists), v.name)
		for _, r := range v.gets {
			assert.NotNil(t, c.get[r.name], "%s get %s", v.name, r.name)
		}
		for _, r := range v.lists {
			assert.NotNil(t, c.list[r.name], "%s list %s", v.name, r.name)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestFiltersTakeTheVendorsSpelling: enum filters are sent as the vendor
// spells them, whatever case the user typed — Deskwoot's contact segments are
// lower case ("has-email"), its conversation statuses upper case ("OPEN").
func TestFiltersTakeTheVendorsSpelling(t *testing.T) {
	for _, seg := range []string{"has-email", "HAS-EMAIL"} {
		r := cli(t, nil, "list", "deskwoot", "contacts", "--fake", "--filter", "segment="+seg)
		assert.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, `"email"`)
	}
	r := cli(t, nil, "list", "deskwoot", "conversations", "--fake", "--filter", "status=open")
	assert.Equal(t, exitOK, r.code, r.stderr)
}
