package webhook

import (
	"container/list"
	"context"
	"sync"
)

// ClaimState is a Deduper's answer to Claim.
type ClaimState int

const (
	// Fresh: the key was unknown and is now claimed; the handler calls the
	// function and then Finish.
	Fresh ClaimState = iota
	// Duplicate: the key was handled before; the handler answers 200 without
	// calling the function again.
	Duplicate
	// InFlight: another request is handling the key now; the handler answers
	// 503 so the vendor retries later (if the first attempt fails, the retry
	// is then Fresh).
	InFlight
)

// Deduper remembers which events were handled, by the key each vendor
// package derives (see the vendors' WebhookKey functions). A key is marked
// handled only after the function returned nil, so a delivery that failed
// is processed again when the vendor retries it.
//
// Implementations must be safe for concurrent use. Keys carry the vendor's
// name as a prefix, so one Deduper may serve every vendor.
type Deduper interface {
	// Claim reserves key for the caller, or says it is taken.
	Claim(ctx context.Context, key string) (ClaimState, error)
	// Finish ends a Fresh claim: handled true records the key as handled,
	// false forgets the claim.
	Finish(ctx context.Context, key string, handled bool) error
}

// DefaultDedupeSize is the number of handled keys a MemoryDeduper built
// with size 0 remembers.
const DefaultDedupeSize = 10000

// MemoryDeduper is an in-process Deduper that remembers the most recently
// handled keys (least recently used first out). It forgets everything when
// the process exits and is not shared between processes.
type MemoryDeduper struct {
	mu       sync.Mutex
	size     int
	done     map[string]*list.Element
	order    *list.List // front = most recent
	inFlight map[string]bool
}

// NewMemoryDeduper returns a MemoryDeduper remembering up to size handled
// keys (DefaultDedupeSize when size <= 0).
func NewMemoryDeduper(size int) *MemoryDeduper {
	if size <= 0 {
		size = DefaultDedupeSize
	}
	return &MemoryDeduper{size: size, done: map[string]*list.Element{}, order: list.New(), inFlight: map[string]bool{}}
}

// Claim implements Deduper.
func (d *MemoryDeduper) Claim(_ context.Context, key string) (ClaimState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if el, ok := d.done[key]; ok {
		d.order.MoveToFront(el)
		return Duplicate, nil
	}
	if d.inFlight[key] {
		return InFlight, nil
	}
	d.inFlight[key] = true
	return Fresh, nil
}

// Finish implements Deduper.
func (d *MemoryDeduper) Finish(_ context.Context, key string, handled bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.inFlight, key)
	if !handled {
		return nil
	}
	if _, ok := d.done[key]; ok {
		return nil
	}
	d.done[key] = d.order.PushFront(key)
	for d.order.Len() > d.size {
		last := d.order.Back()
		d.order.Remove(last)
		delete(d.done, last.Value.(string))
	}
	return nil
}

// Len returns the number of handled keys remembered.
func (d *MemoryDeduper) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.order.Len()
}

// noDedupe marks WithoutDedupe.
type noDedupe struct{}

func (noDedupe) Claim(context.Context, string) (ClaimState, error) { return Fresh, nil }
func (noDedupe) Finish(context.Context, string, bool) error        { return nil }
