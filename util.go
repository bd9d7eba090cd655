package vendorkit

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"unicode/utf8"
)

func sortStrings(s []string) { sort.Strings(s) }

// utf8ValidSuffix reports whether s does not end inside a UTF-8 sequence.
func utf8ValidSuffix(s string) bool {
	r, size := utf8.DecodeLastRuneInString(s)
	return !(r == utf8.RuneError && size <= 1)
}

// Fingerprint returns a short, stable, non-reversible identifier of a secret
// (the first 12 hex digits of its SHA-256), safe to log and to use as a map
// key in place of the secret itself.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:6])
}
