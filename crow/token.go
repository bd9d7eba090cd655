package crow

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultTokenTTL is the lifetime of a minted identity token when none is
// given: one hour, as Crow's docs do.
const DefaultTokenTTL = time.Hour

// maxTokenLen caps the identity tokens the verifier reads; Crow's are a few
// hundred bytes.
const maxTokenLen = 16 << 10

// The claims Crow's docs define; MintIdentityToken sets them from Identity's
// fields, and they win over same-named entries in Identity.Claims.
const (
	claimUserID   = "user_id"
	claimExp      = "exp"
	claimEmail    = "email"
	claimName     = "name"
	claimTenantID = "tenant_id"
)

// MintIdentityToken returns a Crow identity token for id: an HS256 JWT
// signed with secret (CROW_VERIFICATION_SECRET) holding user_id as a string,
// exp = now + ttl (DefaultTokenTTL when ttl is 0), email, name and tenant_id
// when set, and id.Claims as custom claims. Errors wrap
// vendorkit.ErrInvalidArgument: empty secret or user id, negative ttl,
// claims that do not marshal to JSON.
func MintIdentityToken(secret string, id Identity, ttl time.Duration) (string, error) {
	return mint(secret, id, ttl, time.Now())
}

func mint(secret string, id Identity, ttl time.Duration, now time.Time) (string, error) {
	if secret == "" {
		return "", invalidArg("mint identity token: empty verification secret")
	}
	if strings.TrimSpace(id.UserID) == "" {
		return "", invalidArg("mint identity token: empty user id (anonymous users get no token)")
	}
	if ttl < 0 {
		return "", invalidArg("mint identity token: negative ttl %s", ttl)
	}
	if ttl == 0 {
		ttl = DefaultTokenTTL
	}
	claims := make(jwt.MapClaims, len(id.Claims)+5)
	maps.Copy(claims, id.Claims)
	claims[claimUserID] = id.UserID
	claims[claimExp] = now.Add(ttl).Unix()
	for k, v := range map[string]string{claimEmail: id.Email, claimName: id.Name, claimTenantID: id.TenantID} {
		if v != "" {
			claims[k] = v
		}
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	if err != nil {
		return "", invalidArg("mint identity token: %v", err)
	}
	return tok, nil
}

// TokenHandler serves Crow's documented token endpoint, GET /api/crow-token
// → {"token":"<jwt>"}: identify tells who the (already authenticated) caller
// is, from your own session or auth middleware, and the handler mints a
// token for them with MintIdentityToken. When identify returns an error or
// an identity without user id the answer is 401 {"error":"Unauthorized"};
// methods other than GET and HEAD get 405. Mount it behind your own auth:
//
//	mux.Handle("GET /api/crow-token", requireLogin(crow.TokenHandler(secret, userFromSession)))
func TokenHandler(secret string, identify func(*http.Request) (Identity, error), opts ...TokenOption) http.Handler {
	h := &tokenHandler{secret: secret, identify: identify, ttl: DefaultTokenTTL, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(h)
		}
	}
	return h
}

// TokenOption configures TokenHandler.
type TokenOption func(*tokenHandler)

// WithTokenTTL sets the lifetime of the tokens TokenHandler mints; default
// DefaultTokenTTL.
func WithTokenTTL(ttl time.Duration) TokenOption {
	return func(h *tokenHandler) { h.ttl = ttl }
}

// WithTokenClock sets the clock TokenHandler mints with; default time.Now.
func WithTokenClock(now func() time.Time) TokenOption {
	return func(h *tokenHandler) {
		if now != nil {
			h.now = now
		}
	}
}

type tokenHandler struct {
	secret   string
	identify func(*http.Request) (Identity, error)
	ttl      time.Duration
	now      func() time.Time
}

func (h *tokenHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSONError(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	if h.identify == nil {
		writeJSONError(w, http.StatusInternalServerError, "Server misconfigured")
		return
	}
	id, err := h.identify(r)
	if err != nil || id.UserID == "" {
		writeJSONError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	tok, err := mint(h.secret, id, h.ttl, h.now())
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, "Could not mint token")
		return
	}
	b, _ := json.Marshal(map[string]string{"token": tok})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(append(b, '\n'))
}

