package vendorkit

import (
	"context"
	"strings"
	"unicode"
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

// staticCredential is a token fixed at construction, already validated.
type staticCredential string

func (s staticCredential) Token(context.Context) (string, error) { return string(s), nil }

// StaticToken validates token with CleanToken and returns it as a Credential.
func StaticToken(token string) (Credential, error) {
	t, err := CleanToken(token)
	if err != nil {
		return nil, err
	}
	return staticCredential(t), nil
}

// CleanToken trims surrounding whitespace from a token and rejects one that is
// empty or holds CR, LF, other control characters or inner whitespace: such a
// token would corrupt the header it is placed in. The error wraps
// ErrInvalidArgument and never contains the token.
func CleanToken(token string) (string, error) {
	t := strings.TrimSpace(token)
	if t == "" {
		return "", invalidArgf("empty credential: set the vendor's API token (e.g. from an environment variable)")
	}
	for _, r := range t {
		switch {
		case r == '\r' || r == '\n':
			return "", invalidArgf("credential contains a CR or LF character: copy the token again without line breaks")
		case unicode.IsSpace(r):
			return "", invalidArgf("credential contains whitespace: pass the bare token, without a scheme word or spaces")
		case unicode.IsControl(r):
			return "", invalidArgf("credential contains a control character: copy the token again")
		}
	}
	return t, nil
}
