package vendorkit

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnusedDialledConnectionEndsAtAttemptTimeout (issue 12.7): a
// connection that the pool dialled but never wrote to (a burst served by
// another one) ends at the attempt timeout, not IdleConnTimeout later.
func TestUnusedDialledConnectionEndsAtAttemptTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			defer c.Close()
			time.Sleep(2 * time.Second)
		}
	}()
	tr := newPooledTransport(150 * time.Millisecond)
	conn, err := tr.DialContext(context.Background(), "tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	start := time.Now()
	_, err = conn.Read(make([]byte, 1)) // what the pool's idle read does
	var ne net.Error
	require.True(t, errors.As(err, &ne) && ne.Timeout(), "%v", err)
	assert.Less(t, time.Since(start), time.Second)
}

// deadlineConn records the deadlines set on it; writes succeed.
type deadlineConn struct {
	net.Conn
	deadlines []time.Time
}

func (c *deadlineConn) SetDeadline(t time.Time) error {
	c.deadlines = append(c.deadlines, t)
	return nil
}

func (c *deadlineConn) Write(p []byte) (int, error) { return len(p), nil }

// TestProgressConnMovesDeadline: every write leaves the connection at least
// 63/64 of the stall from the write, and a deadline that would move by less
// than 1/64 of it is not moved (two timer updates spared per request on a
// busy connection).
func TestProgressConnMovesDeadline(t *testing.T) {
	const stall = time.Second
	dc := &deadlineConn{}
	c := &progressConn{Conn: dc, stall: stall}
	write := func() time.Time {
		t.Helper()
		before := time.Now()
		_, err := c.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
		require.NoError(t, err)
		require.NotEmpty(t, dc.deadlines)
		d := dc.deadlines[len(dc.deadlines)-1]
		assert.False(t, d.Before(before.Add(stall-stall/64)), "deadline %s after the write, want at least %s", d.Sub(before), stall-stall/64)
		return d
	}
	first := write()
	require.Len(t, dc.deadlines, 1)
	write() // at once: within 1/64 of the stall, not moved
	assert.Len(t, dc.deadlines, 1)
	time.Sleep(stall/64 + 5*time.Millisecond)
	second := write()
	assert.Len(t, dc.deadlines, 2, "moved once it would move by more than 1/64 of the stall")
	assert.True(t, second.After(first))
}