// verifier checks forwarded identity tokens.
type verifier struct {
	secret []byte
	parser *jwt.Parser
}

func newVerifier(secret string, leeway time.Duration, now func() time.Time) (*verifier, error) {
	if leeway < 0 {
		return nil, invalidArg("negative Leeway %s", leeway)
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(leeway),
		jwt.WithJSONNumber(),
		jwt.WithStrictDecoding(),
	}
	if now != nil {
		opts = append(opts, jwt.WithTimeFunc(now))
	}
	return &verifier{secret: []byte(secret), parser: jwt.NewParser(opts...)}, nil
}

// ParseIdentityToken verifies an identity token as the middleware's JWT
// Forward mode does — HS256 only, signature, exp required and in the future,
// user_id a non-empty string — and returns its identity. now may be nil
// (time.Now). Errors match the reasons of Authenticate (ErrTokenExpired, …).
func ParseIdentityToken(secret, token string, leeway time.Duration, now func() time.Time) (Identity, error) {
	if secret == "" {
		return Identity{}, invalidArg("parse identity token: empty verification secret")
	}
	v, err := newVerifier(secret, leeway, now)
	if err != nil {
		return Identity{}, err
	}
	return v.verify(token)
}

// verify checks the algorithm itself before the library does, so that the
// refusal says "wrong algorithm" rather than "bad signature"; the library's
// WithValidMethods stays as a second guard.
func (v *verifier) verify(tok string) (Identity, error) {
	alg, err := tokenAlg(tok)
	if err != nil {
		return Identity{}, err
	}
	if alg != jwt.SigningMethodHS256.Alg() {
		return Identity{}, fmt.Errorf("%w (alg %q)", ErrWrongAlgorithm, printable(alg))
	}
	claims := jwt.MapClaims{}
	_, err = v.parser.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return v.secret, nil })
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return Identity{}, ErrBadSignature
	case errors.Is(err, jwt.ErrTokenExpired):
		return Identity{}, ErrTokenExpired
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return Identity{}, ErrExpMissing
	case errors.Is(err, jwt.ErrTokenMalformed):
		return Identity{}, ErrTokenMalformed
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return Identity{}, fmt.Errorf("%w: not valid yet (nbf)", ErrInvalidClaims)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return Identity{}, ErrWrongAlgorithm
	default:
		// The library's text names the claim (e.g. "exp is invalid"), never the token.
		return Identity{}, fmt.Errorf("%w: %s", ErrInvalidClaims, printable(err.Error()))
	}
	id := Identity{Mode: ModeJWTForward, Claims: map[string]any(claims)}
	switch uid := claims[claimUserID].(type) {
	case nil:
		return Identity{}, ErrUserIDMissing
	case string:
		if strings.TrimSpace(uid) == "" { // blank is no identity
			return Identity{}, ErrUserIDMissing
		}
		id.UserID = uid
	default:
		return Identity{}, fmt.Errorf("%w (got %s)", ErrUserIDNotString, jsonKind(uid))
	}
	id.Email, _ = claims[claimEmail].(string)
	id.Name, _ = claims[claimName].(string)
	id.TenantID, _ = claims[claimTenantID].(string)
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		id.ExpiresAt = exp.Time
	}
	return id, nil
}

// tokenAlg reads the alg of a compact JWS without trusting anything else.
func tokenAlg(tok string) (string, error) {
	if len(tok) > maxTokenLen {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrTokenMalformed, maxTokenLen)
	}
	if strings.Count(tok, ".") != 2 {
		return "", fmt.Errorf("%w: not three dot-separated parts", ErrTokenMalformed)
	}
	head, _, _ := strings.Cut(tok, ".")
	raw, err := base64.RawURLEncoding.Strict().DecodeString(head)
	if err != nil {
		return "", fmt.Errorf("%w: header is not base64url", ErrTokenMalformed)
	}
	var h struct {
		Alg any `json:"alg"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", fmt.Errorf("%w: header is not a JSON object", ErrTokenMalformed)
	}
	alg, ok := h.Alg.(string)
	if !ok {
		return "", fmt.Errorf("%w: header has no string alg", ErrTokenMalformed)
	}
	return alg, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// printable keeps a short, printable excerpt of untrusted text for logs.
func printable(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}
