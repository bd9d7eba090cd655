package crow

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

// Mode is the way Crow authenticated a call to your API: one of the auth
// types of Crow's dashboard, or the server-side MCP service key.
type Mode string

const (
	// ModeAPIKey is Crow's "API Key" auth type: a static key in a header
	// (X-API-Key unless configured otherwise).
	ModeAPIKey Mode = "api_key"
	// ModeBearer is Crow's "Bearer Token" auth type: a static token sent as
	// "Authorization: Bearer <token>".
	ModeBearer Mode = "bearer"
	// ModeJWTForward is Crow's "JWT Forward" auth type: the user's Crow
	// identity token (an HS256 JWT your backend minted with the Crow
	// verification secret) forwarded as "Authorization: Bearer <jwt>".
	ModeJWTForward Mode = "jwt_forward"
	// ModeServiceKey is server-side MCP authentication: the product's
	// service key in X-Service-Key, plus identity headers (X-User-ID, …)
	// mapped from the user's identity token.
	ModeServiceKey Mode = "service_key"
)

// Default header names, as Crow's docs write them.
const (
	DefaultAPIKeyHeader     = "X-API-Key"
	DefaultServiceKeyHeader = "X-Service-Key"
)

// IdentityHeaders names the headers Crow sends, in server-side MCP mode,
// from the dashboard's header mappings. Empty fields take the documented
// defaults (X-User-ID ← identity.user_id, X-Email ← identity.email,
// X-Tenant-ID ← identity.tenant_id, X-Product-ID ← product.id); "-" turns a
// header off.
type IdentityHeaders struct {
	UserID    string
	Email     string
	TenantID  string
	ProductID string
}

// WithDefaults returns h with its empty fields set to the documented header
// names and the "-" fields emptied (turned off).
func (h IdentityHeaders) WithDefaults() IdentityHeaders {
	def := func(v, d string) string {
		switch v {
		case "":
			return d
		case "-":
			return ""
		}
		return v
	}
	return IdentityHeaders{
		UserID:    def(h.UserID, "X-User-ID"),
		Email:     def(h.Email, "X-Email"),
		TenantID:  def(h.TenantID, "X-Tenant-ID"),
		ProductID: def(h.ProductID, "X-Product-ID"),
	}
}

// Config selects the modes the middleware accepts; set the fields of one or
// several. A request is checked against the first mode, in the order
// service key, API key, Bearer/JWT Forward, whose header it carries; a
// credential that is present but wrong is refused, never tried elsewhere.
type Config struct {
	// APIKeys enables ModeAPIKey. Several keys may be valid at once, so a
	// key can be rotated without downtime.
	APIKeys []string
	// APIKeyHeader is the header Crow sends the key in; default X-API-Key.
	APIKeyHeader string

	// BearerTokens enables ModeBearer: the static token(s) configured in
	// Crow's dashboard.
	BearerTokens []string

	// VerificationSecret enables ModeJWTForward: CROW_VERIFICATION_SECRET,
	// the HS256 key identity tokens are signed with. When BearerTokens is set
	// too, a Bearer credential that matches none of them is verified as a JWT.
	VerificationSecret string
	// Leeway tolerates clock skew when checking exp (and nbf when present).
	// Default 0; it must not be negative.
	Leeway time.Duration
	// Now is the clock tokens are checked against; default time.Now.
	Now func() time.Time

	// ServiceKeys enables ModeServiceKey (server-side MCP): the product's
	// service key(s) from Crow's Deploy → API Keys.
	ServiceKeys []string
	// ServiceKeyHeader is the header carrying the service key; default
	// X-Service-Key.
	ServiceKeyHeader string
	// IdentityHeaders names the identity headers trusted once the service
	// key is valid.
	IdentityHeaders IdentityHeaders
	// RequireUserID refuses service-key calls without a user id header.
	// Crow sends none for anonymous widget users, so it is off by default:
	// handlers of user-specific tools must check Identity.UserID themselves.
	RequireUserID bool

	// Logger receives a Debug record for every refused request, saying why
	// (missing header, expired, bad signature, wrong algorithm, user_id not
	// a string, …) — never the credential. Default: no logging.
	Logger *slog.Logger
	// Realm is the realm of the WWW-Authenticate challenge; default "crow".
	Realm string
}

