package woofed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/internal/permit"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// Regression tests for issue 17, points 7–11 and 14 (Woofed), and the
// deal's deal_assignees and deal_products.

// rawCall sends body to the fake as is, bypassing the client, and returns
// the status and the answer.
func rawCall(t *testing.T, srv *woofedtest.Server, method, path string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// rawObject is rawCall with a string body and an object answer.
func rawObject(t *testing.T, srv *woofedtest.Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	status, b := rawCall(t, srv, method, path, []byte(body))
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return status, m
}

// bodyOf decodes a recorded request body.
func bodyOf(t *testing.T, r vendorkittest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "%s %s: %s", r.Method, r.Path, r.Body)
	return m
}

// Point 7: a deal with a new contact upserts the contact first and sends
// the deal with its contact_id; no nested contact form is ever sent.
func TestCreateDealWithNewContact(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	in := woofed.DealInput{Name: "Annual plan", PipelineID: 1, Contact: &woofed.ContactInput{FullName: "Buyer", Email: "buyer@example.com"}}

	// The upsert is retried after a 503: it matches on the email, so it
	// cannot duplicate the contact.
	srv.FailNext(1, http.StatusServiceUnavailable, "", "")
	d, err := crm.CreateDeal(ctx, in)
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.True(t, strings.HasSuffix(reqs[0].Path, "/contacts/upsert"))
	assert.True(t, strings.HasSuffix(reqs[1].Path, "/contacts/upsert"))
	assert.True(t, strings.HasSuffix(reqs[2].Path, "/deals"))
	deal := bodyOf(t, reqs[2])
	assert.Equal(t, map[string]any{"name": "Annual plan", "pipeline_id": 1.0, "contact_id": float64(d.ContactID)}, deal)
	c, ok := srv.Contact(d.ContactID)
	require.True(t, ok)
	assert.Equal(t, "buyer@example.com", c.Email)

	// Calling again reuses the contact (a second deal, one contact).
	d2, err := crm.CreateDeal(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, d.ContactID, d2.ContactID)
	page, err := crm.SearchContacts(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, 1, page.Pagination.Count)

	// UpsertDeal takes the contact the same way, and then matches on it.
	up, err := crm.UpsertDeal(ctx, woofed.DealInput{Name: "Renamed", Contact: &woofed.ContactInput{Email: "buyer@example.com"}})
	require.NoError(t, err)
	assert.Equal(t, d.ID, up.ID)

	for _, r := range srv.Requests() {
		assert.NotContains(t, string(r.Body), "contacts_attributes")
		assert.NotContains(t, string(r.Body), "contact_attributes")
	}
}

// Point 7, the server side: the open-source controller permits
// contacts_attributes, which the model rejects (500); it drops the docs'
// contact_attributes, so the deal has no contact (422).
func TestFakeRejectsNestedContacts(t *testing.T) {
	srv := woofedtest.NewServer(t)
	status, _ := rawObject(t, srv, "POST", "/deals", `{"name":"x","stage_id":1,"contacts_attributes":[{"full_name":"A","email":"a@example.com"}]}`)
	assert.Equal(t, http.StatusInternalServerError, status)
	status, body := rawObject(t, srv, "POST", "/deals", `{"name":"x","stage_id":1,"contact_attributes":{"full_name":"A","email":"a@example.com"}}`)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, []any{"Contact must exist"}, body["errors"])
	assert.Equal(t, []string{"POST /deals contact_attributes"}, srv.Unpermitted())
	_, leaked := srv.Contact(1)
	assert.False(t, leaked, "no contact was created")
}

// Point 8: labels are sent as one comma-separated string, and saved; the
// array form the docs show is dropped by the server.
func TestLabelListIsCommaSeparated(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	c, err := crm.CreateContact(ctx, woofed.ContactInput{Email: "a@example.com", LabelList: []string{"vip", "trial"}})
	require.NoError(t, err)
	req, _ := srv.LastRequest()
	assert.Equal(t, "vip,trial", bodyOf(t, req)["label_list"])
	assert.Equal(t, []string{"vip", "trial"}, c.LabelList)

	status, body := rawObject(t, srv, "POST", "/contacts", `{"email":"b@example.com","label_list":["vip","trial"]}`)
	require.Equal(t, http.StatusCreated, status)
	assert.Equal(t, []any{}, body["label_list"], "an array is not permitted: no label is saved")
	assert.Equal(t, []string{"POST /contacts label_list"}, srv.Unpermitted())
}

// fillAll sets every exported field of v to a value the client accepts, so
// that a field added to an input type is sent by the test below.
func fillAll(v reflect.Value) {
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() || sf.Name == "Contact" {
			continue // DealInput.Contact replaces ContactID: tested above
		}
		fillValue(f, sf.Name)
	}
}

