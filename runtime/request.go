package runtime

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// NewRequest returns a body-less request for method at the endpoint's base
// URL followed by segments, each escaped as one path segment (a "/" inside
// a segment is escaped, as an OpenAPI path parameter is), and an encoded
// query when query is not empty. The URL is assembled from the base URL
// parsed once by NewEndpoint: a facade on a hot path uses it instead of a
// generated request builder, which parses and formats the URL several
// times per call. Send the request with Do.
//
// An empty, "." or ".." segment is refused with an error wrapping
// vendorkit.ErrInvalidArgument: it would name another resource than the
// one meant (a generated builder resolves "/contacts/.." to the parent).
func (e *Endpoint) NewRequest(ctx context.Context, method, query string, segments ...string) (*http.Request, error) {
	n := len(e.base.Path)
	escaped := false
	for _, s := range segments {
		if s == "" || s == "." || s == ".." {
			return nil, fmt.Errorf("%s: %w", e.cfg.Vendor, invalidArgf("path segment %q names no resource", s))
		}
		n += 1 + len(s)
		if url.PathEscape(s) != s {
			escaped = true
		}
	}
	var p strings.Builder
	p.Grow(n)
	p.WriteString(e.base.Path)
	for _, s := range segments {
		p.WriteByte('/')
		p.WriteString(s)
	}
	u := &url.URL{Scheme: e.base.Scheme, Host: strings.TrimSuffix(e.base.Host, ":"), Path: p.String(), RawQuery: query}
	if escaped {
		var r strings.Builder
		r.WriteString(e.base.EscapedPath())
		for _, s := range segments {
			r.WriteByte('/')
			r.WriteString(url.PathEscape(s))
		}
		u.RawPath = r.String()
	}
	// The request is http.NewRequest's for u, built without formatting u
	// and parsing it again, and with Host left empty: the request goes to
	// u.Host all the same, and http.Client, which copies the URL of a
	// request whose Host is set (to read cookies for that host), sends it
	// as is. A method other than the usual ones is left to
	// http.NewRequestWithContext to check.
	if ctx == nil || !knownMethod(method) {
		req, err := http.NewRequestWithContext(ctx, method, "", nil)
		if err != nil {
			return nil, err
		}
		req.URL = u
		return req, nil
	}
	req := &http.Request{Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: make(http.Header)}
	return req.WithContext(ctx), nil
}

// knownMethod reports whether method is one of the methods the vendors'
// APIs use, which http.NewRequestWithContext would accept.
func knownMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead:
		return true
	}
	return false
}
