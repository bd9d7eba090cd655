package paging_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/internal/paging"
)

func TestAll(t *testing.T) {
	pages := [][]int{{1, 2}, {3, 4}, {5}}
	var fetched []int
	fetch := func(_ context.Context, page int) ([]int, bool, error) {
		fetched = append(fetched, page)
		return pages[page-1], page < len(pages), nil
	}
	var got []int
	for v, err := range paging.All(context.Background(), 1, fetch) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got)
	assert.Equal(t, []int{1, 2, 3}, fetched)

	// Breaking early fetches no further page.
	fetched = nil
	for v := range paging.All(context.Background(), 1, fetch) {
		if v == 2 {
			break
		}
	}
	assert.Equal(t, []int{1}, fetched)
}

func TestAllError(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	for _, err := range paging.All(context.Background(), 0, func(context.Context, int) ([]string, bool, error) { return nil, true, boom }) {
		n++
		require.ErrorIs(t, err, boom)
	}
	assert.Equal(t, 1, n)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range paging.All(ctx, 0, func(context.Context, int) ([]string, bool, error) { t.Fatal("fetched"); return nil, false, nil }) {
		require.ErrorIs(t, err, context.Canceled)
	}
}

func TestEmptyPageStops(t *testing.T) {
	calls := 0
	for range paging.All(context.Background(), 1, func(context.Context, int) ([]int, bool, error) { calls++; return nil, true, nil }) {
	}
	assert.Equal(t, 1, calls)
}
