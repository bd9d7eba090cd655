package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorkerPrintsTracesAndMetrics(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()
	assert.Contains(t, s, `"Name": "woofed.GetContact"`)
	assert.Equal(t, 3+4, strings.Count(s, `"Name": "GET"`), "three Woofed attempts, four Deskwoot ones")
	assert.Contains(t, s, `"Name": "rate_limited"`)
	assert.Contains(t, s, `"Name": "retry_wait"`)
	assert.Contains(t, s, `"Name": "limiter_wait"`)
	for _, m := range []string{"vendorkit.calls", "vendorkit.attempts", "vendorkit.retries", "vendorkit.rate_limited",
		"vendorkit.retry.wait", "vendorkit.limiter.wait", "vendorkit.call.duration", "vendorkit.calls.in_flight", "vendorkit.retry_budget"} {
		assert.Contains(t, s, `"Name": "`+m+`"`)
	}
	assert.NotContains(t, s, "woofed-test-token")
}
