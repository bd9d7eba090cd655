package wire

import "bytes"

// ScanObject walks the top-level members of the JSON object b without
// decoding them, calling fn with each member's key as written (between its
// quotes, escapes not decoded), whether that key holds an escape or a
// non-ASCII byte (encoding/json may then match it to a field whose name is
// spelled otherwise), and the member's value as written. It stops when fn
// returns false. It returns false when b is not an object or ends before
// its closing brace; it does not validate the values, so callers use it to
// rule out what a decode would find, and decode the rest.
func ScanObject(b []byte, fn func(key []byte, special bool, value []byte) bool) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return true
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return false
		}
		start, special := i+1, false
		for i++; i < len(b) && b[i] != '"'; i++ {
			switch {
			case b[i] == '\\':
				special = true
				i++
			case b[i] >= 0x80:
				special = true
			}
		}
		if i >= len(b) {
			return false
		}
		key := b[start:i]
		i = skipSpace(b, i+1)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		end := skipValue(b, i)
		if end < 0 {
			return false
		}
		if !fn(key, special, b[i:end]) {
			return true
		}
		i = skipSpace(b, end)
		switch {
		case i < len(b) && b[i] == ',':
			i = skipSpace(b, i+1)
		case i < len(b) && b[i] == '}':
			return true
		default:
			return false
		}
	}
}

// KeyIs reports whether key, as ScanObject gives it, is name in any ASCII
// case, the way encoding/json matches a key without escapes to a field.
func KeyIs(key []byte, name string) bool {
	if len(key) != len(name) {
		return false
	}
	for i := range key {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

// skipSpace returns the index of the first non-whitespace byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string whose opening quote is
// at i, or -1 when b ends first: it jumps from quote to quote (IndexByte)
// and skips the quotes an odd run of backslashes escapes.
func stringEnd(b []byte, i int) int {
	for {
		j := bytes.IndexByte(b[i+1:], '"')
		if j < 0 {
			return -1
		}
		i += 1 + j
		n := 0
		for k := i - 1; b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return i + 1
		}
	}
}

// skipValue returns the index just past the JSON value starting at i, or
// -1 when b ends first. It assumes valid JSON and never reads out of b.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		c := b[i]
		switch c {
		case '"':
			if i = stringEnd(b, i); i < 0 {
				return -1
			}
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	if depth == 0 {
		return i
	}
	return -1
}
