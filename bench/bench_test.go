package bench

import (
	"context"
	"testing"
)

// TestPeersAgree checks that every contender performs the same call, so the
// benchmarks compare like with like.
func TestPeersAgree(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	for _, p := range Peers {
		c, err := p.New(srv.URL)(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if c.ID != 42 || c.Email != "ada@example.com" || len(c.LabelList) != 2 {
			t.Fatalf("%s: decoded %+v", p.Name, c)
		}
	}
}

// BenchmarkGet measures one GET + JSON decode through each contender:
//
//	go test -run XXX -bench Get -benchmem -count 10 | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat new.txt
func BenchmarkGet(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	for _, p := range Peers {
		get := p.New(srv.URL)
		b.Run(p.Name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := get(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
