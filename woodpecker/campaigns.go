package woodpecker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/wire"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/woodpecker/internal/api"
)

// Me describes the account the key (and company, when set) acts for, from
// GET /v1/me.
func (c *Client) Me(ctx context.Context) (Me, error) {
	ctx = runtime.WithOperation(ctx, "Me")
	return decodeAs[Me]("me")(c.get(ctx, "v1", "me"))
}

// ListMailboxes returns every SMTP and IMAP mailbox connected to the
// account (GET /v2/mailboxes; not paginated).
func (c *Client) ListMailboxes(ctx context.Context) ([]Mailbox, error) {
	ctx = runtime.WithOperation(ctx, "ListMailboxes")
	return decodeAs[[]Mailbox]("list mailboxes")(c.client().ListMailboxes(ctx, &api.ListMailboxesParams{}))
}

// GetMailbox returns one mailbox by its SMTP or IMAP id.
func (c *Client) GetMailbox(ctx context.Context, id int64) (Mailbox, error) {
	ctx = runtime.WithOperation(ctx, "GetMailbox")
	if err := checkID("get mailbox", "mailbox", id); err != nil {
		return Mailbox{}, err
	}
	return decodeAs[Mailbox]("get mailbox")(c.client().GetMailbox(ctx, id, &api.GetMailboxParams{}))
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
				return nil, fmt.Errorf("woodpecker: %s: %w: campaign status %q", opName(op), vendorkit.ErrInvalidArgument, s)
			}
			parts[i] = v
		}
		params.Status = vendorkit.Ptr(strings.Join(parts, ","))
	}
	if len(filter.IDs) > 0 {
		ids, err := joinIDs(op, "campaign", filter.IDs)
		if err != nil {
			return nil, err
		}
		params.Id = &ids
	}
	// A 204 No Content (nothing matches) decodes as an empty list.
	return decodeAs[[]CampaignSummary](op)(c.client().ListCampaignsV1(ctx, params))
}

// GetCampaign returns a v2 campaign with its settings and steps.
func (c *Client) GetCampaign(ctx context.Context, id int64) (Campaign, error) {
	ctx = runtime.WithOperation(ctx, "GetCampaign")
	if err := checkID("get campaign", "campaign", id); err != nil {
		return Campaign{}, err
	}
	return decodeAs[Campaign]("get campaign")(c.client().GetCampaign(ctx, id, &api.GetCampaignParams{}))
}

// CreateCampaign creates a campaign (in DRAFT) and returns it as stored. It
// is a POST: it is never retried once Woodpecker may have acted on it.
func (c *Client) CreateCampaign(ctx context.Context, campaign Campaign) (Campaign, error) {
	ctx = runtime.WithOperation(ctx, "CreateCampaign")
	const op = "create campaign"
	if strings.TrimSpace(campaign.Name) == "" {
		return Campaign{}, fmt.Errorf("woodpecker: %s: %w: campaign name is required", opName(op), vendorkit.ErrInvalidArgument)
	}
	campaign.ID = 0
	body, err := jsonBody(op, campaign)
	if err != nil {
		return Campaign{}, err
	}
	return decodeAs[Campaign](op)(c.client().CreateCampaignWithBody(ctx, &api.CreateCampaignParams{}, "application/json", body))
}

// UpdateCampaign changes the fields set in changes (a partial PATCH) and
// returns the campaign as stored. Only DRAFT and EDITED campaigns can be
// updated (MakeCampaignEditable); Woodpecker answers 409
// (vendorkit.ErrConflict) otherwise and for features it cannot edit over
// the API.
func (c *Client) UpdateCampaign(ctx context.Context, id int64, changes CampaignUpdate) (Campaign, error) {
	ctx = runtime.WithOperation(ctx, "UpdateCampaign")
	const op = "update campaign"
	if err := checkID(op, "campaign", id); err != nil {
		return Campaign{}, err
	}
	if changes.Name != nil && strings.TrimSpace(*changes.Name) == "" {
		return Campaign{}, fmt.Errorf("woodpecker: %s: %w: a campaign name cannot be empty", op, vendorkit.ErrInvalidArgument)
	}
	body, err := jsonBody(op, changes)
	if err != nil {
		return Campaign{}, err
	}
	return decodeAs[Campaign](op)(c.client().UpdateCampaignWithBody(ctx, id, &api.UpdateCampaignParams{}, "application/json", body))
}

