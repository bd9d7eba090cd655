package adapter_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/examples/asynq/adapter"
	"github.com/vendorkit/vendorkit/queue"
)

func TestWrap(t *testing.T) {
	rateLimited := &vendorkit.APIError{Vendor: "deskwoot", StatusCode: 429, RetryAfter: 3 * time.Second}
	tests := []struct {
		name      string
		err       error
		action    queue.Action
		skip      bool // Asynq archives it (SkipRetry)
		retryAt   bool // *RetryAtError, not a failure
		failure   bool
		reasonHas string
	}{
		{"success", nil, queue.Done, false, false, false, ""},
		{"rate limited with Retry-After", fmt.Errorf("sync: %w", rateLimited), queue.RetryAt, false, true, false, "retry at"},
		{"revoked token", &vendorkit.APIError{Vendor: "deskwoot", StatusCode: 401}, queue.GiveUp, true, false, true, "gave up (unauthorized"},
		{"forbidden", &vendorkit.APIError{Vendor: "deskwoot", StatusCode: 403}, queue.GiveUp, true, false, true, "gave up (forbidden"},
		{"invalid argument", fmt.Errorf("woofed: %w", vendorkit.ErrInvalidArgument), queue.GiveUp, true, false, true, "gave up (invalid argument"},
		{"5xx", &vendorkit.APIError{Vendor: "woofed", StatusCode: 502}, queue.Retry, false, false, true, "502"},
		{"the handler's own SkipRetry", fmt.Errorf("bad payload: %w", asynq.SkipRetry), queue.GiveUp, true, false, true, "bad payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []queue.Decision
			h := adapter.Wrap(asynq.HandlerFunc(func(context.Context, *asynq.Task) error { return tt.err }),
				func(_ context.Context, _ *asynq.Task, d queue.Decision) { got = append(got, d) })
			start := time.Now()
			err := h.ProcessTask(context.Background(), asynq.NewTask("x", nil))
			require.Len(t, got, 1)
			assert.Equal(t, tt.action, got[0].Action)
			if tt.err == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.err, "the cause stays wrapped")
			assert.Equal(t, tt.skip, errors.Is(err, asynq.SkipRetry))
			assert.Equal(t, tt.failure, adapter.IsFailure(err))
			assert.Contains(t, err.Error(), tt.reasonHas)
			var ra *adapter.RetryAtError
			assert.Equal(t, tt.retryAt, errors.As(err, &ra))
			d := adapter.RetryDelay(5, err, nil)
			if tt.retryAt {
				due := time.Now().Add(d) // as Asynq computes it, and keeps it: in whole seconds, rounded down
				assert.False(t, time.Unix(due.Unix(), 0).Before(start.Add(3*time.Second)), "never before the vendor's time")
				assert.Less(t, due.Sub(start), 4*time.Second, "within the second after it")
			} else {
				assert.LessOrEqual(t, d, 32*time.Second, "backoff")
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	for n := range 20 {
		d := adapter.Backoff(n)
		assert.Positive(t, d)
		assert.LessOrEqual(t, d, min(5*time.Minute, time.Second<<min(n, 30)))
	}
}

func TestConfig(t *testing.T) {
	cfg := adapter.Config(asynq.Config{Concurrency: 3})
	assert.Equal(t, 3, cfg.Concurrency)
	assert.NotNil(t, cfg.RetryDelayFunc)
	assert.NotNil(t, cfg.IsFailure)
	assert.Equal(t, 100*time.Millisecond, cfg.DelayedTaskCheckInterval)
	kept := adapter.Config(asynq.Config{DelayedTaskCheckInterval: time.Second})
	assert.Equal(t, time.Second, kept.DelayedTaskCheckInterval)
}
