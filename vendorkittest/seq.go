package vendorkittest

import "iter"

// Seq2 returns the iterator an All* method returns, yielding items and then,
// when err is not nil, err once — for a mocked All* method:
//
//	crm := woofedmock.NewAPI(t)
//	crm.EXPECT().AllContacts(mock.Anything).Return(vendorkittest.Seq2([]woofed.Contact{{ID: 1}, {ID: 2}}, nil))
//
// The iterator can be ranged over more than once and stops early when the
// loop does.
func Seq2[T any](items []T, err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}
