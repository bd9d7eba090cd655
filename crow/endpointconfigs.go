package crow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow/internal/api"
	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"
)

// AuthType is the auth_type of an endpoint config's api_auth_config.
type AuthType string

// The auth types Crow's docs list for subdomain endpoint configs.
const (
	AuthBearer AuthType = "bearer"
	AuthAPIKey AuthType = "api_key"
	AuthNone   AuthType = "none"
)

// AuthConfig is how Crow authenticates when it calls a subdomain's base URL:
// a union of Bearer token, API key in a named header, or none. Build one with
// BearerAuth, APIKeyAuth or NoAuth. Its String, GoString, LogValue and
// MarshalJSON never show the token, so an AuthConfig (or an EndpointConfig
// holding one) can be printed, logged or marshalled safely; UnmarshalJSON
// reads Crow's wire format, token included.
type AuthConfig struct {
	typ    AuthType
	header string
	token  string
	masked bool
}

// BearerAuth makes Crow send "Authorization: Bearer <token>".
func BearerAuth(token string) AuthConfig { return AuthConfig{typ: AuthBearer, token: token} }

// APIKeyAuth makes Crow send token in the header named header (X-API-Key in
// Crow's docs).
func APIKeyAuth(header, token string) AuthConfig {
	return AuthConfig{typ: AuthAPIKey, header: header, token: token}
}

// NoAuth makes Crow send no credential.
func NoAuth() AuthConfig { return AuthConfig{typ: AuthNone} }

// Type returns the auth type; empty for the zero AuthConfig.
func (a AuthConfig) Type() AuthType { return a.typ }

// HeaderName returns the API key header (AuthAPIKey only).
func (a AuthConfig) HeaderName() string { return a.header }

// Token returns the token. For a config read with ListEndpointConfigs it is
// Crow's masked form (the last 4 characters), see Masked.
func (a AuthConfig) Token() string { return a.token }

// Masked reports whether the token is Crow's masked form from a list
// response. A masked token cannot be sent back: the write methods refuse it.
func (a AuthConfig) Masked() bool { return a.masked }

// String describes the config without its token.
func (a AuthConfig) String() string {
	switch a.typ {
	case AuthNone:
		return "none"
	case AuthAPIKey:
		return fmt.Sprintf("api_key(header=%s, token=%s)", a.header, a.redacted())
	case "":
		return "unset"
	}
	return fmt.Sprintf("%s(token=%s)", a.typ, a.redacted())
}

// GoString is String, so that %#v does not print the token either.
func (a AuthConfig) GoString() string { return "crow.AuthConfig{" + a.String() + "}" }

// LogValue implements slog.LogValuer without the token.
func (a AuthConfig) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("auth_type", string(a.typ))}
	if a.header != "" {
		attrs = append(attrs, slog.String("header_name", a.header))
	}
	if a.typ != AuthNone {
		attrs = append(attrs, slog.String("token", a.redacted()))
	}
	return slog.GroupValue(attrs...)
}

func (a AuthConfig) redacted() string {
	switch {
	case a.token == "":
		return "<empty>"
	case a.masked:
		return "<masked>"
	}
	return "<redacted>"
}

