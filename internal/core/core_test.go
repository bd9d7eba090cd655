package core_test

import (
	"net/http"
	"strconv"
	"strings"
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
		want       time.Duration // VendorPause's
		left       int64         // Quota's, when ok
		ok         bool
	}{
		{"429 with Retry-After", 429, nil, 2 * time.Second, 2 * time.Second, 0, false},
		{"429 without Retry-After holds off", 429, nil, 0, core.UnnamedPause, 0, false},
		{"429 with Retry-After: 0", 429, http.Header{"Retry-After": {"0"}}, 0, 0, 0, false},
		{"429 with quota left and no Retry-After", 429, quota("3", "30"), 0, core.UnnamedPause, 3, true},
		{"503 without Retry-After", 503, nil, 0, 0, 0, false},
		{"200 without quota headers", 200, http.Header{}, 0, 0, 0, false},
		{"quota spent", 200, quota("0", "30"), 0, 30 * time.Second, 0, true},
		{"quota spent, Unix reset", 200, quota("0", strconv.FormatInt(in30.Unix(), 10)), 0, 30 * time.Second, 0, true},
		{"quota spent, Unix ms reset", 200, quota("0", strconv.FormatInt(in30.UnixMilli(), 10)), 0, 30 * time.Second, 0, true},
		{"quota left", 200, quota("3", "30"), 0, 0, 3, true},
		{"negative remaining counts as none", 200, quota("-2", "30"), 0, 30 * time.Second, 0, true},
		{"IETF draft names", 200, http.Header{"Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {"7"}}, 0, 7 * time.Second, 0, true},
		{"spaces around values", 200, quota(" 0 ", " 30 "), 0, 30 * time.Second, 0, true},
		{"no reset", 200, http.Header{"X-Ratelimit-Remaining": {"0"}}, 0, 0, 0, false},
		{"unreadable remaining", 200, quota("none", "30"), 0, 0, 0, false},
		{"unreadable reset", 200, quota("0", "soon"), 0, 0, 0, false},
		{"reset in the past", 200, quota("0", strconv.FormatInt(time.Now().Add(-time.Minute).Unix(), 10)), 0, 0, 0, false},
		{"at most an hour", 200, quota("0", "86400"), 0, time.Hour, 0, true},
		{"a 429 without Retry-After reads the quota", 429, quota("0", "4"), 0, 4 * time.Second, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := core.VendorPause(tt.status, tt.h, tt.retryAfter)
			delta := 0.0
			if strings.Contains(tt.name, "Unix") {
				delta = float64(time.Second) // a reset in whole Unix seconds
			}
			assert.InDelta(t, tt.want, got, delta, "VendorPause: %s", got)
			left, reset, ok := core.Quota(tt.h)
			assert.Equal(t, tt.ok, ok, "Quota's ok")
			if ok {
				assert.Equal(t, tt.left, left)
				assert.Positive(t, reset)
			}
		})
	}
}

// FuzzQuota: the quota headers are a vendor's bytes; reading them never
// panics, reports nothing it could not read, and never a pause beyond an
// hour.
func FuzzQuota(f *testing.F) {
	for _, seed := range [][2]string{{"0", "30"}, {"12", "1732950000"}, {"-1", "1732950000000"}, {" 3 ", "x"}, {"", ""}, {"9223372036854775807", "9223372036854775807"}} {
		f.Add(seed[0], seed[1], false)
	}
	f.Fuzz(func(t *testing.T, remaining, reset string, draft bool) {
		h := http.Header{"X-Ratelimit-Remaining": {remaining}, "X-Ratelimit-Reset": {reset}}
		if draft {
			h = http.Header{"Ratelimit-Remaining": {remaining}, "Ratelimit-Reset": {reset}}
		}
		left, until, ok := core.Quota(h)
		if ok {
			require.GreaterOrEqual(t, left, int64(0))
			require.Positive(t, until)
		} else {
			require.Zero(t, left)
			require.Zero(t, until)
		}
		pause := core.VendorPause(http.StatusOK, h, 0)
		require.GreaterOrEqual(t, pause, time.Duration(0))
		require.LessOrEqual(t, pause, time.Hour)
		if pause > 0 {
			require.True(t, ok && left == 0, "a pause only when none is left")
		}
		var g core.QuotaGate
		g.Observe(http.StatusOK, h, 0)
		require.Zero(t, g.InFlight())
	})
}
