package setup_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woofed"
)

// TestBearerWordOneRule holds every vendor to DESIGN.md's rule: where the
// vendor sends "Authorization: Bearer", a token given with the word (as the
// docs print it) is accepted with the word stripped, as a static token and
// from a credential source alike; where it sends a bare header (Woodpecker's
// x-api-key) the word is not special and the token is refused.
func TestBearerWordOneRule(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"not found"}`))
	}))
	defer srv.Close()
	kit, err := vendorkit.New(vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	ctx := context.Background()

	call := map[string]func(token string, src vendorkit.Credential) error{
		"woofed": func(tok string, src vendorkit.Credential) error {
			opts := []woofed.Option{woofed.WithBaseURL(srv.URL)}
			if src != nil {
				opts = append(opts, woofed.WithCredential(src))
			}
			c, err := woofed.New(kit, tok, opts...)
			if err != nil {
				return err
			}
			_, err = c.GetContact(ctx, 1)
			return err
		},
		"qwoty": func(tok string, src vendorkit.Credential) error {
			opts := []qwoty.Option{qwoty.WithBaseURL(srv.URL)}
			if src != nil {
				opts = append(opts, qwoty.WithCredential(src))
			}
			c, err := qwoty.New(kit, tok, opts...)
			if err != nil {
				return err
			}
			_, err = c.GetPaymentTerm(ctx, "pt_1")
			return err
		},
		"deskwoot": func(tok string, src vendorkit.Credential) error {
			opts := []deskwoot.Option{deskwoot.WithBaseURL(srv.URL)}
			if src != nil {
				opts = append(opts, deskwoot.WithCredential(src))
			}
			c, err := deskwoot.New(kit, tok, opts...)
			if err != nil {
				return err
			}
			_, err = c.GetInbox(ctx, "inbox_1")
			return err
		},
		"crow": func(tok string, src vendorkit.Credential) error {
			opts := []crow.Option{crow.WithBaseURL(srv.URL)}
			if src != nil {
				opts = append(opts, crow.WithCredential(src))
			}
			c, err := crow.New(kit, tok, opts...)
			if err != nil {
				return err
			}
			_, err = c.ListEndpointConfigs(ctx, "prod_1")
			return err
		},
	}
	for vendor, do := range call {
		for _, mode := range []string{"static", "source"} {
			t.Run(vendor+" "+mode, func(t *testing.T) {
				mu.Lock()
				got = nil
				mu.Unlock()
				var err error
				if mode == "static" {
					err = do("Bearer abc123", nil)
				} else {
					err = do("", vendorkit.CredentialFunc(func(context.Context) (string, error) { return "bearer abc123", nil }))
				}
				require.ErrorIs(t, err, vendorkit.ErrNotFound, "the call reached the server")
				mu.Lock()
				defer mu.Unlock()
				require.NotEmpty(t, got)
				assert.Equal(t, "Bearer abc123", got[0])
			})
		}
	}

	_, err = woodpecker.New(kit, "Bearer 100001.key", woodpecker.WithBaseURL(srv.URL))
	assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
}
