package webhook_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vendorkit/vendorkit/webhook"
)

// FuzzHMAC: any header value and body is either accepted (only when it is
// the right signature) or refused with ErrSignature/ErrTimestamp; never a
// panic.
func FuzzHMAC(f *testing.F) {
	v := webhook.HMAC{Header: "X-Sig", Secret: "k", TimestampHeader: "X-Ts", Now: func() time.Time { return time.Unix(100, 0) }}
	f.Add("sha256=00", "100", []byte(`{}`))
	f.Add(v.Sign("100", []byte(`{}`)), "100", []byte(`{}`))
	f.Add("", "", []byte{})
	f.Fuzz(func(t *testing.T, sig, ts string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header["X-Sig"] = []string{sig}
		r.Header["X-Ts"] = []string{ts}
		if err := v.Verify(r, body); err == nil && v.Sign(strings.TrimSpace(ts), body)[7:] != normalizeHex(strings.TrimSpace(sig)) {
			t.Fatalf("accepted a wrong signature %q", sig)
		}
	})
}

func normalizeHex(s string) string {
	if len(s) >= 7 && strings.EqualFold(s[:7], "sha256=") {
		s = s[7:]
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'F' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// FuzzStandardWebhooks: arbitrary headers never panic and never verify
// without the key.
func FuzzStandardWebhooks(f *testing.F) {
	v := webhook.StandardWebhooks{Secret: swSecret, Now: func() time.Time { return time.Unix(1614265330, 0) }}
	f.Add(swID, swTS, swSig, []byte(swBody))
	f.Add("", "", "v1,", []byte{})
	f.Add("id", "-9223372036854775808", "v1,AAAA v2,BBBB", []byte("{}"))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header["Webhook-Id"] = []string{id}
		r.Header["Webhook-Timestamp"] = []string{ts}
		r.Header["Webhook-Signature"] = []string{sig}
		if err := v.Verify(r, body); err == nil && (strings.TrimSpace(id) != swID || string(body) != swBody) {
			t.Fatalf("accepted a forged delivery id=%q body=%q", id, body)
		}
	})
}
