// Package paging walks vendors' paginated lists lazily, for the facades'
// All* iterators.
package paging

import (
	"context"
	"iter"
)

// Fetch returns one page of items and whether another page follows.
type Fetch[T any] func(ctx context.Context, page int) (items []T, more bool, err error)

// All yields every item of every page, fetching page first, first+1, … only
// as the loop asks for more. It stops after a page that says there is no
// more, after an empty page, or after an error, which it yields once with a
// zero T. Breaking out of the loop stops fetching.
func All[T any](ctx context.Context, first int, fetch Fetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page := first; ; page++ {
			if err := ctx.Err(); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			items, more, err := fetch(ctx, page)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !more || len(items) == 0 {
				return
			}
		}
	}
}
