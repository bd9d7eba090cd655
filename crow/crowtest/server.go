// Package crowtest helps test an API that Crow calls, and code that manages
// Crow's endpoint configs:
//
//   - NewCaller calls your handlers exactly as Crow does in each auth mode
//     (static API key or Bearer token, a freshly minted identity JWT
//     forwarded as Bearer, or the MCP service key with identity headers),
//     through vendorkit's own transport;
//   - NewServer is an in-process fake of Crow's endpoint-configs API, built on
//     vendorkittest (fault injection and request recording included), that
//     stores configs per product and masks tokens in list answers as Crow does.
package crowtest

import (
	"maps"
	"net/http"
	"sort"
	"sync"

	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// DefaultToken is the management token the fake accepts unless WithToken
// says otherwise.
const DefaultToken = "crow-test-token-0123456789"

// Server is a fake of Crow's endpoint-configs API under /api. It embeds
// *vendorkittest.Server: Inject, FailNext, Requests, Count … are available.
type Server struct {
	*vendorkittest.Server
	token  string
	header string
	scheme string

	mu       sync.Mutex
	products map[string]map[string]crow.EndpointConfig
}

// ServerOption configures NewServer.
type ServerOption func(*Server)

// WithToken sets the management token the fake accepts.
func WithToken(token string) ServerOption { return func(s *Server) { s.token = token } }

// WithAuthHeader makes the fake read the token from header, after scheme
// when scheme is not empty (default "Authorization", "Bearer"), matching
// crow.WithAuthHeader.
func WithAuthHeader(header, scheme string) ServerOption {
	return func(s *Server) { s.header, s.scheme = header, scheme }
}

// NewServer starts the fake; it is closed when the test ends.
func NewServer(t vendorkittest.T, opts ...ServerOption) *Server {
	t.Helper()
	s := &Server{
		Server:   vendorkittest.NewServer(t, "/api"),
		token:    DefaultToken,
		header:   "Authorization",
		scheme:   "Bearer",
		products: map[string]map[string]crow.EndpointConfig{},
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	s.Use(vendorkittest.RequireHeader(s.authorized, func(w http.ResponseWriter, _ *http.Request) {
		vendorkittest.WriteJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Not authenticated"})
	}))
	s.HandleFunc("GET /products/{product_id}/endpoint-configs", s.list)
	s.HandleFunc("PATCH /products/{product_id}/endpoint-configs", s.merge)
	s.HandleFunc("PUT /products/{product_id}/endpoint-configs", s.replace)
	s.HandleFunc("PUT /products/{product_id}/endpoint-configs/{key}", s.put)
	s.HandleFunc("DELETE /products/{product_id}/endpoint-configs/{key}", s.delete)
	return s
}

// Client returns a crow.Client for the fake, on a kit without retry sleeps.
func (s *Server) Client(t vendorkittest.T, opts ...crow.Option) *crow.Client {
	t.Helper()
	c, err := crow.New(vendorkittest.NewClient(t), s.token, append([]crow.Option{crow.WithBaseURL(s.URL()), crow.WithAuthHeader(s.header, s.scheme)}, opts...)...)
	if err != nil {
		t.Fatalf("crowtest: %v", err)
	}
	return c
}

// Token returns the management token the fake accepts.
func (s *Server) Token() string { return s.token }

// Configs returns the product's stored configs, tokens unmasked, for
// assertions.
func (s *Server) Configs(productID string) map[string]crow.EndpointConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.products[productID])
}

// SetConfigs replaces the product's stored configs, for test setup.
func (s *Server) SetConfigs(productID string, configs map[string]crow.EndpointConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products[productID] = maps.Clone(configs)
}

// Mask is how the fake masks a token in list answers: Crow shows only the
// last 4 characters.
func Mask(token string) string {
	if len(token) <= 4 {
		return "****"
	}
	return "****" + token[len(token)-4:]
}

func (s *Server) authorized(r *http.Request) bool {
	vals := r.Header.Values(s.header)
	if len(vals) != 1 {
		return false
	}
	want := s.token
	if s.scheme != "" {
		want = s.scheme + " " + s.token
	}
	return vendorkittest.Equal(vals[0], want)
}

// wireConfig is an endpoint config as sent on the wire; the token is a
// plain string here so that the fake can mask it.
type wireConfig struct {
	APIBaseURL    string   `json:"api_base_url"`
	APIAuthConfig wireAuth `json:"api_auth_config"`
}

type wireAuth struct {
	AuthType   string `json:"auth_type"`
	HeaderName string `json:"header_name,omitempty"`
	Token      string `json:"token,omitempty"`
}

func toWire(c crow.EndpointConfig, mask bool) wireConfig {
	tok := c.Auth.Token()
	if mask && tok != "" {
		tok = Mask(tok)
	}
	return wireConfig{APIBaseURL: c.BaseURL, APIAuthConfig: wireAuth{AuthType: string(c.Auth.Type()), HeaderName: c.Auth.HeaderName(), Token: tok}}
}

