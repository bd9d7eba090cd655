package crow_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	secret      = "crow-verification-secret-0123456789"
	otherSecret = "some-other-secret-9876543210abcdef"
)

// now is the fixed clock of these tests.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// sign returns an HS256 token with claims, signed with key.
func sign(t *testing.T, key string, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(key))
	require.NoError(t, err)
	return tok
}

// withHeader replaces a token's JOSE header and re-signs header.payload with
// HMAC-SHA256 under key: the algorithm-confusion forgery.
func withHeader(tok, header, key string) string {
	parts := strings.Split(tok, ".")
	parts[0] = base64.RawURLEncoding.EncodeToString([]byte(header))
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	parts[2] = base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	return strings.Join(parts, ".")
}

// tamper replaces a token's payload, keeping the old signature.
func tamper(tok string, claims map[string]any) string {
	parts := strings.Split(tok, ".")
	b, _ := json.Marshal(claims)
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

func exp(d time.Duration) int64 { return now.Add(d).Unix() }

// logBuffer is a concurrency-safe sink for a Debug slog handler.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// lastReason returns the reason of the last record in logs.
func lastReason(t *testing.T, logs *logBuffer) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var rec struct {
		Level, Msg, Reason string
	}
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &rec))
	assert.Equal(t, "DEBUG", rec.Level)
	return rec.Reason
}

func debugLogger() (*slog.Logger, *logBuffer) {
	var b logBuffer
	return slog.New(slog.NewJSONHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})), &b
}

// whoami echoes the verified identity.
var whoami = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	id, ok := crow.IdentityFrom(r.Context())
	if !ok {
		http.Error(w, "no identity", http.StatusInternalServerError)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"mode": id.Mode, "user_id": id.UserID, "email": id.Email, "name": id.Name,
		"tenant_id": id.TenantID, "product_id": id.ProductID, "claims": id.Claims,
	})
})

type authCase struct {
	name    string
	header  http.Header
	wantErr error            // nil: accepted
	want    map[string]any   // checked fields of the echoed identity
	check   func(*testing.T) // extra checks
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func bearer(tok string) http.Header { return hdr("Authorization", "Bearer "+tok) }

// runAuthCases sends each case through the middleware and through
// Authenticate, and checks the answer, the reason and the log.
func runAuthCases(t *testing.T, cfg crow.Config, cases []authCase) {
	t.Helper()
	logger, logs := debugLogger()
	cfg.Logger = logger
	auth, err := crow.NewAuthenticator(cfg)
	require.NoError(t, err)
	h := crow.Middleware(cfg)(whoami)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/my/orders", nil)
			req.Header = tc.header.Clone()
			_, aerr := auth.Authenticate(req)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if tc.wantErr == nil {
				require.NoError(t, aerr)
				require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
				var got map[string]any
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
				for k, v := range tc.want {
					assert.Equal(t, v, got[k], k)
				}
				return
			}
			require.ErrorIs(t, aerr, tc.wantErr)
			require.ErrorIs(t, aerr, vendorkit.ErrUnauthorized)
			assert.Equal(t, http.StatusUnauthorized, rec.Code)
			assert.JSONEq(t, `{"error":"Invalid token"}`, rec.Body.String())
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.NotEmpty(t, rec.Header().Get("WWW-Authenticate"))
			// The debug log says why, and never holds the credential.
			assert.Equal(t, aerr.Error(), lastReason(t, logs))
			for _, vs := range tc.header {
				for _, v := range vs {
					_, cred, _ := strings.Cut(v, " ")
					for _, s := range []string{v, strings.TrimSpace(cred)} {
						if len(s) >= 8 {
							assert.NotContains(t, logs.String(), s, "credential leaked to the log")
							assert.NotContains(t, aerr.Error(), s, "credential leaked to the error")
						}
					}
				}
			}
			if tc.check != nil {
				tc.check(t)
			}
		})
	}
}

