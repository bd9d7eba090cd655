package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/examples/asynq/adapter"
	"github.com/vendorkit/vendorkit/redislimit"
)

// Queue is the Asynq queue the example uses.
const Queue = "default"

// Limiters says where a worker's rate limits live.
type Limiters string

// The limiters.
const (
	// Shared: in Redis, for the whole fleet (package redislimit).
	Shared Limiters = "redis"
	// Local: in each process, vendorkit's default — a fleet of N processes
	// sends N times a vendor's limit; for comparison only.
	Local Limiters = "local"
)

// limiterOption returns the vendorkit option that puts the limiters where
// l says: for Shared, a redislimit factory on rdb, so every process of the
// fleet paces each credential's requests together, and a pause one of them
// sees (a 429's Retry-After) holds for all. A pause longer than
// maxRetryAfter is not slept on: calls fail at once with ErrRateLimited and
// RetryAfter, and the task goes back to the queue.
func limiterOption(l Limiters, rdb redis.UniversalClient, maxRetryAfter time.Duration, log *slog.Logger) (vendorkit.Option, error) {
	switch l {
	case Shared, "":
		f, err := redislimit.New(rdb, redislimit.WithMaxPause(maxRetryAfter), redislimit.WithLogger(log))
		if err != nil {
			return nil, err
		}
		return vendorkit.WithLimiterFactory(f.Limiter), nil
	case Local:
		return nil, nil // nil: the kit's in-process limiters
	}
	return nil, errors.New("jobs: unknown limiters " + string(l) + ` (want "redis" or "local")`)
}

// Config is a worker process's configuration.
type Config struct {
	// Redis is the Redis of the queue and of the shared limits.
	Redis redis.UniversalClient
	// Tenants are the tenants by name (LoadTenants).
	Tenants map[string]Tenant
	// Concurrency is the number of tasks run at once (default 10).
	Concurrency int
	// ShutdownTimeout is how long a stopping worker lets its running tasks
	// finish before Asynq puts them back in the queue (default 8 s).
	ShutdownTimeout time.Duration
	// DeskwootPerMinute is the tenants' Deskwoot limit (0: 60/min).
	DeskwootPerMinute int
	// MaxRetryAfter is the longest vendor pause slept on in a task
	// (default DefaultMaxRetryAfter); longer ones reschedule the task.
	MaxRetryAfter time.Duration
	// Limiters is where the rate limits live (default Shared).
	Limiters Limiters
	// OnStart is called when a task starts and Observe with its decision
	// when it ends, for metrics (nil: nothing).
	OnStart func(ctx context.Context, t *asynq.Task)
	Observe adapter.Observer
	// Logger gets the worker's logs (nil: none).
	Logger *slog.Logger
}

// DefaultMaxRetryAfter is the longest Retry-After (or pause of a shared
// limiter) a worker's client sleeps on inside a task: a second, because
// Asynq schedules retries in whole seconds and could not bring the task
// back sooner. A longer one makes the call return at once with
// ErrRateLimited and RetryAfter, and the task goes back to the queue until
// then: no worker slot sleeps on a long pause.
const DefaultMaxRetryAfter = time.Second

// Run runs a worker until ctx is done (the worker binary cancels it on
// SIGTERM or SIGINT), then shuts it down gracefully: it takes no new task,
// lets running ones finish for ShutdownTimeout, and puts back in the queue
// those that did not — a task is never lost, and a task stopped during a
// write is safe to run again (see SyncConversation).
func Run(ctx context.Context, cfg Config) error {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	maxRetryAfter := cmp.Or(cfg.MaxRetryAfter, DefaultMaxRetryAfter)
	limits, err := limiterOption(cfg.Limiters, cfg.Redis, maxRetryAfter, log)
	if err != nil {
		return err
	}
	kit, err := vendorkit.New(
		vendorkit.WithRetry(vendorkit.RetryPolicy{MaxRetryAfter: maxRetryAfter}),
		vendorkit.WithLogger(log),
		limits,
	)
	if err != nil {
		return err
	}
	enqueuer := asynq.NewClientFromRedisClient(cfg.Redis)
	h := &Handler{Kit: kit, Tenants: cfg.Tenants, Enqueuer: enqueuer, DeskwootPerMinute: cfg.DeskwootPerMinute}

	concurrency := cfg.Concurrency
	if concurrency <= 0 {
		concurrency = 10
	}
	srv := asynq.NewServerFromRedisClient(cfg.Redis, adapter.Config(asynq.Config{
		Concurrency:     concurrency,
		Queues:          map[string]int{Queue: 1},
		ShutdownTimeout: cfg.ShutdownTimeout,
		Logger:          asynqLogger{log},
		LogLevel:        asynq.WarnLevel,
		ErrorHandler: asynq.ErrorHandlerFunc(func(_ context.Context, t *asynq.Task, err error) {
			var giveUp *adapter.GiveUpError
			if errors.As(err, &giveUp) {
				log.Warn("task given up", "type", t.Type(), "reason", giveUp.Reason)
			}
		}),
	}))
	var run asynq.Handler = h.Mux()
	if cfg.OnStart != nil {
		mux := run
		run = asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
			cfg.OnStart(ctx, t)
			return mux.ProcessTask(ctx, t)
		})
	}
	if err := srv.Start(adapter.Wrap(run, cfg.Observe)); err != nil {
		return err
	}
	<-ctx.Done()
	srv.Shutdown()
	return nil
}

// asynqLogger sends Asynq's logs to slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(sprint(args)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(sprint(args)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(sprint(args)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(sprint(args)) }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(sprint(args)) }

func sprint(args []any) string { return fmt.Sprint(args...) }
