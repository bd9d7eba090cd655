package baseurl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woofed"
)

// TestVendorsRefuseDoubledPrefix holds every vendor to the one rule: the
// base URL as the docs write it, or the origin, is accepted; the vendor's
// path prefix pasted twice is refused at New, before anything is sent.
func TestVendorsRefuseDoubledPrefix(t *testing.T) {
	newWith := map[string]func(base string) error{
		"woofed": func(b string) error { _, err := woofed.New(nil, "tok", woofed.WithBaseURL(b)); return err },
		"woodpecker": func(b string) error {
			_, err := woodpecker.New(nil, "tok", woodpecker.WithBaseURL(b))
			return err
		},
		"qwoty":    func(b string) error { _, err := qwoty.New(nil, "tok", qwoty.WithBaseURL(b)); return err },
		"deskwoot": func(b string) error { _, err := deskwoot.New(nil, "tok", deskwoot.WithBaseURL(b)); return err },
		"crow":     func(b string) error { _, err := crow.New(nil, "tok", crow.WithBaseURL(b)); return err },
	}
	tests := []struct {
		vendor, base string
		ok           bool
	}{
		{"woofed", "https://app.woofedcrm.com/api/v1/accounts/1", true},
		{"woofed", "https://crm.example.com", true},
		{"woofed", "https://app.woofedcrm.com/api/v1/accounts/1/api/v1/accounts/1", false},
		{"woofed", "https://app.woofedcrm.com/api/v1/api/v1", false},
		{"woodpecker", "https://api.woodpecker.co/rest", true},
		{"woodpecker", "https://api.woodpecker.co/rest/v1", true},
		{"woodpecker", "https://api.woodpecker.co/rest/rest", false},
		{"woodpecker", "https://api.woodpecker.co/rest/rest/v2", false},
		{"qwoty", "https://qwoty.app/api", true},
		{"qwoty", "https://qwoty.app/api/api", false},
		{"deskwoot", "https://deskwoot.com/api/v1/", true},
		{"deskwoot", "https://deskwoot.com/api/v1/api/v1", false},
		{"deskwoot", "https://deskwoot.com/api/api/v1", false},
		{"crow", "https://api.usecrow.org/api", true},
		{"crow", "https://tools.example.com/crow", true},
		{"crow", "https://api.usecrow.org/api/api", false},
	}
	for _, tt := range tests {
		t.Run(tt.vendor+" "+tt.base, func(t *testing.T) {
			err := newWith[tt.vendor](tt.base)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
			assert.Contains(t, err.Error(), "repeats the vendor's path")
		})
	}
}
