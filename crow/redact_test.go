package crow

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPlaceholderTokenIsNotSentBack: a config that went through JSON (a job
// payload) carries MarshalJSON's placeholder, which must never overwrite the
// real token on Crow.
func TestPlaceholderTokenIsNotSentBack(t *testing.T) {
	job, err := json.Marshal(EndpointConfig{BaseURL: "https://a.example.com", Auth: BearerAuth("real-token-1234")})
	require.NoError(t, err)
	assert.NotContains(t, string(job), "real-token-1234")
	var cfg EndpointConfig
	require.NoError(t, json.Unmarshal(job, &cfg))
	assert.True(t, cfg.Auth.Masked())
	_, err = cfg.toAPI("app")
	require.Error(t, err, "the write methods refuse a placeholder token")
}

// TestRedactTruncatedBody: an error body cut at the cap no longer parses,
// and its token members are still blanked out.
func TestRedactTruncatedBody(t *testing.T) {
	body := []byte(`{"detail":[{"loc":["body"],"msg":"bad","input":{"api_auth_config":{"auth_type":"bearer","token":"sk_live_SUPERSECRET"}}},{"token": "sk_live_OTHER\"x`)
	out := redactBody(body)
	assert.NotContains(t, string(out), "SUPERSECRET")
	assert.NotContains(t, string(out), "sk_live_OTHER")
	assert.Contains(t, string(out), `"token":"[redacted]"`)
}

// TestBareConfigListWithSuccessMember: a bare {key: config} answer may carry
// non-config members such as "success".
func TestBareConfigListWithSuccessMember(t *testing.T) {
	body := `{"success":true,"app":{"api_base_url":"https://app.example.com","api_auth_config":{"auth_type":"none"}}}`
	got, err := decodeConfigList(&http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body))})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "https://app.example.com", got["app"].BaseURL)
}