func TestAPIKeyMode(t *testing.T) {
	cfg := crow.Config{APIKeys: []string{"key-one-AAAAAAAA", "key-two-BBBBBBBB"}}
	runAuthCases(t, cfg, []authCase{
		{name: "first key", header: hdr("X-API-Key", "key-one-AAAAAAAA"), want: map[string]any{"mode": "api_key", "user_id": ""}},
		{name: "rotated key", header: hdr("X-Api-Key", "key-two-BBBBBBBB"), want: map[string]any{"mode": "api_key"}},
		{name: "missing header", header: hdr(), wantErr: crow.ErrMissingCredential},
		{name: "key in Authorization instead", header: bearer("key-one-AAAAAAAA"), wantErr: crow.ErrMissingCredential},
		{name: "wrong key", header: hdr("X-API-Key", "key-three-CCCCCCC"), wantErr: crow.ErrKeyMismatch},
		{name: "prefix of a key", header: hdr("X-API-Key", "key-one-AAAAAAA"), wantErr: crow.ErrKeyMismatch},
		{name: "empty", header: hdr("X-API-Key", ""), wantErr: crow.ErrMalformedHeader},
		{name: "trailing space", header: hdr("X-API-Key", "key-one-AAAAAAAA "), wantErr: crow.ErrMalformedHeader},
		{name: "leading tab", header: hdr("X-API-Key", "\tkey-one-AAAAAAAA"), wantErr: crow.ErrMalformedHeader},
		{name: "CRLF", header: hdr("X-API-Key", "key-one-AAAAAAAA\r\nX-Evil: 1"), wantErr: crow.ErrMalformedHeader},
		{name: "inner space", header: hdr("X-API-Key", "key-one AAAAAAAA"), wantErr: crow.ErrMalformedHeader},
		{name: "sent twice", header: hdr("X-API-Key", "key-one-AAAAAAAA", "X-API-Key", "key-one-AAAAAAAA"), wantErr: crow.ErrMalformedHeader},
	})
}

func TestAPIKeyCustomHeader(t *testing.T) {
	runAuthCases(t, crow.Config{APIKeys: []string{"tool-key-123456"}, APIKeyHeader: "x-tools-key"}, []authCase{
		{name: "configured header", header: hdr("X-Tools-Key", "tool-key-123456"), want: map[string]any{"mode": "api_key"}},
		{name: "default header is not read", header: hdr("X-API-Key", "tool-key-123456"), wantErr: crow.ErrMissingCredential},
	})
}

func TestBearerMode(t *testing.T) {
	runAuthCases(t, crow.Config{BearerTokens: []string{"static-token-1234", "static-token-5678"}}, []authCase{
		{name: "token", header: bearer("static-token-1234"), want: map[string]any{"mode": "bearer"}},
		{name: "rotated token", header: bearer("static-token-5678"), want: map[string]any{"mode": "bearer"}},
		{name: "scheme is case-insensitive", header: hdr("Authorization", "bearer static-token-1234"), want: map[string]any{"mode": "bearer"}},
		{name: "missing header", header: hdr(), wantErr: crow.ErrMissingCredential},
		{name: "wrong token", header: bearer("static-token-0000"), wantErr: crow.ErrKeyMismatch},
		{name: "no scheme", header: hdr("Authorization", "static-token-1234"), wantErr: crow.ErrMalformedHeader},
		{name: "basic scheme", header: hdr("Authorization", "Basic static-token-1234"), wantErr: crow.ErrMalformedHeader},
		{name: "two spaces", header: hdr("Authorization", "Bearer  static-token-1234"), wantErr: crow.ErrMalformedHeader},
		{name: "trailing space", header: hdr("Authorization", "Bearer static-token-1234 "), wantErr: crow.ErrMalformedHeader},
		{name: "CRLF", header: hdr("Authorization", "Bearer static-token-1234\r\n"), wantErr: crow.ErrMalformedHeader},
		{name: "tab", header: hdr("Authorization", "Bearer\tstatic-token-1234"), wantErr: crow.ErrMalformedHeader},
		{name: "scheme only", header: hdr("Authorization", "Bearer"), wantErr: crow.ErrMalformedHeader},
		{name: "sent twice", header: hdr("Authorization", "Bearer static-token-1234", "Authorization", "Bearer static-token-1234"), wantErr: crow.ErrMalformedHeader},
	})
}

