package woofedtest

import (
	"time"

	"github.com/vendorkit/vendorkit/woofed"
)

// The render functions write a record as Woofed's `render json: record`
// does (ActiveRecord's as_json): every column, always, with null for an
// empty nullable column and false or 0 written out. The key sets are those
// of the docs' examples (woofed/testdata/docs), which the tests compare
// them with.

type object = map[string]any

// nullable returns nil for the zero value, so that it is written as null.
func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// at writes a datetime as Rails does (UTC, ISO 8601), or null.
func at(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// attrs writes a JSON column that is never null ({} when empty).
func attrs(a woofed.Attributes) woofed.Attributes {
	if a == nil {
		return woofed.Attributes{}
	}
	return a
}

func list(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func renderContact(c woofed.Contact) object {
	return object{
		"id": c.ID, "full_name": c.FullName, "phone": nullable(c.Phone), "email": c.Email,
		"custom_attributes": attrs(c.CustomAttributes), "additional_attributes": attrs(c.AdditionalAttributes),
		"app_type": nullable(c.AppType), "app_id": nullable(c.AppID), "account_id": c.AccountID,
		"label_list": list(c.LabelList), "chatwoot_conversations_label_list": list(c.ChatwootConversationsLabelList),
		"created_at": at(c.CreatedAt), "updated_at": at(c.UpdatedAt),
	}
}

func renderDeal(d woofed.Deal) object {
	return object{
		"id": d.ID, "name": d.Name, "status": d.Status, "stage_id": d.StageID, "pipeline_id": d.PipelineID,
		"contact_id": d.ContactID, "position": d.Position, "created_by_id": nullable(d.CreatedByID),
		"total_deal_products_amount_in_cents": d.TotalDealProductsAmountInCents,
		"lost_at":                             at(d.LostAt), "won_at": at(d.WonAt), "lost_reason": d.LostReason, "account_id": d.AccountID,
		"custom_attributes": attrs(d.CustomAttributes), "created_at": at(d.CreatedAt), "updated_at": at(d.UpdatedAt),
	}
}

func renderStage(st woofed.Stage) object {
	return object{
		"id": st.ID, "name": st.Name, "pipeline_id": st.PipelineID, "position": st.Position,
		"created_at": at(st.CreatedAt), "updated_at": at(st.UpdatedAt), "account_id": st.AccountID,
	}
}

func renderPipeline(p woofed.Pipeline) object {
	return object{"id": p.ID, "name": p.Name, "created_at": at(p.CreatedAt), "updated_at": at(p.UpdatedAt), "account_id": p.AccountID}
}

func renderEvent(e woofed.Event) object {
	return object{
		"id": e.ID, "deal_id": nullable(e.DealID), "contact_id": nullable(e.ContactID),
		"app_type": nullable(e.AppType), "app_id": nullable(e.AppID), "kind": e.Kind,
		"title": e.Title, "content": e.Content,
		"scheduled_at": at(e.ScheduledAt), "done_at": at(e.DoneAt), "from_me": e.FromMe, "status": nullable(e.Status),
		"custom_attributes": attrs(e.CustomAttributes), "additional_attributes": attrs(e.AdditionalAttributes),
		"auto_done": e.AutoDone, "account_id": e.AccountID, "done": e.Done, "send_now": e.SendNow,
		"files": []any{}, "files_events": []any{}, "invalid_files": nil,
		"created_at": at(e.CreatedAt), "updated_at": at(e.UpdatedAt),
	}
}

func renderProduct(p woofed.Product) object {
	return object{
		"id": p.ID, "identifier": p.Identifier, "amount_in_cents": p.AmountInCents, "quantity_available": p.QuantityAvailable,
		"description": p.Description, "name": p.Name,
		"custom_attributes": attrs(p.CustomAttributes), "additional_attributes": attrs(p.AdditionalAttributes),
		"created_at": at(p.CreatedAt), "updated_at": at(p.UpdatedAt), "account_id": p.AccountID,
	}
}

func renderDealProduct(dp woofed.DealProduct) object {
	return object{
		"id": dp.ID, "product_id": dp.ProductID, "deal_id": dp.DealID,
		"unit_amount_in_cents": dp.UnitAmountInCents, "product_identifier": dp.ProductIdentifier, "product_name": dp.ProductName,
		"total_amount_in_cents": dp.TotalAmountInCents, "quantity": dp.Quantity, "account_id": dp.AccountID,
		"created_at": at(dp.CreatedAt), "updated_at": at(dp.UpdatedAt),
	}
}

func renderAssignee(a woofed.DealAssignee) object {
	return object{
		"id": a.ID, "deal_id": a.DealID, "user_id": a.UserID, "account_id": a.AccountID,
		"created_at": at(a.CreatedAt), "updated_at": at(a.UpdatedAt),
	}
}

func renderUser(u woofed.User) object {
	return object{
		"id": u.ID, "full_name": u.FullName, "email": u.Email, "phone": nullable(u.Phone), "language": u.Language,
		"notifications":   object{"webpush_notify_on_event_expired": u.Notifications.WebpushNotifyOnEventExpired},
		"avatar_url":      u.AvatarURL,
		"job_description": u.JobDescription, "theme_preference": u.ThemePreference, "account_id": u.AccountID,
		"created_at": at(u.CreatedAt), "updated_at": at(u.UpdatedAt),
	}
}

// renderAll renders each record.
func renderAll[T any](records []T, render func(T) object) []object {
	out := make([]object, 0, len(records))
	for _, r := range records {
		out = append(out, render(r))
	}
	return out
}
