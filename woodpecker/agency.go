package woodpecker

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strings"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/paging"
	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/woodpecker/internal/api"
)

// v2Page is the v2 list envelope.
type v2Page[T any] struct {
	Content    []T `json:"content"`
	Pagination *struct {
		TotalElements int64 `json:"total_elements"`
		TotalPages    int   `json:"total_pages"`
		PageSize      int   `json:"page_size"`
	} `json:"pagination_data"`
}

// page converts the envelope into a Page numbered from 1.
func (w v2Page[T]) page(number int) Page[T] {
	p := Page[T]{Items: w.Content, Page: number, Total: -1, TotalPages: -1}
	if w.Pagination == nil {
		return p
	}
	p.PageSize = w.Pagination.PageSize
	p.Total = w.Pagination.TotalElements
	p.TotalPages = w.Pagination.TotalPages
	p.More = len(w.Content) > 0 && number < w.Pagination.TotalPages
	return p
}

// checkPage validates a 1-based page number; 0 means 1.
func checkPage(op string, page int) (int, error) {
	if page < 0 {
		return 0, fmt.Errorf("woodpecker: %s: %w: page %d: pages are numbered from 1", opName(op), vendorkit.ErrInvalidArgument, page)
	}
	return max(1, page), nil
}

// ListUsersOptions pages ListUsers.
type ListUsersOptions struct {
	// Page is the 1-based page (Woodpecker's /v2/users counts from 0; the
	// client converts); 0 means 1.
	Page int
	// Sort is "+id" or "-id"; empty leaves Woodpecker's order.
	Sort string
}

// ListUsers returns one page of the account's team members (GET /v2/users).
func (c *Client) ListUsers(ctx context.Context, opts ListUsersOptions) (Page[User], error) {
	ctx = runtime.WithOperation(ctx, "ListUsers")
	const op = "list users"
	page, err := checkPage(op, opts.Page)
	if err != nil {
		return Page[User]{}, err
	}
	params := &api.ListUsersParams{Page: vendorkit.Ptr(page - 1)} // /v2/users pages are 0-based
	if opts.Sort != "" {
		s := api.ListUsersParamsSort(opts.Sort)
		if !s.Valid() {
			return Page[User]{}, fmt.Errorf("woodpecker: %s: %w: sort %q: use \"+id\" or \"-id\"", opName(op), vendorkit.ErrInvalidArgument, opts.Sort)
		}
		params.Sort = &s
	}
	w, err := decodeAs[v2Page[User]](op)(c.client().ListUsers(ctx, params))
	if err != nil {
		return Page[User]{}, err
	}
	return w.page(page), nil
}

// AllUsers walks every page of team members from opts.Page on.
func (c *Client) AllUsers(ctx context.Context, opts ListUsersOptions) iter.Seq2[User, error] {
	return paging.All(ctx, max(1, opts.Page), func(ctx context.Context, page int) ([]User, bool, error) {
		opts.Page = page
		p, err := c.ListUsers(ctx, opts)
		return p.Items, p.More, err
	})
}

// ListCompaniesOptions filters and pages ListCompanies.
type ListCompaniesOptions struct {
	// Page is the 1-based page; 0 means 1.
	Page int
	// Active, when set, keeps only active (true) or inactive (false)
	// companies.
	Active *bool
}

// ListCompanies returns one page of the agency's client companies (GET
// /v2/agency/companies). It needs the agency HQ key and always acts for the
// HQ, even on a ForCompany client.
func (c *Client) ListCompanies(ctx context.Context, opts ListCompaniesOptions) (Page[Company], error) {
	ctx = runtime.WithOperation(ctx, "ListCompanies")
	const op = "list companies"
	page, err := checkPage(op, opts.Page)
	if err != nil {
		return Page[Company]{}, err
	}
	w, err := decodeAs[v2Page[Company]](op)(c.hqClient().ListCompanies(ctx, &api.ListCompaniesParams{Page: &page, Active: opts.Active}))
	if err != nil {
		return Page[Company]{}, err
	}
	return w.page(page), nil
}

