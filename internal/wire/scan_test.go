package wire

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type member struct{ key, value string }

// decodedMembers walks b's top-level members with encoding/json.
func decodedMembers(t *testing.T, b []byte) []member {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var out []member
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		var v json.RawMessage
		require.NoError(t, dec.Decode(&v))
		out = append(out, member{k.(string), string(v)})
	}
	return out
}

func scannedMembers(t *testing.T, b []byte) []member {
	var out []member
	ok := ScanObject(b, func(key []byte, special bool, value []byte) bool {
		assert.Equal(t, bytes.ContainsAny(key, "\\") || bytes.IndexFunc(key, func(r rune) bool { return r >= 0x80 }) >= 0 || !isASCII(key), special, "%q", key)
		var k string
		require.NoError(t, json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &k), "%q", key)
		out = append(out, member{k, string(value)})
		return true
	})
	require.True(t, ok, "%q", b)
	return out
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

var objectSeeds = []string{`{}`, ` { } `, `{"a":1}`, `{"a" : "x\"}" , "b":[1,{"c":"]"}],"d":{"e":null}}`, `{"success":false,"data":{}}`,
	`{"k\u00e9y":true,"n":-1.5e3}`, "{\"\xc3\xa9\":1}", `{"a":"\\"}`, `{"a":[],"b":{}}`}

func TestScanObject(t *testing.T) {
	for _, s := range objectSeeds {
		assert.Equal(t, decodedMembers(t, []byte(s)), scannedMembers(t, []byte(s)), s)
	}
	for _, s := range []string{``, `[]`, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":"x`, `{"a":1,`, `{"a" 1}`, `null`} {
		assert.False(t, ScanObject([]byte(s), func([]byte, bool, []byte) bool { return true }), s)
	}
	assert.True(t, KeyIs([]byte("Configs"), "configs"))
	assert.False(t, KeyIs([]byte("config"), "configs"))
}

// FuzzScanObject checks ScanObject against encoding/json on every valid
// object, and that it never panics on anything else.
func FuzzScanObject(f *testing.F) {
	for _, s := range objectSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ScanObject(b, func([]byte, bool, []byte) bool { return true })
		t2 := bytes.TrimLeft(b, " \t\r\n")
		if !json.Valid(b) || len(t2) == 0 || t2[0] != '{' {
			return
		}
		got := scannedMembers(t, b)
		want := decodedMembers(t, b)
		require.Equal(t, len(want), len(got), "%q", b)
		for i := range want {
			assert.Equal(t, want[i].key, got[i].key, "%q", b)
			var cw, cg bytes.Buffer
			require.NoError(t, json.Compact(&cw, []byte(want[i].value)))
			require.NoError(t, json.Compact(&cg, []byte(got[i].value)))
			assert.Equal(t, cw.String(), cg.String(), "%q", b)
		}
	})
}
