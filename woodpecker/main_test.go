package woodpecker_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// setup starts a fake and an HQ client on a kit without retry sleeps.
func setup(t *testing.T, opts ...woodpeckertest.Option) (*woodpeckertest.Server, *woodpecker.Client) {
	t.Helper()
	srv := woodpeckertest.NewServer(t, opts...)
	return srv, newClient(t, srv, woodpeckertest.HQKey)
}

// newClient builds a client for key on a fresh kit without retry sleeps.
func newClient(t *testing.T, srv *woodpeckertest.Server, key string, opts ...woodpecker.Option) *woodpecker.Client {
	t.Helper()
	return newClientOn(t, vendorkittest.NewClient(t), srv, key, opts...)
}

func newClientOn(t *testing.T, kit *vendorkit.Client, srv *woodpeckertest.Server, key string, opts ...woodpecker.Option) *woodpecker.Client {
	t.Helper()
	wp, err := woodpecker.New(kit, key, append([]woodpecker.Option{woodpecker.WithBaseURL(srv.URL())}, opts...)...)
	require.NoError(t, err)
	return wp
}

var ctx = context.Background()
