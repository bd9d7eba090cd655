// Package baseurl resolves the base URL a caller gives to a vendor's
// WithBaseURL: the bare origin (self-hosted installs, fakes) or the base URL
// exactly as the vendor's docs write it, without ever doubling a path prefix
// (the "/api/api/" trap).
package baseurl

import (
	"net/url"
	"strings"

	"github.com/vendorkit/vendorkit/runtime"
)

// Resolve checks raw with runtime.ParseBaseURL and returns it with its path
// ending in prefix (e.g. "/api"):
//   - an origin, or an origin with a sub-path ("https://x.example/tools"),
//     gets prefix appended;
//   - a URL whose path already ends in prefix is kept;
//   - a URL whose path ends in one of aliases (documented longer forms, e.g.
//     Deskwoot's "/api/v1") has that alias replaced by prefix.
func Resolve(raw, prefix string, aliases ...string) (*url.URL, error) {
	u, err := runtime.ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	prefix = "/" + strings.Trim(prefix, "/")
	if prefix == "/" {
		prefix = ""
	}
	p := u.Path
	for _, a := range aliases {
		a = "/" + strings.Trim(a, "/")
		if strings.HasSuffix(p, a) {
			p = strings.TrimSuffix(p, a) + prefix
			u.Path = p
			return u, nil
		}
	}
	if !strings.HasSuffix(p, prefix) {
		p += prefix
	}
	u.Path = p
	return u, nil
}
