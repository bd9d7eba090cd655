package wire

import (
	"errors"
	"fmt"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/vendorkit/vendorkit"
)

// Fail annotates err from the facade method op (e.g. "GetContact") of
// vendor, so that every error names the vendor once and the operation by its
// method name. An error from the call itself (*vendorkit.APIError,
// *vendorkit.RequestError) gets its Vendor and Operation set and is returned
// as is: its text names them and the request. Any other error is wrapped as
// "<vendor>: <op>: …". A nil err stays nil.
func Fail(vendor, op string, err error) error {
	if err == nil {
		return nil
	}
	var reqErr *vendorkit.RequestError
	var apiErr *vendorkit.APIError
	if errors.As(err, &reqErr) || errors.As(err, &apiErr) {
		if reqErr != nil && reqErr.Vendor == "" {
			reqErr.Vendor = vendor
		}
		return runtime.SetOperation(err, op)
	}
	return fmt.Errorf("%s: %s: %w", vendor, op, err)
}
