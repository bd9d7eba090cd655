package bench

import (
	"bytes"
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
		twin := fb.twin(&http.Client{Transport: tr}, "http://127.0.0.1:1"+fb.target)
		runCalls(b, fc.Name, twin, facade)
	}
}
