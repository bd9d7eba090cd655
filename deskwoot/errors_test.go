package deskwoot_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// TestDocumentedErrors: each documented status with a {"error"} body (or a
// non-JSON one, where the official client falls back to the status text)
// maps to its sentinel.
func TestDocumentedErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		status  int
		body    string
		want    []error
		message string
	}{
		"400":            {400, `{"error":"content is required"}`, []error{vendorkit.ErrBadRequest}, "content is required"},
		"401":            {401, `{"error":"Unauthorized"}`, []error{vendorkit.ErrUnauthorized}, "Unauthorized (check that the token is copied whole, has not been revoked, and is sent with the Bearer prefix)"},
		"403 scope":      {403, `{"error":"Insufficient scope: requires contacts:write"}`, []error{vendorkit.ErrForbidden, deskwoot.ErrMissingScope}, ""},
		"403 permission": {403, `{"error":"Token does not have permission"}`, []error{vendorkit.ErrForbidden, deskwoot.ErrMissingScope}, ""},
		"403 plan":       {403, `{"error":"Upgrade to the Enterprise plan to use the API"}`, []error{vendorkit.ErrForbidden, deskwoot.ErrPlanRequired}, ""},
		"403 bare":       {403, `{"error":"Forbidden"}`, []error{vendorkit.ErrForbidden}, ""},
		"404":            {404, `{"error":"Contact not found"}`, []error{vendorkit.ErrNotFound}, "Contact not found"},
		"409":            {409, `{"error":"A contact with this email already exists"}`, []error{vendorkit.ErrConflict}, "A contact with this email already exists"},
		"500 html":       {500, `<html><title>Oops</title></html>`, []error{vendorkit.ErrServer}, "Oops"},
		"500 empty":      {500, ``, []error{vendorkit.ErrServer}, "Internal Server Error"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := deskwoottest.NewServer(t)
			kit := vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1}))
			c, err := deskwoot.New(kit, srv.Token(), deskwoot.WithBaseURL(srv.URL()), deskwoot.WithAccountID(srv.AccountID()), deskwoot.WithRateLimit(0, 0))
			require.NoError(t, err)
			srv.FailNext(1, tc.status, tc.body, "")
			_, err = c.GetContact(context.Background(), "cm1")
			for _, want := range tc.want {
				assert.ErrorIs(t, err, want)
			}
			var apiErr *vendorkit.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, "GetContact", apiErr.Operation)
			if tc.message != "" {
				assert.Equal(t, tc.message, apiErr.Message)
			}
			if tc.status == 403 {
				assert.Contains(t, apiErr.Message, "lacks the scope")
				assert.Contains(t, apiErr.Message, "Enterprise plan or its 7-day trial")
			}
			b, err := json.Marshal(apiErr)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"vendor":"deskwoot"`)
			assert.NotContains(t, apiErr.Error(), srv.Token())
		})
	}
}

// TestScopeMatrix: each token reaches what its scopes allow and gets 403
// (ErrMissingScope) elsewhere.
func TestScopeMatrix(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	owner := clientFor(t, srv, srv.Token())
	_, conv := seed(t, owner)
	ctx := context.Background()

	ops := map[string]func(c *deskwoot.Client) error{
		"read conversations": func(c *deskwoot.Client) error { _, err := c.GetConversation(ctx, conv.ID); return err },
		"write conversations": func(c *deskwoot.Client) error {
			_, err := c.SendMessage(ctx, conv.ID, deskwoot.NewMessage{Content: "hi"})
			return err
		},
		"read contacts": func(c *deskwoot.Client) error { _, err := c.ListContacts(ctx, deskwoot.ContactFilter{}); return err },
		"write contacts": func(c *deskwoot.Client) error {
			_, err := c.CreateContact(ctx, deskwoot.ContactInput{Name: vendorkit.Ptr("x")})
			return err
		},
		"read settings": func(c *deskwoot.Client) error { _, err := c.ListLabels(ctx); return err },
		"write settings": func(c *deskwoot.Client) error {
			_, err := c.CreateLabel(ctx, deskwoot.LabelInput{Title: vendorkit.Ptr("x")})
			return err
		},
	}
	for _, tc := range []struct {
		scopes []string
		allow  []string
	}{
		{[]string{"read"}, []string{"read conversations", "read contacts", "read settings"}},
		{[]string{"write"}, []string{"write conversations", "write contacts", "write settings"}},
		{[]string{"read", "write"}, []string{"read conversations", "write conversations", "read contacts", "write contacts", "read settings", "write settings"}},
		{[]string{"contacts:read"}, []string{"read contacts"}},
		{[]string{"contacts:read", "contacts:write"}, []string{"read contacts", "write contacts"}},
		{[]string{"conversations:read"}, []string{"read conversations"}},
		{[]string{"conversations:read", "conversations:write"}, []string{"read conversations", "write conversations"}},
		{nil, nil},
	} {
		c := clientFor(t, srv, srv.AddToken(srv.AccountID(), tc.scopes...), deskwoot.WithAccountID(srv.AccountID()))
		for op, call := range ops {
			err := call(c)
			allowed := false
			for _, a := range tc.allow {
				allowed = allowed || a == op
			}
			if allowed {
				assert.NoError(t, err, "%v: %s", tc.scopes, op)
				continue
			}
			assert.ErrorIs(t, err, deskwoot.ErrMissingScope, "%v: %s", tc.scopes, op)
			assert.ErrorIs(t, err, vendorkit.ErrForbidden, "%v: %s", tc.scopes, op)
		}
	}
}

func TestPlanlessAccountIsRefused(t *testing.T) {
	for _, plan := range []deskwoottest.Plan{deskwoottest.PlanBusiness, deskwoottest.PlanStartup} {
		srv := deskwoottest.NewServer(t, deskwoottest.WithPlan(plan))
		c := clientFor(t, srv, srv.Token())
		_, err := c.Me(context.Background())
		require.ErrorIs(t, err, deskwoot.ErrPlanRequired)
		require.ErrorIs(t, err, vendorkit.ErrForbidden)
		assert.Contains(t, err.Error(), "Enterprise")
		_, err = c.ListConversations(context.Background(), deskwoot.ConversationFilter{})
		require.ErrorIs(t, err, deskwoot.ErrPlanRequired)
	}
	srv := deskwoottest.NewServer(t, deskwoottest.WithPlan(deskwoottest.PlanTrial))
	_, err := clientFor(t, srv, srv.Token()).Me(context.Background())
	require.NoError(t, err, "the 7-day trial includes the API")
}

func TestUnauthorized(t *testing.T) {
	srv, c := setup(t)
	srv.RevokeToken(srv.Token())
	_, err := c.Me(context.Background())
	require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
	assert.Contains(t, err.Error(), "Bearer prefix")
}

func TestRetries(t *testing.T) {
	t.Run("429 is retried after Retry-After", func(t *testing.T) {
		srv, c := setup(t)
		srv.FailNext(1, http.StatusTooManyRequests, `{"error":"Rate limit exceeded"}`, "1")
		var info vendorkit.ResponseInfo
		_, err := c.Me(vendorkit.CaptureResponse(context.Background(), &info))
		require.NoError(t, err)
		assert.Equal(t, 2, info.Attempts)
	})
	t.Run("429 on a write is retried too", func(t *testing.T) {
		srv, c := setup(t)
		_, conv := seed(t, c)
		srv.FailNext(1, http.StatusTooManyRequests, `{"error":"Rate limit exceeded"}`, "")
		_, err := c.SendMessage(context.Background(), conv.ID, deskwoot.NewMessage{Content: "once"})
		require.NoError(t, err)
		msgs, err := c.ListMessages(context.Background(), conv.ID)
		require.NoError(t, err)
		assert.Len(t, msgs, 2, "exactly one message was created")
	})
	t.Run("a long Retry-After is returned, not slept on", func(t *testing.T) {
		srv, c := setup(t)
		srv.FailNext(1, http.StatusTooManyRequests, `{"error":"Rate limit exceeded"}`, "3600")
		_, err := c.Me(context.Background())
		require.ErrorIs(t, err, vendorkit.ErrRateLimited)
		var apiErr *vendorkit.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, time.Hour, apiErr.RetryAfter)
		assert.Contains(t, apiErr.Message, "60 requests per minute")
	})
	t.Run("5xx retries a GET", func(t *testing.T) {
		srv, c := setup(t)
		srv.FailNext(2, http.StatusInternalServerError, `{"error":"boom"}`, "")
		_, err := c.Me(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 3, srv.Count("GET", "/v1/me"))
	})
	t.Run("5xx does not retry a POST", func(t *testing.T) {
		srv, c := setup(t)
		_, conv := seed(t, c)
		srv.FailNext(1, http.StatusInternalServerError, `{"error":"boom"}`, "")
		_, err := c.SendMessage(context.Background(), conv.ID, deskwoot.NewMessage{Content: "maybe"})
		require.ErrorIs(t, err, vendorkit.ErrServer)
		assert.Equal(t, 1, srv.Count("POST", "/v1/conversations/"+conv.ID+"/messages"))
	})
	t.Run("a DELETE with a body is replayed whole", func(t *testing.T) {
		srv, c := setup(t)
		_, conv := seed(t, c)
		label, err := c.CreateLabel(context.Background(), deskwoot.LabelInput{Title: vendorkit.Ptr("x")})
		require.NoError(t, err)
		require.NoError(t, c.AddLabel(context.Background(), conv.ID, label.ID))
		srv.FailNext(1, http.StatusBadGateway, `{"error":"bad gateway"}`, "")
		require.NoError(t, c.RemoveLabel(context.Background(), conv.ID, label.ID))
		var bodies []string
		for _, r := range srv.Requests() {
			if r.Method == http.MethodDelete {
				bodies = append(bodies, string(r.Body))
			}
		}
		want := `{"labelId":"` + label.ID + `"}`
		require.Len(t, bodies, 2)
		assert.JSONEq(t, want, bodies[0])
		assert.JSONEq(t, want, bodies[1])
	})
	t.Run("a reset GET is retried; so is a truncated body, then it is an error", func(t *testing.T) {
		srv, c := setup(t)
		srv.ResetNext(1)
		_, err := c.Me(context.Background())
		require.NoError(t, err)
		srv.Inject(vendorkittest.Fault{Truncate: true})
		_, err = c.Me(context.Background())
		require.NoError(t, err, "a GET whose body was cut is retried (issue 12.6)")
		srv.Inject(vendorkittest.Fault{Truncate: true, Times: -1})
		_, err = c.Me(context.Background())
		require.Error(t, err, "a truncated body is an error, not a half-decoded value")
		assert.ErrorIs(t, err, vendorkit.ErrTransport)
		var apiErr *vendorkit.APIError
		assert.False(t, errors.As(err, &apiErr))
	})
}
