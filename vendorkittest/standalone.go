package vendorkittest

import (
	"fmt"
	"os"
	"sync"
)

// T is the part of testing.TB that the fakes use; *testing.T, *testing.B and
// *testing.F satisfy it, and Standalone provides one outside tests.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// StandaloneT is a T for programs that run fakes outside `go test` (the
// quickstart, demos): errors go to stderr, and Close runs the cleanups.
type StandaloneT struct {
	mu       sync.Mutex
	cleanups []func()
	failed   bool
}

// Standalone returns a T for use outside tests. Call Close when done.
func Standalone() *StandaloneT { return &StandaloneT{} }

// Helper does nothing.
func (*StandaloneT) Helper() {}

// Errorf prints the message to stderr and marks the run failed.
func (s *StandaloneT) Errorf(format string, args ...any) {
	s.mu.Lock()
	s.failed = true
	s.mu.Unlock()
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// Fatalf prints the message to stderr and exits with status 1.
func (s *StandaloneT) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// Cleanup registers f to run at Close, last registered first.
func (s *StandaloneT) Cleanup(f func()) {
	s.mu.Lock()
	s.cleanups = append(s.cleanups, f)
	s.mu.Unlock()
}

// Failed reports whether Errorf was called.
func (s *StandaloneT) Failed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// Close runs the registered cleanups.
func (s *StandaloneT) Close() {
	s.mu.Lock()
	fs := s.cleanups
	s.cleanups = nil
	s.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}
