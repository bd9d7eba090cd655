// Package wire decodes the bodies of successful vendor answers, for the
// vendor facades. Error answers never reach it: runtime.Endpoint.Do turns
// them into *vendorkit.APIError.
package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/core"
	"github.com/vendorkit/vendorkit/runtime"
)

// MaxBody caps a success body; a vendor answer larger than this is refused
// rather than read into memory.
const MaxBody = runtime.MaxBody

// Decode reads resp's JSON body into a T and closes the body. It passes err
// (from Endpoint.Do) through unchanged, so callers write
//
//	c, err := wire.Decode[Contact](e.Do(req))
//
// See Into for the errors.
func Decode[T any](resp *http.Response, err error) (T, error) {
	var v T
	if err != nil {
		return v, err
	}
	err = Into(resp, &v)
	return v, err
}

// Into reads resp's JSON body into v and closes the body. A 204 (the vendor
// says there is nothing, as Woodpecker does for an empty list) leaves v
// untouched; any other empty body, a JSON null, a body that is not JSON or
// does not fit v is an error matching vendorkit.ErrMalformedResponse; a body
// that could not be read is one matching vendorkit.ErrTransport (or
// vendorkit.ErrAttemptTimeout). Either says the vendor applied the request
// (vendorkit.Applied): it answered with a success status.
func Into(resp *http.Response, v any) error {
	b, err := Body(resp)
	if err != nil || b == nil {
		return err
	}
	return Unmarshal(resp, b, v)
}

// Body reads resp's body whole and closes it, with Into's checks: nil for a
// 204 (the vendor says there is nothing); an error matching
// vendorkit.ErrMalformedResponse for any other empty body, a JSON null or a
// body over MaxBody, and one matching vendorkit.ErrTransport (or
// vendorkit.ErrAttemptTimeout) for a body that could not be read. A body
// Endpoint.Do already read (runtime.BufferedBody) is not copied.
func Body(resp *http.Response) ([]byte, error) {
	defer Close(resp)
	var b []byte
	if bb, ok := resp.Body.(*runtime.BufferedBody); ok {
		b = bb.Bytes()
	} else {
		var err error
		b, err = core.ReadBody(resp.Body, resp.ContentLength, MaxBody+1)
		if err != nil {
			kind := vendorkit.ErrTransport
			var ne net.Error
			if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
				kind = vendorkit.ErrAttemptTimeout
			}
			return nil, answerError(resp, kind, fmt.Errorf("reading response body: %w", err))
		}
	}
	if len(b) > MaxBody {
		return nil, answerError(resp, vendorkit.ErrMalformedResponse, fmt.Errorf("response body larger than %d bytes", MaxBody))
	}
	if resp.StatusCode == http.StatusNoContent {
		return nil, nil
	}
	if t := bytes.TrimSpace(b); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil, answerError(resp, vendorkit.ErrMalformedResponse, fmt.Errorf("%d answer without the record it is due", resp.StatusCode))
	}
	return b, nil
}

// Unmarshal decodes b, the body of resp, into v; an error matches
// vendorkit.ErrMalformedResponse and says the vendor applied the request.
func Unmarshal(resp *http.Response, b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return answerError(resp, vendorkit.ErrMalformedResponse, fmt.Errorf("decoding %d response: not JSON at byte %d (%s): %w", resp.StatusCode, syn.Offset, runtime.Snippet(b), err))
		}
		return answerError(resp, vendorkit.ErrMalformedResponse, fmt.Errorf("decoding %d response: %w", resp.StatusCode, err))
	}
	return nil
}

// answerError is the error of a success answer whose body is unusable: the
// vendor applied the request. Fail names the vendor and operation.
func answerError(resp *http.Response, kind error, err error) error {
	re := &vendorkit.RequestError{Kind: kind, Outcome: vendorkit.Applied, Err: err}
	if r := resp.Request; r != nil && r.URL != nil {
		re.Method, re.Host, re.Path = r.Method, r.URL.Host, r.URL.Path
	}
	return re
}

// Discard drains and closes the body of a successful answer whose content
// the caller does not need, passing err through.
func Discard(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	Close(resp)
	return nil
}

// Close drains a little of resp's body and closes it.
func Close(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	if _, ok := resp.Body.(*runtime.BufferedBody); ok {
		return // read whole already, its connection released
	}
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	_ = resp.Body.Close()
}

// NotBuilt is the HTTP doer behind a vendor client that was not built with
// its New (a nil or zero *Client): every call fails before anything is sent,
// with an error wrapping vendorkit.ErrInvalidArgument that names the fix.
// The value is the vendor package's name.
type NotBuilt string

// Do refuses req with Err.
func (v NotBuilt) Do(*http.Request) (*http.Response, error) { return nil, v.Err() }

// Err is the error of every call on a client that was not built with New.
func (v NotBuilt) Err() error {
	return fmt.Errorf("%w: the %s.Client is nil or zero: build it with %s.New", vendorkit.ErrInvalidArgument, string(v), string(v))
}

// Get sends a GET for e's base URL followed by segments (each escaped as
// one path segment) and query, built by e.NewRequest rather than by the
// generated client: a facade's hot read skips the generated builder's URL
// parsing and formatting. A nil e (a Client not built with New) fails with
// nb's error, before anything is sent.
func Get(ctx context.Context, e *runtime.Endpoint, nb NotBuilt, query string, segments ...string) (*http.Response, error) {
	if e == nil {
		return nil, nb.Err()
	}
	req, err := e.NewRequest(ctx, http.MethodGet, query, segments...)
	if err != nil {
		return nil, err
	}
	return e.Do(req)
}
