package core_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/core"
)

func TestStripScheme(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "qwt_prod_abc", want: "qwt_prod_abc"},
		{in: "qwoty_abc", want: "qwoty_abc"},
		{in: "opaque-token-without-prefix", want: "opaque-token-without-prefix"},
		{in: "Bearer qwt_prod_abc", want: "qwt_prod_abc"},
		{in: "bearer qwt_prod_abc", want: "qwt_prod_abc"},
		{in: "BEARER   qwt_prod_abc  ", want: "qwt_prod_abc"},
		{in: "Bearer\tqwt_prod_abc", want: "qwt_prod_abc"},
		{in: "  qwt_prod_abc\n", want: "qwt_prod_abc"},
		{in: "Bearerqwt", want: "Bearerqwt"},
		{in: "Bearer", wantErr: true},
		{in: "Bearer \r\nqwt_prod_abc", wantErr: true},
		{in: "qwt_prod\r\nabc", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := core.StripScheme(tt.in, "Bearer")
			if tt.wantErr {
				assert.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
