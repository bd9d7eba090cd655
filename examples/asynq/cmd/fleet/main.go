// Command fleet runs the example as a fleet: N worker processes (this
// program started again with -worker) and one redis-server on a free
// loopback port, against the Deskwoot and Woofed fakes, which run in this
// process with Deskwoot's per-token rate limit. Along the way it
//
//   - makes Deskwoot answer one tenant's first conversation read with 429
//     and Retry-After (-pause): the tenant's tasks must be rescheduled by
//     the queue at that time;
//   - revokes one tenant's Deskwoot token once a fifth of the work is done
//     (-revoke): its tasks must stop with the reason;
//   - cuts the answer of a share of Woofed's deal creations after the deal
//     is made (-cut): the job must not create it twice;
//   - stops one worker with SIGTERM once two fifths are done and starts a
//     new one (-restart): no task may be lost.
//
// It prints tasks done, tasks retried at a vendor's RetryAfter (and how late
// they ran), the 429s the fakes answered, tasks lost, writes duplicated, and
// Deskwoot's sent rate ÷ its limit.
//
//	go run ./cmd/fleet                 # limits shared on Redis
//	go run ./cmd/fleet -limiters local # each process its own limits: the baseline
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/vendorkit/vendorkit/examples/asynq/internal/fleet"
	"github.com/vendorkit/vendorkit/examples/asynq/internal/redisserver"
	"github.com/vendorkit/vendorkit/examples/asynq/internal/workercmd"
	"github.com/vendorkit/vendorkit/examples/asynq/jobs"
	"github.com/vendorkit/vendorkit/vendorkittest"
)

