package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// DefaultMaxBody is the default cap on a delivery's body: 1 MiB. A larger
// body is answered 413.
const DefaultMaxBody = 1 << 20

// Errors a handler reports in its log lines and that verifiers return. They
// are sentinels: match them with errors.Is.
var (
	// ErrUnauthorized: the URL secret or the Basic-auth credentials are
	// missing or wrong.
	ErrUnauthorized = errors.New("webhook: unauthorized")
	// ErrSignature: the signature is missing, malformed or does not match.
	ErrSignature = errors.New("webhook: invalid signature")
	// ErrTimestamp: the signed timestamp is missing, malformed or outside the
	// tolerance (a replay or a badly skewed clock).
	ErrTimestamp = errors.New("webhook: invalid timestamp")
	// ErrTooLarge: the body is larger than the handler's cap.
	ErrTooLarge = errors.New("webhook: body too large")
	// ErrMalformed: the request is not a JSON delivery of the vendor's shape.
	ErrMalformed = errors.New("webhook: malformed delivery")
)

var errBasicAuth = fmt.Errorf("%w: basic auth", ErrUnauthorized)

// Verifier checks a delivery before it is parsed. body is the raw body as
// received; URL guards are called with a nil body before it is read.
// Verify returns nil to accept, an error wrapping ErrSignature,
// ErrTimestamp or ErrUnauthorized to refuse (401). The error text is logged:
// it must not contain secrets.
type Verifier interface {
	Verify(r *http.Request, body []byte) error
}

// VerifierFunc adapts a function to Verifier.
type VerifierFunc func(r *http.Request, body []byte) error

// Verify calls f.
func (f VerifierFunc) Verify(r *http.Request, body []byte) error { return f(r, body) }

// Option configures a webhook handler. Every vendor package's WebhookOption
// is this type.
type Option func(*config)

type config struct {
	maxBody   int64
	logger    *slog.Logger
	deduper   Deduper
	verifiers []Verifier
	guards    []Verifier
	insecure  bool
}

func newConfig(opts []Option) *config {
	c := &config{maxBody: DefaultMaxBody}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	if c.deduper == nil {
		c.deduper = NewMemoryDeduper(0)
	} else if _, off := c.deduper.(noDedupe); off {
		c.deduper = nil
	}
	return c
}

// WithMaxBody sets the largest body accepted, in bytes (default 1 MiB);
// n <= 0 keeps the default.
func WithMaxBody(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithLogger sets the logger of refusals (Warn for 4xx, Error for 5xx),
// duplicates (Info) and deliveries (Debug); the default is slog.Default().
// Log lines name the vendor, the status, the reason and the event — never
// the URL, a header, the body or a secret.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithDeduper sets the deduper (default: a MemoryDeduper of
// DefaultDedupeSize keys per handler). Share one between handlers, or use a
// store shared by every process, to deduplicate across them.
func WithDeduper(d Deduper) Option { return func(c *config) { c.deduper = d } }

// WithoutDedupe turns deduplication off: every delivery calls the function,
// retries included.
func WithoutDedupe() Option { return func(c *config) { c.deduper = noDedupe{} } }

// WithVerifier adds a signature verifier, run on the raw body before it is
// parsed. Several verifiers must all accept.
func WithVerifier(v Verifier) Option {
	return func(c *config) {
		if v != nil {
			c.verifiers = append(c.verifiers, v)
		}
	}
}

// InsecureSkipVerify builds a handler that accepts deliveries without any
// signature, URL secret or Basic auth. Anyone who learns the URL can then
// post events: use it in tests, or behind a gateway that authenticates.
func InsecureSkipVerify() Option { return func(c *config) { c.insecure = true } }

// WithPathSecret requires secret as the last segment of the request path
// (e.g. the handler mounted at /hooks/woofed/{secret} and the vendor given
// https://example.com/hooks/woofed/<secret>). The comparison takes constant
// time. An empty secret refuses every request.
func WithPathSecret(secret string) Option {
	return guard(func(r *http.Request, _ []byte) error {
		p := strings.TrimSuffix(r.URL.EscapedPath(), "/")
		seg := p[strings.LastIndexByte(p, '/')+1:]
		if !equal(seg, secret) {
			return fmt.Errorf("%w: path secret", ErrUnauthorized)
		}
		return nil
	})
}

// WithQueryToken requires the query parameter name (e.g. "token") to equal
// secret, compared in constant time. An empty secret refuses every request.
func WithQueryToken(name, secret string) Option {
	return guard(func(r *http.Request, _ []byte) error {
		if !equal(r.URL.Query().Get(name), secret) {
			return fmt.Errorf("%w: query token", ErrUnauthorized)
		}
		return nil
	})
}

// WithBasicAuth requires HTTP Basic credentials (put them in the URL given
// to the vendor: https://user:pass@example.com/hooks), compared in constant
// time. A refusal carries WWW-Authenticate. An empty password refuses every
// request.
func WithBasicAuth(user, password string) Option {
	return guard(func(r *http.Request, _ []byte) error {
		u, p, ok := r.BasicAuth()
		// Both comparisons always run: the time does not tell which failed.
		okUser := same(u, user)
		okPass := equal(p, password)
		if !ok || !okUser || !okPass {
			return errBasicAuth
		}
		return nil
	})
}

func guard(f VerifierFunc) Option {
	return func(c *config) { c.guards = append(c.guards, f) }
}

// equal compares a and b in constant time (hashing first, so the length
// does not leak either); an empty want never matches.
func equal(got, want string) bool {
	if want == "" {
		return false
	}
	return same(got, want)
}

// same compares a and b in constant time.
func same(a, b string) bool {
	x, y := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(x[:], y[:]) == 1
}