func TestJWTForwardMode(t *testing.T) {
	good := sign(t, secret, jwt.MapClaims{"user_id": "user_456", "exp": exp(time.Hour), "email": "alice@example.com", "name": "Alice", "tenant_id": "t_789", "plan": "pro"})
	noneTok, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"user_id": "u1", "exp": exp(time.Hour)}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	cfg := crow.Config{VerificationSecret: secret, Now: clock}
	runAuthCases(t, cfg, []authCase{
		{name: "identity token", header: bearer(good), want: map[string]any{
			"mode": "jwt_forward", "user_id": "user_456", "email": "alice@example.com", "name": "Alice", "tenant_id": "t_789",
		}},
		{name: "minimal token", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": "7", "exp": exp(time.Minute)})), want: map[string]any{"user_id": "7", "email": ""}},
		{name: "missing header", header: hdr(), wantErr: crow.ErrMissingCredential},
		{name: "wrong secret", header: bearer(sign(t, otherSecret, jwt.MapClaims{"user_id": "u1", "exp": exp(time.Hour)})), wantErr: crow.ErrBadSignature},
		{name: "expired", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": "u1", "exp": exp(-time.Second)})), wantErr: crow.ErrTokenExpired},
		{name: "exp missing", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": "u1"})), wantErr: crow.ErrExpMissing},
		{name: "exp a string", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": "u1", "exp": "4102444800"})), wantErr: crow.ErrInvalidClaims},
		{name: "nbf in the future", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": "u1", "exp": exp(time.Hour), "nbf": exp(time.Minute)})), wantErr: crow.ErrInvalidClaims},
		{name: "user_id numeric", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": 12345, "exp": exp(time.Hour)})), wantErr: crow.ErrUserIDNotString},
		{name: "user_id boolean", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": true, "exp": exp(time.Hour)})), wantErr: crow.ErrUserIDNotString},
		{name: "user_id missing", header: bearer(sign(t, secret, jwt.MapClaims{"email": "a@b.c", "exp": exp(time.Hour)})), wantErr: crow.ErrUserIDMissing},
		{name: "user_id empty", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": "", "exp": exp(time.Hour)})), wantErr: crow.ErrUserIDMissing},
		{name: "user_id blank", header: bearer(sign(t, secret, jwt.MapClaims{"user_id": "   ", "exp": exp(time.Hour)})), wantErr: crow.ErrUserIDMissing},
		{name: "alg none", header: bearer(noneTok), wantErr: crow.ErrWrongAlgorithm},
		{name: "alg none without signature dot", header: bearer(strings.TrimSuffix(noneTok, ".")), wantErr: crow.ErrTokenMalformed},
		{name: "HS256 re-signed with RS256 header", header: bearer(withHeader(good, `{"alg":"RS256","typ":"JWT"}`, secret)), wantErr: crow.ErrWrongAlgorithm},
		{name: "ES256 header", header: bearer(withHeader(good, `{"alg":"ES256","typ":"JWT"}`, secret)), wantErr: crow.ErrWrongAlgorithm},
		{name: "HS512", header: bearer(jwtHS512(t)), wantErr: crow.ErrWrongAlgorithm},
		{name: "lower-case hs256", header: bearer(withHeader(good, `{"alg":"hs256","typ":"JWT"}`, secret)), wantErr: crow.ErrWrongAlgorithm},
		{name: "tampered payload", header: bearer(tamper(good, map[string]any{"user_id": "admin", "exp": exp(time.Hour)})), wantErr: crow.ErrBadSignature},
		{name: "tampered signature", header: bearer(good[:len(good)-2] + flip(good[len(good)-2:])), wantErr: crow.ErrBadSignature},
		{name: "not a JWT", header: bearer("opaque-token-123456"), wantErr: crow.ErrTokenMalformed},
		{name: "header not base64", header: bearer("%%%." + strings.SplitN(good, ".", 2)[1]), wantErr: crow.ErrTokenMalformed},
		{name: "whitespace in header", header: hdr("Authorization", "Bearer "+good+" "), wantErr: crow.ErrMalformedHeader},
		{name: "CRLF in header", header: hdr("Authorization", "Bearer "+good+"\r\nX-User-ID: admin"), wantErr: crow.ErrMalformedHeader},
		{name: "two spaces", header: hdr("Authorization", "Bearer  "+good), wantErr: crow.ErrMalformedHeader},
	})
}

func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

func jwtHS512(t *testing.T) string {
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{"user_id": "u1", "exp": exp(time.Hour)}).SignedString([]byte(secret))
	require.NoError(t, err)
	return tok
}

func TestJWTForwardLeewayAndClock(t *testing.T) {
	tok := sign(t, secret, jwt.MapClaims{"user_id": "u1", "exp": exp(-10 * time.Second)})
	for _, tc := range []struct {
		name   string
		leeway time.Duration
		at     time.Time
		ok     bool
	}{
		{"expired 10s ago, no leeway", 0, now, false},
		{"expired 10s ago, 30s leeway", 30 * time.Second, now, true},
		{"expired 10s ago, 5s leeway", 5 * time.Second, now, false},
		{"clock before exp", 0, now.Add(-time.Minute), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.at
			id, err := crow.ParseIdentityToken(secret, tok, tc.leeway, func() time.Time { return at })
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, "u1", id.UserID)
				assert.Equal(t, now.Add(-10*time.Second).Unix(), id.ExpiresAt.Unix())
			} else {
				require.ErrorIs(t, err, crow.ErrTokenExpired)
			}
		})
	}
}

func TestServiceKeyMode(t *testing.T) {
	const key = "HCF8nVjR8YON5eBzlMHuTqO8IwD3c0DSynVnTKq5/80="
	cfg := crow.Config{ServiceKeys: []string{key}}
	runAuthCases(t, cfg, []authCase{
		{name: "key and identity headers", header: hdr("X-Service-Key", key, "X-User-ID", "user_456", "X-Email", "alice@example.com", "X-Tenant-ID", "t_789", "X-Product-ID", "prod_1"),
			want: map[string]any{"mode": "service_key", "user_id": "user_456", "email": "alice@example.com", "tenant_id": "t_789", "product_id": "prod_1"}},
		{name: "anonymous user: key only", header: hdr("X-Service-Key", key), want: map[string]any{"mode": "service_key", "user_id": ""}},
		{name: "missing key", header: hdr("X-User-ID", "user_456"), wantErr: crow.ErrMissingCredential},
		{name: "wrong key", header: hdr("X-Service-Key", "HCF8nVjR8YON5eBzlMHuTqO8IwD3c0DSynVnTKq5/81=", "X-User-ID", "u"), wantErr: crow.ErrKeyMismatch},
		{name: "key with trailing space", header: hdr("X-Service-Key", key+" "), wantErr: crow.ErrMalformedHeader},
		{name: "key with CRLF", header: hdr("X-Service-Key", key+"\r\n"), wantErr: crow.ErrMalformedHeader},
		{name: "user id with CRLF", header: hdr("X-Service-Key", key, "X-User-ID", "u1\r\nX-Tenant-ID: other"), wantErr: crow.ErrMalformedHeader},
		{name: "user id sent twice", header: hdr("X-Service-Key", key, "X-User-ID", "u1", "X-User-ID", "admin"), wantErr: crow.ErrMalformedHeader},
		{name: "user id with surrounding space", header: hdr("X-Service-Key", key, "X-User-ID", " u1"), wantErr: crow.ErrMalformedHeader},
	})
	runAuthCases(t, crow.Config{ServiceKeys: []string{key}, RequireUserID: true, IdentityHeaders: crow.IdentityHeaders{UserID: "X-Crow-User", Email: "-"}}, []authCase{
		{name: "custom user header", header: hdr("X-Service-Key", key, "X-Crow-User", "u9", "X-Email", "ignored@example.com"), want: map[string]any{"user_id": "u9", "email": ""}},
		{name: "user required", header: hdr("X-Service-Key", key, "X-User-ID", "u9"), wantErr: crow.ErrUserIDMissing},
	})
}

func TestModesTogether(t *testing.T) {
	cfg := crow.Config{
		APIKeys:            []string{"api-key-12345678"},
		BearerTokens:       []string{"static-token-1234"},
		VerificationSecret: secret,
		Now:                clock,
		ServiceKeys:        []string{"service-key-1234"},
	}
	jwtTok := sign(t, secret, jwt.MapClaims{"user_id": "u1", "exp": exp(time.Hour)})
	runAuthCases(t, cfg, []authCase{
		{name: "api key", header: hdr("X-API-Key", "api-key-12345678"), want: map[string]any{"mode": "api_key"}},
		{name: "static bearer", header: bearer("static-token-1234"), want: map[string]any{"mode": "bearer"}},
		{name: "jwt", header: bearer(jwtTok), want: map[string]any{"mode": "jwt_forward", "user_id": "u1"}},
		{name: "service key", header: hdr("X-Service-Key", "service-key-1234", "X-User-ID", "u2"), want: map[string]any{"mode": "service_key", "user_id": "u2"}},
		{name: "bearer that is neither", header: bearer("static-token-0000"), wantErr: crow.ErrKeyMismatch},
		{name: "bearer JWT with wrong secret", header: bearer(sign(t, otherSecret, jwt.MapClaims{"user_id": "u1", "exp": exp(time.Hour)})), wantErr: crow.ErrBadSignature},
		// A wrong credential is refused even when another one is right.
		{name: "wrong api key, good bearer", header: hdr("X-API-Key", "api-key-00000000", "Authorization", "Bearer static-token-1234"), wantErr: crow.ErrKeyMismatch},
		{name: "identity headers without service key are not trusted", header: hdr("X-User-ID", "admin", "X-API-Key", "api-key-12345678"), want: map[string]any{"mode": "api_key", "user_id": ""}},
		{name: "nothing", header: hdr(), wantErr: crow.ErrMissingCredential},
	})
}

func TestChallenge(t *testing.T) {
	h := crow.Middleware(crow.Config{APIKeys: []string{"api-key-12345678"}, VerificationSecret: secret, Realm: "orders"})(whoami)
	for _, tc := range []struct {
		header http.Header
		want   string
	}{
		{hdr(), `Bearer realm="orders", ApiKey realm="orders", header="X-API-Key"`},
		{bearer("x.y.z"), `Bearer realm="orders", error="invalid_token", ApiKey realm="orders", header="X-API-Key"`},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header = tc.header
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Equal(t, tc.want, rec.Header().Get("WWW-Authenticate"))
		assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	}
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]crow.Config{
		"no mode":                  {},
		"empty key":                {APIKeys: []string{""}},
		"key with space":           {APIKeys: []string{"a b"}},
		"token with newline":       {BearerTokens: []string{"tok\n"}},
		"negative leeway":          {VerificationSecret: secret, Leeway: -time.Second},
		"leeway without secret":    {APIKeys: []string{"k"}, Leeway: time.Second},
		"bad header name":          {APIKeys: []string{"k"}, APIKeyHeader: "X API Key"},
		"api key in Authorization": {APIKeys: []string{"k"}, APIKeyHeader: "authorization"},
		"bad identity header":      {ServiceKeys: []string{"k"}, IdentityHeaders: crow.IdentityHeaders{UserID: "X:User"}},
		"realm with quote":         {APIKeys: []string{"k"}, Realm: `a"b`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := crow.NewAuthenticator(cfg)
			require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
			for _, k := range cfg.APIKeys {
				if len(k) >= 4 {
					assert.NotContains(t, err.Error(), k)
				}
			}
		})
	}
	// Middleware fails closed on a bad config.
	logger, logs := debugLogger()
	h := crow.Middleware(crow.Config{Logger: logger})(whoami)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, logs.String(), "no mode configured")
}