// MarshalJSON writes the api_auth_config object with the token replaced by
// "<redacted>" (or "<masked>"), so that a config marshalled into a log line,
// an error report or a job payload never carries the credential. The client
// sends the real token: it builds its request bodies itself.
func (a AuthConfig) MarshalJSON() ([]byte, error) {
	v := struct {
		AuthType   AuthType `json:"auth_type"`
		HeaderName string   `json:"header_name,omitempty"`
		Token      string   `json:"token,omitempty"`
	}{AuthType: a.typ, HeaderName: a.header}
	if a.typ != AuthNone {
		v.Token = a.redacted()
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads Crow's api_auth_config object, token included (e.g.
// configs kept in a file). An auth_type this package does not know is kept,
// with its token when it has one, but cannot be sent.
func (a *AuthConfig) UnmarshalJSON(b []byte) error {
	var got AuthConfig
	// One pass into the flat wire form; what it does not take as is (no
	// auth_type, a field of the wrong type, not JSON) is read again through
	// the generated union, as before, for the same result or error
	// (FuzzAuthConfigUnmarshal).
	var w wireAuth
	if json.Unmarshal(b, &w) == nil && w.AuthType != "" {
		got = w.auth()
	} else {
		var v api.AuthConfig
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		var err error
		if got, err = authFromAPI(v); err != nil {
			return err
		}
	}
	// A token that is MarshalJSON's placeholder (or Crow's masked form) is
	// not a credential: a config that went through JSON must not overwrite
	// the real token on Crow with it, so it is marked masked and the write
	// methods refuse it.
	if isPlaceholderToken(got.token) {
		got.masked = true
	}
	*a = got
	return nil
}

// isPlaceholderToken reports MarshalJSON's placeholders and Crow's masked
// form ("****" and the last 4 characters).
func isPlaceholderToken(tok string) bool {
	switch tok {
	case "<redacted>", "<masked>", "<empty>":
		return true
	}
	return strings.HasPrefix(tok, "****")
}

func (a AuthConfig) toAPI() (api.AuthConfig, error) {
	var v api.AuthConfig
	var err error
	switch a.typ {
	case AuthBearer:
		err = v.FromBearerAuthConfig(api.BearerAuthConfig{AuthType: "bearer", Token: a.token})
	case AuthAPIKey:
		err = v.FromAPIKeyAuthConfig(api.APIKeyAuthConfig{AuthType: "api_key", HeaderName: a.header, Token: a.token})
	case AuthNone:
		err = v.FromNoAuthConfig(api.NoAuthConfig{AuthType: "none"})
	default:
		err = fmt.Errorf("crow: %w: auth type %q: use BearerAuth, APIKeyAuth or NoAuth", vendorkit.ErrInvalidArgument, a.typ)
	}
	return v, err
}

func authFromAPI(v api.AuthConfig) (AuthConfig, error) {
	typ, err := v.Discriminator()
	if err != nil {
		return AuthConfig{}, fmt.Errorf("api_auth_config: %w", err)
	}
	switch AuthType(typ) {
	case AuthBearer:
		b, err := v.AsBearerAuthConfig()
		return AuthConfig{typ: AuthBearer, token: b.Token}, err
	case AuthAPIKey:
		k, err := v.AsAPIKeyAuthConfig()
		return AuthConfig{typ: AuthAPIKey, header: k.HeaderName, token: k.Token}, err
	case AuthNone:
		return NoAuth(), nil
	case "":
		return AuthConfig{}, errors.New("api_auth_config: no auth_type")
	}
	var other struct {
		HeaderName string `json:"header_name"`
		Token      string `json:"token"`
	}
	raw, _ := v.MarshalJSON()
	_ = json.Unmarshal(raw, &other)
	return AuthConfig{typ: AuthType(typ), header: other.HeaderName, token: other.Token}, nil
}

// EndpointConfig is where and how Crow calls your API for one subdomain key.
type EndpointConfig struct {
	// BaseURL is api_base_url, e.g. https://workspace1.app.com/api.
	BaseURL string `json:"api_base_url"`
	// Auth is api_auth_config.
	Auth AuthConfig `json:"api_auth_config"`
}

// MergeResult is what MergeEndpointConfigs changed.
type MergeResult struct {
	// Added counts subdomain keys that were new.
	Added int `json:"added"`
	// Updated counts subdomain keys that existed and were overwritten.
	Updated int `json:"updated"`
	// Total counts subdomain keys configured after the merge.
	Total int `json:"total"`
}

// ErrSubdomainNotFound matches a 404 answer about one subdomain key
// (PutEndpointConfig, DeleteEndpointConfig), and also vendorkit.ErrNotFound.
var ErrSubdomainNotFound = runtime.NewSentinel("crow: subdomain not found", vendorkit.ErrNotFound)

// subdomainKey is what this package accepts as a subdomain key. Crow does
// not document a syntax; keys are identifiers such as "workspace1", case
// sensitive, and travel in URL paths, so letters, digits, ".", "_" and "-"
// (not first), at most 63 characters, are allowed.
var subdomainKey = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// ValidSubdomainKey reports whether key is a subdomain key this package
// sends. Keys are case-sensitive: "workspace1" and "Workspace1" are two keys.
func ValidSubdomainKey(key string) bool { return subdomainKey.MatchString(key) }

// ListEndpointConfigs returns the product's subdomain configs by key. Crow
// masks their tokens to the last 4 characters (AuthConfig.Masked reports it),
// so the result cannot be sent back as is.
func (c *Client) ListEndpointConfigs(ctx context.Context, productID string) (map[string]EndpointConfig, error) {
	const op = "ListEndpointConfigs"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkProductID(productID); err != nil {
		return nil, wire.Fail("crow", op, err)
	}
	resp, err := c.get(ctx, "products", productID, "endpoint-configs")
	if err != nil {
		return nil, wire.Fail("crow", op, err)
	}
	out, err := decodeConfigList(resp)
	if err != nil {
		return nil, wire.Fail("crow", op, err)
	}
	return out, nil
}

// decodeConfigList reads {"configs": {key: config}} — the request shape,
// which is what this package assumes the undocumented list answer is — and,
// leniently, a bare {key: config} object whose other members (e.g.
// "success": true) are skipped. Both shapes are read in one decoding pass
// (decodeConfigsFast); an answer that pass does not take as is (a config
// without its auth, a member of the wrong type, a "configs" key spelled
// with escapes…) is read again by decodeConfigListSlow, so its result or
// error is the same as before the fast pass existed (FuzzDecodeConfigList).
func decodeConfigList(resp *http.Response) (map[string]EndpointConfig, error) {
	b, err := wire.Body(resp)
	if err != nil {
		return nil, err
	}
	if b != nil {
		if out, ok := decodeConfigsFast(b); ok {
			return out, nil
		}
	}
	return decodeConfigListSlow(resp, b)
}

// wireConfig and wireAuth are an endpoint config as decodeConfigsFast reads
// it, auth union flattened.
type wireConfig struct {
	APIBaseURL    string   `json:"api_base_url"`
	APIAuthConfig wireAuth `json:"api_auth_config"` // no auth_type when absent or null
}

type wireAuth struct {
	AuthType   string `json:"auth_type"`
	HeaderName string `json:"header_name"`
	Token      string `json:"token"`
}

// auth converts an api_auth_config read in one pass, whose auth_type is
// set; it reads each type's fields as authFromAPI does.
func (a wireAuth) auth() AuthConfig {
	switch typ := AuthType(a.AuthType); typ {
	case AuthBearer:
		return BearerAuth(a.Token)
	case AuthNone:
		return NoAuth()
	default: // AuthAPIKey, and the types this package does not know
		return AuthConfig{typ: typ, header: a.HeaderName, token: a.Token}
	}
}

// config converts a config read in one pass; ok is false when the
// two-pass read would fail on it (no base URL; no auth_type, which covers
// an absent or null api_auth_config).
func (w wireConfig) config() (EndpointConfig, bool) {
	a := w.APIAuthConfig
	if w.APIBaseURL == "" {
		return EndpointConfig{}, false
	}
	if a.AuthType == "" {
		return EndpointConfig{}, false
	}
	auth := a.auth()
	auth.masked = auth.token != ""
	return EndpointConfig{BaseURL: w.APIBaseURL, Auth: auth}, true
}

// configList is the {"configs": …} shape as decodeConfigsFast reads it.
// Lists are pooled, their map emptied between uses (encoding/json fills an
// existing map): a call then allocates only the configs it returns.
type configList struct {
	Configs map[string]wireConfig `json:"configs"`
}

var configLists = sync.Pool{New: func() any { return new(configList) }}

// release empties l and returns it to the pool; a list grown large by one
// answer is dropped instead of being kept.
func (l *configList) release() {
	if len(l.Configs) > 64 {
		return
	}
	if l.Configs == nil {
		l.Configs = map[string]wireConfig{}
	}
	clear(l.Configs)
	configLists.Put(l)
}

// bareMember is a member of a bare {key: config} answer: a config when it
// is an object, skipped otherwise.
type bareMember struct {
	object bool
	cfg    wireConfig
}

func (m *bareMember) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		*m = bareMember{}
		return nil
	}
	*m = bareMember{object: true}
	return json.Unmarshal(b, &m.cfg)
}

