package vendorkit

import (
	"context"

	"github.com/vendorkit/vendorkit/internal/core"
)

// Credential yields the secret for a request. It is asked again on every
// attempt, so a source that rotates keys is picked up by the next retry
// without rebuilding clients. Implementations must be safe for concurrent use.
type Credential interface {
	Token(ctx context.Context) (string, error)
}

// CredentialFunc adapts a function to Credential, e.g. to read a key from a
// secret manager with caching of your own.
type CredentialFunc func(ctx context.Context) (string, error)

// Token calls f.
func (f CredentialFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

// StaticToken validates token (see runtime.CleanToken) and returns it as a
// Credential. The Credential prints "[REDACTED]" in place of the token with
// every fmt verb and in slog.
func StaticToken(token string) (Credential, error) {
	t, err := core.CleanToken(token)
	if err != nil {
		return nil, err
	}
	return core.NewStatic(t), nil
}
