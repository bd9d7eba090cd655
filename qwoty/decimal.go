package qwoty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number: a money amount, a price, a quantity or
// a percentage. Qwoty sends these as JSON numbers, and a float64 cannot hold
// 33.33 or 0.1 exactly, so Decimal keeps the number's JSON text as received
// (33.330 stays 33.330, 1e2 stays 1e2) and does exact arithmetic with
// math/big. A Decimal marshals back to the very text it was decoded from; one
// that arrived as a JSON string ("19.99") goes back as a string.
//
// The zero Decimal is 0. Build others with ParseDecimal or DecimalFromInt.
// Compare with Cmp or Equal (1.0 equals 1.00), never with ==, which compares
// the text.
type Decimal struct {
	text   string // a valid JSON number; "" means 0
	quoted bool   // received as a JSON string
}

// maxExponent bounds the exponent of a Decimal written in E notation, so
// that a hostile "1e999999999" cannot make exact arithmetic allocate
// gigabytes.
const maxExponent = 1000

// errDecimal is wrapped by every parse error.
var errDecimal = errors.New("not a decimal number")

// ParseDecimal parses s, a JSON number such as "33.33", "-5", "100" or
// "1.5e2" (surrounding spaces are ignored). The text is kept exactly.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if err := checkNumber(s); err != nil {
		return Decimal{}, err
	}
	return Decimal{text: s}, nil
}

// DecimalFromInt returns n as a Decimal.
func DecimalFromInt(n int64) Decimal {
	return Decimal{text: strconv.FormatInt(n, 10)}
}

// checkNumber reports whether s is a JSON number with an exponent of at most
// maxExponent in magnitude.
func checkNumber(s string) error {
	bad := func(why string) error {
		return fmt.Errorf("%w: %q: %s", errDecimal, truncate(s, 40), why)
	}
	if s == "" {
		return bad("empty")
	}
	i := 0
	if s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	intStart := i
	n := digits()
	switch {
	case n == 0:
		return bad("expected digits")
	case n > 1 && s[intStart] == '0':
		return bad("leading zero")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return bad("expected digits after the decimal point")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expStart := i
		if digits() == 0 {
			return bad("expected exponent digits")
		}
		exp := strings.TrimLeft(s[expStart:i], "0")
		if len(exp) > 4 {
			return bad("exponent too large")
		}
		if e, _ := strconv.Atoi(exp); e > maxExponent {
			return bad("exponent too large")
		}
	}
	if i != len(s) {
		return bad("unexpected characters")
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// String returns the decimal's text exactly as received or parsed ("0" for
// the zero Decimal).
func (d Decimal) String() string {
	if d.text == "" {
		return "0"
	}
	return d.text
}

// IsZero reports whether d is numerically zero.
func (d Decimal) IsZero() bool { return d.Sign() == 0 }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int {
	u, _ := d.unscaled()
	return u.Sign()
}

// Rat returns d as an exact rational number.
func (d Decimal) Rat() *big.Rat {
	u, scale := d.unscaled()
	r := new(big.Rat).SetInt(u)
	if scale > 0 {
		r.Quo(r, new(big.Rat).SetInt(pow10(scale)))
	}
	return r
}

// Cmp compares d and e numerically: -1 if d < e, 0 if equal, +1 if d > e.
func (d Decimal) Cmp(e Decimal) int {
	a, b := align(d, e)
	return a.Cmp(b)
}

// Equal reports whether d and e are numerically equal (1.0 equals 1.00).
func (d Decimal) Equal(e Decimal) bool { return d.Cmp(e) == 0 }

// Add returns d + e, exactly. The result is written in plain notation with
// as many fraction digits as the more precise operand.
func (d Decimal) Add(e Decimal) Decimal {
	_, sd := d.unscaled()
	_, se := e.unscaled()
	a, b := align(d, e)
	return format(a.Add(a, b), max(sd, se))
}

// Sub returns d - e, exactly, written like Add's result.
func (d Decimal) Sub(e Decimal) Decimal {
	_, sd := d.unscaled()
	_, se := e.unscaled()
	a, b := align(d, e)
	return format(a.Sub(a, b), max(sd, se))
}

// SumDecimals returns the exact sum of ds (0 for none).
func SumDecimals(ds ...Decimal) Decimal {
	var sum Decimal
	for _, d := range ds {
		sum = sum.Add(d)
	}
	return sum
}

// unscaled returns d as u × 10^-scale with scale ≥ 0.
func (d Decimal) unscaled() (*big.Int, int) {
	s := d.String()
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		exp, _ = strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
	}
	scale := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = len(mant) - i - 1
		mant = mant[:i] + mant[i+1:]
	}
	u, ok := new(big.Int).SetString(mant, 10)
	if !ok { // unreachable for a checked Decimal
		return new(big.Int), 0
	}
	scale -= exp
	if scale < 0 {
		u.Mul(u, pow10(-scale))
		scale = 0
	}
	return u, scale
}

// align returns d and e as unscaled integers at a common scale.
func align(d, e Decimal) (*big.Int, *big.Int) {
	a, sa := d.unscaled()
	b, sb := e.unscaled()
	switch {
	case sa < sb:
		a.Mul(a, pow10(sb-sa))
	case sb < sa:
		b.Mul(b, pow10(sa-sb))
	}
	return a, b
}

// format writes u × 10^-scale in plain notation.
func format(u *big.Int, scale int) Decimal {
	neg := u.Sign() < 0
	digits := new(big.Int).Abs(u).String()
	if scale > 0 {
		if len(digits) <= scale {
			digits = strings.Repeat("0", scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if neg {
		digits = "-" + digits
	}
	return Decimal{text: digits}
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// MarshalJSON writes the decimal's text: a JSON number, or a JSON string when
// it was received as one.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if d.quoted {
		return []byte(`"` + d.String() + `"`), nil
	}
	return []byte(d.String()), nil
}

// UnmarshalJSON reads a JSON number, or a string holding one ("19.99"),
// keeping its text exactly. null leaves d unchanged.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	quoted := len(b) > 0 && b[0] == '"'
	s := string(b)
	if quoted {
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("qwoty: decimal: %w", err)
		}
	}
	if err := checkNumber(s); err != nil {
		return fmt.Errorf("qwoty: decimal: %w", err)
	}
	*d = Decimal{text: s, quoted: quoted}
	return nil
}

// MarshalText writes the decimal's text, for use as a map key or in text
// formats.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a decimal's text.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return fmt.Errorf("qwoty: decimal: %w", err)
	}
	*d = v
	return nil
}

// MustParseDecimal is ParseDecimal for literals in source code, like
// regexp.MustCompile: it panics when s is not a decimal number. Use
// ParseDecimal for input.
func MustParseDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic("qwoty: MustParseDecimal: " + err.Error())
	}
	return d
}
