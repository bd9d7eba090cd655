// Package wire decodes the bodies of successful vendor answers, for the
// vendor facades. Error answers never reach it: runtime.Endpoint.Do turns
// them into *vendorkit.APIError.
package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/vendorkit/vendorkit"
)

// MaxBody caps a success body; a vendor answer larger than this is refused
// rather than read into memory.
const MaxBody = 64 << 20

// Decode reads resp's JSON body into a T and closes the body. It passes err
// (from Endpoint.Do) through unchanged, so callers write
//
//	c, err := wire.Decode[Contact](e.Do(req))
func Decode[T any](resp *http.Response, err error) (T, error) {
	var v T
	if err != nil {
		return v, err
	}
	err = Into(resp, &v)
	return v, err
}

// Into reads resp's JSON body into v and closes the body. An empty body
// (204, or 200 with no content) leaves v untouched.
func Into(resp *http.Response, v any) error {
	defer Close(resp)
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return fmt.Errorf("reading response body: %w", err)
	}
	if len(b) > MaxBody {
		return fmt.Errorf("response body larger than %d bytes", MaxBody)
	}
	if len(b) == 0 || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return fmt.Errorf("decoding %d response: not JSON at byte %d: %w", resp.StatusCode, syn.Offset, err)
		}
		return fmt.Errorf("decoding %d response: %w", resp.StatusCode, err)
	}
	return nil
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
