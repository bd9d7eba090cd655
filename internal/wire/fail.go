package wire

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

// Fail annotates err from the facade method op (e.g. "GetContact") of
// vendor. An *vendorkit.APIError gets its Operation set and is returned as
// is: its text already names the vendor, the operation and the request. Any
// other error is wrapped as "<vendor>: get contact: …". A nil err stays nil.
func Fail(vendor, op string, err error) error {
	if err == nil {
		return nil
	}
	var apiErr *vendorkit.APIError
	if errors.As(err, &apiErr) {
		return runtime.SetOperation(err, op)
	}
	return fmt.Errorf("%s: %s: %w", vendor, Words(op), err)
}

// Words writes a method name as lower-case words: "GetDealProduct" →
// "get deal product", "ListCompanyAPIKeys" → "list company api keys".
func Words(op string) string {
	var b strings.Builder
	rs := []rune(op)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 {
			prevLower := unicode.IsLower(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || (nextLower && unicode.IsUpper(rs[i-1])) {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