// decodeConfigsFast reads either shape in one pass; ok is false when the
// answer needs decodeConfigListSlow. Unlike that read, a config that repeats
// its api_auth_config key gets the repeats merged (encoding/json decodes
// into the same struct) rather than the last one kept; no answer repeats a
// key (RFC 8259 leaves it undefined).
func decodeConfigsFast(b []byte) (map[string]EndpointConfig, bool) {
	// Which shape: encoding/json matches "configs" in any case (and
	// spelled with escapes) to a struct field, while the two-pass read
	// looks the key up exactly; the fast read of that shape is taken only
	// when the one key that matches is spelled "configs".
	exact, folded, special := 0, 0, false
	if !wire.ScanObject(b, func(key []byte, sp bool, _ []byte) bool {
		special = special || sp
		if wire.KeyIs(key, "configs") {
			folded++
			if string(key) == "configs" {
				exact++
			}
		}
		return true
	}) {
		return nil, false
	}
	switch {
	case exact == 1 && folded == 1 && !special:
		list := configLists.Get().(*configList)
		defer list.release()
		if json.Unmarshal(b, list) != nil || list.Configs == nil {
			return nil, false
		}
		out := make(map[string]EndpointConfig, len(list.Configs))
		for key, w := range list.Configs {
			cfg, ok := w.config()
			if !ok {
				return nil, false
			}
			out[key] = cfg
		}
		return out, true
	case exact == 0:
		var members map[string]bareMember
		if json.Unmarshal(b, &members) != nil {
			return nil, false
		}
		if _, ok := members["configs"]; ok { // "configs" written with escapes
			return nil, false
		}
		out := make(map[string]EndpointConfig, len(members))
		for key, m := range members {
			if !m.object || m.cfg.APIBaseURL == "" {
				continue // a non-config member, e.g. "success": true
			}
			cfg, ok := m.cfg.config()
			if !ok {
				return nil, false
			}
			out[key] = cfg
		}
		return out, true
	}
	return nil, false
}

