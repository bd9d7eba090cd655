package deskwoot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

func TestNewRejectsBadInput(t *testing.T) {
	kit := vendorkittest.NewClient(t)
	for name, tc := range map[string]struct {
		token string
		opts  []deskwoot.Option
		want  error
	}{
		"empty token":          {token: "  ", want: vendorkit.ErrInvalidArgument},
		"token with newline":   {token: "dw_abc\r\nX-Evil: 1", want: vendorkit.ErrInvalidArgument},
		"plain http":           {token: "dw_x", opts: []deskwoot.Option{deskwoot.WithBaseURL("http://deskwoot.com/api")}, want: vendorkit.ErrInsecureURL},
		"relative URL":         {token: "dw_x", opts: []deskwoot.Option{deskwoot.WithBaseURL("deskwoot.com/api")}, want: vendorkit.ErrInvalidArgument},
		"empty account":        {token: "dw_x", opts: []deskwoot.Option{deskwoot.WithAccountID("")}, want: vendorkit.ErrInvalidArgument},
		"account with slash":   {token: "dw_x", opts: []deskwoot.Option{deskwoot.WithAccountID("a/b")}, want: vendorkit.ErrInvalidArgument},
		"negative rate":        {token: "dw_x", opts: []deskwoot.Option{deskwoot.WithRateLimit(-1, 1)}, want: vendorkit.ErrInvalidArgument},
		"nil credential":       {token: "", opts: []deskwoot.Option{deskwoot.WithCredential(nil)}, want: vendorkit.ErrInvalidArgument},
		"conflicting accounts": {token: "dw_x", opts: []deskwoot.Option{deskwoot.WithAccountID("cma"), deskwoot.WithBaseURL("https://deskwoot.com/api/v1/accounts/cmb")}, want: vendorkit.ErrInvalidArgument},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := deskwoot.New(kit, tc.token, tc.opts...)
			require.ErrorIs(t, err, tc.want)
			var apiErr *vendorkit.APIError
			assert.False(t, errors.As(err, &apiErr), "pre-send errors are never APIError")
			assert.NotContains(t, err.Error(), "X-Evil")
		})
	}
}

func TestBaseURLForms(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	origin := srv.Origin()
	for _, raw := range []string{origin, origin + "/", origin + "/api", origin + "/api/", origin + "/api/v1", origin + "/api/v1/"} {
		t.Run(strings.TrimPrefix(raw, origin), func(t *testing.T) {
			c, err := deskwoot.New(vendorkittest.NewClient(t), srv.Token(), deskwoot.WithBaseURL(raw), deskwoot.WithRateLimit(0, 0))
			require.NoError(t, err)
			assert.Equal(t, origin+"/api", c.BaseURL())
			_, err = c.Me(context.Background())
			require.NoError(t, err)
			last, _ := srv.LastRequest()
			assert.Equal(t, "/api/v1/me", last.Path, "the prefix is never doubled")
		})
	}
	t.Run("default is deskwoot.com", func(t *testing.T) {
		c, err := deskwoot.New(nil, "dw_x")
		require.NoError(t, err)
		assert.Equal(t, "https://deskwoot.com/api", c.BaseURL())
	})
	t.Run("account in URL", func(t *testing.T) {
		c, err := deskwoot.New(vendorkittest.NewClient(t), srv.Token(), deskwoot.WithBaseURL(origin+"/api/v1/accounts/"+srv.AccountID()), deskwoot.WithRateLimit(0, 0))
		require.NoError(t, err)
		assert.Equal(t, origin+"/api", c.BaseURL())
		srv.ResetRequests()
		_, err = c.ListLabels(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 0, srv.Count("GET", "/v1/me"), "the account came from the URL")
	})
}

func TestTokenIsSentAsBearer(t *testing.T) {
	srv, c := setup(t)
	_, err := c.Me(context.Background())
	require.NoError(t, err)
	last, _ := srv.LastRequest()
	assert.Equal(t, "Bearer "+srv.Token(), last.Header.Get("Authorization"))
}

func TestMCPBotTokenIsAccepted(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	tok := srv.AddMCPToken(srv.AccountID(), deskwoottest.ScopeConversationsRead, deskwoottest.ScopeConversationsWrite)
	require.True(t, strings.HasPrefix(tok, "dw_mcp_"))
	c := clientFor(t, srv, tok)
	me, err := c.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "mcp_bot_token", me.AuthMethod)
	assert.Equal(t, []string{"conversations:read", "conversations:write"}, me.Scopes)
	_, err = c.ListConversations(context.Background(), deskwoot.ConversationFilter{})
	require.NoError(t, err)
}