func fillValue(f reflect.Value, name string) {
	switch f.Kind() {
	case reflect.String:
		switch name {
		case "Phone":
			f.SetString("+5511999990000")
		case "Status":
			f.SetString("open")
		case "Kind":
			f.SetString("note")
		case "Email":
			f.SetString("x@example.com")
		default:
			f.SetString("x")
		}
	case reflect.Int, reflect.Int64:
		f.SetInt(1)
	case reflect.Bool:
		f.SetBool(true)
	case reflect.Pointer:
		p := reflect.New(f.Type().Elem())
		fillValue(p.Elem(), name)
		f.Set(p)
	case reflect.Map:
		f.Set(reflect.ValueOf(woofed.Attributes{"k": "v"}))
	case reflect.Slice:
		s := reflect.MakeSlice(f.Type(), 1, 1)
		fillValue(s.Index(0), name)
		f.Set(s)
	case reflect.Struct:
		if f.Type() == reflect.TypeFor[time.Time]() {
			f.Set(reflect.ValueOf(time.Date(2025, 1, 20, 14, 0, 0, 0, time.UTC)))
			return
		}
		fillAll(f)
	}
}

func filled[T any]() T {
	var v T
	fillAll(reflect.ValueOf(&v).Elem())
	return v
}

// Points 8 and 9: with every field of every input set, the client sends
// nothing Woofed's controllers would drop (the permit tables of
// woofed/internal/permit, copied from the controllers).
func TestClientBodiesArePermitted(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	_, _ = crm.CreateContact(ctx, filled[woofed.ContactInput]())
	_, _, _ = crm.UpsertContact(ctx, filled[woofed.ContactInput]())
	_, _ = crm.SearchContacts(ctx, 2, woofed.Eq("email", "x@example.com"))
	_, _ = crm.CreateDeal(ctx, filled[woofed.DealInput]())
	_, _ = crm.UpsertDeal(ctx, filled[woofed.DealInput]())
	_, _ = crm.UpdateDeal(ctx, 1, filled[woofed.DealUpdate]())
	_, _ = crm.CreateDealEvent(ctx, 1, filled[woofed.EventInput]())
	_, _ = crm.CreateProduct(ctx, filled[woofed.ProductInput]())
	_, _ = crm.UpdateProduct(ctx, 1, filled[woofed.ProductUpdate]())
	_, _ = crm.SearchProducts(ctx, 1, woofed.Cont("name", "x"))
	_, _ = crm.CreateDealProduct(ctx, filled[woofed.DealProductInput]())
	_, _ = crm.UpdateDealProduct(ctx, 1, filled[woofed.DealProductUpdate]())
	_, _ = crm.AssignDeal(ctx, 1, 1)
	_, _ = crm.CreateUser(ctx, filled[woofed.UserInput]())
	_, _ = crm.SearchUsers(ctx, 1, woofed.Eq("id", 1))

	prefix := "/api/v1/accounts/1"
	seen := map[string]bool{}
	for _, r := range srv.Requests() {
		rel := strings.TrimPrefix(r.Path, prefix)
		table, ok := permit.For(r.Method, rel)
		require.True(t, ok, "%s %s", r.Method, rel)
		_, dropped, err := table.FilterJSON(r.Body)
		require.NoError(t, err)
		assert.Empty(t, dropped, "%s %s: %s drops these keys of %s", r.Method, rel, table.Source, r.Body)
		seen[table.Source] = true
	}
	assert.Len(t, seen, 8, "every controller's permit list was exercised")
	assert.Empty(t, srv.Unpermitted())
}

// Point 10: the user's notification flag is sent flat on create and read
// from "notifications" in the answer; avatar_url is sent.
func TestUserNotificationsAndAvatar(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	u, err := crm.CreateUser(ctx, woofed.UserInput{Email: "rep@example.com", Password: "s3cret!!", PasswordConfirmation: "s3cret!!",
		AvatarURL: "https://example.com/a.png", WebpushNotifyOnEventExpired: vendorkit.Ptr(true)})
	require.NoError(t, err)
	req, _ := srv.LastRequest()
	body := bodyOf(t, req)
	assert.Equal(t, true, body["webpush_notify_on_event_expired"])
	assert.Equal(t, "https://example.com/a.png", body["avatar_url"])
	assert.True(t, u.Notifications.WebpushNotifyOnEventExpired)
	assert.Equal(t, "https://example.com/a.png", u.AvatarURL)
	assert.NotContains(t, woofed.UserInput{Password: "hunter22"}.String(), "hunter22")
}

