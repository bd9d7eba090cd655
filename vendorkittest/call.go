package vendorkittest

import (
	"bytes"
	"context"
	"io"
	"net/http"
)

// Call sends a raw request to the fake, bypassing any SDK client, and
// returns the answer's status and body: for tests that compare a fake's
// wire answers with a vendor's documented examples. path is relative to
// the prefix; header carries the credential as the vendor wants it. A
// transport error fails the test.
func (s *Server) Call(t T, method, path string, body []byte, header http.Header) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, s.URL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("vendorkittest: %s %s: %v", method, path, err)
		return 0, nil
	}
	for k, vs := range header {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("vendorkittest: %s %s: %v", method, path, err)
		return 0, nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("vendorkittest: %s %s: reading the answer: %v", method, path, err)
	}
	return resp.StatusCode, b
}
