// Command producer enqueues one sync per tenant (run it from cron, or keep
// it in your app): each sync lists the tenant's Deskwoot conversations in a
// worker and enqueues one task per conversation.
//
//	go run ./cmd/producer -redis 127.0.0.1:6379 -tenants tenants.json
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"

	"github.com/hibiken/asynq"

	"github.com/vendorkit/vendorkit/examples/asynq/jobs"
)

func main() {
	addr := flag.String("redis", "127.0.0.1:6379", "Redis address (host:port) of the queue")
	tenantsPath := flag.String("tenants", "", "JSON file of the tenants (only their names are used here)")
	flag.Parse()
	if err := run(*addr, *tenantsPath); err != nil {
		fmt.Fprintln(os.Stderr, "producer:", err)
		os.Exit(1)
	}
}

func run(addr, tenantsPath string) error {
	tenants, err := jobs.LoadTenants(tenantsPath)
	if err != nil {
		return err
	}
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: addr})
	defer func() { _ = client.Close() }()
	names := make([]string, 0, len(tenants))
	for name := range tenants {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		info, err := client.Enqueue(jobs.NewSyncTenantTask(name))
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", name, err)
		}
		fmt.Printf("enqueued %s for %s\n", info.ID, name)
	}
	return nil
}
