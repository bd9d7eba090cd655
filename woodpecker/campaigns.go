package woodpecker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/woodpecker/internal/api"
)

// Me describes the account the key (and company, when set) acts for, from
// GET /v1/me.
func (c *Client) Me(ctx context.Context) (Me, error) {
	ctx = runtime.WithOperation(ctx, "Me")
	return decodeAs[Me]("me")(c.api.GetMe(ctx, &api.GetMeParams{}))
}

// ListMailboxes returns every SMTP and IMAP mailbox connected to the
// account (GET /v2/mailboxes; not paginated).
func (c *Client) ListMailboxes(ctx context.Context) ([]Mailbox, error) {
	ctx = runtime.WithOperation(ctx, "ListMailboxes")
	return decodeAs[[]Mailbox]("list mailboxes")(c.api.ListMailboxes(ctx, &api.ListMailboxesParams{}))
}

// GetMailbox returns one mailbox by its SMTP or IMAP id.
func (c *Client) GetMailbox(ctx context.Context, id int64) (Mailbox, error) {
	ctx = runtime.WithOperation(ctx, "GetMailbox")
	if err := checkID("get mailbox", "mailbox", id); err != nil {
		return Mailbox{}, err
	}
	return decodeAs[Mailbox]("get mailbox")(c.api.GetMailbox(ctx, id, &api.GetMailboxParams{}))
}

// CampaignFilter narrows ListCampaigns; the zero filter lists every
// campaign.
type CampaignFilter struct {
	// Statuses keeps campaigns in any of these states.
	Statuses []CampaignStatus
	// IDs keeps these campaigns (with one id, Woodpecker adds statistics).
	IDs []int64
}

// ListCampaigns lists campaigns with the v1 campaign list (GET
// /v1/campaign_list). No match is an empty list, not an error.
func (c *Client) ListCampaigns(ctx context.Context, filter CampaignFilter) ([]CampaignSummary, error) {
	ctx = runtime.WithOperation(ctx, "ListCampaigns")
	const op = "list campaigns"
	params := &api.ListCampaignsV1Params{}
	if len(filter.Statuses) > 0 {
		parts := make([]string, len(filter.Statuses))
		for i, s := range filter.Statuses {
			v := strings.ToUpper(strings.TrimSpace(string(s)))
			if v == "" || strings.ContainsAny(v, ", ") {
				return nil, fmt.Errorf("woodpecker: %s: %w: campaign status %q", op, vendorkit.ErrInvalidArgument, s)
			}
			parts[i] = v
		}
		params.Status = ptr(strings.Join(parts, ","))
	}
	if len(filter.IDs) > 0 {
		ids, err := joinIDs(op, "campaign", filter.IDs)
		if err != nil {
			return nil, err
		}
		params.Id = &ids
	}
	// A 204 No Content (nothing matches) decodes as an empty list.
	return decodeAs[[]CampaignSummary](op)(c.api.ListCampaignsV1(ctx, params))
}

// GetCampaign returns a v2 campaign with its settings and steps.
func (c *Client) GetCampaign(ctx context.Context, id int64) (Campaign, error) {
	ctx = runtime.WithOperation(ctx, "GetCampaign")
	if err := checkID("get campaign", "campaign", id); err != nil {
		return Campaign{}, err
	}
	return decodeAs[Campaign]("get campaign")(c.api.GetCampaign(ctx, id, &api.GetCampaignParams{}))
}

// CreateCampaign creates a campaign (in DRAFT) and returns it as stored. It
// is a POST: it is never retried once Woodpecker may have acted on it.
func (c *Client) CreateCampaign(ctx context.Context, campaign Campaign) (Campaign, error) {
	ctx = runtime.WithOperation(ctx, "CreateCampaign")
	const op = "create campaign"
	if strings.TrimSpace(campaign.Name) == "" {
		return Campaign{}, fmt.Errorf("woodpecker: %s: %w: campaign name is required", op, vendorkit.ErrInvalidArgument)
	}
	campaign.ID = 0
	body, err := jsonBody(op, campaign)
	if err != nil {
		return Campaign{}, err
	}
	return decodeAs[Campaign](op)(c.api.CreateCampaignWithBody(ctx, &api.CreateCampaignParams{}, "application/json", body))
}

// UpdateCampaign changes the fields set in changes (PATCH) and returns the
// campaign as stored. Woodpecker answers 409 (vendorkit.ErrConflict) for
// features it cannot edit over the API.
func (c *Client) UpdateCampaign(ctx context.Context, id int64, changes Campaign) (Campaign, error) {
	ctx = runtime.WithOperation(ctx, "UpdateCampaign")
	const op = "update campaign"
	if err := checkID(op, "campaign", id); err != nil {
		return Campaign{}, err
	}
	changes.ID = 0
	body, err := jsonBody(op, changes)
	if err != nil {
		return Campaign{}, err
	}
	return decodeAs[Campaign](op)(c.api.UpdateCampaignWithBody(ctx, id, &api.UpdateCampaignParams{}, "application/json", body))
}

// DeleteCampaign deletes a campaign.
func (c *Client) DeleteCampaign(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "DeleteCampaign")
	if err := checkID("delete campaign", "campaign", id); err != nil {
		return err
	}
	return discardAs("delete campaign")(c.api.DeleteCampaign(ctx, id, &api.DeleteCampaignParams{}))
}

// RunCampaign starts (or resumes) a campaign.
func (c *Client) RunCampaign(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "RunCampaign")
	if err := checkID("run campaign", "campaign", id); err != nil {
		return err
	}
	return discardAs("run campaign")(c.api.RunCampaign(ctx, id, &api.RunCampaignParams{}))
}

// PauseCampaign pauses a running campaign.
func (c *Client) PauseCampaign(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "PauseCampaign")
	if err := checkID("pause campaign", "campaign", id); err != nil {
		return err
	}
	return discardAs("pause campaign")(c.api.PauseCampaign(ctx, id, &api.PauseCampaignParams{}))
}

// StopCampaign stops a campaign for good.
func (c *Client) StopCampaign(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "StopCampaign")
	if err := checkID("stop campaign", "campaign", id); err != nil {
		return err
	}
	return discardAs("stop campaign")(c.api.StopCampaign(ctx, id, &api.StopCampaignParams{}))
}

// jsonBody marshals v for a request body.
func jsonBody(op string, v any) (*bytes.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("woodpecker: %s: %w: %v", op, vendorkit.ErrInvalidArgument, err)
	}
	return bytes.NewReader(b), nil
}

// joinIDs renders ids as a comma-separated list, rejecting ids ≤ 0.
func joinIDs(op, what string, ids []int64) (string, error) {
	parts := make([]string, len(ids))
	for i, id := range ids {
		if err := checkID(op, what, id); err != nil {
			return "", err
		}
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ","), nil
}

func ptr[T any](v T) *T { return &v }
