package deskwoot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"

	"github.com/vendorkit/vendorkit/internal/paging"
	"github.com/vendorkit/vendorkit/internal/wire"
)

// MaxPageSize is the largest page Deskwoot serves.
const MaxPageSize = 100

// Page is one page of a list. Deskwoot's docs disagree on the list answer —
// a bare JSON array (the official client) or {data, page, pageSize, total}
// (its type declarations) — and both are accepted.
type Page[T any] struct {
	// Items are the page's elements.
	Items []T
	// Page is the 1-based page number (as answered, else as requested).
	Page int
	// PageSize is the page size (as answered, else as requested; 0 when
	// neither said).
	PageSize int
	// Total is the number of elements over all pages when the server said
	// so; TotalKnown reports whether it did.
	Total      int
	TotalKnown bool
	// HasMore reports whether another page may follow: from Total when
	// known, else whether this page was full.
	HasMore bool
}

// envelope is the {data, page, pageSize, total} form of a list.
type envelope[T any] struct {
	Data     []T  `json:"data"`
	Page     int  `json:"page"`
	PageSize int  `json:"pageSize"`
	Total    *int `json:"total"`
}

// decodePage reads a list answer in either shape, each element decoded as
// its wire type W and converted with conv.
func decodePage[W, T any](resp *http.Response, err error, page, pageSize int, conv func(W) T) (Page[T], error) {
	raw, err := wire.Decode[json.RawMessage](resp, err)
	if err != nil {
		return Page[T]{}, err
	}
	p, err := parsePage[W](raw, page, pageSize)
	if err != nil {
		return Page[T]{}, err
	}
	return Page[T]{Items: each(p.Items, conv), Page: p.Page, PageSize: p.PageSize, Total: p.Total, TotalKnown: p.TotalKnown, HasMore: p.HasMore}, nil
}

// parsePage is decodePage on the raw body; it is what the fuzz test runs.
func parsePage[T any](raw []byte, page, pageSize int) (*Page[T], error) {
	if page < 1 {
		page = 1
	}
	p := &Page[T]{Page: page, PageSize: pageSize}
	body := bytes.TrimSpace(raw)
	switch {
	case len(body) == 0 || bytes.Equal(body, []byte("null")):
		return p, nil
	case body[0] == '[':
		if err := json.Unmarshal(body, &p.Items); err != nil {
			return nil, fmt.Errorf("decoding list: %w", err)
		}
	case body[0] == '{':
		var env envelope[T]
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, fmt.Errorf("decoding list: %w", err)
		}
		p.Items = env.Data
		if env.Page > 0 {
			p.Page = env.Page
		}
		if env.PageSize > 0 {
			p.PageSize = env.PageSize
		}
		if env.Total != nil && *env.Total >= 0 {
			p.Total, p.TotalKnown = *env.Total, true
		}
	default:
		return nil, fmt.Errorf("decoding list: neither a JSON array nor an object")
	}
	switch {
	case len(p.Items) == 0:
		p.HasMore = false
	case p.TotalKnown && p.PageSize > 0:
		p.HasMore = p.Page*p.PageSize < p.Total
	case p.TotalKnown:
		p.HasMore = p.Page*len(p.Items) < p.Total // pages taken to be this page's length
	case p.PageSize > 0:
		p.HasMore = len(p.Items) >= p.PageSize
	default:
		p.HasMore = true // unknown page size: ask for the next page; an empty one ends the walk
	}
	return p, nil
}

// decodeList reads an unpaginated list in either shape.
func decodeList[W, T any](resp *http.Response, err error, conv func(W) T) ([]T, error) {
	p, err := decodePage(resp, err, 1, 0, conv)
	if err != nil {
		return nil, err
	}
	if p.Items == nil {
		return []T{}, nil
	}
	return p.Items, nil
}

// pageParams checks and converts page and pageSize to query pointers.
func pageParams(op string, page, pageSize int) (*int, *int, error) {
	if page < 0 || pageSize < 0 || pageSize > MaxPageSize {
		return nil, nil, argErr(op, "page must be ≥ 0 and pageSize within 0..%d (0 means the default)", MaxPageSize)
	}
	var p, s *int
	if page > 0 {
		p = &page
	}
	if pageSize > 0 {
		s = &pageSize
	}
	return p, s, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// allPages walks list's pages lazily from page (default 1), pageSize items
// each (default MaxPageSize), for the All* iterators.
func allPages[T any](ctx context.Context, page, pageSize int, list func(ctx context.Context, page, pageSize int) (Page[T], error)) iter.Seq2[T, error] {
	if pageSize == 0 {
		pageSize = MaxPageSize
	}
	return paging.All(ctx, max(1, page), func(ctx context.Context, page int) ([]T, bool, error) {
		p, err := list(ctx, page, pageSize)
		if err != nil {
			return nil, false, err
		}
		return p.Items, p.HasMore, nil
	})
}
