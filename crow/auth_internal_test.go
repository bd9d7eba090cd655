package crow

import (
	"crypto/subtle"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeyringConstantTime checks that a key is compared with
// subtle.ConstantTimeCompare against every configured key, equal-length
// digests, and without stopping at the first match.
func TestKeyringConstantTime(t *testing.T) {
	var calls int
	var lens [][2]int
	constantTimeEqual = func(a, b []byte) int {
		calls++
		lens = append(lens, [2]int{len(a), len(b)})
		return subtle.ConstantTimeCompare(a, b)
	}
	t.Cleanup(func() { constantTimeEqual = subtle.ConstantTimeCompare })

	kr, err := newKeyring("keys", []string{"first-key", "second-key-longer", "third"})
	require.NoError(t, err)
	for _, tc := range []struct {
		presented string
		want      int
	}{
		{"first-key", 0},
		{"second-key-longer", 1},
		{"third", 2},
		{"fourth", -1},
		{"first-ke", -1},
	} {
		calls, lens = 0, nil
		assert.Equal(t, tc.want, kr.match(tc.presented), tc.presented)
		assert.Equal(t, 3, calls, "every key is compared, match or not")
		for _, l := range lens {
			assert.Equal(t, [2]int{32, 32}, l, "digests of equal length are compared")
		}
	}
}
