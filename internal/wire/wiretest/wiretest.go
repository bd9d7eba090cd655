// Package wiretest holds helpers for the tests of the vendors' decoders.
package wiretest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// Answer is a 200 JSON answer with body, as Endpoint.Do returns one.
func Answer(body []byte) *http.Response {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body))}
}

// RepeatsKey reports whether an object anywhere in b, valid JSON, holds
// two keys that encoding/json could match to one struct field (compared
// case-insensitively). Decoders that read in one pass may merge such
// repeats where a two-pass read keeps the last; fuzz targets comparing the
// two skip these inputs.
func RepeatsKey(b []byte) bool {
	if !json.Valid(b) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var walk func() bool
	walk = func() bool {
		tok, _ := dec.Token()
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, _ := dec.Token()
				key := strings.ToLower(k.(string))
				if seen[key] || walk() {
					return true
				}
				seen[key] = true
			}
			_, _ = dec.Token()
		case json.Delim('['):
			for dec.More() {
				if walk() {
					return true
				}
			}
			_, _ = dec.Token()
		}
		return false
	}
	return walk()
}
