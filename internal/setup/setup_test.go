package setup_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/setup"
)

func TestCredential(t *testing.T) {
	c, err := setup.Credential("  tok  ", nil, "")
	require.NoError(t, err)
	tok, _ := c.Token(context.Background())
	assert.Equal(t, "tok", tok)

	src := vendorkit.CredentialFunc(func(context.Context) (string, error) { return "rotated", nil })
	c, err = setup.Credential("", src, "Bearer")
	require.NoError(t, err)
	tok, _ = c.Token(context.Background())
	assert.Equal(t, "rotated", tok)

	_, err = setup.Credential("secret-tok", src, "")
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), "secret-tok")
	_, err = setup.Credential("a\nb", nil, "Bearer")
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	c, err = setup.Credential("Bearer  tok", nil, "Bearer")
	require.NoError(t, err)
	tok, _ = c.Token(context.Background())
	assert.Equal(t, "tok", tok)
	_, err = setup.Credential("Bearer tok", nil, "")
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument, "no scheme word is stripped where the vendor sends none")
	require.ErrorIs(t, setup.CheckCredential(nil), vendorkit.ErrInvalidArgument)
	require.NoError(t, setup.CheckCredential(src))
}
