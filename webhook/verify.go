package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far a signed timestamp may be from the receiver's
// clock, either way, by default: 5 minutes (the Standard Webhooks value).
const DefaultTolerance = 5 * time.Minute

// Encoding is how a raw-body HMAC signature is written.
type Encoding int

const (
	// Hex: lowercase or uppercase hexadecimal.
	Hex Encoding = iota
	// Base64: standard base64 with padding (unpadded accepted).
	Base64
)

// HMAC verifies an HMAC-SHA256 signature of the raw body carried in one
// header, e.g. Deskwoot's X-Deskwoot-Signature. The value may carry a
// "sha256=" prefix (any case). When TimestampHeader is set, the signed
// input is "<timestamp>.<body>" and the timestamp (Unix seconds) must be
// within Tolerance of the clock.
//
// Use it for vendors that sign the raw body and do not publish more; set
// the header names to what a captured delivery shows.
type HMAC struct {
	// Header carries the signature; required.
	Header string
	// Secret is the HMAC key, used as the bytes of the string; required.
	Secret string
	// Encoding of the signature (Hex by default).
	Encoding Encoding
	// TimestampHeader, when set, carries a signed Unix timestamp.
	TimestampHeader string
	// Tolerance for the timestamp (DefaultTolerance when 0).
	Tolerance time.Duration
	// Now is the clock (time.Now when nil); tests set it.
	Now func() time.Time
}

// Verify implements Verifier: the signature must match in constant time.
func (v HMAC) Verify(r *http.Request, body []byte) error {
	if v.Header == "" || v.Secret == "" {
		return fmt.Errorf("%w: verifier has no header name or secret", ErrSignature)
	}
	value := strings.TrimSpace(r.Header.Get(v.Header))
	if value == "" {
		return fmt.Errorf("%w: %s missing", ErrSignature, v.Header)
	}
	if len(value) >= 7 && strings.EqualFold(value[:7], "sha256=") {
		value = value[7:]
	}
	got, err := decodeSig(value, v.Encoding)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrSignature, v.Header, err)
	}
	ts := ""
	if v.TimestampHeader != "" {
		ts = strings.TrimSpace(r.Header.Get(v.TimestampHeader))
		if err := checkTimestamp(ts, v.Tolerance, v.Now); err != nil {
			return err
		}
	}
	if !hmac.Equal(got, v.mac(ts, body)) {
		return fmt.Errorf("%w: %s does not match the body", ErrSignature, v.Header)
	}
	return nil
}

// Sign returns the signature of body (and timestamp, when TimestampHeader
// is set; pass "" otherwise) as "sha256=<hex>" or base64: what Verify
// accepts. Fakes sign their deliveries with it.
func (v HMAC) Sign(timestamp string, body []byte) string {
	m := v.mac(timestamp, body)
	if v.Encoding == Base64 {
		return base64.StdEncoding.EncodeToString(m)
	}
	return "sha256=" + hex.EncodeToString(m)
}

func (v HMAC) mac(ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(v.Secret))
	if v.TimestampHeader != "" {
		m.Write([]byte(ts + "."))
	}
	m.Write(body)
	return m.Sum(nil)
}

func decodeSig(s string, enc Encoding) ([]byte, error) {
	var b []byte
	var err error
	switch enc {
	case Base64:
		b, err = base64.StdEncoding.DecodeString(s)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(s)
		}
		if err != nil {
			return nil, fmt.Errorf("not base64")
		}
	default:
		b, err = hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("not hexadecimal")
		}
	}
	if len(b) != sha256.Size {
		return nil, fmt.Errorf("want %d bytes, got %d", sha256.Size, len(b))
	}
	return b, nil
}

