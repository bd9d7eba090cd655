package fidelity_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/internal/fidelity"
)

type account struct {
	ID      int64  `json:"id"`
	Email   string `json:"email,omitempty"`
	Active  bool   `json:"active,omitempty"`
	Details *struct {
		Provider string `json:"provider"`
	} `json:"details,omitempty"`
	Tags    []string  `json:"tags,omitempty"`
	Created time.Time `json:"created"`
	hidden  string
}

type flat struct {
	ID       int64  `json:"id"`
	Provider string `json:"provider"` // wrong: the example nests it under details
}

type embedded struct {
	account
	Extra string `json:"extra"`
}

func paths(ls []fidelity.Loss) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Path)
	}
	return out
}

func TestLost(t *testing.T) {
	example := `{"id": 7, "email": "a@b.co", "active": false, "details": {"provider": "GOOGLE"},
		"tags": ["x", "y"], "created": "2025-02-10T13:14:57+0100"}`
	var good account
	require.NoError(t, json.Unmarshal([]byte(`{"id":7,"email":"a@b.co","details":{"provider":"GOOGLE"},"tags":["x","y"]}`), &good))
	good.Created = time.Date(2025, 2, 10, 12, 14, 57, 0, time.UTC)

	for _, tc := range []struct {
		name    string
		example string
		typed   any
		opts    []fidelity.Option
		want    []string
	}{
		{"everything kept (false kept by an omitempty field; time as the same instant)", example, good, nil, nil},
		{"pointer to the value", example, &good, nil, nil},
		{"field nested elsewhere decodes to zero", `{"id": 7, "details": {"provider": "GOOGLE"}}`, flat{ID: 7}, nil, []string{"details"}},
		{"zero documented value without a typed field", `{"id": 7, "running": 0}`, flat{ID: 7}, nil, []string{"running"}},
		{"value decoded as zero", `{"id": 7, "email": "a@b.co"}`, account{ID: 7}, nil, []string{"email"}},
		{"different instant", `{"id": 7, "created": "2025-02-10T13:14:57+0100"}`, account{ID: 7, Created: time.Date(2025, 2, 10, 13, 14, 57, 0, time.UTC)}, nil, []string{"created"}},
		{"array shortened", `{"id": 1, "tags": ["x", "y"]}`, account{ID: 1, Tags: []string{"x"}}, nil, []string{"tags"}},
		{"array element", `[{"id": 1}, {"id": 2}]`, []account{{ID: 1}, {ID: 3}}, nil, []string{"[1].id"}},
		{"ignored subtree", `{"id": 7, "details": {"provider": "GOOGLE"}}`, flat{ID: 7}, []fidelity.Option{fidelity.Ignore("details.*")}, nil},
		{"ignored index pattern", `[{"id": 1, "x": 2}]`, []flat{{ID: 1}}, []fidelity.Option{fidelity.Ignore("[].x")}, nil},
		{"embedded struct is inlined", `{"id": 3, "extra": "e"}`, embedded{account: account{ID: 3}, Extra: "e"}, nil, nil},
		{"number types compare by value", `{"id": 7.0}`, flat{ID: 7}, nil, nil},
		{"unexported field is not a typed field", `{"hidden": "h"}`, account{hidden: "h"}, nil, []string{"hidden"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ls, err := fidelity.Lost([]byte(tc.example), tc.typed, tc.opts...)
			require.NoError(t, err)
			assert.Equal(t, tc.want, paths(ls), "%v", ls)
		})
	}
	_, err := fidelity.Lost([]byte(`{"a":`), flat{})
	assert.Error(t, err)
}

// rawTime keeps a value the way its own MarshalJSON writes it.
type rawTime struct{ s string }

func (r rawTime) MarshalJSON() ([]byte, error) { return json.Marshal(r.s) }

func TestLostUsesMarshalJSON(t *testing.T) {
	ls, err := fidelity.Lost([]byte(`{"at": "2016-08-14T02:08:58+0200"}`), map[string]rawTime{"at": {"2016-08-14T00:08:58Z"}})
	require.NoError(t, err)
	assert.Empty(t, ls)
}

