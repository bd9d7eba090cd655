package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/webhook"
)

// item is the event of a toy vendor whose bodies are JSON arrays of
// {"id": "…"}.
type item struct {
	ID string `json:"id"`
}

var spec = webhook.Spec[item]{
	Vendor: "toy",
	Parse: func(b []byte) ([]item, error) {
		var out []item
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, err
		}
		return out, nil
	},
	Key:  func(i item) string { return webhook.Key("toy", i.ID) },
	Name: func(i item) string { return "item" },
}

type recorder struct {
	mu   sync.Mutex
	seen []string
	fail map[string]int // id → failures left
}

func (r *recorder) fn(_ context.Context, i item) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail[i.ID] > 0 {
		r.fail[i.ID]--
		return errors.New("downstream unavailable")
	}
	if i.ID == "boom" {
		panic("kaboom")
	}
	r.seen = append(r.seen, i.ID)
	return nil
}

func post(h http.Handler, target, ctype string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func quiet() webhook.Option { return webhook.WithLogger(slog.New(slog.DiscardHandler)) }

func TestHandlerStatuses(t *testing.T) {
	rec := &recorder{}
	h := webhook.New(spec, rec.fn, webhook.WithQueryToken("token", "s3cret"), webhook.WithMaxBody(64), quiet())
	ok := "/hook?token=s3cret"
	for _, tc := range []struct {
		name   string
		method string
		target string
		ctype  string
		body   string
		want   int
	}{
		{"valid", http.MethodPost, ok, "application/json", `[{"id":"a"}]`, 200},
		{"charset", http.MethodPost, ok, "application/json; charset=utf-8", `[{"id":"b"}]`, 200},
		{"vendor json type", http.MethodPost, ok, "application/vnd.toy+json", `[{"id":"c"}]`, 200},
		{"GET", http.MethodGet, ok, "", "", 405},
		{"no token", http.MethodPost, "/hook", "application/json", `[{"id":"a"}]`, 401},
		{"wrong token", http.MethodPost, "/hook?token=s3creT", "application/json", `[{"id":"a"}]`, 401},
		{"form", http.MethodPost, ok, "application/x-www-form-urlencoded", `a=b`, 415},
		{"no content type", http.MethodPost, ok, "", `[]`, 415},
		{"oversize", http.MethodPost, ok, "application/json", `[{"id":"` + strings.Repeat("x", 100) + `"}]`, 413},
		{"empty", http.MethodPost, ok, "application/json", ``, 400},
		{"malformed", http.MethodPost, ok, "application/json", `[{"id":`, 400},
		{"wrong shape", http.MethodPost, ok, "application/json", `{"id":"a"}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			assert.Equal(t, tc.want, w.Code, w.Body.String())
			if tc.want == 405 {
				assert.Equal(t, "POST", w.Header().Get("Allow"))
			}
		})
	}
	assert.Equal(t, []string{"a", "b", "c"}, rec.seen)
}

func TestHandlerOversizeWithoutContentLength(t *testing.T) {
	h := webhook.New(spec, (&recorder{}).fn, webhook.InsecureSkipVerify(), webhook.WithMaxBody(16), quiet())
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat(" ", 17)+"[]"))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	assert.Equal(t, 413, w.Code)
}

func TestHandlerDefaultCapIsOneMiB(t *testing.T) {
	h := webhook.New(spec, (&recorder{}).fn, webhook.InsecureSkipVerify(), quiet())
	body := append([]byte("["), bytes.Repeat([]byte(" "), webhook.DefaultMaxBody-2)...)
	body = append(body, ']')
	assert.Equal(t, 200, post(h, "/", "application/json", body).Code)
	body = append(body, ' ')
	assert.Equal(t, 413, post(h, "/", "application/json", body).Code)
}

func TestHandlerWithoutProtectionRefusesEverything(t *testing.T) {
	var logs bytes.Buffer
	rec := &recorder{}
	h := webhook.New(spec, rec.fn, webhook.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	w := post(h, "/", "application/json", []byte(`[{"id":"a"}]`))
	assert.Equal(t, 500, w.Code)
	assert.Empty(t, rec.seen)
	assert.Contains(t, logs.String(), "misconfigured")

	signed := spec
	signed.Signed = true
	h = webhook.New(signed, rec.fn, webhook.WithPathSecret("x"), quiet())
	assert.Equal(t, 500, post(h, "/x", "application/json", []byte(`[{"id":"a"}]`)).Code, "a signed vendor needs a verifier, not a URL secret")

	h = webhook.New(signed, rec.fn, webhook.InsecureSkipVerify(), quiet())
	assert.Equal(t, 200, post(h, "/", "application/json", []byte(`[{"id":"a"}]`)).Code)
}

func TestHandlerPathSecretAndBasicAuth(t *testing.T) {
	h := webhook.New(spec, (&recorder{}).fn, webhook.WithPathSecret("p4th"), quiet())
	assert.Equal(t, 200, post(h, "/hooks/toy/p4th", "application/json", []byte(`[]`)).Code)
	assert.Equal(t, 200, post(h, "/hooks/toy/p4th/", "application/json", []byte(`[]`)).Code)
	assert.Equal(t, 401, post(h, "/hooks/toy/p4t", "application/json", []byte(`[]`)).Code)
	assert.Equal(t, 401, post(h, "/hooks/p4th/toy", "application/json", []byte(`[]`)).Code)

	h = webhook.New(spec, (&recorder{}).fn, webhook.WithBasicAuth("hook", "pw"), quiet())
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`[]`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("hook", "pw")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	assert.Equal(t, 200, w.Code)
	for _, creds := range [][2]string{{"hook", "pW"}, {"Hook", "pw"}, {"", ""}} {
		req.SetBasicAuth(creds[0], creds[1])
		req.Body = http.NoBody
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		assert.Equal(t, 401, w.Code, creds)
		assert.Contains(t, w.Header().Get("WWW-Authenticate"), "Basic")
	}
	// Empty secrets never match anything.
	h = webhook.New(spec, (&recorder{}).fn, webhook.WithQueryToken("token", ""), quiet())
	assert.Equal(t, 401, post(h, "/?token=", "application/json", []byte(`[]`)).Code)
}

func TestHandlerErrorThenRetryIsDeliveredOnce(t *testing.T) {
	rec := &recorder{fail: map[string]int{"b": 1}}
	h := webhook.New(spec, rec.fn, webhook.InsecureSkipVerify(), quiet())
	body := []byte(`[{"id":"a"},{"id":"b"},{"id":"c"}]`)
	assert.Equal(t, 500, post(h, "/", "application/json", body).Code)
	assert.Equal(t, []string{"a"}, rec.seen, "the batch stops at the failing event")
	assert.Equal(t, 200, post(h, "/", "application/json", body).Code)
	assert.Equal(t, 200, post(h, "/", "application/json", body).Code)
	assert.Equal(t, []string{"a", "b", "c"}, rec.seen, "each event once, in order")

	// Without dedupe the retry repeats what was done.
	rec = &recorder{fail: map[string]int{"b": 1}}
	h = webhook.New(spec, rec.fn, webhook.InsecureSkipVerify(), webhook.WithoutDedupe(), quiet())
	post(h, "/", "application/json", body)
	post(h, "/", "application/json", body)
	assert.Equal(t, []string{"a", "a", "b", "c"}, rec.seen)
}

func TestHandlerPanicIs500(t *testing.T) {
	var logs bytes.Buffer
	rec := &recorder{}
	h := webhook.New(spec, rec.fn, webhook.InsecureSkipVerify(), webhook.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	assert.Equal(t, 500, post(h, "/", "application/json", []byte(`[{"id":"boom"}]`)).Code)
	assert.Contains(t, logs.String(), "panicked")
	// The claim was released: a retry runs the function again (and panics again).
	assert.Equal(t, 500, post(h, "/", "application/json", []byte(`[{"id":"boom"}]`)).Code)
}

func TestHandlerInFlightDuplicateIs503(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	h := webhook.New(spec, func(ctx context.Context, i item) error {
		close(started)
		<-release
		return nil
	}, webhook.InsecureSkipVerify(), quiet())
	done := make(chan int)
	go func() { done <- post(h, "/", "application/json", []byte(`[{"id":"a"}]`)).Code }()
	<-started
	assert.Equal(t, 503, post(h, "/", "application/json", []byte(`[{"id":"a"}]`)).Code)
	close(release)
	assert.Equal(t, 200, <-done)
	assert.Equal(t, 200, post(h, "/", "application/json", []byte(`[{"id":"a"}]`)).Code, "now a duplicate")
}

func TestHandlerLogsNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	lg := webhook.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	secret := "whsec_" + "c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr"
	h := webhook.New(spec, (&recorder{}).fn, webhook.WithQueryToken("token", "qu3ry-s3cret"), webhook.WithPathSecret("p4th-s3cret"),
		webhook.WithVerifier(webhook.StandardWebhooks{Secret: secret}), lg)
	for _, target := range []string{"/p4th-s3cret?token=qu3ry-s3cret", "/p4th-s3cret?token=wrong", "/wrong?token=qu3ry-s3cret"} {
		post(h, target, "application/json", []byte(`[{"id":"a"}]`), "webhook-id", "m1", "webhook-timestamp", "1", "webhook-signature", "v1,AAAA")
	}
	require.NotEmpty(t, logs.String())
	for _, s := range []string{"qu3ry-s3cret", "p4th-s3cret", "c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr", "token="} {
		assert.NotContains(t, logs.String(), s)
	}
}

func TestHMAC(t *testing.T) {
	v := webhook.HMAC{Header: "X-Sig", Secret: "k"}
	body := []byte(`{"a":1}`)
	good := v.Sign("", body)
	require.True(t, strings.HasPrefix(good, "sha256="))
	bare := strings.TrimPrefix(good, "sha256=")
	for _, tc := range []struct {
		name, sig string
		want      error
	}{
		{"prefixed", good, nil},
		{"bare hex", bare, nil},
		{"upper hex and prefix", "SHA256=" + strings.ToUpper(bare), nil},
		{"missing", "", webhook.ErrSignature},
		{"wrong", v.Sign("", []byte(`{"a":2}`)), webhook.ErrSignature},
		{"base64 instead of hex", "sha256=" + "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w=", webhook.ErrSignature},
		{"short", bare[:10], webhook.ErrSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			if tc.sig != "" {
				r.Header.Set("X-Sig", tc.sig)
			}
			err := v.Verify(r, body)
			if tc.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.want)
				assert.NotContains(t, err.Error(), "k\"")
			}
		})
	}
	// Other secret.
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("X-Sig", webhook.HMAC{Header: "X-Sig", Secret: "other"}.Sign("", body))
	assert.ErrorIs(t, v.Verify(r, body), webhook.ErrSignature)

	// Base64 with a signed timestamp.
	now := time.Unix(1_700_000_000, 0)
	vt := webhook.HMAC{Header: "X-Sig", Secret: "k", Encoding: webhook.Base64, TimestampHeader: "X-Ts", Now: func() time.Time { return now }}
	ts := strconv.FormatInt(now.Unix(), 10)
	r = httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("X-Ts", ts)
	r.Header.Set("X-Sig", vt.Sign(ts, body))
	assert.NoError(t, vt.Verify(r, body))
	r.Header.Set("X-Ts", strconv.FormatInt(now.Unix()+1, 10))
	assert.ErrorIs(t, vt.Verify(r, body), webhook.ErrSignature, "the timestamp is signed")
	old := strconv.FormatInt(now.Add(-10*time.Minute).Unix(), 10)
	r.Header.Set("X-Ts", old)
	r.Header.Set("X-Sig", vt.Sign(old, body))
	assert.ErrorIs(t, vt.Verify(r, body), webhook.ErrTimestamp, "a replayed delivery")
	r.Header.Del("X-Ts")
	assert.ErrorIs(t, vt.Verify(r, body), webhook.ErrTimestamp)
}

// The reference vector of the Standard Webhooks specification (also
// svix-webhooks' TestWebhookSign).
const (
	swSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	swID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	swTS     = "1614265330"
	swBody   = `{"test": 2432232314}`
	swSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestStandardWebhooks(t *testing.T) {
	at := time.Unix(1614265330, 0)
	v := webhook.StandardWebhooks{Secret: swSecret, Now: func() time.Time { return at }}
	require.Equal(t, swSig, v.Sign(swID, swTS, []byte(swBody)))
	req := func(kv ...string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		for i := 0; i+1 < len(kv); i += 2 {
			r.Header.Set(kv[i], kv[i+1])
		}
		return r
	}
	for _, tc := range []struct {
		name string
		r    *http.Request
		body string
		want error
	}{
		{"vector", req("webhook-id", swID, "webhook-timestamp", swTS, "webhook-signature", swSig), swBody, nil},
		{"svix names", req("svix-id", swID, "svix-timestamp", swTS, "svix-signature", swSig), swBody, nil},
		{"rotated: one of several", req("webhook-id", swID, "webhook-timestamp", swTS, "webhook-signature", "v1,Ym9ndXM= v2,x "+swSig), swBody, nil},
		{"tampered body", req("webhook-id", swID, "webhook-timestamp", swTS, "webhook-signature", swSig), `{"test": 2432232315}`, webhook.ErrSignature},
		{"other id", req("webhook-id", "msg_other", "webhook-timestamp", swTS, "webhook-signature", swSig), swBody, webhook.ErrSignature},
		{"missing signature", req("webhook-id", swID, "webhook-timestamp", swTS), swBody, webhook.ErrSignature},
		{"missing id", req("webhook-timestamp", swTS, "webhook-signature", swSig), swBody, webhook.ErrSignature},
		{"hex instead of base64", req("webhook-id", swID, "webhook-timestamp", swTS, "webhook-signature", "v1,8348ccf52b04f8e3cf2531adfed9882ad4b266513"), swBody, webhook.ErrSignature},
		{"missing timestamp", req("webhook-id", swID, "webhook-signature", swSig), swBody, webhook.ErrTimestamp},
		{"timestamp not a number", req("webhook-id", swID, "webhook-timestamp", "yesterday", "webhook-signature", swSig), swBody, webhook.ErrTimestamp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Verify(tc.r, []byte(tc.body))
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.NotContains(t, err.Error(), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
		})
	}
	// Replay: the same signed delivery six minutes later, or from the future.
	for _, skew := range []time.Duration{6 * time.Minute, -6 * time.Minute} {
		late := webhook.StandardWebhooks{Secret: swSecret, Now: func() time.Time { return at.Add(skew) }}
		assert.ErrorIs(t, late.Verify(req("webhook-id", swID, "webhook-timestamp", swTS, "webhook-signature", swSig), []byte(swBody)), webhook.ErrTimestamp)
	}
	tolerant := webhook.StandardWebhooks{Secret: swSecret, Tolerance: 10 * time.Minute, Now: func() time.Time { return at.Add(6 * time.Minute) }}
	assert.NoError(t, tolerant.Verify(req("webhook-id", swID, "webhook-timestamp", swTS, "webhook-signature", swSig), []byte(swBody)))
	bad := webhook.StandardWebhooks{Secret: "whsec_not base64!", Now: v.Now}
	assert.ErrorIs(t, bad.Verify(req("webhook-id", swID, "webhook-timestamp", swTS, "webhook-signature", swSig), []byte(swBody)), webhook.ErrSignature)
}

func TestMemoryDeduperEvictsOldest(t *testing.T) {
	ctx := context.Background()
	d := webhook.NewMemoryDeduper(2)
	for _, k := range []string{"a", "b", "c"} {
		s, err := d.Claim(ctx, k)
		require.NoError(t, err)
		require.Equal(t, webhook.Fresh, s)
		require.NoError(t, d.Finish(ctx, k, true))
	}
	assert.Equal(t, 2, d.Len())
	s, _ := d.Claim(ctx, "a")
	assert.Equal(t, webhook.Fresh, s, "a was evicted")
	s, _ = d.Claim(ctx, "c")
	assert.Equal(t, webhook.Duplicate, s)
	s, _ = d.Claim(ctx, "a")
	assert.Equal(t, webhook.InFlight, s)
	require.NoError(t, d.Finish(ctx, "a", false))
	s, _ = d.Claim(ctx, "a")
	assert.Equal(t, webhook.Fresh, s, "a failed attempt is forgotten")
}

func TestKey(t *testing.T) {
	assert.Equal(t, "woofed:contact_updated:1:x", webhook.Key("woofed", "contact_updated", "1", "x"))
	assert.Equal(t, "", webhook.Key("woofed", "contact_updated", ""))
	assert.NotEqual(t, webhook.ContentKey("v", []byte("a")), webhook.ContentKey("v", []byte("b")))
}