// checkTimestamp parses Unix seconds and checks them against tolerance.
func checkTimestamp(ts string, tolerance time.Duration, now func() time.Time) error {
	if ts == "" {
		return fmt.Errorf("%w: missing", ErrTimestamp)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: not Unix seconds", ErrTimestamp)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if now == nil {
		now = time.Now
	}
	// Compare in seconds: no overflow for any int64 input.
	d := now().Unix() - sec
	limit := int64(tolerance / time.Second)
	if d > limit || d < -limit {
		return fmt.Errorf("%w: %d s from the clock, tolerance %s", ErrTimestamp, d, tolerance)
	}
	return nil
}

// Standard Webhooks (https://www.standardwebhooks.com, the scheme Svix
// delivers): headers webhook-id, webhook-timestamp (Unix seconds) and
// webhook-signature, a space-separated list of "v1,<base64 HMAC-SHA256>"
// over "<id>.<timestamp>.<body>", keyed with the base64 secret after its
// "whsec_" prefix.
const (
	StandardIDHeader        = "webhook-id"
	StandardTimestampHeader = "webhook-timestamp"
	StandardSignatureHeader = "webhook-signature"
)

// StandardWebhooks verifies the Standard Webhooks scheme. When the
// "webhook-*" headers are absent, the "svix-*" names Svix also sends are
// read; other names can be set.
type StandardWebhooks struct {
	// Secret is "whsec_<base64>" (a bare base64 secret is accepted too).
	Secret string
	// Tolerance for webhook-timestamp (DefaultTolerance when 0).
	Tolerance time.Duration
	// IDHeader, TimestampHeader and SignatureHeader override the header
	// names (defaults: the Standard Webhooks names, then svix-*).
	IDHeader, TimestampHeader, SignatureHeader string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Verify implements Verifier.
func (v StandardWebhooks) Verify(r *http.Request, body []byte) error {
	key, err := standardKey(v.Secret)
	if err != nil {
		return err
	}
	id := header(r, v.IDHeader, StandardIDHeader, "svix-id")
	ts := header(r, v.TimestampHeader, StandardTimestampHeader, "svix-timestamp")
	sigs := header(r, v.SignatureHeader, StandardSignatureHeader, "svix-signature")
	if id == "" {
		return fmt.Errorf("%w: webhook-id missing", ErrSignature)
	}
	if sigs == "" {
		return fmt.Errorf("%w: webhook-signature missing", ErrSignature)
	}
	if err := checkTimestamp(ts, v.Tolerance, v.Now); err != nil {
		return err
	}
	want := standardMAC(key, id, ts, body)
	seen := false
	for _, s := range strings.Fields(sigs) {
		version, sig, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err != nil || len(got) != sha256.Size {
			continue
		}
		seen = true
		if hmac.Equal(got, want) {
			return nil
		}
	}
	if !seen {
		return fmt.Errorf("%w: no v1 signature in webhook-signature", ErrSignature)
	}
	return fmt.Errorf("%w: webhook-signature does not match", ErrSignature)
}

// Sign returns the webhook-signature value ("v1,<base64>") for a delivery;
// fakes use it. It returns "" when the secret is not valid.
func (v StandardWebhooks) Sign(id, timestamp string, body []byte) string {
	key, err := standardKey(v.Secret)
	if err != nil {
		return ""
	}
	return "v1," + base64.StdEncoding.EncodeToString(standardMAC(key, id, timestamp, body))
}

func standardKey(secret string) ([]byte, error) {
	s := strings.TrimPrefix(secret, "whsec_")
	if s == "" {
		return nil, fmt.Errorf("%w: verifier has no secret", ErrSignature)
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: verifier secret is not whsec_<base64>", ErrSignature)
	}
	return key, nil
}

func standardMAC(key []byte, id, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	return m.Sum(nil)
}

// header returns the first non-empty of the named headers, or of override
// alone when it is set.
func header(r *http.Request, override string, names ...string) string {
	if override != "" {
		return strings.TrimSpace(r.Header.Get(override))
	}
	for _, n := range names {
		if v := strings.TrimSpace(r.Header.Get(n)); v != "" {
			return v
		}
	}
	return ""
}
