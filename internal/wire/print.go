package wire

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/vendorkit/vendorkit/runtime"
)

// Printable gives a vendor's *Client a rendering without its credential,
// for every fmt verb (%v, %+v, %#v, %s, %q, …) and for slog: embedded in
// the Client struct, its methods are the Client's, so fmt never falls back
// to printing the struct's fields (which would reach the endpoint and its
// token).
type Printable struct{ desc string }

// NewPrintable describes the client of vendor bound to e.
func NewPrintable(vendor string, e *runtime.Endpoint) Printable {
	return Printable{desc: vendor + ".Client{" + e.String() + "}"}
}

// String describes the client: vendor, base URL, credential fingerprint.
func (p Printable) String() string {
	if p.desc == "" {
		return "vendorkit client (zero value: build it with New)"
	}
	return p.desc
}

// GoString is String.
func (p Printable) GoString() string { return p.String() }

// Format writes String for every verb.
func (p Printable) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, p.String()) }

// LogValue logs String.
func (p Printable) LogValue() slog.Value { return slog.StringValue(p.String()) }
