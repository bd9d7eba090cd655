// Package crow protects your API for Crow (usecrow.ai), the AI agent that
// calls your own API as tools, and manages Crow's multi-subdomain endpoint
// configs.
//
// Crow calls your API in one of the ways its dashboard offers, and
// Middleware checks each of them, alone or several at once:
//
//   - API Key: a static key in a header (X-API-Key by default); several keys
//     may be valid at once for rotation.
//   - Bearer Token: a static "Authorization: Bearer <token>".
//   - JWT Forward: the user's Crow identity token — an HS256 JWT your backend
//     minted with CROW_VERIFICATION_SECRET — forwarded as a Bearer token.
//     Only HS256 is accepted, exp is required and enforced, user_id must be a
//     non-empty string.
//   - Server-side MCP: the product's service key in X-Service-Key, plus the
//     identity headers (X-User-ID, X-Email, X-Tenant-ID, X-Product-ID) that
//     are trusted only once the key is valid.
//
// Every secret is compared in constant time. A refused request gets 401
// {"error":"Invalid token"} with a WWW-Authenticate challenge, and a Debug
// log record says why (expired, bad signature, wrong algorithm, user_id not
// a string, missing header, …) without the credential. Handlers read the
// verified caller with IdentityFrom:
//
//	secret := os.Getenv("CROW_VERIFICATION_SECRET")
//	mux := http.NewServeMux()
//	mux.Handle("GET /api/crow-token", requireLogin(crow.TokenHandler(secret, userFromSession)))
//	mux.Handle("GET /my/orders", crow.Middleware(crow.Config{VerificationSecret: secret})(
//		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//			id, _ := crow.IdentityFrom(r.Context())
//			writeOrders(w, id.UserID)
//		})))
//
// MintIdentityToken and TokenHandler mint the identity tokens the widget
// passes to window.crow('identify', {token}).
//
// New returns a client of Crow's endpoint-configs API (base URL
// https://api.usecrow.org/api), which maps subdomain keys to a base URL and
// credentials. Package crowspec lints the OpenAPI document you upload to
// Crow; package crowtest calls your handlers exactly as Crow does and fakes
// the endpoint-configs API.
package crow
