package leads

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// 1. The facade interface, mocked with testify. woofed.API lists every
// method; embedding it leaves the ones the test does not use unimplemented.
type mockCRM struct {
	woofed.API
	mock.Mock
}

func (m *mockCRM) UpsertContact(ctx context.Context, in woofed.ContactInput) (woofed.Contact, bool, error) {
	args := m.Called(ctx, in)
	return args.Get(0).(woofed.Contact), args.Bool(1), args.Error(2)
}

func TestSyncLeadWithMock(t *testing.T) {
	crm := &mockCRM{}
	crm.On("UpsertContact", mock.Anything, woofed.ContactInput{FullName: "Ada", Email: "ada@example.com"}).
		Return(woofed.Contact{ID: 7}, true, nil).Once()
	id, created, err := SyncLead(context.Background(), crm, Lead{Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)
	assert.Equal(t, int64(7), id)
	assert.True(t, created)
	crm.AssertExpectations(t)

	crm.On("UpsertContact", mock.Anything, mock.Anything).
		Return(woofed.Contact{}, false, &vendorkit.APIError{Vendor: "woofed", StatusCode: 422, Message: "Email is invalid"}).Once()
	_, _, err = SyncLead(context.Background(), crm, Lead{Name: "Bob", Email: "bob@"})
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	assert.ErrorContains(t, err, "skipped")
}

// 2. The fake server: the real client, its upsert matching and error
// mapping run against Woofed's wire format.
func TestSyncLeadWithFakeServer(t *testing.T) {
	srv := woofedtest.NewServer(t)
	crm, err := woofed.New(vendorkittest.NewClient(t), srv.Token(), woofed.WithBaseURL(srv.URL()))
	require.NoError(t, err)

	id, created, err := SyncLead(context.Background(), crm, Lead{Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)
	assert.True(t, created)
	_, created, err = SyncLead(context.Background(), crm, Lead{Name: "Ada L.", Email: "ada@example.com"})
	require.NoError(t, err)
	assert.False(t, created, "the resubmitted form updated the same contact")
	stored, ok := srv.Contact(id)
	require.True(t, ok)
	assert.Equal(t, "Ada L.", stored.FullName)
	r, _ := srv.LastRequest()
	assert.Equal(t, "Bearer "+srv.Token(), r.Header.Get("Authorization"))
}

// 3. Faults without sleeps: the fake fails twice with 503 and the upsert —
// a documented upsert, so safe to retry — succeeds on the third attempt at
// once, because vendorkittest.NewClient removes the retry waits.
func TestSyncLeadRetriesWithoutSleeping(t *testing.T) {
	srv := woofedtest.NewServer(t)
	crm, err := woofed.New(vendorkittest.NewClient(t), srv.Token(), woofed.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	srv.FailNext(2, http.StatusServiceUnavailable, "", "")

	_, created, err := SyncLead(context.Background(), crm, Lead{Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, 3, srv.Count(http.MethodPost, "/contacts/upsert"))
}
