// Package setup holds what every vendor's New does alike.
package setup

import (
	"fmt"
	"strings"

	"github.com/vendorkit/vendorkit"
)

// Credential returns the credential a vendor's New uses: src when the
// caller gave one with WithCredential — the token argument must then be
// empty — or else token, checked by vendorkit.StaticToken. Errors wrap
// vendorkit.ErrInvalidArgument and never contain the token.
func Credential(token string, src vendorkit.Credential) (vendorkit.Credential, error) {
	if src != nil {
		if strings.TrimSpace(token) != "" {
			return nil, fmt.Errorf("%w: both a token and WithCredential given; pass \"\" as the token", vendorkit.ErrInvalidArgument)
		}
		return src, nil
	}
	return vendorkit.StaticToken(token)
}

// CheckCredential is the check of a WithCredential option's argument.
func CheckCredential(src vendorkit.Credential) error {
	if src == nil {
		return fmt.Errorf("%w: WithCredential: nil credential", vendorkit.ErrInvalidArgument)
	}
	return nil
}
