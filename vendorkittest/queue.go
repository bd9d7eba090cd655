package vendorkittest

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Queue models a server that limits concurrency rather than rate: per key it
// processes at most Workers requests at a time, lets at most Size more wait
// for a worker for at most Timeout, and turns away the rest at once
// (Woodpecker: 1 worker, a queue of 6, 15 s). Build one with NewQueue and
// mount Middleware; Stats reports what happened, so a test can assert that a
// client caused no drops.
type Queue struct {
	workers int
	size    int
	timeout time.Duration
	key     func(*http.Request) string

	mu      sync.Mutex
	service time.Duration
	lanes   map[string]*lane
	stats   QueueStats
}

// lane is one key's workers and waiting room.
type lane struct {
	slots   chan struct{}
	waiting int
}

// QueueStats counts a Queue's decisions.
type QueueStats struct {
	// Served counts requests that got a worker (at once or after waiting).
	Served int
	// Waited counts requests that had to wait for a worker.
	Waited int
	// Dropped counts requests turned away because the queue was full.
	Dropped int
	// TimedOut counts requests that waited Timeout without getting a worker.
	TimedOut int
	// MaxWaiting is the longest the waiting room of any key has been.
	MaxWaiting int
}

// QueueDeny answers a request the queue refuses; timedOut tells a request
// that waited too long from one dropped because the queue was full.
type QueueDeny func(w http.ResponseWriter, r *http.Request, timedOut bool)

// NewQueue returns a queue with workers workers and size waiting places per
// key (key nil: one queue for all requests), where a request waits at most
// timeout (0: no time limit). workers below 1 count as 1; a negative size
// as 0.
func NewQueue(workers, size int, timeout time.Duration, key func(*http.Request) string) *Queue {
	if key == nil {
		key = func(*http.Request) string { return "" }
	}
	return &Queue{
		workers: max(1, workers),
		size:    max(0, size),
		timeout: timeout,
		key:     key,
		lanes:   map[string]*lane{},
	}
}

// SetServiceTime makes every admitted request hold its worker for at least d
// (the server's processing time), so that tests can create contention with
// small, fast handlers.
func (q *Queue) SetServiceTime(d time.Duration) {
	q.mu.Lock()
	q.service = d
	q.mu.Unlock()
}

// Stats returns a snapshot of the counters.
func (q *Queue) Stats() QueueStats {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.stats
}

// Middleware admits requests through the queue and answers the refused ones
// with deny (nil: 429 with an empty body).
func (q *Queue) Middleware(deny QueueDeny) func(http.Handler) http.Handler {
	if deny == nil {
		deny = func(w http.ResponseWriter, _ *http.Request, _ bool) { w.WriteHeader(http.StatusTooManyRequests) }
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			release, timedOut, ok := q.acquire(r.Context(), q.key(r))
			if !ok {
				if r.Context().Err() == nil {
					deny(w, r, timedOut)
				}
				return
			}
			defer release()
			q.mu.Lock()
			service := q.service
			q.mu.Unlock()
			start := time.Now()
			next.ServeHTTP(w, r)
			if rest := service - time.Since(start); rest > 0 {
				sleep(r.Context(), rest)
			}
		})
	}
}

// acquire takes a worker of key's lane, waiting in its queue when there is
// room. ok is false when the request is refused (timedOut tells why) or ctx
// ended.
func (q *Queue) acquire(ctx context.Context, key string) (release func(), timedOut, ok bool) {
	q.mu.Lock()
	l := q.lanes[key]
	if l == nil {
		l = &lane{slots: make(chan struct{}, q.workers)}
		q.lanes[key] = l
	}
	release = func() { <-l.slots }
	select {
	case l.slots <- struct{}{}:
		q.stats.Served++
		q.mu.Unlock()
		return release, false, true
	default:
	}
	if l.waiting >= q.size {
		q.stats.Dropped++
		q.mu.Unlock()
		return nil, false, false
	}
	l.waiting++
	q.stats.Waited++
	q.stats.MaxWaiting = max(q.stats.MaxWaiting, l.waiting)
	q.mu.Unlock()

	var expired <-chan time.Time // nil: no time limit
	if q.timeout > 0 {
		timer := time.NewTimer(q.timeout)
		defer timer.Stop()
		expired = timer.C
	}
	select {
	case l.slots <- struct{}{}:
		ok = true
	case <-expired:
		timedOut = true
	case <-ctx.Done():
	}
	q.mu.Lock()
	l.waiting--
	switch {
	case ok:
		q.stats.Served++
	case timedOut:
		q.stats.TimedOut++
	}
	q.mu.Unlock()
	if !ok {
		return nil, timedOut, false
	}
	return release, false, true
}
