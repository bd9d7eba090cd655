package woodpecker_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
)

// An agency's HQ key acts for two client companies: one client per company,
// derived cheaply from the HQ client, each sending x-company-id.
func ExampleClient_ForCompany() {
	t := vendorkittest.Standalone() // in a test, pass your *testing.T
	defer t.Close()
	srv := woodpeckertest.NewServer(t)
	raviga := srv.AddCompany("Raviga Capital", true)

	ctx := context.Background()
	kit, _ := vendorkit.New()
	hq, err := woodpecker.New(kit, woodpeckertest.HQKey, woodpecker.WithBaseURL(srv.URL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range []int64{woodpeckertest.ActiveCompanyID, raviga} {
		company, err := hq.ForCompany(id)
		if err != nil {
			fmt.Println(err)
			return
		}
		me, err := company.Me(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		boxes, err := company.ListMailboxes(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d mailbox(es)\n", me.CompanyName, len(boxes))
	}

	inactive, _ := hq.ForCompany(woodpeckertest.InactiveCompanyID)
	_, err = inactive.ListMailboxes(ctx)
	fmt.Println(errors.Is(err, woodpecker.ErrCompanyInactive), errors.Is(err, vendorkit.ErrConflict))
	// Output:
	// Hooli: 1 mailbox(es)
	// Raviga Capital: 0 mailbox(es)
	// true true
}

// Find a prospect by e-mail and add new ones to a campaign.
func ExampleClient_FindProspectByEmail() {
	t := vendorkittest.Standalone()
	defer t.Close()
	srv := woodpeckertest.NewServer(t)
	ctx := context.Background()
	wp, _ := woodpecker.New(vendorkittest.NewClient(t), woodpeckertest.HQKey, woodpecker.WithBaseURL(srv.URL()))

	p, err := wp.FindProspectByEmail(ctx, "jared@piedpiper.com")
	fmt.Println(p.FirstName, p.Status, err)

	_, err = wp.FindProspectByEmail(ctx, "nobody@example.com")
	fmt.Println(errors.Is(err, vendorkit.ErrNotFound))

	res, err := wp.AddProspectsToCampaign(ctx, woodpeckertest.HQCampaignID, woodpecker.CampaignImport{
		Prospects: []woodpecker.Prospect{{Email: "big.head@piedpiper.com", FirstName: "Nelson", Snippets: map[int]string{1: "Hooli XYZ"}}},
	})
	fmt.Println(res.Prospects[0].Email, res.Prospects[0].Status, err)
	// Output:
	// Jared ACTIVE <nil>
	// true
	// big.head@piedpiper.com OK <nil>
}

// Page through team members; pages are numbered from 1 on every endpoint.
func ExampleClient_AllUsers() {
	t := vendorkittest.Standalone()
	defer t.Close()
	srv := woodpeckertest.NewServer(t)
	srv.SetPageSize(2)
	wp, _ := woodpecker.New(vendorkittest.NewClient(t), woodpeckertest.HQKey, woodpecker.WithBaseURL(srv.URL()))

	for u, err := range wp.AllUsers(context.Background(), woodpecker.ListUsersOptions{}) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(u.ID, u.Name, u.Role)
	}
	// Output:
	// 1 Richard Hendricks admin
	// 2 Dinesh Chugtai user
	// 3 Bertram Gilfoyle admin
}
