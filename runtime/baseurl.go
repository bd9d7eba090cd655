package runtime

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/vendorkit/vendorkit"
)

// ParseBaseURL parses and checks a vendor base URL: it must be absolute,
// https (plain http only for loopback hosts, e.g. a test server), without user
// info, query or fragment. The path is kept without its trailing slash.
// Errors wrap vendorkit.ErrInvalidArgument or vendorkit.ErrInsecureURL.
func ParseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		// Neither the raw text nor url.Error's (which quotes it) may reach
		// the message: it can hold a password or a key in its query.
		reason := err
		var uerr *url.Error
		if errors.As(err, &uerr) {
			reason = uerr.Err
		}
		return nil, invalidArgf("base URL does not parse (%v): write it as https://host[/path]", reason)
	}
	if u.Host == "" || u.Scheme == "" {
		return nil, invalidArgf("base URL %q is not absolute: write it as https://host[/path]", redactRaw(raw))
	}
	if u.User != nil {
		return nil, invalidArgf("base URL must not carry user info; pass the credential to New instead")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, invalidArgf("base URL %s://%s%s must not carry a query or fragment", u.Scheme, u.Host, u.Path)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%w: %s://%s: use https (plain http is allowed for loopback hosts only)", vendorkit.ErrInsecureURL, u.Scheme, u.Host)
		}
	default:
		return nil, fmt.Errorf("%w: scheme %q in %s: use https", vendorkit.ErrInsecureURL, u.Scheme, u.Host)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// IsLoopback reports whether host (without port) is localhost or a loopback IP.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactRaw keeps the scheme, host and path of a raw URL for error messages
// and drops anything that could hold a secret.
func redactRaw(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		if u.Host != "" {
			return u.Scheme + "://" + u.Host + u.Path
		}
		return u.Path
	}
	return "<unparseable URL>"
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = defaultPort(u.Scheme)
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

func defaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}
