package woodpecker

import (
	"context"

	"github.com/vendorkit/vendorkit/runtime"
	"github.com/vendorkit/vendorkit/woodpecker/internal/api"
)

// WebhookSubscription is one webhook subscription of the account.
type WebhookSubscription struct {
	// TargetURL is where Woodpecker posts the events.
	TargetURL string `json:"target_url"`
	// Event is the event's name as GET /v2/webhooks spells it (the docs'
	// example writes them in upper case, e.g. PROSPECT_REPLIED).
	Event WebhookEvent `json:"event"`
}

// ListWebhooks returns every webhook subscription of the account, whoever
// created it (GET /v2/webhooks).
func (c *Client) ListWebhooks(ctx context.Context) ([]WebhookSubscription, error) {
	ctx = runtime.WithOperation(ctx, "ListWebhooks")
	w, err := decodeAs[struct {
		Webhooks []WebhookSubscription `json:"webhooks"`
	}]("list webhooks")(c.client().ListWebhooks(ctx, &api.ListWebhooksParams{}))
	return w.Webhooks, err
}
