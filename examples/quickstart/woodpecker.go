package main

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

func init() { demos = append(demos, demo{"woodpecker", runWoodpecker}) }

// runWoodpecker reads the account, its mailboxes and campaigns, acts for a
// client company with the HQ key and fires a burst of concurrent calls that
// the client paces under Woodpecker's one-at-a-time limit. It runs against
// the fake unless WOODPECKER_API_KEY is set (then read-only against
// Woodpecker at WOODPECKER_BASE_URL or the default, acting for
// WOODPECKER_COMPANY_ID when set).
func runWoodpecker(ctx context.Context, kit *vendorkit.Client, out *printer) error {
	key := os.Getenv("WOODPECKER_API_KEY")
	base := os.Getenv("WOODPECKER_BASE_URL")
	var company int64
	if v := os.Getenv("WOODPECKER_COMPANY_ID"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errors.New("WOODPECKER_COMPANY_ID must be a number")
		}
		company = id
	}
	var srv *woodpeckertest.Server
	if key == "" {
		t := vendorkittest.Standalone()
		defer t.Close()
		srv = woodpeckertest.NewServer(t, woodpeckertest.WithProcessingTime(2*time.Millisecond))
		key, base, company = woodpeckertest.HQKey, srv.URL(), woodpeckertest.ActiveCompanyID
		out.Printf("fake Woodpecker at %s (set WOODPECKER_API_KEY to use the real API)", base)
	}
	var opts []woodpecker.Option
	if base != "" {
		opts = append(opts, woodpecker.WithBaseURL(base))
	}
	wp, err := woodpecker.New(kit, key, opts...)
	if err != nil {
		return err
	}

	me, err := wp.Me(ctx)
	if err != nil {
		return err
	}
	out.Printf("key of %q (company %d)", me.CompanyName, me.CompanyID)
	boxes, err := wp.ListMailboxes(ctx)
	if err != nil {
		return err
	}
	out.Printf("%d mailbox(es)", len(boxes))
	campaigns, err := wp.ListCampaigns(ctx, woodpecker.CampaignFilter{})
	if err != nil {
		return err
	}
	for _, c := range campaigns {
		out.Printf("  campaign %d %q %s, created %s", c.ID, c.Name, c.Status, c.Created.Format(time.DateOnly))
	}

	if company != 0 {
		view, err := wp.ForCompany(company)
		if err != nil {
			return err
		}
		cm, err := view.Me(ctx)
		switch {
		case errors.Is(err, woodpecker.ErrHQKeyRequired):
			out.Printf("company %d: this key is not an agency HQ key", company)
		case err != nil:
			return err
		default:
			out.Printf("acting for company %d %q with the HQ key (x-company-id)", company, cm.CompanyName)
		}
	}

	if srv == nil {
		return nil
	}
	// A burst of 30 concurrent calls: the client keeps one in flight, so
	// Woodpecker's queue of 6 never overflows.
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := wp.ListMailboxes(ctx); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	out.Printf("burst of 30 concurrent calls: %d failed, %d dropped by the server, %v",
		failed, srv.Queue().Stats().Dropped, time.Since(start).Round(time.Millisecond))
	return nil
}
