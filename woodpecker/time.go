package woodpecker

import (
	"strings"
	"time"
)

// V1TimeLayout is how the v1 API writes dates: an offset without a colon,
// e.g. 2016-08-14T02:08:58+0200.
const V1TimeLayout = "2006-01-02T15:04:05-0700"

// v1TimeLayouts are the forms accepted when reading dates, most likely first.
var v1TimeLayouts = []string{
	V1TimeLayout,
	time.RFC3339Nano,
	"2006-01-02T15:04:05.000-0700",
	"2006-01-02T15:04:05", // no zone: read as UTC
	timestampLayout,       // "2006-01-02 15:04:05", UTC
	time.DateOnly,
}

// ParseV1Time reads a v1 date. It accepts the documented form
// (2016-08-14T02:08:58+0200), RFC 3339, and zone-less forms, which it reads
// as UTC. An empty string gives the zero time and no error.
func ParseV1Time(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	var firstErr error
	for _, layout := range v1TimeLayouts {
		t, err := time.ParseInLocation(layout, s, time.UTC)
		if err == nil {
			return t, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return time.Time{}, firstErr
}

// formatV1Time writes t as the v1 API does; the zero time is "".
func formatV1Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(V1TimeLayout)
}
