package main

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestRun: the tenants that were not refused finish every job under their
// shared limits without one 429; the refused tenant's jobs are rescheduled
// (none failed, none retried in a loop), and nothing is lost.
func TestRun(t *testing.T) {
	res, err := run(context.Background(), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 20, res.done["acme"])
	assert.Equal(t, 20, res.done["globex"])
	assert.Zero(t, res.rescheduled["acme"]+res.rescheduled["globex"])
	assert.Positive(t, res.rescheduled["initech"])
	assert.Equal(t, 20, res.done["initech"]+res.rescheduled["initech"], "every job done or rescheduled")
	assert.Zero(t, res.refused, "client pacing kept every tenant under the fake's limit")
}
