package redislimit_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/redislimit"
)

// Every worker process builds its kit on the same Redis: the limits of each
// vendor credential then hold for the whole fleet.
func Example() {
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:                 []string{"localhost:6379"},
		ContextTimeoutEnabled: true, // sockets honour context deadlines (see redislimit.New)
	})
	defer rdb.Close()
	limits, err := redislimit.New(rdb,
		redislimit.WithLogger(slog.Default()),
		redislimit.WithMaxPause(time.Minute), // as the kit's RetryPolicy.MaxRetryAfter
	)
	if err != nil {
		panic(err)
	}
	kit, err := vendorkit.New(vendorkit.WithLimiterFactory(limits.Limiter))
	if err != nil {
		panic(err)
	}
	_ = kit // deskwoot.New(kit, token), woodpecker.New(kit, key), …

	// The same limiter, used directly: at most 2 requests/s for the fleet.
	lim := limits.Limiter("example|key", vendorkit.Limit{Rate: 2, Burst: 1})
	release, err := lim.Acquire(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer release()
	lim.Observe(200, nil, 0)
}
