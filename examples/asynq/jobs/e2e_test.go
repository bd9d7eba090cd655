package jobs_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/examples/asynq/internal/fleet"
	"github.com/vendorkit/vendorkit/examples/asynq/internal/redisserver"
	"github.com/vendorkit/vendorkit/examples/asynq/jobs"
	"github.com/vendorkit/vendorkit/queue"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// startRedis starts a redis-server for the test. It never skips: CI
// installs redis-server (.ci/run).
func startRedis(t *testing.T) redis.UniversalClient {
	t.Helper()
	srv, err := redisserver.Start(context.Background())
	require.NoError(t, err)
	t.Cleanup(srv.Stop)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// worker runs jobs.Run until its stop function is called, which returns
// once the worker has shut down (as after SIGTERM).
func worker(t *testing.T, cfg jobs.Config) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- jobs.Run(ctx, cfg) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				assert.NoError(t, err)
			case <-time.After(15 * time.Second):
				t.Error("worker did not shut down")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// decisions records the decisions of a worker, by tenant.
type decisions struct {
	mu     sync.Mutex
	log    []decided
	starts map[string][]time.Time // by payload
}

func (d *decisions) start(_ context.Context, t *asynq.Task) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.starts == nil {
		d.starts = map[string][]time.Time{}
	}
	d.starts[string(t.Payload())] = append(d.starts[string(t.Payload())], time.Now())
}

// nextStart is the first start of task after t.
func (d *decisions) nextStart(task string, t time.Time) (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, s := range d.starts[task] {
		if s.After(t) {
			return s, true
		}
	}
	return time.Time{}, false
}

type decided struct {
	task     string
	decision queue.Decision
	when     time.Time
}

func (d *decisions) observe(_ context.Context, t *asynq.Task, dec queue.Decision) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.log = append(d.log, decided{task: string(t.Payload()), decision: dec, when: time.Now()})
}

func (d *decisions) of(tenant string, action queue.Action) []decided {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []decided
	for _, x := range d.log {
		if strings.Contains(x.task, `"tenant":"`+tenant+`"`) && x.decision.Action == action {
			out = append(out, x)
		}
	}
	return out
}

// drained waits until the queue has nothing left to run: no task pending,
// running, scheduled or waiting for a retry.
func drained(t *testing.T, insp *asynq.Inspector, timeout time.Duration) {
	t.Helper()
	require.Eventually(t, func() bool {
		q, err := insp.GetQueueInfo(jobs.Queue)
		return err == nil && q.Pending+q.Active+q.Scheduled+q.Retry == 0
	}, timeout, 50*time.Millisecond)
}

