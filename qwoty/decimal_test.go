package qwoty

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in      string
		want    string // String(); "" means an error is expected
		wantRat string
	}{
		{"33.33", "33.33", "3333/100"},
		{" 100 ", "100", "100"},
		{"0.1", "0.1", "1/10"},
		{"-5.50", "-5.50", "-11/2"},
		{"1e2", "1e2", "100"},
		{"1.5E-3", "1.5E-3", "3/2000"},
		{"0", "0", "0"},
		{"-0.0", "-0.0", "0"},
		{"", "", ""},
		{"01", "", ""},
		{"1.", "", ""},
		{".5", "", ""},
		{"+1", "", ""},
		{"1e", "", ""},
		{"NaN", "", ""},
		{"Infinity", "", ""},
		{"1,5", "", ""},
		{"0x10", "", ""},
		{"1e1001", "", ""},
		{"1e00001000", "1e00001000", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDecimal(tt.in)
			if tt.want == "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, errDecimal)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.String())
			if tt.wantRat != "" {
				want, _ := new(big.Rat).SetString(tt.wantRat)
				assert.Zero(t, want.Cmp(d.Rat()), "Rat() = %s", d.Rat())
			}
		})
	}
}

func TestDecimalJSONRoundTripIsExact(t *testing.T) {
	// Values a float64 would alter or print differently.
	for _, text := range []string{
		`33.33`, `0.1`, `0.2`, `0.30000000000000004`, `2000.30`, `3897.00`, `1333.33`,
		`-0.0`, `1e2`, `12345678901234567890.123456789`, `0.000000000000000000001`, `"19.99"`, `"100"`,
	} {
		t.Run(text, func(t *testing.T) {
			var d Decimal
			require.NoError(t, json.Unmarshal([]byte(text), &d))
			out, err := json.Marshal(d)
			require.NoError(t, err)
			assert.Equal(t, text, string(out))
		})
	}
}

func TestDecimalInStructs(t *testing.T) {
	in := `{"name":"Deposit","percentage":33.330,"term":"due_now","order_number":1}`
	var inst Installment
	require.NoError(t, json.Unmarshal([]byte(in), &inst))
	assert.Equal(t, "33.330", inst.Percentage.String())
	out, err := json.Marshal(inst)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
	assert.Contains(t, string(out), `"percentage":33.330`)

	var zero struct {
		P Decimal  `json:"p"`
		Q *Decimal `json:"q"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"p":null,"q":null}`), &zero))
	assert.True(t, zero.P.IsZero())
	assert.Nil(t, zero.Q)
	out, err = json.Marshal(zero)
	require.NoError(t, err)
	assert.Equal(t, `{"p":0,"q":null}`, string(out))
}

func TestDecimalUnmarshalRejects(t *testing.T) {
	for _, text := range []string{`true`, `"abc"`, `"1e5000"`, `{}`, `[1]`, `""`} {
		var d Decimal
		assert.Error(t, json.Unmarshal([]byte(text), &d), text)
	}
}

func TestDecimalArithmeticIsExact(t *testing.T) {
	d := MustParseDecimal
	tests := []struct {
		name string
		got  Decimal
		want string
	}{
		{"0.1+0.2", d("0.1").Add(d("0.2")), "0.3"},
		{"33.33 three times", SumDecimals(d("33.33"), d("33.33"), d("33.33")), "99.99"},
		{"33.33+33.33+33.34", SumDecimals(d("33.33"), d("33.33"), d("33.34")), "100.00"},
		{"scale kept", d("1.50").Add(d("2")), "3.50"},
		{"exponent", d("1e2").Add(d("0.5")), "100.5"},
		{"negative exponent", d("15e-1").Add(d("0")), "1.5"},
		{"negative result", d("1").Sub(d("1.25")), "-0.25"},
		{"small", d("0.001").Sub(d("0.002")), "-0.001"},
		{"none", SumDecimals(), "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got.String())
		})
	}
	assert.True(t, d("0.1").Add(d("0.2")).Equal(d("0.3")))
	assert.True(t, d("100").Equal(d("100.000")))
	assert.True(t, d("1e2").Equal(DecimalFromInt(100)))
	assert.False(t, SumDecimals(d("33.33"), d("33.33"), d("33.33")).Equal(DecimalFromInt(100)))
	assert.Equal(t, -1, d("99.99").Cmp(d("100")))
	assert.Equal(t, 1, d("0.30000000000000004").Cmp(d("0.3")))
	assert.Equal(t, 0, Decimal{}.Cmp(d("-0.00")))
	assert.Equal(t, -1, d("-1").Sign())
	assert.True(t, Decimal{}.IsZero())
	assert.Equal(t, "0", Decimal{}.String())
}

func TestMustParseDecimalPanicsOnBadLiteral(t *testing.T) {
	assert.Panics(t, func() { MustParseDecimal("1,5") })
}

func TestDecimalText(t *testing.T) {
	b, err := MustParseDecimal("1.50").MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "1.50", string(b))
	var d Decimal
	require.NoError(t, d.UnmarshalText([]byte("2.5e1")))
	assert.Equal(t, "2.5e1", d.String())
	assert.Error(t, d.UnmarshalText([]byte("x")))
}

// FuzzDecimal checks that any accepted JSON text round-trips exactly, that
// the exact value agrees with math/big's reading of the text, and that
// addition is exact.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"33.33", "0.1", "-0.0", "1e2", "1.5E-3", `"19.99"`, "null", "01", "1e999", "-", "9999999999999999999999.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Decimal
		if err := json.Unmarshal([]byte(s), &d); err != nil {
			return
		}
		if s == "null" {
			return
		}
		out, err := json.Marshal(d)
		require.NoError(t, err)
		var back Decimal
		require.NoError(t, json.Unmarshal(out, &back))
		assert.Equal(t, d.String(), back.String())
		r, ok := new(big.Rat).SetString(d.String())
		require.True(t, ok, "big.Rat cannot read %q", d.String())
		assert.Zero(t, r.Cmp(d.Rat()))
		sum := d.Add(d)
		assert.Zero(t, new(big.Rat).Add(r, r).Cmp(sum.Rat()))
		assert.True(t, sum.Sub(d).Equal(d))
	})
}