// AllCompanies walks every page of client companies from opts.Page on.
func (c *Client) AllCompanies(ctx context.Context, opts ListCompaniesOptions) iter.Seq2[Company, error] {
	return paging.All(ctx, max(1, opts.Page), func(ctx context.Context, page int) ([]Company, bool, error) {
		opts.Page = page
		p, err := c.ListCompanies(ctx, opts)
		return p.Items, p.More, err
	})
}

// MaxCreateCompanies is how many companies one CreateCompanies call may
// create.
const MaxCreateCompanies = 10

// CreateCompanies creates client companies, all or none, and returns them
// with their ids. Companies are billable: the call is a POST and is never
// retried once Woodpecker may have acted on it.
func (c *Client) CreateCompanies(ctx context.Context, names ...string) ([]Company, error) {
	ctx = runtime.WithOperation(ctx, "CreateCompanies")
	const op = "create companies"
	if len(names) == 0 || len(names) > MaxCreateCompanies {
		return nil, fmt.Errorf("woodpecker: %s: %w: %d names: send 1…%d", opName(op), vendorkit.ErrInvalidArgument, len(names), MaxCreateCompanies)
	}
	req := api.CreateCompaniesRequest{}
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			return nil, fmt.Errorf("woodpecker: %s: %w: name %d is empty", opName(op), vendorkit.ErrInvalidArgument, i)
		}
		req.Companies = append(req.Companies, struct {
			Name string `json:"name"`
		}{n})
	}
	body, err := jsonBody(op, req)
	if err != nil {
		return nil, err
	}
	w, err := decodeAs[struct {
		Companies []Company `json:"companies"`
	}](op)(c.hqClient().CreateCompaniesWithBody(ctx, "application/json", body))
	return w.Companies, err
}

// ListCompanyAPIKeys returns one page (1-based; 0 means 1) of the API keys
// the caller created for a client company.
func (c *Client) ListCompanyAPIKeys(ctx context.Context, companyID int64, page int) (Page[APIKey], error) {
	ctx = runtime.WithOperation(ctx, "ListCompanyAPIKeys")
	const op = "list company api keys"
	if err := checkID(op, "company", companyID); err != nil {
		return Page[APIKey]{}, err
	}
	page, err := checkPage(op, page)
	if err != nil {
		return Page[APIKey]{}, err
	}
	w, err := decodeAs[v2Page[APIKey]](op)(c.hqClient().ListCompanyAPIKeys(ctx, companyID, &api.ListCompanyAPIKeysParams{Page: &page}))
	if err != nil {
		return Page[APIKey]{}, err
	}
	return w.page(page), nil
}

// AllCompanyAPIKeys walks every page of a client company's API keys.
func (c *Client) AllCompanyAPIKeys(ctx context.Context, companyID int64) iter.Seq2[APIKey, error] {
	return paging.All(ctx, 1, func(ctx context.Context, page int) ([]APIKey, bool, error) {
		p, err := c.ListCompanyAPIKeys(ctx, companyID, page)
		return p.Items, p.More, err
	})
}

// CreateCompanyAPIKey creates an API key for a client company; label is
// required. The key is returned once: store it. It is a POST and is never
// retried once Woodpecker may have acted on it.
func (c *Client) CreateCompanyAPIKey(ctx context.Context, companyID int64, label string) (APIKey, error) {
	ctx = runtime.WithOperation(ctx, "CreateCompanyAPIKey")
	const op = "create company api key"
	if err := checkID(op, "company", companyID); err != nil {
		return APIKey{}, err
	}
	label = strings.TrimSpace(label)
	if label == "" {
		return APIKey{}, fmt.Errorf("woodpecker: %s: %w: a label is required", opName(op), vendorkit.ErrInvalidArgument)
	}
	body, err := jsonBody(op, api.CreateCompanyAPIKeyJSONRequestBody{Label: label})
	if err != nil {
		return APIKey{}, err
	}
	k, err := decodeAs[APIKey](op)(c.hqClient().CreateCompanyAPIKeyWithBody(ctx, companyID, "application/json", body))
	if err != nil {
		return APIKey{}, err
	}
	if k.Label == "" {
		k.Label = label
	}
	return k, nil
}

