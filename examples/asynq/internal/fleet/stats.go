package fleet

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/vendorkit/vendorkit/queue"
)

// Redis keys of the counters.
const (
	statsKey    = "fleet:stats"    // hash: started, and one field per action
	reasonsKey  = "fleet:reasons"  // hash: reason → tasks given up
	latenessKey = "fleet:lateness" // list: ms between a RetryAt and the run that followed
	duePrefix   = "fleet:due:"     // task id → the RetryAt time, in Unix ns
)

// Stats keeps a worker's counters in Redis, so that they add up across the
// fleet and survive a worker that is stopped.
type Stats struct{ Redis redis.UniversalClient }

// OnStart counts a task run and, when the task was rescheduled at a
// vendor's time, how late the run is against that time.
func (s Stats) OnStart(ctx context.Context, _ *asynq.Task) {
	s.Redis.HIncrBy(ctx, statsKey, "started", 1)
	id, ok := asynq.GetTaskID(ctx)
	if !ok {
		return
	}
	due, err := s.Redis.GetDel(ctx, duePrefix+id).Int64()
	if err != nil {
		return
	}
	late := time.Since(time.Unix(0, due))
	s.Redis.RPush(ctx, latenessKey, late.Milliseconds())
}

// Observe counts a decision.
func (s Stats) Observe(ctx context.Context, _ *asynq.Task, d queue.Decision) {
	s.Redis.HIncrBy(ctx, statsKey, d.Action.String(), 1)
	switch d.Action {
	case queue.RetryAt:
		if id, ok := asynq.GetTaskID(ctx); ok {
			s.Redis.Set(ctx, duePrefix+id, d.At.UnixNano(), time.Hour)
		}
	case queue.GiveUp:
		s.Redis.HIncrBy(ctx, reasonsKey, d.Reason, 1)
	}
}

// Counters are the fleet's counters.
type Counters struct {
	// Started counts task runs; Decisions counts their outcomes by action
	// ("done", "retry", "retry-at", "give-up").
	Started   int
	Decisions map[string]int
	// Reasons counts the tasks given up, by reason.
	Reasons map[string]int
	// Lateness is, for each run that followed a RetryAt, how long after the
	// vendor's time it started (negative: before), sorted.
	Lateness []time.Duration
}

// ReadCounters reads the counters.
func ReadCounters(ctx context.Context, rdb redis.UniversalClient) (Counters, error) {
	c := Counters{Decisions: map[string]int{}, Reasons: map[string]int{}}
	m, err := rdb.HGetAll(ctx, statsKey).Result()
	if err != nil {
		return c, err
	}
	for k, v := range m {
		n, _ := strconv.Atoi(v)
		if k == "started" {
			c.Started = n
		} else {
			c.Decisions[k] = n
		}
	}
	if m, err = rdb.HGetAll(ctx, reasonsKey).Result(); err != nil {
		return c, err
	}
	for k, v := range m {
		c.Reasons[k], _ = strconv.Atoi(v)
	}
	l, err := rdb.LRange(ctx, latenessKey, 0, -1).Result()
	if err != nil {
		return c, err
	}
	for _, v := range l {
		ms, _ := strconv.ParseInt(v, 10, 64)
		c.Lateness = append(c.Lateness, time.Duration(ms)*time.Millisecond)
	}
	slices.Sort(c.Lateness)
	return c, nil
}