// TestEndToEnd runs the sync on a real Redis and the vendor fakes:
//   - "limited": Deskwoot answers its first conversation read with 429 and
//     Retry-After: 2; its tasks go back to the queue and complete after the
//     pause, none of them sleeping in a worker slot;
//   - "revoked": its Deskwoot token is revoked; its tasks are archived with
//     the reason, not retried;
//   - "healthy": Woofed cuts the answer of its first deal creations (the
//     deal is created, the worker cannot know) and answers slowly; the
//     worker is stopped (as by SIGTERM) while tasks run, and another one
//     takes over.
//
// Every conversation of "limited" and "healthy" ends with exactly one deal
// and one contact: no task lost, no write duplicated.
func TestEndToEnd(t *testing.T) {
	rdb := startRedis(t)
	fakes := fleet.StartFakes(t, fleet.FakesConfig{Tenants: []string{"healthy", "limited", "revoked"}, Conversations: 8,
		DeskwootPerMinute: 6000, DeskwootBurst: 100})
	insp := asynq.NewInspectorFromRedisClient(rdb)
	enq := asynq.NewClientFromRedisClient(rdb)

	// The tenants' listings go through the queue; "revoked"'s conversations
	// were enqueued before its token was revoked.
	for _, name := range []string{"healthy", "limited"} {
		_, err := enq.Enqueue(jobs.NewSyncTenantTask(name))
		require.NoError(t, err)
	}
	for _, id := range fakes.Conversations["revoked"] {
		_, err := enq.Enqueue(jobs.NewSyncConversationTask("revoked", id))
		require.NoError(t, err)
	}
	fakes.Deskwoot.RevokeToken(fakes.Tenants["revoked"].DeskwootToken)

	fakes.Deskwoot.Inject(vendorkittest.Fault{Match: fakes.GetConversation("limited"), Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"2"}, "Content-Type": {"application/json"}},
		Body:   []byte(`{"error":"Rate limit exceeded: 60 requests per minute per token"}`)})
	healthyCRM := fakes.Woofed["healthy"]
	healthyCRM.Inject(vendorkittest.Fault{Times: 2, Truncate: true,
		Match: func(r *http.Request) bool {
			return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/deals")
		}})
	healthyCRM.Inject(vendorkittest.Fault{Times: -1, Delay: 150 * time.Millisecond})

	var seen decisions
	cfg := jobs.Config{Redis: rdb, Tenants: fakes.Tenants, Concurrency: 4, ShutdownTimeout: 200 * time.Millisecond,
		DeskwootPerMinute: 6000, Limiters: jobs.Shared, Observe: seen.observe, OnStart: seen.start}

	// The first worker is stopped while it runs tasks.
	stopFirst := worker(t, cfg)
	var running []*asynq.TaskInfo
	require.Eventually(t, func() bool {
		running = running[:0]
		for _, info := range mustList(t, insp.ListActiveTasks) {
			if strings.Contains(string(info.Payload), `"tenant":"healthy","conversation_id"`) {
				running = append(running, info)
			}
		}
		return len(running) > 0 && len(seen.of("healthy", queue.Done)) > 0
	}, 10*time.Second, 5*time.Millisecond, "healthy's conversations run")
	stopFirst()
	requeued := 0
	for _, r := range running {
		info, err := insp.GetTaskInfo(jobs.Queue, r.ID)
		require.NoError(t, err, "a task running at the stop is still known")
		assert.Contains(t, []asynq.TaskState{asynq.TaskStatePending, asynq.TaskStateCompleted, asynq.TaskStateRetry}, info.State,
			"a task running at the stop finished, or went back to the queue")
		if info.State == asynq.TaskStatePending {
			requeued++
		}
	}
	assert.Positive(t, requeued, "tasks cut short by the stop went back to the queue")
	t.Logf("stopped with %d tasks running: %d back in the queue", len(running), requeued)

	// A second worker takes over.
	worker(t, cfg)
	drained(t, insp, 40*time.Second)

	for _, name := range []string{"healthy", "limited"} {
		o := fakes.Check(name)
		assert.Equal(t, len(fakes.Conversations[name]), o.Synced, "%s: every conversation has its deal", name)
		assert.Empty(t, o.Missing, "%s: lost", name)
		assert.Zero(t, o.Duplicates, "%s: duplicated writes", name)
	}
	assert.GreaterOrEqual(t, len(seen.of("healthy", queue.Retry)), 2,
		"the deals whose answers were cut were retried (and found, not created again)")

	// "limited" was rescheduled at the vendor's time and completed after it.
	refusedAt := firstRefusal(fakes)
	require.False(t, refusedAt.IsZero(), "the 429 was served")
	rescheduled := seen.of("limited", queue.RetryAt)
	require.NotEmpty(t, rescheduled)
	for _, r := range rescheduled {
		assert.WithinDuration(t, refusedAt.Add(2*time.Second), r.decision.At, 300*time.Millisecond,
			"rescheduled at the end of the vendor's pause")
		assert.False(t, r.decision.Failure())
		// Asynq keeps retry times in whole seconds: the task is due at the
		// first whole second after At, and starts within the next
		// DelayedTaskCheckInterval (100 ms) with a short queue like this one.
		next, ok := seen.nextStart(r.task, r.when)
		require.True(t, ok, "the rescheduled task ran again")
		assert.False(t, next.Before(r.decision.At), "not before the vendor's time")
		assert.Less(t, next.Sub(r.decision.At), 2*time.Second, "soon after it")
	}
	done := seen.of("limited", queue.Done)
	assert.Len(t, done, len(fakes.Conversations["limited"])+1, "its listing and every conversation completed")
	for _, d := range done {
		if strings.Contains(d.task, "conversation_id") {
			assert.False(t, d.when.Before(refusedAt.Add(2*time.Second)), "completed after the Retry-After")
		}
	}

	// "revoked" stopped at once, with the reason recorded on each task.
	archived := mustList(t, insp.ListArchivedTasks)
	require.Len(t, archived, len(fakes.Conversations["revoked"]))
	for _, info := range archived {
		assert.Contains(t, string(info.Payload), `"tenant":"revoked"`)
		assert.Zero(t, info.Retried, "not retried")
		assert.Contains(t, info.LastErr, "gave up (unauthorized: the credential is missing, wrong or revoked)")
		assert.NotContains(t, info.LastErr, fakes.Tenants["revoked"].DeskwootToken)
	}
	assert.Len(t, seen.of("revoked", queue.GiveUp), len(fakes.Conversations["revoked"]))

	// Nothing lost: every conversation task is completed or archived.
	completed := mustList(t, insp.ListCompletedTasks)
	assert.Len(t, completed, len(fakes.Conversations["healthy"])+len(fakes.Conversations["limited"])+2, "+ the two listings")
}

func mustList(t *testing.T, list func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error)) []*asynq.TaskInfo {
	t.Helper()
	infos, err := list(jobs.Queue, asynq.PageSize(1000))
	require.NoError(t, err)
	return infos
}

// firstRefusal is when the Deskwoot fake answered "limited"'s first
// conversation read (with the injected 429).
func firstRefusal(f *fleet.Fakes) time.Time {
	match := f.GetConversation("limited")
	for _, r := range f.Deskwoot.Requests() {
		if match(&http.Request{Method: r.Method, URL: &url.URL{Path: r.Path}, Header: r.Header}) {
			return r.Time
		}
	}
	return time.Time{}
}
