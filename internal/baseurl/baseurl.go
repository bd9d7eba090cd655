// Package baseurl resolves the base URL a caller gives to a vendor's
// WithBaseURL: the bare origin (self-hosted installs, fakes) or the base URL
// exactly as the vendor's docs write it, without ever doubling a path prefix
// (the "/api/api/" trap).
package baseurl

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
)

// Resolve checks raw with runtime.ParseBaseURL and returns it with its path
// ending in prefix (e.g. "/api"):
//   - an origin, or an origin with a sub-path ("https://x.example/tools"),
//     gets prefix appended;
//   - a URL whose path already ends in prefix is kept;
//   - a URL whose path ends in one of aliases (documented longer forms, e.g.
//     Deskwoot's "/api/v1") has that alias replaced by prefix.
//
// A path that holds the prefix (or an alias) again before it, such as
// "/rest/rest" or "/api/v1/accounts/1/api/v1/accounts/1", is refused with
// an error wrapping vendorkit.ErrInvalidArgument (see Repeats).
func Resolve(raw, prefix string, aliases ...string) (*url.URL, error) {
	u, err := runtime.ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	prefix = clean(prefix)
	rest := u.Path
	for _, a := range append(aliases, prefix) {
		if a = clean(a); a != "" && strings.HasSuffix(rest, a) {
			rest = strings.TrimSuffix(rest, a)
			break
		}
	}
	if err := Repeats(u, rest, append(aliases, prefix)...); err != nil {
		return nil, err
	}
	u.Path = rest + prefix
	return u, nil
}

// Repeats is the one rule for doubled prefixes, for Resolve and for vendors
// whose base path has a variable part (Woofed's account): it refuses rest —
// the path left once the vendor's own prefix has been taken off — when it
// still holds one of prefixes as whole path segments. Such a URL was pasted
// twice or joined with the prefix already in it, and every call would
// answer 404.
func Repeats(u *url.URL, rest string, prefixes ...string) error {
	for _, p := range prefixes {
		if p = clean(p); p != "" && strings.Contains(rest+"/", p+"/") {
			return fmt.Errorf("%w: base URL %s://%s%s repeats the vendor's path %s: give the origin or the base URL once, as the vendor documents it",
				vendorkit.ErrInvalidArgument, u.Scheme, u.Host, u.Path, p)
		}
	}
	return nil
}

// clean returns p with one leading slash and none trailing, or "" for "/".
func clean(p string) string {
	p = "/" + strings.Trim(p, "/")
	if p == "/" {
		return ""
	}
	return p
}
