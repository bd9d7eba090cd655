// Package adapter carries package queue's decisions into Asynq: a task the
// vendor asked to come back later is retried by the queue at exactly that
// time (not slept on in a worker slot, and not counted as a failure); a
// transient failure is retried with backoff; a permanent one is archived at
// once with its reason (asynq.SkipRetry).
//
//	srv := asynq.NewServerFromRedisClient(rdb, adapter.Config(asynq.Config{Concurrency: 10}))
//	mux := asynq.NewServeMux()
//	mux.Handle("sync", adapter.Wrap(asynq.HandlerFunc(sync), nil))
//
// It is a few lines on purpose: copy it next to your own handlers, or write
// the same for another queue.
package adapter

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/hibiken/asynq"

	"github.com/vendorkit/vendorkit/queue"
)

// Observer is told the decision taken on every task run (Done included), for
// logs and metrics. It must be safe for concurrent use.
type Observer func(ctx context.Context, t *asynq.Task, d queue.Decision)

// RetryAtError is what a wrapped handler returns when the vendor said when
// to come back: RetryDelay reads At from it, IsFailure does not count it.
// Asynq records its text as the task's last error.
type RetryAtError struct {
	At     time.Time
	Reason string
	Err    error
}

func (e *RetryAtError) Error() string {
	return fmt.Sprintf("retry at %s (%s): %v", e.At.UTC().Format(time.RFC3339Nano), e.Reason, e.Err)
}

func (e *RetryAtError) Unwrap() error { return e.Err }

// GiveUpError is what a wrapped handler returns for a permanent failure: it
// matches asynq.SkipRetry, so Asynq archives the task at once, with this
// error's text — the reason first — as the task's last error.
type GiveUpError struct {
	Reason string
	Err    error
}

func (e *GiveUpError) Error() string { return fmt.Sprintf("gave up (%s): %v", e.Reason, e.Err) }

// Unwrap returns the cause and asynq.SkipRetry.
func (e *GiveUpError) Unwrap() []error { return []error{e.Err, asynq.SkipRetry} }

// Wrap returns h with its error mapped by queue.Decide: nil for Done, a
// *RetryAtError for RetryAt, the error itself for Retry, a *GiveUpError for
// GiveUp. An error that already matches asynq.SkipRetry or asynq.RevokeTask
// is the handler's own decision and is returned as it is. observe, when not
// nil, is told every decision.
func Wrap(h asynq.Handler, observe Observer) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		err := h.ProcessTask(ctx, t)
		d := queue.Decide(err)
		if errors.Is(err, asynq.SkipRetry) && d.Action != queue.GiveUp {
			d = queue.Decision{Action: queue.GiveUp, Reason: "the handler skipped retries", Err: err}
		}
		if observe != nil {
			observe(ctx, t, d)
		}
		switch {
		case d.Action == queue.Done:
			return nil
		case errors.Is(err, asynq.SkipRetry), errors.Is(err, asynq.RevokeTask):
			return err
		case d.Action == queue.RetryAt:
			return &RetryAtError{At: d.At, Reason: d.Reason, Err: err}
		case d.Action == queue.GiveUp:
			return &GiveUpError{Reason: d.Reason, Err: err}
		}
		return err
	})
}

// RetryDelay is an asynq.RetryDelayFunc: the time left until a
// *RetryAtError's At, rounded up to a whole second, else Backoff(n).
//
// Asynq keeps the time of a retry in whole Unix seconds, rounded down, and
// runs the task once that second has begun: a delay to At itself would run
// it up to a second early, to be refused again (the client knows the
// vendor's pause is still on) and rescheduled in a tight loop. Rounded up,
// the task runs at the first whole second after At (plus the 100 ms of
// Config's DelayedTaskCheckInterval at most).
func RetryDelay(n int, err error, _ *asynq.Task) time.Duration {
	var ra *RetryAtError
	if errors.As(err, &ra) {
		at := ra.At.Truncate(time.Second)
		if at.Before(ra.At) {
			at = at.Add(time.Second)
		}
		return max(0, time.Until(at))
	}
	return Backoff(n)
}

// Backoff is the wait before retry n (0-based) of a transient failure: full
// jitter over min(5 min, 1 s × 2^n). Asynq's default (n⁴ + 15 s + jitter)
// would leave a task that lost a race with a pause waiting 15 s or more.
func Backoff(n int) time.Duration {
	limit := 5 * time.Minute
	if n < 9 {
		limit = min(limit, time.Second<<n)
	}
	return time.Duration(rand.Int64N(int64(limit)) + 1)
}

// IsFailure is Asynq's Config.IsFailure: a task the vendor asked to come
// back later (a *RetryAtError) has not failed, so its retry count and the
// queue's error rate stay as they are.
func IsFailure(err error) bool {
	var ra *RetryAtError
	return err != nil && !errors.As(err, &ra)
}

// Config returns cfg with RetryDelayFunc and IsFailure set, and the intervals
// at which Asynq looks for due retries (DelayedTaskCheckInterval) and for
// new tasks in an empty queue (TaskCheckInterval) shortened to 100 ms and
// 250 ms when unset, so a task rescheduled at a vendor's time starts within
// a fraction of a second of it (Asynq's defaults, 5 s and 1 s, would add up
// to 6 s). Each costs a small Redis command per interval per process.
func Config(cfg asynq.Config) asynq.Config {
	cfg.RetryDelayFunc = RetryDelay
	cfg.IsFailure = IsFailure
	if cfg.DelayedTaskCheckInterval == 0 {
		cfg.DelayedTaskCheckInterval = 100 * time.Millisecond
	}
	if cfg.TaskCheckInterval == 0 {
		cfg.TaskCheckInterval = 250 * time.Millisecond
	}
	return cfg
}
