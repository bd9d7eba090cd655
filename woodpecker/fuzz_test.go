package woodpecker

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vendorkit/vendorkit/runtime"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
)

var errorBodySeeds = []string{
	`{"title":"Bad request","status":400,"detail":"X-Company-Id header value must be a number but is not","timestamp":"2025-03-05 17:57:00"}`,
	`{"title":"Unauthorized","status":401,"detail":"No API addon","timestamp":"2025-03-05 17:57:00"}`,
	`{"title":"Conflict","status":409,"detail":"Company is inactive","timestamp":"2025-03-05 17:57:00"}`,
	`{"status":{"status":"ERROR","code":"E_SESSION","msg":"Invalid API key"}}`,
	`{"status":{"status":"ERROR","code":"E_TOO_MANY_REQUESTS","msg":"Only 2 concurrent connections"}}`,
	`{"status":{"status":"OK","code":"OK","msg":""},"prospects":[]}`,
	`{"code":"CAMPAIGN_NOT_EXIST","message":"Campaign does not exist"}`,
	`{"code":404,"message":"nope"}`,
	`{"status":"400"}`,
	`{"status":null,"title":null}`,
	`[]`, `null`, ``, `<html><title>502 Bad Gateway</title></html>`, `{"status":{"status":`,
}

func TestParseErrorBodyDialects(t *testing.T) {
	tests := []struct {
		body string
		want ErrorDetail
		ok   bool
	}{
		{errorBodySeeds[0], ErrorDetail{Dialect: DialectV2, Title: "Bad request", Status: 400,
			Detail: "X-Company-Id header value must be a number but is not", Timestamp: time.Date(2025, 3, 5, 17, 57, 0, 0, time.UTC)}, true},
		{errorBodySeeds[3], ErrorDetail{Dialect: DialectV1, Code: "E_SESSION", Message: "Invalid API key"}, true},
		{errorBodySeeds[6], ErrorDetail{Dialect: DialectCode, Code: "CAMPAIGN_NOT_EXIST", Message: "Campaign does not exist"}, true},
		{errorBodySeeds[7], ErrorDetail{Dialect: DialectCode, Code: "404", Message: "nope"}, true},
		{`{"title":"Oops","status":500,"timestamp":"yesterday"}`, ErrorDetail{Dialect: DialectV2, Title: "Oops", Status: 500}, true},
		{``, ErrorDetail{}, false},
		{`[]`, ErrorDetail{}, false},
		{`{"foo":1}`, ErrorDetail{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseErrorBody([]byte(tt.body))
		assert.Equal(t, tt.ok, ok, tt.body)
		assert.Equal(t, tt.want, got, tt.body)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   runtime.Verdict
	}{
		{200, `[{"id":1}]`, runtime.Success},
		{200, `{"status":{"status":"OK"}}`, runtime.Success},
		{200, `{"status":{"status":"ERROR","code":"E_SESSION"}}`, runtime.Failure},
		{200, `{"status":{"status":"error","code":"e_too_many_requests"}}`, runtime.RateLimited},
		{400, `{"status":{"status":"ERROR","code":"E_TOO_MANY_REQUESTS"}}`, runtime.RateLimited},
		{400, `{"status":{"status":"ERROR","code":"E_WRONG_PARAM"}}`, runtime.Failure},
		{429, ``, runtime.RateLimited},
		{500, `{"title":"Internal Server Error","status":500}`, runtime.Transient},
		{204, ``, runtime.Success},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classify(tt.status, nil, []byte(tt.body)), "%d %s", tt.status, tt.body)
	}
}

func TestParseV1Time(t *testing.T) {
	tests := map[string]time.Time{
		"2016-08-14T02:08:58+0200":  time.Date(2016, 8, 14, 0, 8, 58, 0, time.UTC),
		"2025-04-01T00:01:01-0000":  time.Date(2025, 4, 1, 0, 1, 1, 0, time.UTC),
		"2016-08-14T02:08:58+02:00": time.Date(2016, 8, 14, 0, 8, 58, 0, time.UTC),
		"2016-08-14T02:08:58Z":      time.Date(2016, 8, 14, 2, 8, 58, 0, time.UTC),
		"2016-08-14T02:08:58":       time.Date(2016, 8, 14, 2, 8, 58, 0, time.UTC),
		"2016-08-14 02:08:58":       time.Date(2016, 8, 14, 2, 8, 58, 0, time.UTC),
		"":                          {},
	}
	for in, want := range tests {
		got, err := ParseV1Time(in)
		require.NoError(t, err, in)
		assert.True(t, want.Equal(got), "%s → %v", in, got)
	}
	_, err := ParseV1Time("14/08/2016")
	assert.Error(t, err)
	assert.Equal(t, "2016-08-14T02:08:58+0200", formatV1Time(time.Date(2016, 8, 14, 2, 8, 58, 0, time.FixedZone("", 7200))))
}

func TestProspectLegacyKeys(t *testing.T) {
	var p Prospect
	require.NoError(t, json.Unmarshal([]byte(`{"id":"4804","email":"erlich@bachman.com","last replied":"2016-08-19T02:08:58+0200",
		"snippet1":"Pied Piper board member","snipet1":"Pied Piper board member","snipet2":"no longer codes","snipper9":"x",
		"status":"REPLIED","campaigns_details":[{"campaign_id":1}]}`), &p))
	assert.Equal(t, int64(4804), p.ID)
	assert.Equal(t, map[int]string{1: "Pied Piper board member", 2: "no longer codes", 9: "x"}, p.Snippets)
	assert.Equal(t, time.Date(2016, 8, 19, 0, 8, 58, 0, time.UTC), p.LastReplied.UTC())
	assert.Contains(t, p.Extra, "campaigns_details")
	assert.NotContains(t, p.Extra, "snipet1")
}

// FuzzParseErrorBody: the three dialects never panic, and whatever parses
// decodes into an APIError that matches a category.
func FuzzParseErrorBody(f *testing.F) {
	for _, s := range errorBodySeeds {
		f.Add([]byte(s), 400)
		f.Add([]byte(s), 200)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		if status < 100 || status > 599 {
			status = 400
		}
		_, _ = ParseErrorBody(body)
		_ = classify(status, http.Header{}, body)
		e := &vendorkit.APIError{Vendor: vendorName, StatusCode: status, Path: "/rest/v1/prospects", Body: body}
		decodeError(e)
		if runtime.StatusCategory(status) != nil && e.Category() == nil {
			t.Fatalf("no category for %d %q", status, body)
		}
		if code, isErr := v1ErrorCode(body); isErr && status == 200 && code != "" && e.Category() == nil {
			t.Fatalf("a v1 ERROR with HTTP 200 must have a category: %q", body)
		}
		_ = e.Error()
	})
}

