package runtime

import "github.com/vendorkit/vendorkit/internal/core"

// CleanToken trims surrounding whitespace from a token and rejects one that is
// empty or holds CR, LF, other control characters or inner whitespace: such a
// token would corrupt the header it is placed in. The error wraps
// vendorkit.ErrInvalidArgument and never contains the token.
func CleanToken(token string) (string, error) { return core.CleanToken(token) }
