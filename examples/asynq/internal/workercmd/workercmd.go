// Package workercmd is the worker binary's main, shared by cmd/worker and
// the fleet runner (which starts itself as workers).
package workercmd

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os/signal"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vendorkit/vendorkit/examples/asynq/internal/fleet"
	"github.com/vendorkit/vendorkit/examples/asynq/jobs"
)

// Main parses args and runs a worker until SIGTERM or SIGINT, then stops it
// gracefully (see jobs.Run).
func Main(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("redis", "127.0.0.1:6379", "Redis address (host:port) of the queue and the shared limits")
	tenantsPath := fs.String("tenants", "", "JSON file of the tenants and their tokens (required)")
	concurrency := fs.Int("concurrency", 10, "tasks run at once")
	shutdown := fs.Duration("shutdown-timeout", 8*time.Second, "on SIGTERM, how long running tasks may finish before they go back to the queue")
	maxRetryAfter := fs.Duration("max-retry-after", jobs.DefaultMaxRetryAfter, "the longest vendor pause slept on in a task; a longer one reschedules the task at the vendor's time")
	perMinute := fs.Int("deskwoot-per-minute", 0, "the tenants' Deskwoot limit (0: Deskwoot's 60/min)")
	limiters := fs.String("limiters", string(jobs.Shared), `where rate limits live: "redis" (the fleet's) or "local" (each process's; for comparison)`)
	stats := fs.Bool("fleet-stats", false, "count task runs and decisions in Redis (for cmd/fleet)")
	verbose := fs.Bool("v", false, "log at Info level (default Warn)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tenantsPath == "" {
		return errors.New("-tenants is required")
	}
	tenants, err := jobs.LoadTenants(*tenantsPath)
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	rdb := redis.NewClient(&redis.Options{Addr: *addr})
	defer func() { _ = rdb.Close() }()
	cfg := jobs.Config{Redis: rdb, Tenants: tenants, Concurrency: *concurrency, ShutdownTimeout: *shutdown, MaxRetryAfter: *maxRetryAfter,
		DeskwootPerMinute: *perMinute, Limiters: jobs.Limiters(*limiters), Logger: log}
	if *stats {
		s := fleet.Stats{Redis: rdb}
		cfg.OnStart, cfg.Observe = s.OnStart, s.Observe
	}
	log.Info("worker started", "tenants", len(tenants), "concurrency", *concurrency, "limiters", *limiters)
	err = jobs.Run(ctx, cfg)
	log.Info("worker stopped")
	return err
}