// GetCampaignStats returns a campaign as the v1 campaign list shows it, with
// its statistics in Stats (GET /v1/campaign_list?id=<id>; Woodpecker adds
// them only when one id is asked for). No such campaign is an error that
// matches vendorkit.ErrNotFound.
func (c *Client) GetCampaignStats(ctx context.Context, id int64) (CampaignSummary, error) {
	ctx = runtime.WithOperation(ctx, "GetCampaignStats")
	const op = "get campaign stats"
	if err := checkID(op, "campaign", id); err != nil {
		return CampaignSummary{}, err
	}
	list, err := decodeAs[[]CampaignSummary](op)(c.client().ListCampaignsV1(ctx, &api.ListCampaignsV1Params{Id: vendorkit.Ptr(strconv.FormatInt(id, 10))}))
	if err != nil {
		return CampaignSummary{}, err
	}
	for _, cs := range list {
		if cs.ID == id {
			return cs, nil
		}
	}
	return CampaignSummary{}, fmt.Errorf("woodpecker: %s: %w: campaign %d", op, vendorkit.ErrNotFound, id)
}

// MakeCampaignEditable puts a campaign in the EDITED status, which
// UpdateCampaign, AddStep, UpdateStep and UpdateStepVersion need for a
// campaign that is no longer a DRAFT (POST /v2/campaigns/{id}/make_editable).
// RunCampaign starts it again.
func (c *Client) MakeCampaignEditable(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "MakeCampaignEditable")
	const op = "make campaign editable"
	if err := checkID(op, "campaign", id); err != nil {
		return err
	}
	return discardAs(op)(c.client().MakeCampaignEditable(ctx, id, &api.MakeCampaignEditableParams{}))
}

// AddStep appends step after parentID, the id of the campaign's last step
// (GetCampaign shows it): Woodpecker adds steps only at the end, and only
// while the parent step has processed no prospect. The campaign must be
// DRAFT or EDITED. step.ID and its versions' ids are ignored.
func (c *Client) AddStep(ctx context.Context, campaignID int64, parentID string, step Step) error {
	ctx = runtime.WithOperation(ctx, "AddStep")
	const op = "add step"
	if err := checkID(op, "campaign", campaignID); err != nil {
		return err
	}
	if err := checkStringID(op, "parent step", parentID); err != nil {
		return err
	}
	if step.Type != StepEmail && step.Type != StepLinkedIn {
		return fmt.Errorf("woodpecker: %s: %w: step type %q: use StepEmail or StepLinkedIn", op, vendorkit.ErrInvalidArgument, step.Type)
	}
	if step.Followup != nil {
		return fmt.Errorf("woodpecker: %s: %w: add one step at a time (Followup must be nil)", op, vendorkit.ErrInvalidArgument)
	}
	if err := checkDeliveryTime(op, step.DeliveryTime, false); err != nil {
		return err
	}
	step.ID = ""
	if step.Body != nil {
		body := *step.Body
		body.Versions = append([]StepVersion(nil), body.Versions...)
		for i := range body.Versions {
			body.Versions[i].ID, body.Versions[i].Version = "", ""
		}
		step.Body = &body
	}
	body, err := jsonBody(op, struct {
		ParentID string `json:"parent_id"`
		Step     Step   `json:"step"`
	}{parentID, step})
	if err != nil {
		return err
	}
	// A POST: never repeated once Woodpecker may have added the step.
	return discardAs(op)(c.client().AddCampaignStepWithBody(ctx, campaignID, &api.AddCampaignStepParams{}, "application/json", body))
}

// UpdateStep replaces a step's delivery times: days left out of
// deliveryTime are removed (PATCH /v2/campaigns/{id}/steps/{step_id}). At
// least one day is needed, each with 1…3 windows.
func (c *Client) UpdateStep(ctx context.Context, campaignID int64, stepID string, deliveryTime DeliveryTime) error {
	ctx = runtime.WithOperation(ctx, "UpdateStep")
	const op = "update step"
	if err := checkID(op, "campaign", campaignID); err != nil {
		return err
	}
	if err := checkStringID(op, "step", stepID); err != nil {
		return err
	}
	if err := checkDeliveryTime(op, deliveryTime, true); err != nil {
		return err
	}
	body, err := jsonBody(op, struct {
		DeliveryTime DeliveryTime `json:"delivery_time"`
	}{deliveryTime})
	if err != nil {
		return err
	}
	return discardAs(op)(c.client().UpdateCampaignStepWithBody(ctx, campaignID, stepID, &api.UpdateCampaignStepParams{}, "application/json", body))
}