// Identity is who a call to your API comes from, as verified by the
// middleware; read it in handlers with IdentityFrom.
type Identity struct {
	// Mode is how the call was authenticated.
	Mode Mode
	// UserID is the identity token's user_id (JWT Forward) or the X-User-ID
	// header (service key); empty for static keys and anonymous users.
	UserID string
	// Email and Name come from the optional email and name claims, or the
	// X-Email header.
	Email string
	Name  string
	// TenantID comes from the custom tenant_id claim or X-Tenant-ID.
	TenantID string
	// ProductID is the Crow product id, from X-Product-ID (service key only).
	ProductID string
	// Claims holds every claim of a forwarded identity token, custom ones
	// included; numbers are json.Number. Nil in other modes.
	Claims map[string]any
	// ExpiresAt is the identity token's exp (JWT Forward only).
	ExpiresAt time.Time
	// KeyFingerprint identifies which configured key or token matched
	// (runtime.Fingerprint of it), e.g. to watch a rotation; empty for JWT.
	KeyFingerprint string
}

type identityKey struct{}

// IdentityFrom returns the identity the middleware verified for the request
// whose context is ctx; ok is false when there is none.
func IdentityFrom(ctx context.Context) (id Identity, ok bool) {
	id, ok = ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// ContextWithIdentity returns a copy of ctx carrying id, as the middleware
// does; handler tests use it to skip authentication.
func ContextWithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// Why a request was refused. Authenticator.Authenticate returns errors that
// match one of these (and vendorkit.ErrUnauthorized); the middleware logs
// their text at Debug.
var (
	// ErrMissingCredential: none of the configured modes' headers is present.
	ErrMissingCredential = runtime.NewSentinel("crow: missing credential header", vendorkit.ErrUnauthorized)
	// ErrMalformedHeader: a credential or identity header is repeated, holds
	// whitespace, CR, LF or control characters, or Authorization is not
	// exactly "Bearer <token>".
	ErrMalformedHeader = runtime.NewSentinel("crow: malformed credential header", vendorkit.ErrUnauthorized)
	// ErrKeyMismatch: an API key, Bearer token or service key matches none of
	// the configured ones.
	ErrKeyMismatch = runtime.NewSentinel("crow: credential does not match any configured key", vendorkit.ErrUnauthorized)
	// ErrTokenMalformed: the Bearer credential is not a well-formed JWT.
	ErrTokenMalformed = runtime.NewSentinel("crow: identity token is malformed", vendorkit.ErrUnauthorized)
	// ErrWrongAlgorithm: the token's alg is not HS256 (none, RS256, …).
	ErrWrongAlgorithm = runtime.NewSentinel("crow: identity token algorithm is not HS256", vendorkit.ErrUnauthorized)
	// ErrBadSignature: the signature does not verify with the verification
	// secret (wrong secret, or a tampered header or payload).
	ErrBadSignature = runtime.NewSentinel("crow: identity token signature is invalid (check CROW_VERIFICATION_SECRET)", vendorkit.ErrUnauthorized)
	// ErrTokenExpired: exp is in the past (beyond Leeway).
	ErrTokenExpired = runtime.NewSentinel("crow: identity token is expired", vendorkit.ErrUnauthorized)
	// ErrExpMissing: the token has no exp claim, which Crow requires.
	ErrExpMissing = runtime.NewSentinel("crow: identity token has no exp claim", vendorkit.ErrUnauthorized)
	// ErrInvalidClaims: a registered claim is unusable (exp not a number,
	// nbf in the future, …).
	ErrInvalidClaims = runtime.NewSentinel("crow: identity token claims are invalid", vendorkit.ErrUnauthorized)
	// ErrUserIDMissing: the token has no user_id (or an empty one), or a
	// service-key call has no user id header while RequireUserID is set.
	ErrUserIDMissing = runtime.NewSentinel("crow: user_id is missing", vendorkit.ErrUnauthorized)
	// ErrUserIDNotString: user_id is a number or another non-string; Crow
	// requires "123", not 123.
	ErrUserIDNotString = runtime.NewSentinel("crow: user_id is not a string", vendorkit.ErrUnauthorized)
)

// Authenticator checks requests against a Config. Build it once with
// NewAuthenticator; it is safe for concurrent use.
type Authenticator struct {
	apiKeyHeader     string
	apiKeys          keyring
	bearer           keyring
	jwt              *verifier
	serviceKeyHeader string
	serviceKeys      keyring
	identityHeaders  IdentityHeaders
	requireUserID    bool
	logger           *slog.Logger
	realm            string
}

// NewAuthenticator checks cfg: at least one mode, no empty or malformed key,
// a non-negative leeway. Errors wrap vendorkit.ErrInvalidArgument and never
// contain a key.
func NewAuthenticator(cfg Config) (*Authenticator, error) {
	a := &Authenticator{logger: cfg.Logger, requireUserID: cfg.RequireUserID}
	if a.logger == nil {
		a.logger = slog.New(slog.DiscardHandler)
	}
	var err error
	if a.apiKeys, err = newKeyring("APIKeys", cfg.APIKeys); err != nil {
		return nil, err
	}
	if a.bearer, err = newKeyring("BearerTokens", cfg.BearerTokens); err != nil {
		return nil, err
	}
	if a.serviceKeys, err = newKeyring("ServiceKeys", cfg.ServiceKeys); err != nil {
		return nil, err
	}
	if a.apiKeyHeader, err = headerName("APIKeyHeader", cfg.APIKeyHeader, DefaultAPIKeyHeader); err != nil {
		return nil, err
	}
	if a.serviceKeyHeader, err = headerName("ServiceKeyHeader", cfg.ServiceKeyHeader, DefaultServiceKeyHeader); err != nil {
		return nil, err
	}
	if cfg.VerificationSecret != "" {
		if a.jwt, err = newVerifier(cfg.VerificationSecret, cfg.Leeway, cfg.Now); err != nil {
			return nil, err
		}
	} else if cfg.Leeway != 0 || cfg.Now != nil {
		return nil, invalidArg("Leeway and Now apply to JWT Forward, which needs VerificationSecret")
	}
	a.identityHeaders = cfg.IdentityHeaders.WithDefaults()
	for _, h := range []string{a.identityHeaders.UserID, a.identityHeaders.Email, a.identityHeaders.TenantID, a.identityHeaders.ProductID} {
		if h != "" && !validHeaderName(h) {
			return nil, invalidArg("IdentityHeaders: %q is not a valid header name", h)
		}
	}
	if len(a.apiKeys) == 0 && len(a.bearer) == 0 && a.jwt == nil && len(a.serviceKeys) == 0 {
		return nil, invalidArg("no mode configured: set APIKeys, BearerTokens, VerificationSecret or ServiceKeys")
	}
	if strings.EqualFold(a.apiKeyHeader, "Authorization") || strings.EqualFold(a.apiKeyHeader, a.serviceKeyHeader) ||
		strings.EqualFold(a.serviceKeyHeader, "Authorization") {
		return nil, invalidArg("APIKeyHeader %q collides with another mode's header", a.apiKeyHeader)
	}
	a.realm = cfg.Realm
	if a.realm == "" {
		a.realm = "crow"
	}
	if strings.ContainsAny(a.realm, "\"\\") || hasControl(a.realm) {
		return nil, invalidArg("Realm must not hold quotes, backslashes or control characters")
	}
	return a, nil
}

// Middleware returns net/http middleware that lets through requests that
// authenticate with one of cfg's modes, with the Identity in their context
// (see IdentityFrom), and answers the others 401 {"error":"Invalid token"}
// with a WWW-Authenticate challenge, as Crow's docs show. It works with any
// router that takes func(http.Handler) http.Handler.
//
// A cfg that NewAuthenticator refuses makes every request fail closed with
// 500 and an Error log; call NewAuthenticator yourself to catch that at
// start-up.
func Middleware(cfg Config) func(http.Handler) http.Handler {
	a, err := NewAuthenticator(cfg)
	if err != nil {
		logger := cfg.Logger
		if logger == nil {
			logger = slog.Default()
		}
		return func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logger.ErrorContext(r.Context(), "crow: middleware misconfigured; refusing every request", slog.String("error", err.Error()))
				writeJSONError(w, http.StatusInternalServerError, "Server misconfigured")
			})
		}
	}
	return a.Middleware
}

