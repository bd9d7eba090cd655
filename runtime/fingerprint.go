package runtime

import (
	"crypto/sha256"
	"encoding/hex"
)

// Fingerprint returns a short, stable, non-reversible identifier of a secret
// (the first 12 hex digits of its SHA-256), safe to log and to use as a map
// key in place of the secret itself.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:6])
}
