package deskwoot

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/vendorkit/vendorkit"
)

func FuzzDecodeError(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{403, `{"error":"Insufficient scope"}`},
		{403, `{"error":"Enterprise plan required"}`},
		{401, `{"error":"Unauthorized"}`},
		{404, `{"error":"Conversation not found"}`},
		{409, `{"error":["a","b"]}`},
		{429, ``},
		{500, `<html><title>x</title>`},
		{400, `{"error":{"email":["is invalid"]}}`},
		{403, "\xff\xfe"},
	} {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			return
		}
		e := &vendorkit.APIError{Vendor: "deskwoot", StatusCode: status, Body: body}
		decodeError(e)
		if e.Message == "" && http.StatusText(status) != "" {
			t.Fatalf("no message for %d", status)
		}
		if status == http.StatusForbidden && !strings.Contains(e.Message, "Enterprise plan") {
			t.Fatalf("403 message %q does not name both causes", e.Message)
		}
		_ = e.Error()
	})
}

func FuzzVerifyWebhook(f *testing.F) {
	for _, s := range []string{"sha256=" + strings.Repeat("0f", 32), strings.Repeat("AB", 32), "", "sha256=", "sha1=abc", " sha256=" + strings.Repeat("a", 64) + " ", SignWebhook("k", []byte("body"))} {
		f.Add(s, []byte("body"))
	}
	f.Fuzz(func(t *testing.T, sig string, body []byte) {
		err := VerifyWebhook("k", body, sig)
		if err == nil {
			want := strings.TrimPrefix(SignWebhook("k", body), "sha256=")
			got := strings.ToLower(strings.TrimSpace(sig))
			if strings.TrimPrefix(got, "sha256=") != want {
				t.Fatalf("accepted %q", sig)
			}
			return
		}
		if !errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("refusal %v does not match ErrInvalidSignature", err)
		}
	})
}

func FuzzParsePage(f *testing.F) {
	for _, s := range []string{`[]`, `[{"id":"a"}]`, `{"data":[{"id":"a"}],"page":1,"pageSize":1,"total":3}`, `{"data":null}`, `null`, `"x"`, `{"data":[],"total":-1}`} {
		f.Add([]byte(s), 1, 0)
	}
	f.Fuzz(func(t *testing.T, body []byte, page, size int) {
		p, err := parsePage[Contact](body, page, size)
		if err != nil {
			return
		}
		if len(p.Items) == 0 && p.HasMore {
			t.Fatal("an empty page claims more")
		}
		if p.Page < 1 {
			t.Fatalf("page %d", p.Page)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	for _, s := range []string{`{"event":"message.created","data":{"id":"m"}}`, `{"type":"contact.updated","payload":{}}`, `{"event":"x"}`, `[]`, `{"event":"conversation.updated","data":{"status":7}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if es, err := ParseWebhook(body); err == nil {
			_ = WebhookKey(es[0])
		}
		e, err := ParseEvent(body)
		if (e == nil) == (err == nil) {
			t.Fatalf("event %v with error %v", e, err)
		}
		if e != nil && e.Name() == "" {
			t.Fatal("event without a name")
		}
	})
}
