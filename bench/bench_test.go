package bench

import (
	"context"
	"testing"

	"github.com/vendorkit/vendorkit"
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

// TestFacadeBenchesWork checks that each facade case and its hand-written
// twin succeed against the replayed answer.
func TestFacadeBenchesWork(t *testing.T) {
	kit, err := vendorkit.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range Facades {
		b, err := NewFacadeBench(fc)
		if err != nil {
			t.Fatalf("%s: %v", fc.Name, err)
		}
		call, err := b.Facade(kit)
		if err != nil {
			t.Fatalf("%s: %v", fc.Name, err)
		}
		if err := call(context.Background()); err != nil {
			t.Errorf("%s facade: %v", fc.Name, err)
		}
		if err := b.NetHTTP(context.Background()); err != nil {
			t.Errorf("%s net/http: %v", fc.Name, err)
		}
		b.Close()
	}
}

// BenchmarkFacade measures each vendor's facade call against net/http (no
// observer; see cmd/facades for the observer's cost):
//
//	go test -run XXX -bench Facade -benchmem -count 8
func BenchmarkFacade(b *testing.B) {
	kit, err := vendorkit.New()
	if err != nil {
		b.Fatal(err)
	}
	for _, fc := range Facades {
		fb, err := NewFacadeBench(fc)
		if err != nil {
			b.Fatal(err)
		}
		facade, err := fb.Facade(kit)
		if err != nil {
			b.Fatal(err)
		}
		runCalls(b, fc.Name, fb.NetHTTP, facade)
		fb.Close()
	}
}

// runCalls runs name/net-http and name/facade.
func runCalls(b *testing.B, name string, netHTTP, facade Call) {
	for _, c := range []struct {
		name string
		call Call
	}{{"net-http", netHTTP}, {"facade", facade}} {
		b.Run(name+"/"+c.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := c.call(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
