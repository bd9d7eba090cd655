package core_test

import (
	"bytes"
	"errors"
	"io"
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

// chunks is a body that returns its parts one Read at a time, the last one
// with io.EOF when eofWithData is set (as net/http's Content-Length bodies
// do), else followed by a Read of 0, io.EOF; err, when set, ends it instead
// of io.EOF.
type chunks struct {
	parts       []string
	eofWithData bool
	err         error
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.parts) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		return 0, io.EOF
	}
	n := copy(p, c.parts[0])
	c.parts[0] = c.parts[0][n:]
	if c.parts[0] == "" {
		c.parts = c.parts[1:]
	}
	if len(c.parts) == 0 && c.eofWithData && c.err == nil {
		return n, io.EOF
	}
	return n, nil
}

func TestReadBody(t *testing.T) {
	boom := errors.New("connection reset")
	tests := []struct {
		name        string
		parts       []string
		eofWithData bool
		err         error
		size, limit int64
		want        string
		wantErr     error
	}{
		{name: "announced, end with the data", parts: []string{`{"id":`, `1}`}, eofWithData: true, size: 8, limit: 100, want: `{"id":1}`},
		{name: "announced, end after the data", parts: []string{`{"id":1}`}, size: 8, limit: 100, want: `{"id":1}`},
		{name: "unknown length", parts: []string{`{"id":`, `1}`}, size: -1, limit: 100, want: `{"id":1}`},
		{name: "empty", size: 0, limit: 100, want: ``},
		{name: "longer than announced", parts: []string{`{"id":1}`, `, more`}, size: 4, limit: 100, want: `{"id":1}, more`},
		{name: "longer than announced, cut at the limit", parts: []string{`0123456789`}, size: 2, limit: 6, want: `012345`},
		{name: "shorter than announced", parts: []string{`{}`}, size: 8, limit: 100, want: `{}`},
		{name: "announced over the limit", parts: []string{`0123456789`}, size: 10, limit: 4, want: `0123`},
		{name: "announced over MaxPrealloc", parts: []string{`{}`}, size: core.MaxPrealloc + 1, limit: 2 * core.MaxPrealloc, want: `{}`},
		{name: "error mid-way", parts: []string{`{"id"`}, err: boom, size: 8, limit: 100, want: `{"id"`, wantErr: boom},
		{name: "error mid-way, unknown length", parts: []string{`{"id"`}, err: boom, size: -1, limit: 100, want: `{"id"`, wantErr: boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := core.ReadBody(&chunks{parts: append([]string(nil), tt.parts...), eofWithData: tt.eofWithData, err: tt.err}, tt.size, tt.limit)
			assert.Equal(t, tt.want, string(b))
			assert.ErrorIs(t, err, tt.wantErr)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			}
		})
	}
}

// TestReadBodyOneAllocation: a body of announced length is one buffer,
// where io.ReadAll allocates each time it grows.
func TestReadBodyOneAllocation(t *testing.T) {
	body := strings.Repeat("x", 3000)
	r := strings.NewReader(body)
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(body)
		b, err := core.ReadBody(r, int64(len(body)), 1<<20)
		if err != nil || len(b) != len(body) {
			t.Fatalf("read %d bytes, %v", len(b), err)
		}
	})
	assert.Equal(t, 1.0, allocs)
	readAll := testing.AllocsPerRun(100, func() {
		r.Reset(body)
		_, _ = io.ReadAll(r)
	})
	assert.Greater(t, readAll, 1.0, "io.ReadAll of the same body")
}

// FuzzReadBody: whatever length is announced, ReadBody returns what
// io.ReadAll of an io.LimitReader returns.
func FuzzReadBody(f *testing.F) {
	f.Add([]byte(`{"id":1}`), int64(8), int64(100), uint8(3), true)
	f.Add([]byte(`{"id":1}`), int64(2), int64(5), uint8(1), false)
	f.Add([]byte(``), int64(0), int64(1), uint8(0), false)
	f.Add([]byte(`0123456789`), int64(20), int64(100), uint8(4), true)
	f.Fuzz(func(t *testing.T, data []byte, size, limit int64, chunk uint8, eofWithData bool) {
		limit = max(limit%(1<<16), 1)
		size = max(size%(1<<16), -1)
		var parts []string
		for rest := string(data); rest != ""; {
			n := min(int(chunk%16)+1, len(rest))
			parts, rest = append(parts, rest[:n]), rest[n:]
		}
		got, err := core.ReadBody(&chunks{parts: parts, eofWithData: eofWithData}, size, limit)
		require.NoError(t, err)
		want, _ := io.ReadAll(io.LimitReader(bytes.NewReader(data), limit))
		require.Equal(t, string(want), string(got))
	})
}
