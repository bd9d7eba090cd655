package woodpecker

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/paging"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/woodpecker/internal/api"
)

// Limits documented by Woodpecker.
const (
	// MaxPerPage is the largest page of prospects (v1 per_page).
	MaxPerPage = 1000
	// DefaultPerPage is the page size Woodpecker uses when none is given.
	DefaultPerPage = 100
	// MaxImport is the most prospects one import request may carry.
	MaxImport = 20000
)

// ProspectQuery filters and pages ListProspects (GET /v1/prospects). The
// zero query lists every prospect, DefaultPerPage at a time.
type ProspectQuery struct {
	// Page is the 1-based page; 0 means 1.
	Page int
	// PerPage is the page size, at most MaxPerPage; 0 means DefaultPerPage.
	PerPage int
	// Sort is Woodpecker's sort expression, e.g. "+company,-last_contacted".
	Sort string
	// IDs keeps these prospects.
	IDs []int64
	// Status keeps prospects with this global status.
	Status ProspectStatus
	// CampaignIDs keeps prospects of these campaigns.
	CampaignIDs []int64
	// Activity is Woodpecker's activity filter (e.g. OPENED, CLICKED).
	Activity string
	// Search matches fields exactly as Woodpecker's search=field=value,…
	// parameter does, e.g. {"email": "x@y.com"}. Values may not hold commas.
	Search map[string]string
	// CampaignsDetails asks for each prospect's per-campaign details (kept in
	// Prospect.Extra).
	CampaignsDetails bool
}

// params checks q and renders it as query parameters.
func (q ProspectQuery) params(op string) (*api.ListProspectsParams, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("woodpecker: %s: %w: "+format, append([]any{opName(op), vendorkit.ErrInvalidArgument}, args...)...)
	}
	p := &api.ListProspectsParams{}
	switch {
	case q.Page < 0:
		return nil, bad("page %d: pages are numbered from 1", q.Page)
	case q.Page > 0:
		p.Page = vendorkit.Ptr(q.Page)
	}
	switch {
	case q.PerPage < 0 || q.PerPage > MaxPerPage:
		return nil, bad("per page %d: must be 1…%d", q.PerPage, MaxPerPage)
	case q.PerPage > 0:
		p.PerPage = vendorkit.Ptr(q.PerPage)
	}
	if q.Sort != "" {
		p.Sort = vendorkit.Ptr(q.Sort)
	}
	if len(q.IDs) > 0 {
		ids, err := joinIDs(op, "prospect", q.IDs)
		if err != nil {
			return nil, err
		}
		p.Id = &ids
	}
	if q.Status != "" {
		p.Status = vendorkit.Ptr(string(q.Status))
	}
	if len(q.CampaignIDs) > 0 {
		ids, err := joinIDs(op, "campaign", q.CampaignIDs)
		if err != nil {
			return nil, err
		}
		p.CampaignsId = &ids
	}
	if q.Activity != "" {
		p.Activity = vendorkit.Ptr(q.Activity)
	}
	if len(q.Search) > 0 {
		s, err := searchParam(q.Search)
		if err != nil {
			return nil, bad("%v", err)
		}
		p.Search = &s
	}
	if q.CampaignsDetails {
		p.CampaignsDetails = vendorkit.Ptr(true)
	}
	return p, nil
}

// searchParam renders Woodpecker's search value "field=value,field2=value2"
// with the fields sorted. The query string escapes it as a whole
// (search=email%3Dx%40y.com).
func searchParam(terms map[string]string) (string, error) {
	fields := make([]string, 0, len(terms))
	for f := range terms {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		v := strings.TrimSpace(terms[f])
		name := strings.TrimSpace(f)
		if name == "" || strings.ContainsAny(name, "=,& ") {
			return "", fmt.Errorf("search field %q: must be a plain field name", f)
		}
		if v == "" || strings.Contains(v, ",") {
			return "", fmt.Errorf("search value for %s: must be non-empty and without commas", name)
		}
		parts = append(parts, name+"="+v)
	}
	return strings.Join(parts, ","), nil
}

// ListProspects returns one page of prospects. An empty page (Woodpecker's
// 204 No Content) is a page with no items, not an error. Total comes from
// X-Total-Count when Woodpecker sends it.
func (c *Client) ListProspects(ctx context.Context, q ProspectQuery) (Page[Prospect], error) {
	ctx = runtime.WithOperation(ctx, "ListProspects")
	return c.listProspects(ctx, "list prospects", q)
}

