// Package setup holds what every vendor's New does alike.
package setup

import (
	"fmt"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/core"
)

// Credential returns the credential a vendor's New uses: src when the
// caller gave one with WithCredential — the token argument must then be
// empty — or else token, checked by vendorkit.StaticToken. scheme is the
// word the vendor sends before the credential ("Bearer", or "" for a bare
// header): a token given with it ("Bearer abc", as docs print it) is
// accepted with the word stripped — for a source's tokens the endpoint
// does the same on each attempt. Errors wrap vendorkit.ErrInvalidArgument
// and never contain the token.
func Credential(token string, src vendorkit.Credential, scheme string) (vendorkit.Credential, error) {
	if src != nil {
		if strings.TrimSpace(token) != "" {
			return nil, fmt.Errorf("%w: both a token and WithCredential given; pass \"\" as the token", vendorkit.ErrInvalidArgument)
		}
		return src, nil
	}
	t, err := core.StripScheme(token, scheme)
	if err != nil {
		return nil, err
	}
	return vendorkit.StaticToken(t)
}

// CheckCredential is the check of a WithCredential option's argument.
func CheckCredential(src vendorkit.Credential) error {
	if src == nil {
		return fmt.Errorf("%w: WithCredential: nil credential", vendorkit.ErrInvalidArgument)
	}
	return nil
}
