package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
)

// The topology tests run the limiter on the deployments New's doc promises
// besides a single node: a Redis Cluster (three masters, the slots split
// between them) and a Sentinel-backed failover client. Each runs the same
// fleet-wide checks (checkTopology): two factories, each on a client of its
// own as two processes would be, share a rate, an in-flight cap, a vendor's
// pause and a learned pace — and neither falls back to its in-process
// limiter.

// topologyKeys are the limiter keys checkTopology uses; on the cluster they
// land on more than one master.
var topologyKeys = []string{"topo|rate", "topo|cap", "topo|pause|rate", "topo|pause|cap", "topo|pause|open", "topo|open"}

// clusterNode is one master of a test cluster and the slots it owns.
type clusterNode struct {
	addr      string
	from, to  int // slots [from, to]
	bus, port int
}

// startCluster starts a Redis Cluster of n masters on loopback, the 16384
// slots split evenly between them, and returns its nodes once every node
// knows them all and reports cluster_state:ok.
func startCluster(t *testing.T, n int) []clusterNode {
	t.Helper()
	ports := freePorts(t, 2*n) // a client port and a cluster bus port each
	nodes := make([]clusterNode, n)
	ctx := context.Background()
	for i := range nodes {
		dir := t.TempDir() // removed after the server is killed (cleanups run last first)
		nd := clusterNode{port: ports[2*i], bus: ports[2*i+1], from: i * 16384 / n, to: (i+1)*16384/n - 1}
		nd.addr = runRedis(t, nd.port, "--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(dir, "nodes.conf"), "--cluster-port", strconv.Itoa(nd.bus),
			"--dir", dir, "--save", "", "--appendonly", "no", "--bind", "127.0.0.1",
			"--port", strconv.Itoa(nd.port), "--loglevel", "warning").addr()
		rdb := redis.NewClient(&redis.Options{Addr: nd.addr})
		require.NoError(t, rdb.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", nd.from, nd.to).Err())
		require.NoError(t, rdb.Close())
		nodes[i] = nd
	}
	first := redis.NewClient(&redis.Options{Addr: nodes[0].addr})
	defer first.Close()
	for _, nd := range nodes[1:] {
		require.NoError(t, first.Do(ctx, "CLUSTER", "MEET", "127.0.0.1", nd.port, nd.bus).Err())
	}
	want := fmt.Sprintf("cluster_known_nodes:%d", n)
	for _, nd := range nodes {
		rdb := redis.NewClient(&redis.Options{Addr: nd.addr})
		info := ""
		require.Eventually(t, func() bool {
			info = rdb.ClusterInfo(ctx).Val()
			return strings.Contains(info, "cluster_state:ok") && strings.Contains(info, want)
		}, 10*time.Second, 20*time.Millisecond, "cluster node %s never got ready:\n%s", nd.addr, info)
		require.NoError(t, rdb.Close())
	}
	return nodes
}

// startSentinel starts a master and one Sentinel monitoring it as
// "mymaster" (quorum 1), and returns the master and the Sentinel's address
// once the Sentinel names the master. Both are stopped when the test ends.
func startSentinel(t *testing.T) (*redisServer, string) {
	t.Helper()
	master := startRedis(t)
	port := freePorts(t, 1)[0]
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf") // Sentinel rewrites it: a file of its own
	require.NoError(t, os.WriteFile(conf, fmt.Appendf(nil, `port %d
bind 127.0.0.1
dir %s
sentinel monitor mymaster 127.0.0.1 %d 1
sentinel down-after-milliseconds mymaster 5000
sentinel failover-timeout mymaster 10000
`, port, dir, master.port), 0o600))
	sentinel := runRedis(t, port, conf, "--sentinel", "--loglevel", "warning")
	sc := redis.NewSentinelClient(&redis.Options{Addr: sentinel.addr()})
	defer sc.Close()
	var got []string
	require.Eventually(t, func() bool {
		got, _ = sc.GetMasterAddrByName(context.Background(), "mymaster").Result()
		return len(got) == 2 && got[1] == strconv.Itoa(master.port)
	}, 10*time.Second, 20*time.Millisecond, "the Sentinel never named the master: %v", got)
	return master, sentinel.addr()
}

// topologyFactory is a Factory on a client of its own, as a process of the
// fleet would have, whose log (a Warn when it falls back) ends up in the
// test's failure messages.
type topologyFactory struct {
	*Factory
	log *syncBuffer
}

// newTopologyFactory returns a Factory on rdb, which it closes when the
// test ends, with its keys prefixed by prefix.
func newTopologyFactory(t *testing.T, rdb redis.UniversalClient, prefix string) topologyFactory {
	t.Helper()
	t.Cleanup(func() { _ = rdb.Close() })
	log := &syncBuffer{}
	// A slow answer on a loaded machine (-race) must not send the factory
	// to its fallback: what is checked is that Redis answers, not how fast
	// (a refused command fails at once, whatever the timeout).
	f, err := New(rdb, WithPrefix(prefix), WithTimeout(fleetTimeout), WithLogger(slog.New(slog.NewTextHandler(log, nil))))
	require.NoError(t, err)
	return topologyFactory{f, log}
}

// assertOnRedis fails the test if f ever fell back to its in-process
// limiter (or logged anything).
func (f topologyFactory) assertOnRedis(t *testing.T) {
	t.Helper()
	assert.False(t, f.down.Load(), "the factory fell back to its in-process limiter:\n%s", f.log.String())
	assert.Empty(t, f.log.String(), "the factory logged")
}

// checkTopology runs the fleet-wide checks on two factories, each on its
// own client from connect. Their keys are prefixed with the test's name
// (the prefix is outside the hash tag: the slots are the same), so that
// runs on the same Redis start afresh.
func checkTopology(t *testing.T, connect func() redis.UniversalClient) {
	ctx := context.Background()
	prefix := "vendorkit:rl:" + t.Name() + ":"
	f, g := newTopologyFactory(t, connect(), prefix), newTopologyFactory(t, connect(), prefix)
	t.Cleanup(func() {
		f.assertOnRedis(t)
		g.assertOnRedis(t)
	})

	t.Run("rate is fleet-wide", func(t *testing.T) {
		const perSecond, each = 50, 6
		l := vendorkit.Limit{Rate: perSecond, Burst: 1}
		start := time.Now()
		var wg sync.WaitGroup
		for _, fac := range []topologyFactory{f, g} {
			lim := fac.Limiter("topo|rate", l)
			wg.Go(func() {
				for range each {
					release, err := lim.Acquire(ctx)
					if !assert.NoError(t, err) {
						return
					}
					release()
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		// 12 acquires at 50/s with a burst of 1: the last comes 11 intervals
		// (220 ms) after the first. Each factory on its own would let its 6
		// through in 100 ms.
		minimum := (2*each - 1) * time.Second / perSecond
		assert.GreaterOrEqual(t, elapsed, minimum-20*time.Millisecond, "%d acquires across two factories", 2*each)
		f.assertOnRedis(t)
		g.assertOnRedis(t)
	})

	t.Run("in-flight cap is fleet-wide", func(t *testing.T) {
		l := vendorkit.Limit{MaxInFlight: 1}
		a, b := f.Limiter("topo|cap", l), g.Limiter("topo|cap", l)
		release, err := a.Acquire(ctx)
		require.NoError(t, err)
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		_, err = b.Acquire(short)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded, "the other factory took the slot held")
		release()
		release, err = b.Acquire(ctx)
		require.NoError(t, err, "the slot given back is free")
		release()
		// Both at once: never two in flight, and both get their turns.
		var mu sync.Mutex
		in, peak, admitted := 0, 0, 0
		var wg sync.WaitGroup
		for _, lim := range []vendorkit.Limiter{a, b} {
			wg.Go(func() {
				for range 10 {
					release, err := lim.Acquire(ctx)
					if !assert.NoError(t, err) {
						return
					}
					mu.Lock()
					in++
					peak = max(peak, in)
					mu.Unlock()
					time.Sleep(3 * time.Millisecond)
					mu.Lock()
					in--
					admitted++
					mu.Unlock()
					release()
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 1, peak, "requests in flight at once across two factories")
		assert.Equal(t, 20, admitted)
		f.assertOnRedis(t)
		g.assertOnRedis(t)
	})

	t.Run("pause is fleet-wide", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			l    vendorkit.Limit
		}{
			{"rate", vendorkit.Limit{Rate: 50, Burst: 1}},
			{"cap", vendorkit.Limit{MaxInFlight: 1}},
			{"open", vendorkit.Limit{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				key := "topo|pause|" + tc.name
				const pause = 300 * time.Millisecond
				f.Limiter(key, tc.l).Observe(http.StatusTooManyRequests, nil, pause)
				start := time.Now()
				release, err := g.Limiter(key, tc.l).Acquire(ctx)
				require.NoError(t, err)
				release()
				waited := time.Since(start)
				// The pause ends 300 ms after Redis recorded it, a little
				// before start; the other factory's own limiter saw no 429.
				assert.GreaterOrEqual(t, waited, pause-50*time.Millisecond, "the other factory's limiter went during the pause")
				assert.Less(t, waited, 3*pause, "held far past the pause")
			})
		}
	})
	f.assertOnRedis(t)
	g.assertOnRedis(t)

	t.Run("learned pace is fleet-wide", func(t *testing.T) {
		a := f.Limiter("topo|open", vendorkit.Limit{})
		for range 20 {
			a.Observe(http.StatusOK, nil, 0)
		}
		// 20 successes, then refused: ~20/s. "Retry-After: 0" asks for no
		// pause (a 429 naming no wait may pause the key).
		a.Observe(http.StatusTooManyRequests, http.Header{"Retry-After": {"0"}}, 0)
		assert.InDelta(t, 20, learnedPace(t, f.rdb, a.(*limiter))(), 2, "the pace learned, in Redis")
		b := g.Limiter("topo|open", vendorkit.Limit{})
		release, err := b.Acquire(ctx)
		require.NoError(t, err)
		release()
		start := time.Now()
		release, err = b.Acquire(ctx)
		require.NoError(t, err)
		release()
		// ~50 ms apart at 20/s; the other factory's own limiter is open.
		assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond, "the other factory's limiter ignored the learned pace")
		f.assertOnRedis(t)
		g.assertOnRedis(t)
	})
}

func TestCluster(t *testing.T) {
	t.Parallel() // most of its time is the cluster's start (a node waits 2 s before it serves)
	nodes := startCluster(t, 3)
	addrs := make([]string, len(nodes))
	for i, nd := range nodes {
		addrs[i] = nd.addr
	}
	connect := func() redis.UniversalClient {
		return redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	}
	ctx := context.Background()
	rdb := connect()
	t.Cleanup(func() { _ = rdb.Close() })

	t.Run("one slot per limiter", func(t *testing.T) {
		f, err := New(rdb)
		require.NoError(t, err)
		owners := map[string]bool{}
		// A key with braces of its own must not move the hash tag.
		for _, key := range slices.Concat(topologyKeys, []string{"a{b}c", "{x}|}y{", "}{", ""}) {
			l := f.Limiter(key, vendorkit.Limit{}).(*limiter)
			slot := int64(-1)
			for _, k := range l.keys {
				s, err := rdb.ClusterKeySlot(ctx, k).Result()
				require.NoError(t, err)
				if slot >= 0 {
					assert.Equal(t, slot, s, "the keys of limiter %q: %v", key, l.keys)
				}
				slot = s
			}
			for _, nd := range nodes {
				if int(slot) >= nd.from && int(slot) <= nd.to && slices.Contains(topologyKeys, key) {
					owners[nd.addr] = true
				}
			}
		}
		assert.GreaterOrEqual(t, len(owners), 2, "the limiters checked all live on one master: %v", owners)
	})

	t.Run("limits hold", func(t *testing.T) { checkTopology(t, connect) })

	t.Run("keys in the owning master", func(t *testing.T) {
		// NewUniversalClient with several addresses is a cluster client.
		uni := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: addrs})
		require.IsType(t, &redis.ClusterClient{}, uni)
		f := newTopologyFactory(t, uni, "vendorkit:rl:")
		l := f.Limiter("topo|owner", vendorkit.Limit{Rate: 1, Burst: 1}).(*limiter)
		l.Observe(http.StatusTooManyRequests, nil, time.Minute)
		slot, err := rdb.ClusterKeySlot(ctx, l.keys[1]).Result()
		require.NoError(t, err)
		for _, nd := range nodes {
			node := redis.NewClient(&redis.Options{Addr: nd.addr})
			n, err := node.Exists(ctx, l.keys[1]).Result()
			owns := int(slot) >= nd.from && int(slot) <= nd.to
			if owns {
				require.NoError(t, err)
				assert.EqualValues(t, 1, n, "the pause on the master of its slot")
			} else {
				assert.ErrorContains(t, err, "MOVED", "another master answers for slot %d", slot)
			}
			require.NoError(t, node.Close())
		}
		f.assertOnRedis(t)
	})
}

func TestSentinel(t *testing.T) {
	t.Parallel()
	master, sentinel := startSentinel(t)
	for _, tc := range []struct {
		name    string
		connect func() redis.UniversalClient
	}{
		{"NewFailoverClient", func() redis.UniversalClient {
			return redis.NewFailoverClient(&redis.FailoverOptions{MasterName: "mymaster", SentinelAddrs: []string{sentinel}})
		}},
		{"NewUniversalClient", func() redis.UniversalClient {
			return redis.NewUniversalClient(&redis.UniversalOptions{MasterName: "mymaster", Addrs: []string{sentinel}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkTopology(t, tc.connect)
			// What the limiter wrote went to the master the Sentinel named.
			rdb := tc.connect()
			f := newTopologyFactory(t, rdb, "vendorkit:rl:")
			l := f.Limiter("topo|master|"+tc.name, vendorkit.Limit{Rate: 1, Burst: 1}).(*limiter)
			l.Observe(http.StatusTooManyRequests, nil, time.Minute)
			n, err := master.client().Exists(context.Background(), l.keys[1]).Result()
			require.NoError(t, err)
			assert.EqualValues(t, 1, n, "the pause in the master")
			f.assertOnRedis(t)
		})
	}
}