// ListCompanyEmailAccounts returns a client company's e-mail accounts
// (GET /v2/agency/companies/{id}/email_accounts, a {content: […]} list).
func (c *Client) ListCompanyEmailAccounts(ctx context.Context, companyID int64) ([]EmailAccount, error) {
	ctx = runtime.WithOperation(ctx, "ListCompanyEmailAccounts")
	const op = "list company email accounts"
	if err := checkID(op, "company", companyID); err != nil {
		return nil, err
	}
	w, err := decodeAs[v2Page[EmailAccount]](op)(c.hqClient().ListCompanyEmailAccounts(ctx, companyID))
	return w.Content, err
}

// ProspectDeletion is Woodpecker's receipt for DeleteAllCompanyProspects.
type ProspectDeletion struct {
	RequestID int64 `json:"deletion_request_id"`
	// Count is how many prospects were removed.
	Count int `json:"count"`
}

// DeleteAllCompanyProspects deletes every prospect of a client company
// (POST /v2/agency/companies/{id}/prospects/delete with type ALL, the only
// type the docs show). It is irreversible, needs the agency HQ key, and is
// never repeated once Woodpecker may have acted on it.
func (c *Client) DeleteAllCompanyProspects(ctx context.Context, companyID int64) (ProspectDeletion, error) {
	ctx = runtime.WithOperation(ctx, "DeleteAllCompanyProspects")
	const op = "delete all company prospects"
	if err := checkID(op, "company", companyID); err != nil {
		return ProspectDeletion{}, err
	}
	body, err := jsonBody(op, map[string]string{"type": "ALL"})
	if err != nil {
		return ProspectDeletion{}, err
	}
	return decodeAs[ProspectDeletion](op)(c.hqClient().DeleteCompanyProspectsWithBody(ctx, companyID, "application/json", body))
}

// WebhookEvent names a Woodpecker webhook event: what SubscribeWebhook
// takes and a delivery's "method". The documented names are the Event*
// constants in webhook.go; others may be passed as WebhookEvent("…").
type WebhookEvent string

// webhookBody checks and renders a subscription.
func webhookBody(op, targetURL string, event WebhookEvent) (*api.WebhookSubscription, error) {
	u, err := url.Parse(strings.TrimSpace(targetURL))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("woodpecker: %s: %w: target URL must be an absolute http(s) URL", opName(op), vendorkit.ErrInvalidArgument)
	}
	ev := strings.TrimSpace(string(event))
	if ev == "" || strings.ContainsAny(ev, " \t\r\n") {
		return nil, fmt.Errorf("woodpecker: %s: %w: event %q", opName(op), vendorkit.ErrInvalidArgument, event)
	}
	return &api.WebhookSubscription{TargetUrl: u.String(), Event: ev}, nil
}

// SubscribeWebhook asks Woodpecker to POST event notifications to
// targetURL. Subscribing twice is ErrAlreadySubscribed (vendorkit.ErrConflict).
func (c *Client) SubscribeWebhook(ctx context.Context, targetURL string, event WebhookEvent) error {
	ctx = runtime.WithOperation(ctx, "SubscribeWebhook")
	const op = "subscribe webhook"
	sub, err := webhookBody(op, targetURL, event)
	if err != nil {
		return err
	}
	body, err := jsonBody(op, sub)
	if err != nil {
		return err
	}
	return discardAs(op)(c.client().SubscribeWebhookWithBody(ctx, &api.SubscribeWebhookParams{}, "application/json", body))
}

// UnsubscribeWebhook stops notifications of event to targetURL.
func (c *Client) UnsubscribeWebhook(ctx context.Context, targetURL string, event WebhookEvent) error {
	ctx = runtime.WithOperation(ctx, "UnsubscribeWebhook")
	const op = "unsubscribe webhook"
	sub, err := webhookBody(op, targetURL, event)
	if err != nil {
		return err
	}
	body, err := jsonBody(op, sub)
	if err != nil {
		return err
	}
	return discardAs(op)(c.client().UnsubscribeWebhookWithBody(ctx, &api.UnsubscribeWebhookParams{}, "application/json", body))
}
