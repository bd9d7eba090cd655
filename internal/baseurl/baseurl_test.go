package baseurl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/baseurl"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		raw, prefix string
		aliases     []string
		want        string
	}{
		{"https://api.usecrow.org", "/api", nil, "https://api.usecrow.org/api"},
		{"https://api.usecrow.org/api", "/api", nil, "https://api.usecrow.org/api"},
		{"https://api.usecrow.org/api/", "/api", nil, "https://api.usecrow.org/api"},
		{"https://tools.example.com/crow", "/api", nil, "https://tools.example.com/crow/api"},
		{"https://deskwoot.com/api/v1/", "/api", []string{"/api/v1"}, "https://deskwoot.com/api"},
		{"https://deskwoot.com", "/api", []string{"/api/v1"}, "https://deskwoot.com/api"},
		{"https://api.woodpecker.co/rest", "/rest", nil, "https://api.woodpecker.co/rest"},
		{"http://127.0.0.1:8080", "/rest", nil, "http://127.0.0.1:8080/rest"},
	}
	for _, tt := range tests {
		u, err := baseurl.Resolve(tt.raw, tt.prefix, tt.aliases...)
		require.NoError(t, err, tt.raw)
		assert.Equal(t, tt.want, u.String(), tt.raw)
	}
	_, err := baseurl.Resolve("http://api.example.com", "/api")
	assert.ErrorIs(t, err, vendorkit.ErrInsecureURL)
}
