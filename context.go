package vendorkit

import (
	"context"
	"net/http"
	"strconv"

	"github.com/vendorkit/vendorkit/internal/core"
)

// WithHeader returns a context whose calls also send the header key: value,
// bound to the vendor's origin like the credential (never sent on a
// redirect to another host) — for per-request context such as a company id.
// A value holding CR, LF or NUL makes the call fail before anything is sent,
// with an error wrapping ErrInvalidArgument.
func WithHeader(ctx context.Context, key, value string) context.Context {
	h := http.Header{}
	if old, ok := ctx.Value(core.HeadersKey{}).(http.Header); ok {
		h = old.Clone()
	}
	h.Set(key, value)
	return context.WithValue(ctx, core.HeadersKey{}, h)
}

// NonIdempotent marks the calls made with the returned context as writes
// that must not be repeated once sent, whatever their method: they are
// retried only when the server cannot have acted on them (a 429, a refused
// connection, a 503 with Retry-After). Vendor packages use it for a PUT or
// a documented upsert whose body creates records, such as Woofed's nested
// contacts.
func NonIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, core.NonIdempotentKey{}, true)
}

// ResponseInfo is the metadata of a successful call, recorded when the
// call's context comes from CaptureResponse — like stripe-go's LastResponse.
type ResponseInfo struct {
	StatusCode int
	RequestID  string
	Attempts   int
	Header     http.Header
}

// CaptureResponse returns a context that makes the next successful call made
// with it fill info:
//
//	var info vendorkit.ResponseInfo
//	c, err := crm.GetContact(vendorkit.CaptureResponse(ctx, &info), 42)
//	log.Println(info.RequestID, info.Attempts)
func CaptureResponse(ctx context.Context, info *ResponseInfo) context.Context {
	return context.WithValue(ctx, core.ResponseInfoKey{}, info)
}

// String renders the info for logs.
func (i ResponseInfo) String() string {
	return "status=" + strconv.Itoa(i.StatusCode) + " attempts=" + strconv.Itoa(i.Attempts) + " request_id=" + i.RequestID
}
