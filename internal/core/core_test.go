package core_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/core"
)

func TestStripScheme(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "qwt_prod_abc", want: "qwt_prod_abc"},
		{in: "qwoty_abc", want: "qwoty_abc"},
		{in: "opaque-token-without-prefix", want: "opaque-token-without-prefix"},
		{in: "Bearer qwt_prod_abc", want: "qwt_prod_abc"},
		{in: "bearer qwt_prod_abc", want: "qwt_prod_abc"},
		{in: "BEARER   qwt_prod_abc  ", want: "qwt_prod_abc"},
		{in: "Bearer\tqwt_prod_abc", want: "qwt_prod_abc"},
		{in: "  qwt_prod_abc\n", want: "qwt_prod_abc"},
		{in: "Bearerqwt", want: "Bearerqwt"},
		{in: "Bearer", wantErr: true},
		{in: "Bearer \r\nqwt_prod_abc", wantErr: true},
		{in: "qwt_prod\r\nabc", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := core.StripScheme(tt.in, "Bearer")
			if tt.wantErr {
				assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestVendorPause(t *testing.T) {
	in30 := time.Now().Add(30 * time.Second)
	quota := func(remaining, reset string) http.Header {
		return http.Header{"X-Ratelimit-Remaining": {remaining}, "X-Ratelimit-Reset": {reset}}
	}
	tests := []struct {
		name       string
		status     int
		h          http.Header
		retryAfter time.Duration
		inFlight   int
		want       time.Duration
	}{
		{"429 with Retry-After", 429, nil, 2 * time.Second, 0, 2 * time.Second},
		{"429 without Retry-After", 429, nil, 0, 0, 0},
		{"200 without quota headers", 200, http.Header{}, 0, 5, 0},
		{"quota spent", 200, quota("0", "30"), 0, 0, 30 * time.Second},
		{"quota spent, Unix reset", 200, quota("0", strconv.FormatInt(in30.Unix(), 10)), 0, 0, 30 * time.Second},
		{"quota spent, Unix ms reset", 200, quota("0", strconv.FormatInt(in30.UnixMilli(), 10)), 0, 0, 30 * time.Second},
		{"quota left for more than those in flight", 200, quota("3", "30"), 0, 2, 0},
		{"those in flight spend what is left", 200, quota("3", "30"), 0, 3, 30 * time.Second},
		{"nothing in flight, one left", 200, quota("1", "30"), 0, 0, 0},
		{"negative in flight counts as none", 200, quota("1", "30"), 0, -4, 0},
		{"IETF draft names", 200, http.Header{"Ratelimit-Remaining": {"2"}, "Ratelimit-Reset": {"7"}}, 0, 2, 7 * time.Second},
		{"spaces around values", 200, quota(" 0 ", " 30 "), 0, 0, 30 * time.Second},
		{"no reset", 200, http.Header{"X-Ratelimit-Remaining": {"0"}}, 0, 0, 0},
		{"unreadable remaining", 200, quota("none", "30"), 0, 0, 0},
		{"unreadable reset", 200, quota("0", "soon"), 0, 0, 0},
		{"reset in the past", 200, quota("0", strconv.FormatInt(time.Now().Add(-time.Minute).Unix(), 10)), 0, 0, 0},
		{"at most an hour", 200, quota("0", "86400"), 0, 0, time.Hour},
		{"a 429 without Retry-After reads the quota", 429, quota("0", "4"), 0, 0, 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := core.VendorPause(tt.status, tt.h, tt.retryAfter, tt.inFlight)
			assert.InDelta(t, tt.want, got, float64(time.Second), "got %s", got)
		})
	}
}
