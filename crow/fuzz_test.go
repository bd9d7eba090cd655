package crow_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
)

// FuzzParseIdentityToken feeds arbitrary tokens to the JWT Forward verifier:
// it must never panic, must refuse with ErrUnauthorized, and may accept only
// a token that an independent HS256 check with the secret accepts too.
func FuzzParseIdentityToken(f *testing.F) {
	good, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": "u1", "exp": now.Add(time.Hour).Unix()}).SignedString([]byte(secret))
	numeric, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": 1, "exp": now.Add(time.Hour).Unix()}).SignedString([]byte(secret))
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"user_id": "u1", "exp": now.Add(time.Hour).Unix()}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	for _, s := range []string{good, numeric, none, "", ".", "..", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..", good + "x", withHeader(good, `{"alg":"RS256"}`, secret), withHeader(good, `{"alg":["HS256"]}`, secret)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		id, err := crow.ParseIdentityToken(secret, tok, 0, clock)
		if err != nil {
			if !errors.Is(err, vendorkit.ErrUnauthorized) {
				t.Fatalf("refusal %v does not match ErrUnauthorized", err)
			}
			return
		}
		parsed, perr := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(clock), jwt.WithExpirationRequired()).
			Parse(tok, func(*jwt.Token) (any, error) { return []byte(secret), nil })
		if perr != nil || !parsed.Valid {
			t.Fatalf("accepted a token the reference check refuses: %v", perr)
		}
		if uid, ok := parsed.Claims.(jwt.MapClaims)["user_id"].(string); !ok || uid == "" || uid != id.UserID {
			t.Fatalf("accepted user_id %q, reference %v", id.UserID, parsed.Claims.(jwt.MapClaims)["user_id"])
		}
	})
}

// FuzzAuthenticateHeaders feeds arbitrary credential and identity header
// values to every mode: no panic, and a request is accepted only with the
// exact configured key or token.
func FuzzAuthenticateHeaders(f *testing.F) {
	const apiKey, static, service = "api-key-12345678", "static-token-1234", "service-key-1234"
	auth, err := crow.NewAuthenticator(crow.Config{
		APIKeys: []string{apiKey}, BearerTokens: []string{static}, VerificationSecret: secret, Now: clock, ServiceKeys: []string{service},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("X-API-Key", apiKey, "")
	f.Add("Authorization", "Bearer "+static, "")
	f.Add("Authorization", "bearer  "+static, "")
	f.Add("Authorization", "Bearer a.b.c", "")
	f.Add("X-Service-Key", service, "user_1")
	f.Add("X-Service-Key", service, "user\r\n1")
	f.Add("X-API-Key", apiKey+"\r\n", "")
	f.Fuzz(func(t *testing.T, name, value, user string) {
		if name == "" || !validToken(name) {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header[http.CanonicalHeaderKey(name)] = []string{value}
		req.Header["X-User-Id"] = []string{user}
		id, err := auth.Authenticate(req)
		if err != nil {
			if !errors.Is(err, vendorkit.ErrUnauthorized) {
				t.Fatalf("refusal %v does not match ErrUnauthorized", err)
			}
			return
		}
		switch id.Mode {
		case crow.ModeAPIKey:
			if value != apiKey {
				t.Fatalf("api key %q accepted", value)
			}
		case crow.ModeBearer:
			scheme, tok, _ := strings.Cut(value, " ")
			if !strings.EqualFold(scheme, "Bearer") || tok != static {
				t.Fatalf("bearer %q accepted", value)
			}
		case crow.ModeServiceKey:
			if value != service || id.UserID != user {
				t.Fatalf("service key %q / user %q accepted as %q", value, user, id.UserID)
			}
		case crow.ModeJWTForward:
			if _, err := crow.ParseIdentityToken(secret, value[len("Bearer "):], 0, clock); err != nil {
				t.Fatalf("jwt accepted by middleware, refused by parser: %v", err)
			}
		}
	})
}

func validToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