func TestShape(t *testing.T) {
	example := `{"content": [
		{"id": 1, "type": "SMTP", "details": {"email": "a@b.co", "error": null, "imap_id": 2, "running_campaigns": 0, "ok": false}},
		{"id": 2, "type": "IMAP", "details": {"email": "a@b.co", "error": null}}
	], "empty": []}`
	for _, tc := range []struct {
		name   string
		answer string
		opts   []fidelity.Option
		want   []string
	}{
		{"same shape, other values", `{"content": [{"id": 9, "type": "SMTP", "details": {"email": "x", "error": "boom", "imap_id": 0, "running_campaigns": 4, "ok": true}}, {"id": 8, "type": "IMAP", "details": {"email": "y", "error": null}}], "empty": [1]}`, nil, nil},
		{"false omitted", `{"content": [{"id": 9, "type": "SMTP", "details": {"email": "x", "error": null, "imap_id": 0, "running_campaigns": 4}}], "empty": []}`, nil, []string{"content[0].details.ok"}},
		{"zero sent as string", `{"content": [{"id": 9, "type": "SMTP", "details": {"email": "x", "error": null, "imap_id": "0", "running_campaigns": 4, "ok": false}}], "empty": []}`, nil, []string{"content[0].details.imap_id"}},
		{"fields at the wrong level", `{"content": [{"id": 9, "type": "IMAP", "email": "x", "error": null}], "empty": []}`, nil, []string{"content[0].details"}},
		{"bare array instead of envelope", `[]`, nil, []string{"(root)"}},
		{"extra key allowed by default", `{"content": [], "empty": [], "more": 1}`, nil, nil},
		{"extra key reported on request", `{"content": [], "empty": [], "more": 1}`, []fidelity.Option{fidelity.NoExtraKeys()}, []string{"more"}},
		{"ignored", `{"content": [{"id": 9, "type": "IMAP", "details": {"email": "y"}}], "empty": []}`, []fidelity.Option{fidelity.Ignore("content[].details.error")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := fidelity.Shape([]byte(example), []byte(tc.answer), tc.opts...)
			require.NoError(t, err)
			var got []string
			for _, m := range ms {
				got = append(got, m.Path)
			}
			assert.Equal(t, tc.want, got, "%v", ms)
		})
	}
	_, err := fidelity.Shape([]byte(`{}`), []byte(`{} {}`))
	assert.Error(t, err)
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	write("a.json", `{"id": 1}`)
	write("SOURCES.md", "# Sources\n\n| file | kind | operation | status | source |\n|---|---|---|---|---|\n| `a.json` | response | GetThing | 200 | https://example.com/docs/a |\n")
	exs, err := fidelity.Load(dir)
	require.NoError(t, err)
	require.Len(t, exs, 1)
	assert.Equal(t, fidelity.Example{File: "a.json", Kind: "response", Operation: "GetThing", Status: "200", Source: "https://example.com/docs/a", Body: []byte(`{"id": 1}`)}, exs[0])

	write("b.json", `{}`)
	_, err = fidelity.Load(dir)
	assert.ErrorContains(t, err, "b.json has no row")

	write("SOURCES.md", "| b.json | reply | X | | https://e.com |\n| a.json | response | X | | https://e.com |\n")
	_, err = fidelity.Load(dir)
	assert.ErrorContains(t, err, "kind")
	write("SOURCES.md", "| b.json | response | X | | e.com |\n| a.json | response | X | | https://e.com |\n")
	_, err = fidelity.Load(dir)
	assert.ErrorContains(t, err, "not a URL")
	write("SOURCES.md", "| b.json | response | X | | https://e.com |\n| a.json | response | X | | https://e.com |\n| c.json | response | X | | https://e.com |\n")
	_, err = fidelity.Load(dir)
	assert.Error(t, err)
}

// FuzzShape: any pair of inputs gives mismatches or an error, never a panic,
// and a JSON value always has its own shape.
func FuzzShape(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":null}],"c":false}`), []byte(`{"a":[],"c":true}`))
	f.Add([]byte(`[]`), []byte(`null`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		_, _ = fidelity.Shape(a, b)
		if ms, err := fidelity.Shape(a, a); err == nil {
			assert.Empty(t, ms)
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(a))
		d.UseNumber()
		if d.Decode(&v) == nil && !d.More() {
			ls, err := fidelity.Lost(a, v)
			require.NoError(t, err)
			assert.Empty(t, ls)
		}
	})
}