func (c *Client) listProspects(ctx context.Context, op string, q ProspectQuery) (Page[Prospect], error) {
	params, err := q.params(op)
	if err != nil {
		return Page[Prospect]{}, err
	}
	resp, err := c.client().ListProspects(ctx, params)
	var header http.Header
	if err == nil {
		header = resp.Header
	}
	items, err := decodeAs[[]Prospect](op)(resp, err)
	if err != nil {
		return Page[Prospect]{}, err
	}
	page := Page[Prospect]{Items: items, Page: max(1, q.Page), PageSize: q.PerPage, Total: -1, TotalPages: -1}
	if page.PageSize == 0 {
		page.PageSize = DefaultPerPage
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(header.Get("X-Total-Count")), 10, 64); err == nil && n >= 0 {
		page.Total = n
		page.TotalPages = int((n + int64(page.PageSize) - 1) / int64(page.PageSize))
		page.More = int64(page.Page)*int64(page.PageSize) < n && len(items) > 0
	} else {
		page.More = len(items) >= page.PageSize
	}
	return page, nil
}

// AllProspects walks every page of prospects matching q, from q.Page on,
// fetching each page only as the loop asks for more.
func (c *Client) AllProspects(ctx context.Context, q ProspectQuery) iter.Seq2[Prospect, error] {
	return paging.All(ctx, max(1, q.Page), func(ctx context.Context, page int) ([]Prospect, bool, error) {
		q.Page = page
		p, err := c.listProspects(ctx, "list prospects", q)
		return p.Items, p.More, err
	})
}

// FindProspectByEmail returns the prospect with this e-mail address. It
// searches with search=email=<address> (a bare email= parameter is ignored by
// Woodpecker, which would return the whole database). No such prospect is
// ErrProspectNotFound, which matches vendorkit.ErrNotFound.
func (c *Client) FindProspectByEmail(ctx context.Context, email string) (Prospect, error) {
	ctx = runtime.WithOperation(ctx, "FindProspectByEmail")
	const op = "find prospect by email"
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") || strings.ContainsAny(email, ", \t\r\n") {
		return Prospect{}, fmt.Errorf("woodpecker: %s: %w: not an e-mail address", opName(op), vendorkit.ErrInvalidArgument)
	}
	page, err := c.listProspects(ctx, op, ProspectQuery{Search: map[string]string{"email": email}})
	if err != nil {
		return Prospect{}, err
	}
	for _, p := range page.Items {
		if strings.EqualFold(strings.TrimSpace(p.Email), email) {
			return p, nil
		}
	}
	return Prospect{}, fmt.Errorf("woodpecker: %s: %w", opName(op), ErrProspectNotFound)
}

// ProspectImport is a batch for AddProspects (POST /v1/add_prospects_list).
type ProspectImport struct {
	// Prospects to add, 1…MaxImport, each with an Email.
	Prospects []Prospect
	// Update updates prospects that already exist instead of skipping them.
	Update bool
	// FileName labels the import in Woodpecker's UI.
	FileName string
}

// CampaignImport is a batch for AddProspectsToCampaign (POST
// /v1/add_prospects_campaign).
type CampaignImport struct {
	// Prospects to add, 1…MaxImport, each with an Email.
	Prospects []Prospect
	// Update updates prospects already in the campaign.
	Update bool
	// Force adds prospects whose global status is not ACTIVE (e.g. REPLIED).
	Force bool
	// FileName labels the import in Woodpecker's UI.
	FileName string
	// SendAfter, when set, is the earliest time to e-mail them.
	SendAfter time.Time
}

// checkProspects validates an import batch.
func checkProspects(op string, ps []Prospect) error {
	if len(ps) == 0 || len(ps) > MaxImport {
		return fmt.Errorf("woodpecker: %s: %w: %d prospects: send 1…%d per request", opName(op), vendorkit.ErrInvalidArgument, len(ps), MaxImport)
	}
	for i, p := range ps {
		if strings.TrimSpace(p.Email) == "" {
			return fmt.Errorf("woodpecker: %s: %w: prospect %d has no e-mail", opName(op), vendorkit.ErrInvalidArgument, i)
		}
		for n := range p.Snippets {
			if n < 1 || n > 15 {
				return fmt.Errorf("woodpecker: %s: %w: prospect %d: snippet %d out of range 1…15", opName(op), vendorkit.ErrInvalidArgument, i, n)
			}
		}
	}
	return nil
}

