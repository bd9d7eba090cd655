package workercmd_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/examples/asynq/internal/fleet"
	"github.com/vendorkit/vendorkit/examples/asynq/internal/redisserver"
	"github.com/vendorkit/vendorkit/examples/asynq/internal/workercmd"
	"github.com/vendorkit/vendorkit/examples/asynq/jobs"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

// TestMain runs the worker binary's main when the test starts itself as a
// worker process.
func TestMain(m *testing.M) {
	if os.Getenv("WORKERCMD_TEST_WORKER") == "1" {
		if err := workercmd.Main(os.Args[1:], os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// worker starts this test binary as a worker process.
func worker(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "WORKERCMD_TEST_WORKER=1")
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd
}

// A worker process stopped by SIGTERM while it runs tasks exits cleanly
// and puts them back in the queue; a second process finishes them, and
// every conversation ends with exactly one deal.
func TestSIGTERMLosesNoTask(t *testing.T) {
	rs, err := redisserver.Start(context.Background())
	require.NoError(t, err)
	t.Cleanup(rs.Stop)
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr})
	t.Cleanup(func() { _ = rdb.Close() })

	fakes := fleet.StartFakes(t, fleet.FakesConfig{Tenants: []string{"acme"}, Conversations: 12, DeskwootPerMinute: 6000, DeskwootBurst: 100})
	fakes.Woofed["acme"].Inject(vendorkittest.Fault{Times: -1, Delay: 200 * time.Millisecond}) // tasks take ~1 s
	tenants := filepath.Join(t.TempDir(), "tenants.json")
	require.NoError(t, fakes.WriteTenants(tenants))
	enq := asynq.NewClientFromRedisClient(rdb)
	for _, id := range fakes.Conversations["acme"] {
		_, err := enq.Enqueue(jobs.NewSyncConversationTask("acme", id))
		require.NoError(t, err)
	}
	args := []string{"-redis", rs.Addr, "-tenants", tenants, "-concurrency", "4", "-deskwoot-per-minute", "6000", "-shutdown-timeout", "300ms"}
	insp := asynq.NewInspectorFromRedisClient(rdb)

	first := worker(t, args...)
	var running []*asynq.TaskInfo
	require.Eventually(t, func() bool {
		running, err = insp.ListActiveTasks(jobs.Queue)
		return err == nil && len(running) > 0
	}, 20*time.Second, 10*time.Millisecond)
	require.NoError(t, first.Process.Signal(syscall.SIGTERM))
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	select {
	case err := <-exited:
		require.NoError(t, err, "the worker exits cleanly on SIGTERM")
	case <-time.After(15 * time.Second):
		t.Fatal("the worker did not stop on SIGTERM")
	}
	requeued := 0
	for _, r := range running {
		info, err := insp.GetTaskInfo(jobs.Queue, r.ID)
		require.NoError(t, err)
		assert.Contains(t, []asynq.TaskState{asynq.TaskStatePending, asynq.TaskStateCompleted}, info.State)
		if info.State == asynq.TaskStatePending {
			requeued++
		}
	}
	assert.Positive(t, requeued, "the tasks the stop cut short are back in the queue")

	worker(t, args...)
	require.Eventually(t, func() bool {
		q, err := insp.GetQueueInfo(jobs.Queue)
		return err == nil && q.Pending+q.Active+q.Scheduled+q.Retry == 0
	}, 40*time.Second, 50*time.Millisecond)
	o := fakes.Check("acme")
	assert.Equal(t, len(fakes.Conversations["acme"]), o.Synced)
	assert.Empty(t, o.Missing, "lost")
	assert.Zero(t, o.Duplicates, "duplicated")
	completed, err := insp.ListCompletedTasks(jobs.Queue)
	require.NoError(t, err)
	assert.Len(t, completed, len(fakes.Conversations["acme"]))
	for _, c := range completed {
		assert.True(t, strings.HasPrefix(c.ID, "conv:acme:"))
	}
}
