package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/woofed"
)

// Handler runs the tasks of this package. One per process: it holds the
// process's *vendorkit.Client, so every task of one tenant shares that
// tenant's limits (and, with a shared limiter, the fleet's).
type Handler struct {
	// Kit is the process's vendorkit client.
	Kit *vendorkit.Client
	// Tenants are the tenants by name.
	Tenants map[string]Tenant
	// Enqueuer enqueues the conversation tasks of a tenant listing.
	Enqueuer *asynq.Client
	// DeskwootPerMinute is the tenants' Deskwoot limit (0: Deskwoot's
	// documented 60/min).
	DeskwootPerMinute int
}

// Mux returns an asynq.ServeMux routing both task types to h.
func (h *Handler) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeSyncTenant, h.SyncTenant)
	mux.HandleFunc(TypeSyncConversation, h.SyncConversation)
	return mux
}

// permanent marks an error of the task itself (a bad payload, an unknown
// tenant): retrying cannot help.
func permanent(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), asynq.SkipRetry)
}

func (h *Handler) tenant(name string) (Tenant, error) {
	t, ok := h.Tenants[name]
	if !ok {
		return Tenant{}, permanent("unknown tenant %q", name)
	}
	return t, nil
}

func (h *Handler) deskwoot(t Tenant) (*deskwoot.Client, error) {
	perMinute := h.DeskwootPerMinute
	if perMinute == 0 {
		perMinute = deskwoot.DefaultRequestsPerMinute
	}
	return deskwoot.New(h.Kit, t.DeskwootToken, deskwoot.WithBaseURL(t.DeskwootURL),
		deskwoot.WithAccountID(t.DeskwootAccount), deskwoot.WithRateLimit(perMinute, 1))
}

// SyncTenant lists the tenant's conversations and enqueues one sync per
// conversation. Run again (after a rate limit in the middle of the listing,
// say), it enqueues only what is not enqueued yet.
func (h *Handler) SyncTenant(ctx context.Context, task *asynq.Task) error {
	var p tenantPayload
	if err := json.Unmarshal(task.Payload(), &p); err != nil {
		return permanent("payload: %v", err)
	}
	t, err := h.tenant(p.Tenant)
	if err != nil {
		return err
	}
	desk, err := h.deskwoot(t)
	if err != nil {
		return err
	}
	for conv, err := range desk.AllConversations(ctx, deskwoot.ConversationFilter{PageSize: 100}) {
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		_, err := h.Enqueuer.EnqueueContext(ctx, NewSyncConversationTask(t.Name, conv.ID))
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
			return fmt.Errorf("%s: enqueue conversation %s: %w", t, conv.ID, err)
		}
	}
	return nil
}

// SyncConversation writes one Deskwoot conversation to Woofed CRM: its
// contact with Woofed's upsert (safe to repeat), then a deal for the
// conversation, unless the contact already has one for it. That check is
// what makes the deal's creation safe to run again after a failure that
// may have come after Woofed created it (a timeout, a cut answer, a worker
// stopped mid-task).
func (h *Handler) SyncConversation(ctx context.Context, task *asynq.Task) error {
	var p conversationPayload
	if err := json.Unmarshal(task.Payload(), &p); err != nil {
		return permanent("payload: %v", err)
	}
	t, err := h.tenant(p.Tenant)
	if err != nil {
		return err
	}
	desk, err := h.deskwoot(t)
	if err != nil {
		return err
	}
	conv, err := desk.GetConversation(ctx, p.ConversationID)
	if err != nil {
		return fmt.Errorf("%s: %w", t, err)
	}
	person, err := desk.GetContact(ctx, conv.ContactID)
	if err != nil {
		return fmt.Errorf("%s: %w", t, err)
	}
	if person.Email == "" {
		return permanent("%s: deskwoot contact %s has no email to match a CRM contact on", t, person.ID)
	}

	crm, err := woofed.New(h.Kit, t.WoofedToken, woofed.WithBaseURL(t.WoofedURL))
	if err != nil {
		return err
	}
	contact, _, err := crm.UpsertContact(ctx, woofed.ContactInput{
		FullName:         person.Name,
		Email:            person.Email,
		CustomAttributes: woofed.Attributes{"deskwoot_contact_id": person.ID},
	})
	if err != nil {
		return fmt.Errorf("%s: %w", t, err)
	}
	if !strings.EqualFold(contact.Email, person.Email) {
		// Woofed matches an email as a substring: never attach the deal
		// to someone else.
		return permanent("%s: woofed matched contact %d to another email", t, contact.ID)
	}

	// The check before the write: the deal may exist from an earlier run
	// whose answer was lost.
	withDeals, err := crm.GetContact(ctx, contact.ID)
	if err != nil {
		return fmt.Errorf("%s: %w", t, err)
	}
	for _, d := range withDeals.Deals {
		if d.CustomAttributes[DealKey] == conv.ID {
			return nil
		}
	}
	name := fmt.Sprintf("Deskwoot #%d", conv.DisplayID)
	if conv.Subject != "" {
		name += ": " + conv.Subject
	}
	_, err = crm.CreateDeal(ctx, woofed.DealInput{
		Name:             name,
		ContactID:        contact.ID,
		PipelineID:       t.WoofedPipelineID,
		CustomAttributes: woofed.Attributes{DealKey: conv.ID},
	})
	if err != nil {
		return fmt.Errorf("%s: %w", t, err)
	}
	return nil
}