// Middleware wraps next; see the package-level Middleware.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := a.Authenticate(r)
		if err != nil {
			a.logger.LogAttrs(r.Context(), slog.LevelDebug, "crow: request refused",
				slog.String("reason", err.Error()),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path))
			w.Header().Set("WWW-Authenticate", a.challengeFor(err))
			writeJSONError(w, http.StatusUnauthorized, "Invalid token")
			return
		}
		next.ServeHTTP(w, r.WithContext(ContextWithIdentity(r.Context(), id)))
	})
}

// challengeFor builds the WWW-Authenticate value: one challenge per
// configured mode, with RFC 6750's error="invalid_token" on the Bearer one
// when a credential was presented.
func (a *Authenticator) challengeFor(err error) string {
	var ch []string
	if len(a.bearer) > 0 || a.jwt != nil {
		c := `Bearer realm="` + a.realm + `"`
		if !errors.Is(err, ErrMissingCredential) {
			c += `, error="invalid_token"`
		}
		ch = append(ch, c)
	}
	if len(a.apiKeys) > 0 {
		ch = append(ch, `ApiKey realm="`+a.realm+`", header="`+a.apiKeyHeader+`"`)
	}
	if len(a.serviceKeys) > 0 {
		ch = append(ch, `ApiKey realm="`+a.realm+`", header="`+a.serviceKeyHeader+`"`)
	}
	return strings.Join(ch, ", ")
}