// FuzzV1ErrorCode: the search and the scan that rule bodies out agree with
// decoding every body that holds "status" in quotes, on error bodies, lists whose items have their own status, escaped
// or repeated keys and broken JSON alike.
func FuzzV1ErrorCode(f *testing.F) {
	for _, s := range errorBodySeeds {
		f.Add([]byte(s))
	}
	list, err := os.ReadFile("testdata/docs/list-campaigns-v1-helpcenter.json")
	require.NoError(f, err)
	f.Add(list)
	for _, s := range []string{
		`{"campaigns":[{"status":"RUNNING"}],"status":"ok"}`,
		`{"status":"x","status":{"status":"ERROR","code":"E_LAST"}}`,
		`{"status":{"status":"ERROR","code":"E_FIRST"}, "status":"x"}`,
		`{"st\u0061tus":{"status":"ERROR","code":"E_ESCAPED"},"status":1}`,
		`{"statüs":1,"status":{"status":"ERROR","code":"E_UTF8"}}`,
		`{"status":{"status":"ERROR","code":"E_TRAILING"}} x`,
		` {"status" : {"status":"ERROR","code":"E_SPACE"}} `,
		`{"Status":{"status":"ERROR","code":"E_CASE"}}`,
		`{"status":{"Status":"error","Code":" e_case "}}`,
		`{"a":"\"status\"","status":[{"status":"ERROR"}]}`,
		`{"st\u0061tus":{"st\u0061tus":"ERROR"},"xstatus\"":1}`,
		`status"`, `"status"`, `{"status"`, `xstatus"status"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		quoted := bytes.Contains(body, []byte(`"status"`))
		if quotedStatus(body) != quoted {
			t.Fatalf("quotedStatus(%q) = %v, bytes.Contains says %v", body, !quoted, quoted)
		}
		code, isErr := v1ErrorCode(body)
		wantCode, wantErr := "", false
		if quoted {
			wantCode, wantErr = v1ErrorCodeDecoded(body)
		}
		if code != wantCode || isErr != wantErr {
			t.Fatalf("v1ErrorCode(%q) = %q, %v; decoding says %q, %v", body, code, isErr, wantCode, wantErr)
		}
	})
}

// BenchmarkClassifyList: a v1 list page whose items each have a status is
// ruled out by its first byte, not decoded.
func BenchmarkClassifyList(b *testing.B) {
	item := `{"id":1234567,"name":"The best campaign ever","status":"COMPLETED","created":"2019-04-11T13:14:57+0200","from_name":"Erlich Bachman","per_day":50}`
	page := []byte("[" + strings.Repeat(item+",", 99) + item + "]")
	for _, c := range []struct {
		name     string
		classify func([]byte) (string, bool)
	}{{"scan", v1ErrorCode}, {"decode", v1ErrorCodeDecoded}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if _, isErr := c.classify(page); isErr {
					b.Fatal("a list page is no error")
				}
			}
		})
	}
}

// FuzzParseV1Time: dates never panic, and the documented form round-trips.
func FuzzParseV1Time(f *testing.F) {
	for _, s := range []string{"2016-08-14T02:08:58+0200", "2025-03-05 17:57:00", "2016-08-14T02:08:58Z", "", "garbage", "2016-13-45T99:99:99+9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseV1Time(s)
		if err != nil || tm.IsZero() {
			return
		}
		if tm.Year() < 0 || tm.Year() > 9999 {
			return
		}
		back, err := ParseV1Time(formatV1Time(tm))
		if err != nil || !back.Equal(tm.Truncate(time.Second)) {
			t.Fatalf("%q → %v → %q → %v, %v", s, tm, formatV1Time(tm), back, err)
		}
		_, _ = ParseTimestamp(s)
	})
}

// FuzzProspect: untrusted prospect JSON never panics and re-encodes.
func FuzzProspect(f *testing.F) {
	f.Add([]byte(`{"id":4804,"email":"erlich@bachman.com","snippet1":"a","snipet1":"a","last_contacted":"2016-08-14T02:08:58+0200"}`))
	f.Add([]byte(`{"id":"x","tags":null,"snippet_labels":{"snippet1":"Role"}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Prospect
		if json.Unmarshal(b, &p) != nil {
			return
		}
		if _, err := json.Marshal(p); err != nil {
			t.Fatalf("re-encoding %q: %v", b, err)
		}
	})
}