// decodeConfigListSlow reads b, the body of resp (nil for a 204), as raw
// members first, then each member as a generated api.EndpointConfig.
func decodeConfigListSlow(resp *http.Response, b []byte) (map[string]EndpointConfig, error) {
	var env map[string]json.RawMessage
	if b != nil {
		if err := wire.Unmarshal(resp, b, &env); err != nil {
			return nil, err
		}
	}
	members := env // a bare {key: config} object
	raw, ok := env["configs"]
	if ok {
		members = nil
		if len(raw) > 0 && !bytes.Equal(raw, []byte("null")) {
			if err := json.Unmarshal(raw, &members); err != nil {
				return nil, fmt.Errorf("decoding configs: %w", err)
			}
		}
	}
	out := make(map[string]EndpointConfig, len(members))
	for key, m := range members {
		var wc api.EndpointConfig
		if err := json.Unmarshal(m, &wc); err != nil || wc.APIBaseURL == "" {
			if !ok {
				continue // a bare object's non-config member (e.g. "success": true)
			}
			return nil, fmt.Errorf("decoding config %q: not an endpoint config", key)
		}
		auth, err := authFromAPI(wc.APIAuthConfig)
		if err != nil {
			return nil, fmt.Errorf("decoding config %q: %w", key, err)
		}
		auth.masked = auth.token != ""
		out[key] = EndpointConfig{BaseURL: wc.APIBaseURL, Auth: auth}
	}
	return out, nil
}

// MergeEndpointConfigs adds the configs whose keys are new and overwrites
// the others, removing none (Crow's recommended bulk call, PATCH). configs
// must not be empty.
func (c *Client) MergeEndpointConfigs(ctx context.Context, productID string, configs map[string]EndpointConfig) (MergeResult, error) {
	const op = "MergeEndpointConfigs"
	ctx = runtime.WithOperation(ctx, op)
	body, err := configsBody(productID, configs, false)
	if err != nil {
		return MergeResult{}, wire.Fail("crow", op, err)
	}
	res, err := wire.Decode[api.MergeResult](c.client().MergeEndpointConfigs(ctx, productID, body))
	if err != nil {
		return MergeResult{}, wire.Fail("crow", op, err)
	}
	return MergeResult{Added: res.Added, Updated: res.Updated, Total: res.Total}, nil
}

// ReplaceEndpointConfigs replaces the product's whole config set with
// configs: every key not in it is removed. An empty, non-nil map removes
// every config; a nil map is refused as a likely mistake.
func (c *Client) ReplaceEndpointConfigs(ctx context.Context, productID string, configs map[string]EndpointConfig) error {
	const op = "ReplaceEndpointConfigs"
	ctx = runtime.WithOperation(ctx, op)
	body, err := configsBody(productID, configs, true)
	if err != nil {
		return wire.Fail("crow", op, err)
	}
	if err := wire.Discard(c.client().ReplaceEndpointConfigs(ctx, productID, body)); err != nil {
		return wire.Fail("crow", op, err)
	}
	return nil
}

// PutEndpointConfig adds or updates the config of one subdomain key.
func (c *Client) PutEndpointConfig(ctx context.Context, productID, key string, cfg EndpointConfig) error {
	const op = "PutEndpointConfig"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkProductID(productID); err != nil {
		return wire.Fail("crow", op, err)
	}
	if err := checkKey(key); err != nil {
		return wire.Fail("crow", op, err)
	}
	wc, err := cfg.toAPI(key)
	if err != nil {
		return wire.Fail("crow", op, err)
	}
	if err := wire.Discard(c.client().PutEndpointConfig(ctx, productID, key, wc)); err != nil {
		return wire.Fail("crow", op, err)
	}
	return nil
}

