package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDemo runs the server against the four fakes: every delivery is
// answered 2xx, each vendor's typed events are logged, and the Qwoty
// redelivery is skipped as a duplicate.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	res, err := demo(context.Background(), &out)
	require.NoError(t, err)
	assert.Equal(t, res.deliveries, res.delivered, out.String())
	assert.GreaterOrEqual(t, res.deliveries, 6)
	log := out.String()
	for _, want := range []string{
		`msg="woofed contact created" id=1 name=Lorena`,
		`msg="woofed deal created" id=1 name=Website`,
		`msg="woodpecker prospect_saved" prospect=erlich@example.com`,
		`msg="woodpecker prospect_saved" prospect=monica@example.com`,
		`msg="deskwoot contact created"`,
		`msg="qwoty quote.signed"`,
		`msg="webhook duplicate skipped" vendor=qwoty`,
	} {
		assert.Contains(t, log, want)
	}
	assert.Equal(t, 1, strings.Count(log, `msg="qwoty quote.signed"`), "handled once")
	assert.NotContains(t, log, "woofed-path-secret")
	assert.NotContains(t, log, "woodpecker-path-secret")
}

// TestMuxRefuses: wrong secrets and unsigned deliveries never reach the
// functions; unmounted vendors are 404.
func TestMuxRefuses(t *testing.T) {
	var logs bytes.Buffer
	h := NewMux(Secrets{Woofed: "a", Woodpecker: "b", Deskwoot: "c"}, slog.New(slog.NewTextHandler(&logs, nil)))
	for target, want := range map[string]int{
		"/hooks/woofed/x":     401,
		"/hooks/woodpecker/a": 401,
		"/hooks/deskwoot":     401,
		"/hooks/qwoty":        404,
	} {
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(`{"event":"contact_created","data":{"id":1}}`))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		assert.Equal(t, want, w.Code, target)
	}
	assert.NotContains(t, logs.String(), "created", "no event was handled")
}