// AddProspects adds prospects to the global prospect list (or updates them,
// with Update). It is a POST import: it is never retried once Woodpecker may
// have acted on it (a 5xx or a cut connection returns an error; check with
// FindProspectByEmail before sending again). A rate-limit refusal
// (E_TOO_MANY_REQUESTS) is retried: nothing was imported.
func (c *Client) AddProspects(ctx context.Context, imp ProspectImport) (ImportResult, error) {
	ctx = runtime.WithOperation(ctx, "AddProspects")
	const op = "add prospects"
	if err := checkProspects(op, imp.Prospects); err != nil {
		return ImportResult{}, err
	}
	body, err := jsonBody(op, struct {
		Update   bool       `json:"update,omitempty"`
		FileName string     `json:"file_name,omitempty"`
		Prospect []Prospect `json:"prospects"`
	}{imp.Update, imp.FileName, imp.Prospects})
	if err != nil {
		return ImportResult{}, err
	}
	return decodeAs[ImportResult](op)(c.client().AddProspectsListWithBody(ctx, &api.AddProspectsListParams{}, "application/json", body))
}

// AddProspectsToCampaign adds prospects to a campaign (creating them in the
// global list when new). Like AddProspects it is never retried once
// Woodpecker may have acted on it.
func (c *Client) AddProspectsToCampaign(ctx context.Context, campaignID int64, imp CampaignImport) (ImportResult, error) {
	ctx = runtime.WithOperation(ctx, "AddProspectsToCampaign")
	const op = "add prospects to campaign"
	if err := checkID(op, "campaign", campaignID); err != nil {
		return ImportResult{}, err
	}
	if err := checkProspects(op, imp.Prospects); err != nil {
		return ImportResult{}, err
	}
	type target struct {
		CampaignID int64  `json:"campaign_id"`
		SendAfter  string `json:"send_after,omitempty"`
	}
	body, err := jsonBody(op, struct {
		Campaign target     `json:"campaign"`
		Force    bool       `json:"force,omitempty"`
		Update   bool       `json:"update,omitempty"`
		FileName string     `json:"file_name,omitempty"`
		Prospect []Prospect `json:"prospects"`
	}{target{campaignID, formatV1Time(imp.SendAfter)}, imp.Force, imp.Update, imp.FileName, imp.Prospects})
	if err != nil {
		return ImportResult{}, err
	}
	return decodeAs[ImportResult](op)(c.client().AddProspectsCampaignWithBody(ctx, &api.AddProspectsCampaignParams{}, "application/json", body))
}

// maxDeleteQuery bounds the query of DeleteProspects: Woodpecker refuses
// request URLs longer than 4100 characters (about 360 prospects).
const maxDeleteQuery = 4000

// DeleteProspects deletes prospects (DELETE /v1/prospects?id=…): from the
// whole account, or, when campaignIDs are given, only from those campaigns.
// Prospects that do not exist are ignored by Woodpecker. The ids must fit in
// a 4100-character URL (about 360 prospects; more is an
// ErrInvalidArgument: split the list).
func (c *Client) DeleteProspects(ctx context.Context, prospectIDs []int64, campaignIDs ...int64) error {
	ctx = runtime.WithOperation(ctx, "DeleteProspects")
	const op = "delete prospects"
	if len(prospectIDs) == 0 {
		return fmt.Errorf("woodpecker: %s: %w: no prospect id", op, vendorkit.ErrInvalidArgument)
	}
	ids, err := joinIDs(op, "prospect", prospectIDs)
	if err != nil {
		return err
	}
	params := &api.DeleteProspectsParams{Id: ids}
	n := len(ids)
	if len(campaignIDs) > 0 {
		cids, err := joinIDs(op, "campaign", campaignIDs)
		if err != nil {
			return err
		}
		params.CampaignsId = &cids
		n += len(cids)
	}
	if n > maxDeleteQuery {
		return fmt.Errorf("woodpecker: %s: %w: %d ids do not fit in Woodpecker's 4100-character URL; send fewer per call", op, vendorkit.ErrInvalidArgument, len(prospectIDs))
	}
	return discardAs(op)(c.client().DeleteProspects(ctx, params))
}
