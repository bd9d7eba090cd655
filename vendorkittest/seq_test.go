package vendorkittest_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vendorkit/vendorkit/vendorkittest"
)

func TestSeq2(t *testing.T) {
	boom := errors.New("page 3 failed")
	tests := []struct {
		name      string
		items     []int
		err       error
		stopAfter int // 0: range to the end
		wantItems []int
		wantErr   error
	}{
		{name: "items then end", items: []int{1, 2, 3}, wantItems: []int{1, 2, 3}},
		{name: "items then error", items: []int{1, 2}, err: boom, wantItems: []int{1, 2}, wantErr: boom},
		{name: "error only", err: boom, wantErr: boom},
		{name: "empty", wantItems: nil},
		{name: "loop stops early", items: []int{1, 2, 3}, err: boom, stopAfter: 2, wantItems: []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := vendorkittest.Seq2(tt.items, tt.err)
			for range 2 { // replayable
				var got []int
				var gotErr error
				for v, err := range seq {
					if err != nil {
						gotErr = err
						break
					}
					got = append(got, v)
					if tt.stopAfter > 0 && len(got) == tt.stopAfter {
						break
					}
				}
				assert.Equal(t, tt.wantItems, got)
				assert.Equal(t, tt.wantErr, gotErr)
			}
		})
	}
}
