package vendorkittest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
)

// Transport returns a RoundTripper that hands each request for s.URL() to
// the fake in the caller's goroutine, without a socket: for tests under
// testing/synctest, whose fake clock advances only while every goroutine of
// the bubble is blocked on something other than I/O. Create the Server
// outside the bubble (its listener's goroutines would block on the
// network) and pass Transport to the client inside it
// (vendorkit.WithTransport); the fake then sees the bubble's clock, and a
// rate limit measured against it no longer depends on how the machine
// schedules goroutines. A request for another host is an error.
func (s *Server) Transport() http.RoundTripper {
	origin, _ := url.Parse(s.srv.URL)
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Scheme != origin.Scheme || r.URL.Host != origin.Host {
			return nil, fmt.Errorf("vendorkittest: Transport: %s is not the fake's origin %s", r.URL.Redacted(), s.srv.URL)
		}
		in := r.Clone(r.Context())
		if in.Body == nil {
			in.Body = http.NoBody
		}
		if in.Host == "" {
			in.Host = r.URL.Host
		}
		in.RequestURI = r.URL.RequestURI()
		in.RemoteAddr = "127.0.0.1:1"
		rec := httptest.NewRecorder()
		s.serve(rec, in)
		resp := rec.Result()
		resp.Request = r
		return resp, nil
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