// Authenticate checks r's credentials and returns the verified identity, or
// an error matching one of the reasons above (ErrTokenExpired, …). The error
// text never contains the credential.
func (a *Authenticator) Authenticate(r *http.Request) (Identity, error) {
	if len(a.serviceKeys) > 0 {
		if vals := r.Header.Values(a.serviceKeyHeader); len(vals) > 0 {
			return a.checkServiceKey(r, vals)
		}
	}
	if len(a.apiKeys) > 0 {
		if vals := r.Header.Values(a.apiKeyHeader); len(vals) > 0 {
			key, err := singleValue(a.apiKeyHeader, vals)
			if err != nil {
				return Identity{}, err
			}
			i := a.apiKeys.match(key)
			if i < 0 {
				return Identity{}, fmt.Errorf("%w (%s)", ErrKeyMismatch, a.apiKeyHeader)
			}
			return Identity{Mode: ModeAPIKey, KeyFingerprint: a.apiKeys[i].fingerprint}, nil
		}
	}
	if len(a.bearer) > 0 || a.jwt != nil {
		if vals := r.Header.Values("Authorization"); len(vals) > 0 {
			return a.checkBearer(vals)
		}
	}
	return Identity{}, fmt.Errorf("%w (expected %s)", ErrMissingCredential, a.expectedHeaders())
}

func (a *Authenticator) expectedHeaders() string {
	var hs []string
	if len(a.serviceKeys) > 0 {
		hs = append(hs, a.serviceKeyHeader)
	}
	if len(a.apiKeys) > 0 {
		hs = append(hs, a.apiKeyHeader)
	}
	if len(a.bearer) > 0 || a.jwt != nil {
		hs = append(hs, "Authorization: Bearer")
	}
	return strings.Join(hs, " or ")
}

func (a *Authenticator) checkBearer(vals []string) (Identity, error) {
	raw, err := singleValue("Authorization", vals)
	if err != nil {
		return Identity{}, err
	}
	scheme, tok, ok := strings.Cut(raw, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return Identity{}, fmt.Errorf("%w: Authorization is not \"Bearer <token>\"", ErrMalformedHeader)
	}
	if tok == "" || strings.Contains(tok, " ") {
		return Identity{}, fmt.Errorf("%w: Authorization must be \"Bearer <token>\" with a single space", ErrMalformedHeader)
	}
	if len(a.bearer) > 0 {
		if i := a.bearer.match(tok); i >= 0 {
			return Identity{Mode: ModeBearer, KeyFingerprint: a.bearer[i].fingerprint}, nil
		}
		if a.jwt == nil || strings.Count(tok, ".") != 2 {
			// Not a JWT either: report the static-token mismatch, the likelier mistake.
			return Identity{}, fmt.Errorf("%w (Bearer token)", ErrKeyMismatch)
		}
	}
	return a.jwt.verify(tok)
}