type options struct {
	workers, concurrency, tenants, conversations, perMinute int
	limiters                                                string
	pause                                                   time.Duration
	revoke, restart                                         bool
	cut                                                     float64
	timeout                                                 time.Duration
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-worker" {
		if err := workercmd.Main(os.Args[2:], os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.IntVar(&o.workers, "workers", 4, "worker processes")
	flag.IntVar(&o.concurrency, "concurrency", 8, "tasks run at once per worker")
	flag.IntVar(&o.tenants, "tenants", 6, "tenants, each with its own Deskwoot token and Woofed install")
	flag.IntVar(&o.conversations, "conversations", 100, "conversations per tenant")
	flag.IntVar(&o.perMinute, "deskwoot-per-minute", 1200, "Deskwoot's limit per token, on the fake and the clients (60 scaled ×20)")
	flag.StringVar(&o.limiters, "limiters", string(jobs.Shared), `"redis" (shared by the fleet) or "local" (each process its own)`)
	flag.DurationVar(&o.pause, "pause", 3*time.Second, "Retry-After of the 429 one tenant gets on its first conversation read (0: none)")
	flag.BoolVar(&o.revoke, "revoke", true, "revoke one tenant's Deskwoot token once a fifth of the work is done")
	flag.BoolVar(&o.restart, "restart", true, "stop one worker with SIGTERM once two fifths are done, and start another")
	flag.Float64Var(&o.cut, "cut", 0.03, "share of Woofed deal creations whose answer is cut after the deal is made")
	flag.DurationVar(&o.timeout, "timeout", 3*time.Minute, "give up waiting for the queue to drain after this long")
	flag.Parse()
	if err := run(context.Background(), o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		os.Exit(1)
	}
}

// proc is a running worker process.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func run(ctx context.Context, o options, out io.Writer) error {
	st := vendorkittest.Standalone()
	defer st.Close()
	rs, err := redisserver.Start(ctx)
	if err != nil {
		return err
	}
	defer rs.Stop()
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer func() { _ = rdb.Close() }()

	var names []string
	for i := range o.tenants {
		names = append(names, fmt.Sprintf("tenant%02d", i+1))
	}
	fakes := fleet.StartFakes(st, fleet.FakesConfig{Tenants: names, Conversations: o.conversations,
		DeskwootPerMinute: o.perMinute, DeskwootBurst: max(1, o.perMinute/60)}) // a second's worth at once; the clients send one at a time
	paused, revoked := names[0], names[len(names)-1]
	if o.pause > 0 {
		fakes.Deskwoot.Inject(vendorkittest.Fault{Match: fakes.GetConversation(paused), Status: http.StatusTooManyRequests,
			Header: http.Header{"Retry-After": {strconv.Itoa(int(o.pause.Seconds()))}, "Content-Type": {"application/json"}},
			Body:   []byte(`{"error":"Rate limit exceeded: 60 requests per minute per token"}`)})
	}
	cuts := map[string]*int{}
	for _, name := range names {
		n := new(int)
		cuts[name] = n
		fakes.Woofed[name].Inject(vendorkittest.Fault{Times: -1, Truncate: true, Match: func(r *http.Request) bool {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/deals") && rand.Float64() < o.cut {
				*n++ // the fake holds its lock while matching
				return true
			}
			return false
		}})
	}

	dir, err := os.MkdirTemp("", "vendorkit-fleet-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	tenantsPath := filepath.Join(dir, "tenants.json")
	if err := fakes.WriteTenants(tenantsPath); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	start := func(i int) (*proc, error) {
		cmd := exec.Command(self, "-worker", "-redis", rs.Addr, "-tenants", tenantsPath,
			"-concurrency", strconv.Itoa(o.concurrency), "-deskwoot-per-minute", strconv.Itoa(o.perMinute),
			"-limiters", o.limiters, "-fleet-stats", "-shutdown-timeout", "2s")
		cmd.Stdout, cmd.Stderr = prefixed(fmt.Sprintf("worker %d: ", i)), prefixed(fmt.Sprintf("worker %d: ", i))
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		p := &proc{cmd: cmd, done: make(chan struct{})}
		go func() { _ = cmd.Wait(); close(p.done) }()
		return p, nil
	}
	stop := func(p *proc) {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
	var procs []*proc
	defer func() {
		for _, p := range procs {
			stop(p)
		}
	}()
	for i := range o.workers {
		p, err := start(i)
		if err != nil {
			return err
		}
		procs = append(procs, p)
	}

	enq := asynq.NewClientFromRedisClient(rdb)
	began := time.Now()
	for _, name := range names {
		if _, err := enq.Enqueue(jobs.NewSyncTenantTask(name)); err != nil {
			return err
		}
	}
	insp := asynq.NewInspectorFromRedisClient(rdb)
	expected := len(names) * (1 + o.conversations)
	var revokedAt, restartedAt time.Duration
	restartRunning := 0
	deadline := time.Now().Add(o.timeout)
	for {
		time.Sleep(100 * time.Millisecond)
		q, err := insp.GetQueueInfo(jobs.Queue)
		if err != nil {
			return err
		}
		finished := q.Completed + q.Archived
		if o.revoke && revokedAt == 0 && finished >= expected/5 {
			fakes.Deskwoot.RevokeToken(fakes.Tenants[revoked].DeskwootToken)
			revokedAt = time.Since(began)
		}
		if o.restart && restartedAt == 0 && finished >= 2*expected/5 {
			restartRunning = q.Active
			stop(procs[0])
			p, err := start(len(procs))
			if err != nil {
				return err
			}
			procs[0] = p
			restartedAt = time.Since(began)
		}
		if q.Pending+q.Active+q.Scheduled+q.Retry == 0 && finished > 0 {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(out, "timed out after %s with %d pending, %d active, %d scheduled, %d to retry\n",
				o.timeout, q.Pending, q.Active, q.Scheduled, q.Retry)
			break
		}
	}
	elapsed := time.Since(began)
	for _, p := range procs {
		stop(p)
	}
	procs = nil

	// What the fleet did.
	counters, err := fleet.ReadCounters(ctx, rdb)
	if err != nil {
		return err
	}
	completed, err := insp.ListCompletedTasks(jobs.Queue, asynq.PageSize(100000))
	if err != nil {
		return err
	}
	archived, err := insp.ListArchivedTasks(jobs.Queue, asynq.PageSize(100000))
	if err != nil {
		return err
	}
	archivedIDs := map[string]string{}
	for _, a := range archived {
		archivedIDs[a.ID] = a.LastErr
	}
	lost, duplicated, synced, cut := 0, 0, 0, 0
	for _, name := range names {
		c := fakes.Check(name)
		synced += c.Synced
		duplicated += c.Duplicates
		cut += *cuts[name]
		for _, conv := range c.Missing {
			if _, ok := archivedIDs[jobs.ConversationTaskID(name, conv)]; !ok {
				lost++
			}
		}
	}
	var worst, whole float64
	for _, name := range names {
		worst = max(worst, fakes.SentRatio(name, 5*time.Second))
		whole = max(whole, fakes.SentRatio(name, elapsed))
	}

	fmt.Fprintf(out, "fleet: %d workers × %d slots, %d tenants × %d conversations, Deskwoot %d/min per token, limiters %q, %s\n",
		o.workers, o.concurrency, o.tenants, o.conversations, o.perMinute, o.limiters, elapsed.Round(100*time.Millisecond))
	fmt.Fprintf(out, "  tasks enqueued           %d (%d listings + %d conversations)\n", expected, len(names), len(names)*o.conversations)
	fmt.Fprintf(out, "  tasks done               %d (conversations with their deal: %d)\n", len(completed), synced)
	fmt.Fprintf(out, "  tasks given up           %d", len(archived))
	for reason, n := range counters.Reasons {
		fmt.Fprintf(out, " [%d × %s]", n, reason)
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "  tasks lost               %d\n", lost)
	fmt.Fprintf(out, "  writes duplicated        %d (deal answers cut after the write: %d)\n", duplicated, cut)
	fmt.Fprintf(out, "  task runs                %d (done %d, retried at RetryAfter %d, retried with backoff %d, given up %d)\n",
		counters.Started, counters.Decisions["done"], counters.Decisions["retry-at"], counters.Decisions["retry"], counters.Decisions["give-up"])
	if l := counters.Lateness; len(l) > 0 {
		fmt.Fprintf(out, "  runs after a RetryAfter  %d, started after the vendor's time by min %s, p50 %s, max %s\n",
			len(l), l[0], l[len(l)/2], l[len(l)-1])
		fmt.Fprintf(out, "                           (due at the first whole second after it; then FIFO behind the tasks queued meanwhile)\n")
	}
	fmt.Fprintf(out, "  429s answered by Deskwoot %d by its rate limit (+%d injected)\n", fakes.Deskwoot.RateLimit().Refused(), boolInt(o.pause > 0))
	fmt.Fprintf(out, "  Deskwoot sent ÷ limit    busiest 5 s window %.3f, whole run %.3f (worst token)\n", worst, whole)
	if o.revoke {
		fmt.Fprintf(out, "  revoked %s's token at %s\n", revoked, revokedAt.Round(100*time.Millisecond))
	}
	if o.restart {
		fmt.Fprintf(out, "  restarted worker 0 (SIGTERM) at %s with %d tasks running in the fleet\n", restartedAt.Round(100*time.Millisecond), restartRunning)
	}
	if lost > 0 || duplicated > 0 {
		return fmt.Errorf("%d tasks lost, %d writes duplicated", lost, duplicated)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// prefixed writes a worker's output to stderr, each line prefixed.
func prefixed(prefix string) io.Writer { return &prefixWriter{prefix: prefix} }

type prefixWriter struct {
	prefix string
	buf    []byte
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := slices.Index(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		fmt.Fprintf(os.Stderr, "%s%s\n", w.prefix, w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}
