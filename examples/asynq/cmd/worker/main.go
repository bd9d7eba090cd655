// Command worker runs the example's Asynq tasks: it syncs each tenant's
// Deskwoot conversations into Woofed CRM, with one vendorkit.Client per
// process and rate limits shared by the fleet through Redis. SIGTERM stops
// it gracefully: running tasks finish, or go back to the queue.
//
//	go run ./cmd/worker -redis 127.0.0.1:6379 -tenants tenants.json
package main

import (
	"fmt"
	"os"

	"github.com/vendorkit/vendorkit/examples/asynq/internal/workercmd"
)

func main() {
	if err := workercmd.Main(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}