// DeleteEndpointConfig removes the config of one subdomain key. An unknown
// key is an error matching ErrSubdomainNotFound (and vendorkit.ErrNotFound)
// when Crow answers 404.
func (c *Client) DeleteEndpointConfig(ctx context.Context, productID, key string) error {
	const op = "DeleteEndpointConfig"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkProductID(productID); err != nil {
		return wire.Fail("crow", op, err)
	}
	if err := checkKey(key); err != nil {
		return wire.Fail("crow", op, err)
	}
	if err := wire.Discard(c.client().DeleteEndpointConfig(ctx, productID, key)); err != nil {
		return wire.Fail("crow", op, err)
	}
	return nil
}

func configsBody(productID string, configs map[string]EndpointConfig, allowEmpty bool) (api.EndpointConfigs, error) {
	if err := checkProductID(productID); err != nil {
		return api.EndpointConfigs{}, err
	}
	switch {
	case configs == nil:
		return api.EndpointConfigs{}, fmt.Errorf("%w: nil configs", vendorkit.ErrInvalidArgument)
	case len(configs) == 0 && !allowEmpty:
		return api.EndpointConfigs{}, fmt.Errorf("%w: no configs to merge", vendorkit.ErrInvalidArgument)
	}
	out := api.EndpointConfigs{Configs: make(map[string]api.EndpointConfig, len(configs))}
	var errs []error
	for key, cfg := range configs {
		if err := checkKey(key); err != nil {
			errs = append(errs, err)
			continue
		}
		wc, err := cfg.toAPI(key)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out.Configs[key] = wc
	}
	if len(errs) > 0 {
		return api.EndpointConfigs{}, errors.Join(errs...)
	}
	return out, nil
}

// toAPI checks the config and converts it to the wire model.
func (cfg EndpointConfig) toAPI(key string) (api.EndpointConfig, error) {
	if _, err := runtime.ParseBaseURL(cfg.BaseURL); err != nil {
		return api.EndpointConfig{}, fmt.Errorf("subdomain %q: api_base_url: %w", key, err)
	}
	a := cfg.Auth
	switch a.typ {
	case AuthBearer, AuthAPIKey:
		if a.masked {
			return api.EndpointConfig{}, fmt.Errorf("%w: subdomain %q: the token is Crow's masked copy from ListEndpointConfigs; set the full token", vendorkit.ErrInvalidArgument, key)
		}
		if _, err := runtime.CleanToken(a.token); err != nil || a.token != strings.TrimSpace(a.token) {
			return api.EndpointConfig{}, fmt.Errorf("%w: subdomain %q: token is empty or holds whitespace or control characters", vendorkit.ErrInvalidArgument, key)
		}
		if a.typ == AuthAPIKey && !validHeaderName(a.header) {
			return api.EndpointConfig{}, fmt.Errorf("%w: subdomain %q: header name %q is not a valid header name", vendorkit.ErrInvalidArgument, key, a.header)
		}
	case AuthNone:
	default:
		return api.EndpointConfig{}, fmt.Errorf("%w: subdomain %q: auth type %q: use BearerAuth, APIKeyAuth or NoAuth", vendorkit.ErrInvalidArgument, key, a.typ)
	}
	auth, err := a.toAPI()
	if err != nil {
		return api.EndpointConfig{}, err
	}
	return api.EndpointConfig{APIBaseURL: cfg.BaseURL, APIAuthConfig: auth}, nil
}

func checkProductID(id string) error {
	if id == "" || id == "." || id == ".." || len(id) > 256 {
		return fmt.Errorf("%w: product id must be 1 to 256 characters, not \".\" or \"..\"", vendorkit.ErrInvalidArgument)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c == 0x7f || c == '/' {
			return fmt.Errorf("%w: product id holds whitespace, a slash or control characters", vendorkit.ErrInvalidArgument)
		}
	}
	return nil
}

func checkKey(key string) error {
	if !ValidSubdomainKey(key) {
		return fmt.Errorf("%w: subdomain key %q: use letters, digits, '.', '_' or '-' (not first), at most 63 characters", vendorkit.ErrInvalidArgument, printable(key))
	}
	return nil
}