// fromWire checks one config the way a FastAPI model would and returns
// FastAPI-style error items.
func fromWire(loc []any, w *wireConfig) (crow.EndpointConfig, []map[string]any) {
	var errs []map[string]any
	missing := func(field ...any) {
		errs = append(errs, map[string]any{"type": "missing", "loc": append(append([]any{}, loc...), field...), "msg": "Field required"})
	}
	if w == nil {
		missing()
		return crow.EndpointConfig{}, errs
	}
	if w.APIBaseURL == "" {
		missing("api_base_url")
	}
	var auth crow.AuthConfig
	a := w.APIAuthConfig
	switch a.AuthType {
	case "bearer":
		if a.Token == "" {
			missing("api_auth_config", "bearer", "token")
		}
		auth = crow.BearerAuth(a.Token)
	case "api_key":
		if a.HeaderName == "" {
			missing("api_auth_config", "api_key", "header_name")
		}
		if a.Token == "" {
			missing("api_auth_config", "api_key", "token")
		}
		auth = crow.APIKeyAuth(a.HeaderName, a.Token)
	case "none":
		auth = crow.NoAuth()
	case "":
		missing("api_auth_config", "auth_type")
	default:
		errs = append(errs, map[string]any{"type": "union_tag_invalid", "loc": append(append([]any{}, loc...), "api_auth_config"),
			"msg": "Input tag '" + a.AuthType + "' found using 'auth_type' does not match any of the expected tags: 'bearer', 'api_key', 'none'"})
	}
	return crow.EndpointConfig{BaseURL: w.APIBaseURL, Auth: auth}, errs
}

func unprocessable(w http.ResponseWriter, errs []map[string]any) {
	sort.Slice(errs, func(i, j int) bool { return errs[i]["msg"].(string) < errs[j]["msg"].(string) })
	vendorkittest.WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": errs})
}

// readConfigs reads {"configs": {...}}; ok is false after answering 422.
func readConfigs(w http.ResponseWriter, r *http.Request) (map[string]crow.EndpointConfig, bool) {
	var body struct {
		Configs map[string]*wireConfig `json:"configs"`
	}
	if !vendorkittest.ReadJSON(r, &body) {
		unprocessable(w, []map[string]any{{"type": "json_invalid", "loc": []any{"body"}, "msg": "JSON decode error"}})
		return nil, false
	}
	if body.Configs == nil {
		unprocessable(w, []map[string]any{{"type": "missing", "loc": []any{"body", "configs"}, "msg": "Field required"}})
		return nil, false
	}
	out := make(map[string]crow.EndpointConfig, len(body.Configs))
	var errs []map[string]any
	for key, wc := range body.Configs {
		cfg, e := fromWire([]any{"body", "configs", key}, wc)
		errs = append(errs, e...)
		out[key] = cfg
	}
	if len(errs) > 0 {
		unprocessable(w, errs)
		return nil, false
	}
	return out, true
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	stored := s.products[r.PathValue("product_id")]
	out := make(map[string]wireConfig, len(stored))
	for k, c := range stored {
		out[k] = toWire(c, true)
	}
	s.mu.Unlock()
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"configs": out})
}

func (s *Server) merge(w http.ResponseWriter, r *http.Request) {
	in, ok := readConfigs(w, r)
	if !ok {
		return
	}
	pid := r.PathValue("product_id")
	s.mu.Lock()
	stored := s.products[pid]
	if stored == nil {
		stored = map[string]crow.EndpointConfig{}
		s.products[pid] = stored
	}
	added, updated := 0, 0
	for k, c := range in {
		if _, ok := stored[k]; ok {
			updated++
		} else {
			added++
		}
		stored[k] = c
	}
	total := len(stored)
	s.mu.Unlock()
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"success": true, "added": added, "updated": updated, "total": total})
}

func (s *Server) replace(w http.ResponseWriter, r *http.Request) {
	in, ok := readConfigs(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	s.products[r.PathValue("product_id")] = in
	s.mu.Unlock()
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"success": true, "total": len(in)})
}

func (s *Server) put(w http.ResponseWriter, r *http.Request) {
	var wc wireConfig
	if !vendorkittest.ReadJSON(r, &wc) {
		unprocessable(w, []map[string]any{{"type": "json_invalid", "loc": []any{"body"}, "msg": "JSON decode error"}})
		return
	}
	cfg, errs := fromWire([]any{"body"}, &wc)
	if len(errs) > 0 {
		unprocessable(w, errs)
		return
	}
	pid, key := r.PathValue("product_id"), r.PathValue("key")
	s.mu.Lock()
	if s.products[pid] == nil {
		s.products[pid] = map[string]crow.EndpointConfig{}
	}
	s.products[pid][key] = cfg
	s.mu.Unlock()
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"success": true})
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	pid, key := r.PathValue("product_id"), r.PathValue("key")
	s.mu.Lock()
	_, ok := s.products[pid][key]
	delete(s.products[pid], key)
	s.mu.Unlock()
	if !ok {
		vendorkittest.WriteJSON(w, http.StatusNotFound, map[string]any{"detail": "Subdomain not found"})
		return
	}
	vendorkittest.WriteJSON(w, http.StatusOK, map[string]any{"success": true})
}