// Point 11: datetimes are sent in UTC, whatever the caller's zone.
func TestDatetimesAreSentInUTC(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	c, err := crm.CreateContact(ctx, woofed.ContactInput{Email: "a@example.com"})
	require.NoError(t, err)
	d, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "D", ContactID: c.ID, PipelineID: 1})
	require.NoError(t, err)
	sp := time.FixedZone("BRT", -3*3600)
	at := time.Date(2025, 1, 20, 11, 0, 0, 0, sp)

	ev, err := crm.CreateDealEvent(ctx, d.ID, woofed.EventInput{Kind: woofed.EventActivity, ScheduledAt: at, DoneAt: at})
	require.NoError(t, err)
	req, _ := srv.LastRequest()
	body := bodyOf(t, req)
	assert.Equal(t, "2025-01-20T14:00:00Z", body["scheduled_at"])
	assert.Equal(t, "2025-01-20T14:00:00Z", body["done_at"])
	assert.True(t, ev.ScheduledAt.Equal(at))

	_, err = crm.SearchContacts(ctx, 1, woofed.Gteq("created_at", at))
	require.NoError(t, err)
	req, _ = srv.LastRequest()
	assert.JSONEq(t, `{"query":{"created_at_gteq":"2025-01-20T14:00:00Z"},"page":1}`, string(req.Body))

	// The fake refuses what the docs refuse: a datetime with an offset.
	status, _ := rawObject(t, srv, "POST", "/deals/1/events", `{"kind":"note","scheduled_at":"2025-01-20T11:00:00-03:00"}`)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
}

// Point 14: update inputs send nil as nothing, a set value as is, and the
// zero value (Ptr("")) to clear.
func TestUpdateInputsSetAndClear(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	p, err := crm.CreateProduct(ctx, woofed.ProductInput{Name: "Widget", Identifier: "SKU-1", Description: "Blue"})
	require.NoError(t, err)

	p, err = crm.UpdateProduct(ctx, p.ID, woofed.ProductUpdate{Description: vendorkit.Ptr(""), AmountInCents: vendorkit.Ptr[int64](0)})
	require.NoError(t, err)
	req, _ := srv.LastRequest()
	assert.JSONEq(t, `{"description":"","amount_in_cents":0}`, string(req.Body))
	assert.Empty(t, p.Description, "cleared")
	assert.Equal(t, "SKU-1", p.Identifier, "nil leaves it unchanged")
	assert.Equal(t, "Widget", p.Name)

	c, err := crm.CreateContact(ctx, woofed.ContactInput{Email: "a@example.com"})
	require.NoError(t, err)
	d, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "D", ContactID: c.ID, PipelineID: 1, CustomAttributes: woofed.Attributes{"a": "b"}})
	require.NoError(t, err)
	d, err = crm.UpdateDeal(ctx, d.ID, woofed.DealUpdate{CustomAttributes: woofed.Attributes{}})
	require.NoError(t, err)
	req, _ = srv.LastRequest()
	assert.JSONEq(t, `{"custom_attributes":{}}`, string(req.Body), "an empty, non-nil map is sent")
	assert.Empty(t, d.CustomAttributes)
	assert.Equal(t, "D", d.Name)

	dp, err := crm.CreateDealProduct(ctx, woofed.DealProductInput{ProductID: p.ID, DealID: d.ID, ProductName: "Snapshot"})
	require.NoError(t, err)
	dp, err = crm.UpdateDealProduct(ctx, dp.ID, woofed.DealProductUpdate{ProductName: vendorkit.Ptr("")})
	require.NoError(t, err)
	req, _ = srv.LastRequest()
	assert.JSONEq(t, `{"product_name":""}`, string(req.Body))
	_ = dp

	_, err = crm.UpdateDeal(ctx, d.ID, woofed.DealUpdate{})
	require.NoError(t, err)
	req, _ = srv.LastRequest()
	assert.JSONEq(t, `{}`, string(req.Body), "nothing set, nothing sent")
}

// The deal's assignments and product lines come back with GetDeal, as the
// docs' example shows.
func TestGetDealCarriesAssigneesAndProducts(t *testing.T) {
	ctx := context.Background()
	_, crm := setup(t)
	c, err := crm.CreateContact(ctx, woofed.ContactInput{Email: "a@example.com"})
	require.NoError(t, err)
	d, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "D", ContactID: c.ID, PipelineID: 1})
	require.NoError(t, err)
	p, err := crm.CreateProduct(ctx, woofed.ProductInput{Name: "Widget", AmountInCents: vendorkit.Ptr[int64](500)})
	require.NoError(t, err)
	dp, err := crm.CreateDealProduct(ctx, woofed.DealProductInput{ProductID: p.ID, DealID: d.ID, Quantity: vendorkit.Ptr[int64](2)})
	require.NoError(t, err)
	a, err := crm.AssignDeal(ctx, d.ID, 1)
	require.NoError(t, err)

	got, err := crm.GetDeal(ctx, d.ID)
	require.NoError(t, err)
	require.Len(t, got.Assignees, 1)
	assert.Equal(t, a.ID, got.Assignees[0].ID)
	assert.Equal(t, int64(1), got.Assignees[0].UserID)
	require.Len(t, got.DealProducts, 1)
	assert.Equal(t, dp.ID, got.DealProducts[0].ID)
	assert.Equal(t, int64(1000), got.DealProducts[0].TotalAmountInCents)
	assert.Equal(t, int64(1000), got.TotalDealProductsAmountInCents)
}
