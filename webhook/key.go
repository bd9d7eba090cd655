package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Key joins a vendor name and the parts that identify one event into a
// dedupe key: "vendor:part1:part2…". Vendor packages use it so keys of
// different vendors never collide in a shared Deduper. It returns "" (no
// dedupe) when a part is empty.
func Key(vendor string, parts ...string) string {
	for _, p := range parts {
		if p == "" {
			return ""
		}
	}
	return vendor + ":" + strings.Join(parts, ":")
}

// ContentKey is the dedupe key of an event that carries no usable id: the
// SHA-256 of its raw JSON, so a byte-identical retry is a duplicate and any
// change is a new event.
func ContentKey(vendor string, raw []byte) string {
	sum := sha256.Sum256(raw)
	return vendor + ":sha256:" + hex.EncodeToString(sum[:])
}
