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