func (a *Authenticator) checkServiceKey(r *http.Request, vals []string) (Identity, error) {
	key, err := singleValue(a.serviceKeyHeader, vals)
	if err != nil {
		return Identity{}, err
	}
	i := a.serviceKeys.match(key)
	if i < 0 {
		return Identity{}, fmt.Errorf("%w (%s)", ErrKeyMismatch, a.serviceKeyHeader)
	}
	id := Identity{Mode: ModeServiceKey, KeyFingerprint: a.serviceKeys[i].fingerprint}
	h := a.identityHeaders
	for _, f := range []struct {
		name string
		dst  *string
	}{{h.UserID, &id.UserID}, {h.Email, &id.Email}, {h.TenantID, &id.TenantID}, {h.ProductID, &id.ProductID}} {
		if f.name == "" {
			continue
		}
		vs := r.Header.Values(f.name)
		if len(vs) == 0 {
			continue
		}
		v, err := identityValue(f.name, vs)
		if err != nil {
			return Identity{}, err
		}
		*f.dst = v
	}
	if a.requireUserID && id.UserID == "" {
		return Identity{}, fmt.Errorf("%w: no %s header", ErrUserIDMissing, h.UserID)
	}
	return id, nil
}

// singleValue returns the only value of a credential header, refusing
// repeated headers and values with whitespace or control characters.
func singleValue(name string, vals []string) (string, error) {
	if len(vals) != 1 {
		return "", fmt.Errorf("%w: %s sent %d times", ErrMalformedHeader, name, len(vals))
	}
	v := vals[0]
	if v == "" {
		return "", fmt.Errorf("%w: %s is empty", ErrMalformedHeader, name)
	}
	if name == "Authorization" {
		// The one space between scheme and token is checked by the caller.
		if strings.TrimSpace(v) != v || strings.ContainsAny(v, "\t") || hasControl(v) {
			return "", fmt.Errorf("%w: %s holds surrounding whitespace or control characters", ErrMalformedHeader, name)
		}
		return v, nil
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c == 0x7f {
			return "", fmt.Errorf("%w: %s holds whitespace or control characters", ErrMalformedHeader, name)
		}
	}
	return v, nil
}

// identityValue reads an identity header: one value, trimmed, no control
// characters (inner spaces are fine: names have them).
func identityValue(name string, vals []string) (string, error) {
	if len(vals) != 1 {
		return "", fmt.Errorf("%w: %s sent %d times", ErrMalformedHeader, name, len(vals))
	}
	v := vals[0]
	if strings.TrimSpace(v) != v || hasControl(v) {
		return "", fmt.Errorf("%w: %s holds surrounding whitespace or control characters", ErrMalformedHeader, name)
	}
	return v, nil
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			return true
		}
	}
	return false
}

// keyring holds configured secrets as SHA-256 digests, so that every
// comparison has the same length and takes the same time.
type keyring []keyEntry

type keyEntry struct {
	digest      [sha256.Size]byte
	fingerprint string
}

// constantTimeEqual is subtle.ConstantTimeCompare; a variable so that a test
// can count the comparisons.
var constantTimeEqual = subtle.ConstantTimeCompare

func newKeyring(field string, keys []string) (keyring, error) {
	kr := make(keyring, 0, len(keys))
	for i, k := range keys {
		if _, err := singleValue(field, []string{k}); err != nil {
			return nil, invalidArg("%s[%d] is empty or holds whitespace or control characters", field, i)
		}
		kr = append(kr, keyEntry{digest: sha256.Sum256([]byte(k)), fingerprint: runtime.Fingerprint(k)})
	}
	return kr, nil
}

// match returns the index of the key equal to presented, or -1. It compares
// against every key, without stopping at a match, in constant time.
func (kr keyring) match(presented string) int {
	d := sha256.Sum256([]byte(presented))
	found := -1
	for i := range kr {
		eq := constantTimeEqual(d[:], kr[i].digest[:])
		found = subtle.ConstantTimeSelect(eq&boolInt(found < 0), i, found)
	}
	return found
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func headerName(field, v, def string) (string, error) {
	if v == "" {
		return def, nil
	}
	if !validHeaderName(v) {
		return "", invalidArg("%s %q is not a valid header name", field, v)
	}
	return v, nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": msg})
	_, _ = w.Write(append(b, '\n'))
}

func invalidArg(format string, args ...any) error {
	return fmt.Errorf("crow: %w: "+format, append([]any{vendorkit.ErrInvalidArgument}, args...)...)
}
