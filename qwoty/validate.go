package qwoty

import (
	"fmt"
	"unicode/utf8"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/wire"
)

// Documented limits of a payment term.
const (
	// MaxNameLength is the longest Name (and Reference) Qwoty accepts, in
	// characters.
	MaxNameLength = 50
)

// hundred is the exact sum installments' percentages must reach.
var hundred = DecimalFromInt(100)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{vendorkit.ErrInvalidArgument}, args...)...)
}

// checkID refuses an id that cannot be one path segment (see wire.CheckID).
func checkID(what, id string) error { return wire.CheckID(what+" id", id) }

func checkName(name string) error {
	if name == "" {
		return invalid("name is required")
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return invalid("name must be at most %d characters, got %d", MaxNameLength, n)
	}
	return nil
}

func checkReference(ref string) error {
	if n := utf8.RuneCountInString(ref); n > MaxNameLength {
		return invalid("reference must be at most %d characters, got %d", MaxNameLength, n)
	}
	return nil
}

// checkAPIName requires a slug: lower-case ASCII letters, digits, "_" and
// "-", starting with a letter or a digit. The docs say only "unique slug";
// this is the common reading of it.
func checkAPIName(s string) error {
	if s == "" {
		return invalid("api_name is required")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || (c != '_' && c != '-')) {
			return invalid("api_name %q must be a slug: lower-case letters, digits, '_' and '-', starting with a letter or digit", truncate(s, 60))
		}
	}
	return nil
}

// checkInstallments enforces Qwoty's rule that the percentages of a term's
// installments sum to exactly 100, in exact decimal arithmetic (33.33 +
// 33.33 + 33.34 is 100; 33.33 × 3 is not).
func checkInstallments(ins []Installment) error {
	sum := Decimal{}
	for i, in := range ins {
		if in.Name == "" {
			return invalid("installment %d: name is required", i+1)
		}
		if in.Term == "" {
			return invalid("installment %d: term is required", i+1)
		}
		if in.Percentage.Sign() < 0 {
			return invalid("installment %d: percentage %s is negative", i+1, in.Percentage)
		}
		sum = sum.Add(in.Percentage)
	}
	if !sum.Equal(hundred) {
		return invalid("installment percentages must sum to exactly 100, got %s", sum)
	}
	return nil
}

// validate checks a create body before it is sent.
func (in PaymentTermInput) validate() error {
	if err := checkName(in.Name); err != nil {
		return err
	}
	if err := checkAPIName(in.APIName); err != nil {
		return err
	}
	if err := checkReference(in.Reference); err != nil {
		return err
	}
	if in.Installments != nil {
		return checkInstallments(in.Installments)
	}
	return nil
}

// validate checks the fields an update sets.
func (up PaymentTermUpdate) validate() error {
	if up.Name != nil {
		if err := checkName(*up.Name); err != nil {
			return err
		}
	}
	if up.APIName != nil {
		if err := checkAPIName(*up.APIName); err != nil {
			return err
		}
	}
	if up.Reference != nil {
		if err := checkReference(*up.Reference); err != nil {
			return err
		}
	}
	if up.Installments != nil {
		return checkInstallments(up.Installments)
	}
	if up.Name == nil && up.APIName == nil && up.Reference == nil && up.IsActive == nil &&
		up.IDCRM == nil && up.IDERP == nil && up.IDAccounting == nil {
		return invalid("the update sets no field")
	}
	return nil
}