func TestMe(t *testing.T) {
	srv, c := setup(t)
	me, err := c.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, srv.AccountID(), me.AccountID)
	assert.Equal(t, []string{srv.AccountID()}, me.AccountIDs)
	assert.Equal(t, "api_token", me.AuthMethod)
	assert.Equal(t, []string{"read", "write"}, me.Scopes)
	assert.NotEmpty(t, me.User.Email)
}

func TestAccountIsLookedUpOnceAndCached(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := c.ListLabels(ctx)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, srv.Count("GET", "/v1/me"))
	assert.Equal(t, 20, srv.Count("GET", "/v1/accounts/"+srv.AccountID()+"/labels"))
	id, err := c.AccountID(ctx)
	require.NoError(t, err)
	assert.Equal(t, srv.AccountID(), id)
}

func TestFailedAccountLookupIsNotCached(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	srv.FailNext(1, http.StatusUnauthorized, `{"error":"Invalid or missing API token"}`, "")
	_, err := c.ListContacts(ctx, deskwoot.ContactFilter{})
	require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
	var apiErr *vendorkit.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ListContacts", apiErr.Operation)
	_, err = c.ListContacts(ctx, deskwoot.ContactFilter{})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Count("GET", "/v1/me"))
}

func TestWithAccountIDSkipsMe(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	c := clientFor(t, srv, srv.Token(), deskwoot.WithAccountID(srv.AccountID()))
	_, err := c.ListTeams(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 0, srv.Count("GET", "/v1/me"))
}

func TestOtherAccountIsRefused(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	other := srv.AddAccount(deskwoottest.PlanEnterprise)
	c := clientFor(t, srv, srv.Token(), deskwoot.WithAccountID(other))
	_, err := c.ListInboxes(context.Background())
	require.ErrorIs(t, err, vendorkit.ErrForbidden)
}

func TestCredentialRotation(t *testing.T) {
	srv := deskwoottest.NewServer(t)
	second := srv.AddToken(srv.AccountID(), deskwoottest.ScopeRead)
	var mu sync.Mutex
	current := srv.Token()
	cred := vendorkit.CredentialFunc(func(context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		return current, nil
	})
	c, err := deskwoot.New(vendorkittest.NewClient(t), "", deskwoot.WithBaseURL(srv.URL()), deskwoot.WithCredential(cred), deskwoot.WithRateLimit(0, 0))
	require.NoError(t, err)
	_, err = c.Me(context.Background())
	require.NoError(t, err)
	srv.RevokeToken(srv.Token())
	mu.Lock()
	current = second
	mu.Unlock()
	me, err := c.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"read"}, me.Scopes)
}

func TestPreSendErrorsSendNothing(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	srv.ResetRequests()
	calls := map[string]func() error{
		"GetConversation":   func() error { _, err := c.GetConversation(ctx, ""); return err },
		"conversation id /": func() error { _, err := c.GetConversation(ctx, "../me"); return err },
		"UpdateConversation empty": func() error {
			_, err := c.UpdateConversation(ctx, "cm1", deskwoot.ConversationUpdate{})
			return err
		},
		"CreateConversation": func() error {
			_, err := c.CreateConversation(ctx, deskwoot.NewConversation{InboxID: "a", ContactID: "b"})
			return err
		},
		"SendMessage": func() error { _, err := c.SendMessage(ctx, "cm1", deskwoot.NewMessage{Content: " "}); return err },
		"Bulk unknown": func() error {
			return c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: "explode", ConversationIDs: []string{"a"}})
		},
		"Bulk no ids": func() error {
			return c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: deskwoot.BulkMute})
		},
		"Bulk no value": func() error {
			return c.BulkUpdateConversations(ctx, deskwoot.BulkConversationAction{Action: deskwoot.BulkChangeStatus, ConversationIDs: []string{"a"}})
		},
		"ListContacts size":  func() error { _, err := c.ListContacts(ctx, deskwoot.ContactFilter{PageSize: 101}); return err },
		"MergeContacts self": func() error { _, err := c.MergeContacts(ctx, "a", "a"); return err },
		"CreateLabel":        func() error { _, err := c.CreateLabel(ctx, deskwoot.LabelInput{}); return err },
		"CreateWebhook": func() error {
			_, err := c.CreateWebhook(ctx, deskwoot.WebhookInput{URL: vendorkit.Ptr("https://x")})
			return err
		},
		"AddTeamMember":   func() error { return c.AddTeamMember(ctx, "t", "") },
		"UpdateAgentRole": func() error { _, err := c.UpdateAgentRole(ctx, "a", ""); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
			assert.True(t, strings.HasPrefix(err.Error(), "deskwoot: "), err.Error())
		})
	}
	assert.Empty(t, srv.Requests())
}
