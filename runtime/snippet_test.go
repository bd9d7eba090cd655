package runtime_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/stretchr/testify/assert"
)

func TestSnippet(t *testing.T) {
	tests := map[string]string{
		"<html><head><TITLE>503 Service Unavailable</TITLE></head></html>": "503 Service Unavailable",
		"\xff<title>0":         "<title>0",
		"İİ<title>x</title>":   "x",
		"plain\ntext\x00 here": "plain text here",
		"":                     "",
		"<title>Überlastung – bitte warten</title>": "Überlastung – bitte warten",
	}
	for in, want := range tests {
		assert.Equal(t, want, runtime.Snippet([]byte(in)), "%q", in)
	}
	long := runtime.Snippet([]byte(strings.Repeat("é", 150)))
	assert.True(t, strings.HasSuffix(long, "…"))
	assert.LessOrEqual(t, len(long), 200+len("…"))
	assert.True(t, utf8.ValidString(long))
}
