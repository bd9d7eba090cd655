package faultmatrix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woofed"
)

const secret = "tok-S3CR3T-0123456789abcdef"

// renderings prints v every way a program might: every fmt verb, inside a
// struct (exported and unexported fields, %+v and %#v), and through slog's
// JSON and text handlers.
func renderings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	type holder struct {
		Exported   any
		unexported any
	}
	h := holder{Exported: v, unexported: v}
	out["struct %+v"] = fmt.Sprintf("%+v", h)
	out["struct %#v"] = fmt.Sprintf("%#v", h)
	out["struct pointer %+v"] = fmt.Sprintf("%+v", &h)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", v)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "v", v, slog.Any("h", h))
	out["slog"] = buf.String()
	return out
}

// TestNoRenderingHoldsTheCredential (issue 12.4): vendor clients, the
// static credential and endpoints print redacted with every verb and in
// slog, also nested in a struct.
func TestNoRenderingHoldsTheCredential(t *testing.T) {
	kit := vendorkittest.NewClient(t)
	cred, err := vendorkit.StaticToken(secret)
	require.NoError(t, err)
	ep, err := runtime.NewEndpoint(kit, runtime.EndpointConfig{Vendor: "acme", BaseURL: "https://api.example.com", Credential: cred, AuthScheme: "Bearer"})
	require.NoError(t, err)
	values := map[string]any{"StaticToken": cred, "*runtime.Endpoint": ep}
	wf, err := woofed.New(kit, secret)
	require.NoError(t, err)
	values["*woofed.Client"] = wf
	qw, err := qwoty.New(kit, secret)
	require.NoError(t, err)
	values["*qwoty.Client"] = qw
	wp, err := woodpecker.New(kit, secret)
	require.NoError(t, err)
	values["*woodpecker.Client"] = wp
	wpc, err := wp.ForCompany(7)
	require.NoError(t, err)
	values["*woodpecker.Client for a company"] = wpc
	dw, err := deskwoot.New(kit, secret)
	require.NoError(t, err)
	values["*deskwoot.Client"] = dw
	cr, err := crow.New(kit, secret)
	require.NoError(t, err)
	values["*crow.Client"] = cr
	n := 0
	for name, v := range values {
		for how, text := range renderings(v) {
			assert.NotContains(t, text, secret, "%s rendered with %s", name, how)
			assert.NotContains(t, text, secret[4:16], "%s rendered with %s", name, how)
			n++
		}
	}
	t.Logf("%d renderings checked; e.g. %v", n, wf)
}

// TestEchoedCredentialIsRedacted (issue 12.4): a vendor that echoes the
// token in its error body ("Invalid token <tok>") does not put it in the
// error's text, fields or JSON form.
func TestEchoedCredentialIsRedacted(t *testing.T) {
	for _, source := range []bool{false, true} {
		srv := vendorkittest.NewServer(t, "/api")
		srv.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			_, _ = fmt.Fprintf(w, `{"error":"Invalid token %s","code":"bad_token_%s"}`, r.Header.Get("Authorization")[len("Bearer "):], secret)
		})
		var cred vendorkit.Credential
		if source {
			cred = vendorkit.CredentialFunc(func(context.Context) (string, error) { return secret, nil })
		} else {
			cred, _ = vendorkit.StaticToken(secret)
		}
		ep, err := runtime.NewEndpoint(vendorkittest.NewClient(t), runtime.EndpointConfig{Vendor: "acme", BaseURL: srv.URL(), Credential: cred, AuthScheme: "Bearer"})
		require.NoError(t, err)
		req, _ := http.NewRequest("GET", srv.URL()+"/x", nil)
		_, err = ep.Do(req)
		require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
		var apiErr *vendorkit.APIError
		require.ErrorAs(t, err, &apiErr)
		js, jerr := json.Marshal(apiErr)
		require.NoError(t, jerr)
		for how, text := range map[string]string{"Error": err.Error(), "%+v": fmt.Sprintf("%+v", err), "Message": apiErr.Message, "Code": apiErr.Code, "Body": string(apiErr.Body), "JSON": string(js)} {
			assert.NotContains(t, text, secret, "credential source %v: %s", source, how)
		}
		assert.Contains(t, apiErr.Message, "Invalid token [REDACTED]")
	}
}