// FuzzV2Models: untrusted campaign, mailbox, domain and batch JSON never
// panics, and what decodes re-encodes (the models' MarshalJSON included).
func FuzzV2Models(f *testing.F) {
	f.Add([]byte(`{"id":1,"settings":{"open_disabled_list":["google.com"]},"steps":{"id":"b90637e7-8ccd-4df1-86a6-d07581abbf3e","type":"START","followup":{"id":"x","followup":null,"body":{"versions":[{"id":"2af5","subject":null,"signature":"SENDER","track_opens":true}]}}}}`))
	f.Add([]byte(`{"domain":"piedpiper.com","expires":"2027-06-24T10:00:00","created":"bad"}`))
	f.Add([]byte(`{"first_name":"R","smtp_password":"s","created":"2026-06-24T10:00:00","authenticator":null}`))
	f.Add([]byte(`{"processing_finished":true,"failed_mailboxes":[{"x":1}]}`))
	f.Add([]byte(`{"id":1,"type":"SMTP","details":{"error":null,"freeze_account":"","warmup_data":{"status":"RUNNING"}}}`))
	f.Add([]byte(`{"id":1,"created":"2025-02-10T13:14:57+0100","stats":{"a":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []any{&Campaign{}, &Domain{}, &DomainMailbox{}, &BatchSummary{}, &Mailbox{}, &CampaignSummary{}, &EmailAccount{}} {
			if json.Unmarshal(b, v) != nil {
				continue
			}
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("re-encoding %T from %q: %v", v, b, err)
			}
		}
	})
}

// FuzzPlainText checks plainText, the decoder-free fast path of rawString,
// against the json.Unmarshal calls it stands for, on every valid JSON value.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{`"a"`, `"Pied Piper"`, `"a\"b"`, `"\u00e9"`, "\"\xff\"", `"é"`, `12`, `-1.5e3`, `0`, ` 7 `,
		`true`, `null`, `{}`, `[1]`, `""`, "\"\t\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		if !json.Valid(v) {
			return
		}
		got, ok := plainText(v)
		if !ok {
			return
		}
		var s string
		if json.Unmarshal(v, &s) == nil {
			require.Equal(t, s, got, "string %q", v)
			return
		}
		var n json.Number
		require.NoError(t, json.Unmarshal(v, &n), "%q", v)
		require.Equal(t, n.String(), got, "number %q", v)
	})
}
