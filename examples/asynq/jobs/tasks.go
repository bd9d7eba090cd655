// Package jobs is the work of the Asynq example: for each tenant, sync its
// Deskwoot conversations into Woofed CRM — one contact per Deskwoot contact
// (Woofed's upsert), one deal per conversation (created once: the job
// checks the contact's deals before it creates one).
//
// Two task types:
//   - TypeSyncTenant lists a tenant's conversations and enqueues one
//     TypeSyncConversation task per conversation, with a task id made of the
//     tenant and conversation, so a listing that is retried enqueues nothing
//     twice;
//   - TypeSyncConversation reads the conversation and its contact from
//     Deskwoot and writes them to Woofed.
//
// Tasks carry tenant names, never credentials: a worker reads the tenants'
// tokens from its own configuration (LoadTenants).
package jobs

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/hibiken/asynq"
)

// Task types.
const (
	TypeSyncTenant       = "deskwoot:sync-tenant"
	TypeSyncConversation = "deskwoot:sync-conversation"
)

// DealKey is the custom attribute of a Woofed deal that holds the Deskwoot
// conversation it was made from: the job looks for it before it creates a
// deal.
const DealKey = "deskwoot_conversation_id"

// Retention is how long a completed task stays in Redis, for inspection.
// While a conversation's does, enqueueing the same conversation again is
// refused
// (asynq.ErrTaskIDConflict), so a tenant listing that runs twice does not
// sync twice.
const Retention = time.Hour

// Tenant is one customer: a Deskwoot account and the Woofed CRM install its
// conversations are synced into. Its tokens never print: the type formats
// as its name for fmt and slog.
type Tenant struct {
	Name            string `json:"name"`
	DeskwootURL     string `json:"deskwoot_url"`
	DeskwootAccount string `json:"deskwoot_account"`
	DeskwootToken   string `json:"deskwoot_token"`
	WoofedURL       string `json:"woofed_url"`
	WoofedToken     string `json:"woofed_token"`
	// WoofedPipelineID is the pipeline new deals go to (its first stage).
	WoofedPipelineID int64 `json:"woofed_pipeline_id"`
}

// String returns the tenant's name, without its tokens.
func (t Tenant) String() string { return "tenant " + t.Name }

// GoString is String, for %#v.
func (t Tenant) GoString() string { return t.String() }

// LogValue logs the tenant's name only.
func (t Tenant) LogValue() slog.Value { return slog.StringValue(t.Name) }

// LoadTenants reads a JSON array of tenants from path (a file that should be
// readable by the worker only: it holds tokens).
func LoadTenants(path string) (map[string]Tenant, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []Tenant
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("tenants %s: %w", path, err)
	}
	m := make(map[string]Tenant, len(list))
	for _, t := range list {
		if t.Name == "" {
			return nil, fmt.Errorf("tenants %s: a tenant has no name", path)
		}
		if t.WoofedPipelineID == 0 {
			t.WoofedPipelineID = 1
		}
		m[t.Name] = t
	}
	return m, nil
}

type tenantPayload struct {
	Tenant string `json:"tenant"`
}

type conversationPayload struct {
	Tenant         string `json:"tenant"`
	ConversationID string `json:"conversation_id"`
}

// NewSyncTenantTask returns the task that lists tenant's conversations and
// enqueues their syncs.
func NewSyncTenantTask(tenant string) *asynq.Task {
	b, _ := json.Marshal(tenantPayload{Tenant: tenant}) // cannot fail
	return asynq.NewTask(TypeSyncTenant, b, asynq.Retention(Retention), asynq.MaxRetry(20))
}

// NewSyncConversationTask returns the task that syncs one conversation,
// with its task id (ConversationTaskID) and Retention.
func NewSyncConversationTask(tenant, conversationID string) *asynq.Task {
	b, _ := json.Marshal(conversationPayload{Tenant: tenant, ConversationID: conversationID}) // cannot fail
	return asynq.NewTask(TypeSyncConversation, b, asynq.TaskID(ConversationTaskID(tenant, conversationID)),
		asynq.Retention(Retention), asynq.MaxRetry(20))
}

// ConversationTaskID is the task id of a conversation's sync.
func ConversationTaskID(tenant, conversationID string) string {
	return "conv:" + tenant + ":" + conversationID
}
