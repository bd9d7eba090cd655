package woodpeckertest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// call sends a raw request to the fake, as any HTTP client would.
func call(t *testing.T, srv *woodpeckertest.Server, method, path string, header map[string]string, body string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL()+path, rd)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

// The seed's error table on the wire.
func TestSeedErrorsOnTheWire(t *testing.T) {
	srv := woodpeckertest.NewServer(t)
	hq := woodpeckertest.HQKey
	tests := []struct {
		name   string
		header map[string]string
		status int
		detail string
		noBody bool
	}{
		{"non-numeric company", map[string]string{"x-api-key": hq, "x-company-id": "abc"}, 400, "X-Company-Id header value must be a number but is not", false},
		{"no key", map[string]string{}, 401, "Invalid api key", false},
		{"wrong key", map[string]string{"x-api-key": "nope"}, 401, "Invalid api key", false},
		{"key with a scheme word", map[string]string{"x-api-key": "Bearer " + hq}, 401, "Invalid api key", false},
		{"no addon", map[string]string{"x-api-key": woodpeckertest.NoAddonKey}, 401, "No API addon", false},
		{"old plan", map[string]string{"x-api-key": woodpeckertest.OldPlanKey}, 401, "Upgrade your plan", false},
		{"company with a client key", map[string]string{"x-api-key": woodpeckertest.ClientKey, "x-company-id": "101"}, 403, "", true},
		{"foreign company", map[string]string{"x-api-key": hq, "x-company-id": "201"}, 404, "Company not found", false},
		{"unknown company", map[string]string{"x-api-key": hq, "x-company-id": "999"}, 404, "Company not found", false},
		{"inactive company", map[string]string{"x-api-key": hq, "x-company-id": "102"}, 409, "Company is inactive", false},
		{"active company", map[string]string{"x-api-key": hq, "x-company-id": "101"}, 200, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := call(t, srv, "GET", "/v2/mailboxes", tt.header, "")
			assert.Equal(t, tt.status, status)
			switch {
			case tt.noBody:
				assert.Empty(t, body)
			case tt.status >= 400:
				var e map[string]any
				require.NoError(t, json.Unmarshal([]byte(body), &e))
				assert.Equal(t, tt.detail, e["detail"])
				assert.Equal(t, float64(tt.status), e["status"])
				assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`, e["timestamp"])
				assert.NotEmpty(t, e["title"])
			}
		})
	}
}

func TestV1Quirks(t *testing.T) {
	srv := woodpeckertest.NewServer(t)
	key := map[string]string{"x-api-key": woodpeckertest.HQKey}

	// A bare email= is ignored: the whole database comes back.
	status, h, body := call(t, srv, "GET", "/v1/prospects?email=jared@piedpiper.com", key, "")
	assert.Equal(t, 200, status)
	assert.Equal(t, "3", h.Get("X-Total-Count"))
	var list []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	assert.Len(t, list, 3)

	// search=email=… finds the one prospect.
	status, h, _ = call(t, srv, "GET", "/v1/prospects?search=email%3Djared%40piedpiper.com", key, "")
	assert.Equal(t, 200, status)
	assert.Equal(t, "1", h.Get("X-Total-Count"))

	// Free text in search is refused.
	status, _, body = call(t, srv, "GET", "/v1/prospects?search=jared", key, "")
	assert.Equal(t, 400, status)
	assert.Contains(t, body, `"E_WRONG_PARAM"`)

	// Past the last page: 204 No Content.
	status, _, body = call(t, srv, "GET", "/v1/prospects?page=2", key, "")
	assert.Equal(t, 204, status)
	assert.Empty(t, body)

	status, _, _ = call(t, srv, "GET", "/v1/prospects?per_page=1001", key, "")
	assert.Equal(t, 400, status)

	// v1 errors can come with HTTP 200.
	srv.SetV1ErrorStatus(200)
	status, _, body = call(t, srv, "GET", "/v1/prospects?per_page=0", key, "")
	assert.Equal(t, 200, status)
	assert.JSONEq(t, `{"status":{"status":"ERROR","code":"E_WRONG_PARAM","msg":"per_page must be between 1 and 1000"}}`, body)
}

func TestV2PageBases(t *testing.T) {
	srv := woodpeckertest.NewServer(t)
	key := map[string]string{"x-api-key": woodpeckertest.HQKey}
	status, _, _ := call(t, srv, "GET", "/v2/users?page=0", key, "")
	assert.Equal(t, 200, status, "users count from 0")
	status, _, _ = call(t, srv, "GET", "/v2/agency/companies?page=0", key, "")
	assert.Equal(t, 400, status, "agency lists count from 1")
	status, _, body := call(t, srv, "GET", "/v2/agency/companies?page=1", key, "")
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"pagination_data"`)
	status, _, body = call(t, srv, "GET", "/v2/agency/companies", map[string]string{"x-api-key": woodpeckertest.ClientKey}, "")
	assert.Equal(t, 403, status, "agency endpoints need the HQ key")
	assert.Empty(t, body)
}
