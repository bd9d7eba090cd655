package redislimit

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// redisServer is a redis-server of the test's own on a free loopback port,
// with persistence off. The tests need one: they fail (never skip) when
// redis-server is not installed (.ci/run installs it).
type redisServer struct {
	t    testing.TB
	port int
	args []string // redis-server's arguments; they make it listen on port
	cmd  *exec.Cmd
	out  *syncBuffer // its output, for the failure message
}

// startRedis starts a plain redis-server, stopped when the test ends.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	port := freePorts(t, 1)[0]
	return runRedis(t, port, "--save", "", "--appendonly", "no", "--bind", "127.0.0.1",
		"--port", strconv.Itoa(port), "--loglevel", "warning")
}

// runRedis starts redis-server with args, which must make it listen on
// 127.0.0.1:port, waits until it answers a PING and stops it (SIGKILL) when
// the test ends.
func runRedis(t testing.TB, port int, args ...string) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not installed (apt-get install -y redis-server): the redislimit tests need a real one")
	}
	s := &redisServer{t: t, port: port, args: args}
	t.Cleanup(s.stop)
	s.start()
	return s
}

// freePorts returns n distinct free loopback TCP ports (all listened on at
// once, so that none is returned twice).
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

func (s *redisServer) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// start runs redis-server with s.args and waits until it answers.
func (s *redisServer) start() {
	s.t.Helper()
	s.cmd, s.out = exec.Command("redis-server", s.args...), &syncBuffer{}
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	require.NoError(s.t, s.cmd.Start())
	rdb := redis.NewClient(&redis.Options{Addr: s.addr(), MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if rdb.Ping(context.Background()).Err() == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("redis-server %s on %s did not answer within 10s:\n%s", strings.Join(s.args, " "), s.addr(), s.out.String())
}

// kill stops redis-server at once (SIGKILL), as a crash would.
func (s *redisServer) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

func (s *redisServer) stop() { s.kill() }

// client returns a go-redis client on s, closed when the test ends.
func (s *redisServer) client() *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: s.addr(), MaxRetries: -1})
	s.t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}