// UpdateStepVersion changes the fields set in changes of one version of an
// EMAIL step (subject, message, signature, open tracking) or a LINKEDIN
// step (message only). stepID and versionID are the string ids GetCampaign
// shows. Setting nothing is an error (nothing is sent).
func (c *Client) UpdateStepVersion(ctx context.Context, campaignID int64, stepID, versionID string, changes StepVersionUpdate) error {
	ctx = runtime.WithOperation(ctx, "UpdateStepVersion")
	const op = "update step version"
	if err := checkID(op, "campaign", campaignID); err != nil {
		return err
	}
	if err := checkStringID(op, "step", stepID); err != nil {
		return err
	}
	if err := checkStringID(op, "version", versionID); err != nil {
		return err
	}
	if changes == (StepVersionUpdate{}) {
		return fmt.Errorf("woodpecker: %s: %w: no change set", op, vendorkit.ErrInvalidArgument)
	}
	if s := changes.Signature; s != nil && *s != SignatureSender && *s != SignatureNone {
		return fmt.Errorf("woodpecker: %s: %w: signature %q: use SignatureSender or SignatureNone", op, vendorkit.ErrInvalidArgument, *s)
	}
	body, err := jsonBody(op, changes)
	if err != nil {
		return err
	}
	return discardAs(op)(c.client().UpdateCampaignStepVersionWithBody(ctx, campaignID, stepID, versionID, &api.UpdateCampaignStepVersionParams{}, "application/json", body))
}

// weekdays are the keys of a DeliveryTime.
var weekdays = []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}

// checkDeliveryTime validates day names and window counts; required says
// at least one day must be set.
func checkDeliveryTime(op string, dt DeliveryTime, required bool) error {
	if required && len(dt) == 0 {
		return fmt.Errorf("woodpecker: %s: %w: delivery time needs at least one day", op, vendorkit.ErrInvalidArgument)
	}
	for day, windows := range dt {
		if !slices.Contains(weekdays, day) {
			return fmt.Errorf("woodpecker: %s: %w: delivery day %q: use MONDAY … SUNDAY", op, vendorkit.ErrInvalidArgument, day)
		}
		if len(windows) == 0 || len(windows) > 3 {
			return fmt.Errorf("woodpecker: %s: %w: %s has %d windows: 1…3 allowed", op, vendorkit.ErrInvalidArgument, day, len(windows))
		}
	}
	return nil
}

// checkStringID refuses a string id (step, version, domain…) that cannot be
// one path segment.
func checkStringID(op, what, id string) error {
	if err := wire.CheckID(what+" id", id); err != nil {
		return fmt.Errorf("woodpecker: %s: %w", op, err)
	}
	return nil
}

// DeleteCampaign deletes a campaign.
func (c *Client) DeleteCampaign(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "DeleteCampaign")
	if err := checkID("delete campaign", "campaign", id); err != nil {
		return err
	}
	return discardAs("delete campaign")(c.client().DeleteCampaign(ctx, id, &api.DeleteCampaignParams{}))
}

// RunCampaign starts (or resumes) a campaign.
func (c *Client) RunCampaign(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "RunCampaign")
	if err := checkID("run campaign", "campaign", id); err != nil {
		return err
	}
	return discardAs("run campaign")(c.client().RunCampaign(ctx, id, &api.RunCampaignParams{}))
}

// PauseCampaign pauses a running campaign.
func (c *Client) PauseCampaign(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "PauseCampaign")
	if err := checkID("pause campaign", "campaign", id); err != nil {
		return err
	}
	return discardAs("pause campaign")(c.client().PauseCampaign(ctx, id, &api.PauseCampaignParams{}))
}

// StopCampaign stops a campaign for good.
func (c *Client) StopCampaign(ctx context.Context, id int64) error {
	ctx = runtime.WithOperation(ctx, "StopCampaign")
	if err := checkID("stop campaign", "campaign", id); err != nil {
		return err
	}
	return discardAs("stop campaign")(c.client().StopCampaign(ctx, id, &api.StopCampaignParams{}))
}

// jsonBody marshals v for a request body.
func jsonBody(op string, v any) (*bytes.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("woodpecker: %s: %w: %v", opName(op), vendorkit.ErrInvalidArgument, err)
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
