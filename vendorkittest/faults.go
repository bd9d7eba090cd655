package vendorkittest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// Fault is a misbehaviour the server shows for the next Times matching
// requests. Exactly what happens depends on the fields set:
//   - Status: answer Status with Header and Body, without calling the route;
//   - Reset: close the connection without answering (a TCP reset);
//   - Delay: wait before serving (the request context still ends it);
//   - Truncate: serve the route but send only half of its body, then cut the
//     connection while the declared Content-Length promised more;
//   - SlowBody: serve the route's body in 16-byte chunks, SlowBody apart.
//
// Faults compose as a queue: each request takes the first pending fault that
// matches it (Match) and uses up one of its Times; a fault used up leaves the
// queue. So FailNext(2, 503, …) followed by ResetNext(1) gives two 503s, one
// reset, then normal answers; a fault whose Match skips a request leaves it
// to the faults behind it. ClearFaults empties the queue, e.g. between
// subtests that share one server. Every fake (woofedtest, …) embeds this
// Server, so FailNext, ResetNext, Inject and ClearFaults work the same on all
// of them.
type Fault struct {
	// Match selects requests; nil matches every request.
	Match func(*http.Request) bool
	// Times is how many matching requests the fault applies to; 0 means 1,
	// a negative value means forever.
	Times int

	Status   int
	Header   http.Header
	Body     []byte
	Reset    bool
	Delay    time.Duration
	Truncate bool
	SlowBody time.Duration
}

// Inject appends f to the queue of faults; they apply in the order added.
func (s *Server) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// FailNext answers the next n requests with status and body (and a
// Retry-After header when retryAfter is not empty).
func (s *Server) FailNext(n, status int, body string, retryAfter string) {
	h := http.Header{}
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	if len(body) > 0 && (body[0] == '{' || body[0] == '[') {
		h.Set("Content-Type", "application/json")
	}
	s.Inject(Fault{Times: n, Status: status, Header: h, Body: []byte(body)})
}

// ResetNext resets the connection of the next n requests.
func (s *Server) ResetNext(n int) { s.Inject(Fault{Times: n, Reset: true}) }

// ClearFaults removes every pending fault, used up or not: the next request
// is served normally.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault returns the first pending fault matching r and uses up one of its
// Times. s.mu is held.
func (s *Server) takeFault(r *http.Request) *Fault {
	for i, f := range s.faults {
		if f.Match != nil && !f.Match(r) {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f
	}
	return nil
}

func (f *Fault) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if f.Delay > 0 && !sleep(r.Context(), f.Delay) {
		return
	}
	switch {
	case f.Reset:
		resetConn(w)
		return
	case f.Status != 0:
		for k, v := range f.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write(f.Body)
		return
	case f.Truncate || f.SlowBody > 0:
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		body := rec.Body.Bytes()
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		if f.Truncate {
			_, _ = w.Write(body[:len(body)/2])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			panic(http.ErrAbortHandler) // cut the connection mid-body
		}
		for len(body) > 0 {
			n := min(16, len(body))
			_, _ = w.Write(body[:n])
			body = body[n:]
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			if len(body) > 0 && !sleep(r.Context(), f.SlowBody) {
				return
			}
		}
		return
	}
	next.ServeHTTP(w, r)
}

// resetConn closes the client connection abruptly (RST, no answer).
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