func TestMintRoundTrip(t *testing.T) {
	in := crow.Identity{UserID: "12345", Email: "alice@example.com", Name: "Alice Doe", TenantID: "t_789",
		Claims: map[string]any{"plan": "pro", "seats": 3, "user_id": "ignored", "custom_attributes": map[string]any{"vip": true}}}
	before := time.Now()
	tok, err := crow.MintIdentityToken(secret, in, 0)
	require.NoError(t, err)

	// The token is what Crow's docs mint: HS256, user_id a string, exp +1h.
	parsed, err := jwt.NewParser(jwt.WithJSONNumber()).Parse(tok, func(*jwt.Token) (any, error) { return []byte(secret), nil })
	require.NoError(t, err)
	assert.Equal(t, "HS256", parsed.Header["alg"])
	claims := parsed.Claims.(jwt.MapClaims)
	assert.Equal(t, "12345", claims["user_id"])
	expAt, err := claims.GetExpirationTime()
	require.NoError(t, err)
	assert.WithinDuration(t, before.Add(time.Hour), expAt.Time, 2*time.Second)

	id, err := crow.ParseIdentityToken(secret, tok, 0, nil)
	require.NoError(t, err)
	assert.Equal(t, crow.ModeJWTForward, id.Mode)
	assert.Equal(t, "12345", id.UserID)
	assert.Equal(t, "alice@example.com", id.Email)
	assert.Equal(t, "Alice Doe", id.Name)
	assert.Equal(t, "t_789", id.TenantID)
	assert.Equal(t, "pro", id.Claims["plan"])
	assert.Equal(t, json.Number("3"), id.Claims["seats"])
	assert.Equal(t, map[string]any{"vip": true}, id.Claims["custom_attributes"])

	short, err := crow.MintIdentityToken(secret, crow.Identity{UserID: "u"}, time.Minute)
	require.NoError(t, err)
	id, err = crow.ParseIdentityToken(secret, short, 0, nil)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(time.Minute), id.ExpiresAt, 2*time.Second)
	_, err = crow.ParseIdentityToken(secret, short, 0, func() time.Time { return time.Now().Add(2 * time.Minute) })
	require.ErrorIs(t, err, crow.ErrTokenExpired)
	_, err = crow.ParseIdentityToken(otherSecret, short, 0, nil)
	require.ErrorIs(t, err, crow.ErrBadSignature)
}

func TestMintErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		secret string
		id     crow.Identity
		ttl    time.Duration
	}{
		"empty secret": {"", crow.Identity{UserID: "u"}, 0},
		"empty user":   {secret, crow.Identity{}, 0},
		"negative ttl": {secret, crow.Identity{UserID: "u"}, -time.Second},
		"bad claim":    {secret, crow.Identity{UserID: "u", Claims: map[string]any{"c": make(chan int)}}, 0},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := crow.MintIdentityToken(tc.secret, tc.id, tc.ttl)
			require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
		})
	}
}

func TestTokenHandler(t *testing.T) {
	identify := func(r *http.Request) (crow.Identity, error) {
		switch r.Header.Get("X-Session") {
		case "alice":
			return crow.Identity{UserID: "42", Email: "alice@example.com"}, nil
		case "anonymous":
			return crow.Identity{}, nil
		}
		return crow.Identity{}, errors.New("not logged in")
	}
	h := crow.TokenHandler(secret, identify, crow.WithTokenTTL(10*time.Minute), crow.WithTokenClock(clock))
	serve := func(method, session string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/api/crow-token", nil)
		if session != "" {
			req.Header.Set("X-Session", session)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	rec := serve(http.MethodGet, "alice")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	var body struct{ Token string }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	id, err := crow.ParseIdentityToken(secret, body.Token, 0, clock)
	require.NoError(t, err)
	assert.Equal(t, "42", id.UserID)
	assert.Equal(t, now.Add(10*time.Minute).Unix(), id.ExpiresAt.Unix())

	// The minted token passes the JWT Forward middleware.
	mw := crow.Middleware(crow.Config{VerificationSecret: secret, Now: clock})(whoami)
	req := httptest.NewRequest(http.MethodGet, "/my/orders", nil)
	req.Header.Set("Authorization", "Bearer "+body.Token)
	mrec := httptest.NewRecorder()
	mw.ServeHTTP(mrec, req)
	assert.Equal(t, http.StatusOK, mrec.Code)

	for _, tc := range []struct {
		method, session string
		status          int
		body            string
	}{
		{http.MethodGet, "", http.StatusUnauthorized, `{"error":"Unauthorized"}`},
		{http.MethodGet, "anonymous", http.StatusUnauthorized, `{"error":"Unauthorized"}`},
		{http.MethodPost, "alice", http.StatusMethodNotAllowed, `{"error":"Method not allowed"}`},
	} {
		rec := serve(tc.method, tc.session)
		assert.Equal(t, tc.status, rec.Code, "%s %s", tc.method, tc.session)
		b, _ := io.ReadAll(rec.Body)
		assert.JSONEq(t, tc.body, string(b))
	}

	broken := crow.TokenHandler("", identify)
	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/api/crow-token", nil)
	req.Header.Set("X-Session", "alice")
	broken.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
}

func TestContextWithIdentity(t *testing.T) {
	_, ok := crow.IdentityFrom(t.Context())
	assert.False(t, ok)
	ctx := crow.ContextWithIdentity(t.Context(), crow.Identity{Mode: crow.ModeBearer, UserID: "u"})
	id, ok := crow.IdentityFrom(ctx)
	require.True(t, ok)
	assert.Equal(t, "u", id.UserID)
}
