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
	c, err := setup.Credential("  tok  ", nil)
	require.NoError(t, err)
	tok, _ := c.Token(context.Background())
	assert.Equal(t, "tok", tok)

	src := vendorkit.CredentialFunc(func(context.Context) (string, error) { return "rotated", nil })
	c, err = setup.Credential("", src)
	require.NoError(t, err)
	tok, _ = c.Token(context.Background())
	assert.Equal(t, "rotated", tok)

	_, err = setup.Credential("secret-tok", src)
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), "secret-tok")
	_, err = setup.Credential("a\nb", nil)
	require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	require.ErrorIs(t, setup.CheckCredential(nil), vendorkit.ErrInvalidArgument)
	require.NoError(t, setup.CheckCredential(src))
}
