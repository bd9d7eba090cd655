package wire

import (
	"fmt"

	"github.com/vendorkit/vendorkit"
)

// CheckID refuses a string id that cannot be one path segment of a request:
// empty, longer than 256 bytes, the dot segments "." and ".." (URL
// resolution would turn "/contacts/.." into the parent resource, so a
// DELETE would hit another one), or holding '/', '?', '#', '%', '\\',
// whitespace or control characters. what names the id in the message
// ("contact id"). The error wraps vendorkit.ErrInvalidArgument.
func CheckID(what, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: %s is empty", vendorkit.ErrInvalidArgument, what)
	case id == "." || id == "..":
		return fmt.Errorf("%w: %s %q is a dot segment, not an id", vendorkit.ErrInvalidArgument, what, id)
	case len(id) > 256:
		return fmt.Errorf("%w: %s is longer than 256 bytes", vendorkit.ErrInvalidArgument, what)
	}
	for _, r := range id {
		switch {
		case r <= ' ', r == 0x7f, r >= 0x80 && r <= 0x9f,
			r == '/', r == '?', r == '#', r == '%', r == '\\':
			s := id
			if len(s) > 40 {
				s = s[:40] + "…"
			}
			return fmt.Errorf("%w: %s %q holds a character that cannot be in an id", vendorkit.ErrInvalidArgument, what, s)
		}
	}
	return nil
}
