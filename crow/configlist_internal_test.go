package crow

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/crow/internal/api"
	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/internal/wire/wiretest"
)

var configKey = regexp.MustCompile(`decoding config "(?:[^"\\]|\\.)*".*`)

// anyKey hides which config an error is about, and why: with several bad
// configs, that depends on map order, in either read.
func anyKey(msg string) string { return configKey.ReplaceAllString(msg, `decoding config …`) }

var configListSeeds = []string{
	`{"configs":{"workspace1":{"api_base_url":"https://workspace1.app.com/api","api_auth_config":{"auth_type":"bearer","token":"****-ws1"}},"workspace2":{"api_base_url":"https://workspace2.app.com/api","api_auth_config":{"auth_type":"api_key","header_name":"X-API-Key","token":"****-ws2"}}}}`,
	`{"success":true,"app":{"api_base_url":"https://app.example.com","api_auth_config":{"auth_type":"none"}}}`,
	`{"success":true,"configs":{}}`, `{"configs":null}`, `{"configs":{"a":null}}`, `{"configs":{"a":5}}`, `{"configs":[]}`,
	`{"configs":{"a":{"api_base_url":"https://a.example"}}}`, `{"configs":{"a":{"api_base_url":"https://a.example","api_auth_config":null}}}`,
	`{"configs":{"a":{"api_base_url":"https://a.example","api_auth_config":{"auth_type":"oauth","token":"t","header_name":"H"}}}}`,
	`{"configs":{"a":{"api_base_url":"https://a.example","api_auth_config":{"auth_type":"bearer","token":5}}}}`,
	`{"configs":{"a":{"api_base_url":"https://a.example","api_auth_config":{"auth_type":"none","token":5}}}}`,
	`{"configs":{"a":{"api_base_url":"https://a.example","api_auth_config":{"auth_type":"bearer","header_name":5,"token":"t"}}}}`,
	`{"Configs":{"a":{"api_base_url":"https://a.example","api_auth_config":{"auth_type":"none"}}}}`,
	`{"config\u0073":{"a":{"api_base_url":"https://a.example","api_auth_config":{"auth_type":"none"}}}}`,
	`{"b":{"api_base_url":"https://b.example"},"c":[1],"d":"x","e":null}`, `{"b":{"api_base_url":5}}`, `{}`, `[]`, `null`, ``, `{"a":`,
	`{"API_BASE_URL":"x","b":{"API_BASE_URL":"https://b.example","Api_Auth_Config":{"AUTH_TYPE":"bearer","TOKEN":"t"}}}`,
}

// FuzzDecodeConfigList checks the one-pass list read against the two-pass
// read it stands in for: same configs, or the same error.
func FuzzDecodeConfigList(f *testing.F) {
	for _, s := range configListSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if wiretest.RepeatsKey(body) {
			t.Skip("repeated keys may merge (documented on decodeConfigsFast)")
		}
		got, err := decodeConfigList(wiretest.Answer(body))
		resp := wiretest.Answer(body)
		var want map[string]EndpointConfig
		b, wantErr := wire.Body(resp)
		if wantErr == nil {
			want, wantErr = decodeConfigListSlow(resp, b)
		}
		if wantErr != nil {
			require.Error(t, err, "%q", body)
			assert.Equal(t, anyKey(wantErr.Error()), anyKey(err.Error()), "%q", body)
			return
		}
		require.NoError(t, err, "%q", body)
		assert.Equal(t, want, got, "%q", body)
	})
}

func TestDecodeConfigListShapes(t *testing.T) {
	for _, s := range configListSeeds {
		t.Run("", func(t *testing.T) {
			got, err := decodeConfigList(wiretest.Answer([]byte(s)))
			resp := wiretest.Answer([]byte(s))
			b, wantErr := wire.Body(resp)
			var want map[string]EndpointConfig
			if wantErr == nil {
				want, wantErr = decodeConfigListSlow(resp, b)
			}
			if wantErr != nil {
				require.Error(t, err, s)
				assert.Equal(t, anyKey(wantErr.Error()), anyKey(err.Error()), s)
				return
			}
			require.NoError(t, err, s)
			assert.Equal(t, want, got, s)
		})
	}
	// Both documented shapes take the one-pass read.
	for _, s := range configListSeeds[:2] {
		out, ok := decodeConfigsFast([]byte(s))
		require.True(t, ok, s)
		assert.NotEmpty(t, out)
	}
}

// unmarshalAuthViaUnion is AuthConfig.UnmarshalJSON as it was before its
// one-pass read: through the generated union.
func unmarshalAuthViaUnion(b []byte) (AuthConfig, error) {
	var v api.AuthConfig
	if err := json.Unmarshal(b, &v); err != nil {
		return AuthConfig{}, err
	}
	got, err := authFromAPI(v)
	if err != nil {
		return AuthConfig{}, err
	}
	if isPlaceholderToken(got.token) {
		got.masked = true
	}
	return got, nil
}

// FuzzAuthConfigUnmarshal checks the one-pass AuthConfig.UnmarshalJSON
// against the read through the generated union.
func FuzzAuthConfigUnmarshal(f *testing.F) {
	for _, s := range []string{`{"auth_type":"bearer","token":"t"}`, `{"auth_type":"api_key","header_name":"X-API-Key","token":"****-ws2"}`,
		`{"auth_type":"none","token":5}`, `{"auth_type":"oauth","token":5,"header_name":"H"}`, `{"auth_type":"bearer","header_name":5,"token":"t"}`,
		`{"auth_type":"bearer","token":5}`, `{"auth_type":5}`, `{}`, `null`, `[]`, `"x"`, `{"AUTH_TYPE":"Bearer","Token":"<redacted>"}`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got AuthConfig
		err := got.UnmarshalJSON(b)
		want, wantErr := unmarshalAuthViaUnion(b)
		if wantErr != nil {
			require.Error(t, err, "%q", b)
			assert.Equal(t, wantErr.Error(), err.Error(), "%q", b)
			return
		}
		require.NoError(t, err, "%q", b)
		assert.Equal(t, want, got, "%q", b)
	})
}
