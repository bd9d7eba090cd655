package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/vendorkit/vendorkit"
)

// replayTransport answers every request with a recorded answer, in memory.
type replayTransport struct{ r *recorded }

func (c replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: c.r.status, Header: http.Header{"Content-Type": {c.r.contentType}},
		Body: io.NopCloser(bytes.NewReader(c.r.body)), ContentLength: int64(len(c.r.body)), Request: req}, nil
}

// BenchmarkFacadeInMemory measures each facade call and its hand-written
// twin on an in-memory transport that replays the vendor's answer: without
// sockets, what is left is the client-side work of each contender.
//
//	go test -run XXX -bench FacadeInMemory -benchmem -count 5
func BenchmarkFacadeInMemory(b *testing.B) {
	for _, fc := range Facades {
		fb, err := NewFacadeBench(fc)
		if err != nil {
			b.Fatal(err)
		}
		fb.Close()
		tr := replayTransport{fb.answer}
		kit, err := vendorkit.New(vendorkit.WithTransport(tr))
		if err != nil {
			b.Fatal(err)
		}
		facade, err := fb.Facade(kit)
		if err != nil {
			b.Fatal(err)
		}
		client := &http.Client{Transport: tr}
		r := fb.answer
		target := "http://127.0.0.1:1" + r.path
		if r.rawQuery != "" {
			target += "?" + r.rawQuery
		}
		twin := func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, r.method, target, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "x")
			req.Header.Set("Accept", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return fb.decode(resp.Body)
		}
		for _, c := range []struct {
			name string
			call Call
		}{{"net-http", twin}, {"facade", facade}} {
			b.Run(fc.Name+"/"+c.name, func(b *testing.B) {
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
}
