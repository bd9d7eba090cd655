package woofed_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// setup starts a fake and a client bound to it, without retry sleeps.
func setup(t *testing.T, opts ...woofedtest.Option) (*woofedtest.Server, *woofed.Client) {
	t.Helper()
	srv := woofedtest.NewServer(t, opts...)
	crm, err := woofed.New(vendorkittest.NewClient(t), srv.Token(), woofed.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	return srv, crm
}

func apiError(t *testing.T, err error) *vendorkit.APIError {
	t.Helper()
	var apiErr *vendorkit.APIError
	require.True(t, errors.As(err, &apiErr), "want *APIError, got %T: %v", err, err)
	return apiErr
}

func TestContacts(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)

	c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Ada Lovelace", Email: "ada@example.com", Phone: "+5511999990000", LabelList: []string{"vip"}, CustomAttributes: woofed.Attributes{"plan": "pro"}})
	require.NoError(t, err)
	assert.Positive(t, c.ID)
	assert.Equal(t, "Ada Lovelace", c.FullName)
	assert.Equal(t, "+5511999990000", c.Phone)
	assert.Equal(t, []string{"vip"}, c.LabelList)
	assert.Equal(t, "pro", c.CustomAttributes["plan"])
	assert.False(t, c.CreatedAt.IsZero())

	req, ok := srv.LastRequest()
	require.True(t, ok)
	assert.Equal(t, "Bearer "+srv.Token(), req.Header.Get("Authorization"))
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"full_name":"Ada Lovelace","email":"ada@example.com","phone":"+5511999990000","label_list":"vip","custom_attributes":{"plan":"pro"}}`, string(req.Body), "label_list is a comma-separated string")

	got, err := crm.GetContact(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Email, got.Email)
	assert.Empty(t, got.Deals)

	// Upsert by email (Woofed matches a case-insensitive substring): updated.
	up, created, err := crm.UpsertContact(ctx, woofed.ContactInput{Email: "ADA@example.com", FullName: "Ada King"})
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, c.ID, up.ID)
	assert.Equal(t, "Ada King", up.FullName)

	// Upsert by phone, Brazilian number without the 9th digit: same contact.
	up, created, err = crm.UpsertContact(ctx, woofed.ContactInput{Phone: "+551199990000"})
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, c.ID, up.ID)

	// Upsert of someone new: created.
	nc, created, err := crm.UpsertContact(ctx, woofed.ContactInput{Email: "grace@example.com", FullName: "Grace Hopper"})
	require.NoError(t, err)
	assert.True(t, created)
	assert.NotEqual(t, c.ID, nc.ID)

	page, err := crm.SearchContacts(ctx, 1, woofed.Where("email_eq", "grace@example.com"))
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, nc.ID, page.Data[0].ID)
	assert.Equal(t, 1, page.Pagination.Count)
	assert.False(t, page.Pagination.HasNext())

	page, err = crm.SearchContacts(ctx, 0, woofed.Cont("full_name", "ADA"), woofed.Null("phone", false))
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, c.ID, page.Data[0].ID)

	page, err = crm.SearchContacts(ctx, 1, woofed.In("id", c.ID, nc.ID), woofed.Gteq("created_at", time.Now().Add(-time.Hour)), woofed.Lteq("created_at", time.Now().Add(time.Hour)))
	require.NoError(t, err)
	assert.Len(t, page.Data, 2)

	require.NoError(t, crm.DeleteContact(ctx, nc.ID))
	_, err = crm.GetContact(ctx, nc.ID)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	e := apiError(t, err)
	assert.Equal(t, "GetContact", e.Operation)
	assert.Equal(t, "Resource could not be found", e.Message)
	assert.Equal(t, "woofed", e.Vendor)
	assert.NotEmpty(t, e.RequestID)

	err = crm.DeleteContact(ctx, nc.ID)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	assert.Equal(t, "DeleteContact", apiError(t, err).Operation)
}

func TestContactValidationFromServer(t *testing.T) {
	ctx := context.Background()
	_, crm := setup(t)

	_, err := crm.CreateContact(ctx, woofed.ContactInput{Email: "not-an-email"})
	require.ErrorIs(t, err, woofed.ErrValidation)
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	assert.Equal(t, "Email is invalid", apiError(t, err).Message)

	_, _, err = crm.UpsertContact(ctx, woofed.ContactInput{Email: "nope"})
	require.ErrorIs(t, err, woofed.ErrValidation)
	e := apiError(t, err)
	assert.Equal(t, "Email is invalid", e.Message)
	assert.Equal(t, map[string][]string{"email": {"is invalid"}}, e.Fields)
	assert.Equal(t, http.StatusUnprocessableEntity, e.StatusCode)
}

func TestDealsAndEvents(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	stages := srv.Stages()
	require.Len(t, stages, 3)

	c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Buyer", Email: "buyer@example.com"})
	require.NoError(t, err)

	d, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "Big deal", ContactID: c.ID, PipelineID: 1, CustomAttributes: woofed.Attributes{"source": "web"}})
	require.NoError(t, err)
	assert.Equal(t, woofed.DealOpen, d.Status)
	assert.Equal(t, stages[0].ID, d.StageID, "pipeline_id alone puts the deal in the first stage")
	assert.Equal(t, int64(1), d.PipelineID)

	got, err := crm.GetDeal(ctx, d.ID)
	require.NoError(t, err)
	require.NotNil(t, got.Contact)
	require.NotNil(t, got.Stage)
	require.NotNil(t, got.Pipeline)
	assert.Equal(t, c.ID, got.Contact.ID)
	assert.Equal(t, "Lead", got.Stage.Name)
	assert.Equal(t, "Sales", got.Pipeline.Name)

	upd, err := crm.UpdateDeal(ctx, d.ID, woofed.DealUpdate{Status: vendorkit.Ptr(woofed.DealLost), StageID: vendorkit.Ptr(stages[2].ID)})
	require.NoError(t, err)
	assert.Equal(t, woofed.DealLost, upd.Status)
	assert.False(t, upd.LostAt.IsZero(), "Woofed stamps lost_at itself")
	assert.Equal(t, "Big deal", upd.Name, "fields not set are left alone")
	req, _ := srv.LastRequest()
	assert.Equal(t, http.MethodPut, req.Method)
	assert.JSONEq(t, fmt.Sprintf(`{"status":"lost","stage_id":%d}`, stages[2].ID), string(req.Body))

	// Upsert matches the contact's first deal, whatever the pipeline.
	ud, err := crm.UpsertDeal(ctx, woofed.DealInput{ContactID: c.ID, Name: "Renamed"})
	require.NoError(t, err)
	assert.Equal(t, d.ID, ud.ID)
	assert.Equal(t, "Renamed", ud.Name)

	// A deal with a new contact: the contact is upserted first.
	d2, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "Second", StageID: stages[1].ID, Contact: &woofed.ContactInput{FullName: "New Person", Email: "new@example.com"}})
	require.NoError(t, err)
	assert.NotEqual(t, c.ID, d2.ContactID)
	assert.Positive(t, d2.ContactID)

	ev, err := crm.CreateDealEvent(ctx, d.ID, woofed.EventInput{Kind: woofed.EventNote, Title: "Call", Content: "Called the buyer", Done: vendorkit.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, d.ID, ev.DealID)
	assert.Equal(t, c.ID, ev.ContactID)
	assert.Equal(t, woofed.EventNote, ev.Kind)
	assert.True(t, ev.Done)
	assert.False(t, ev.DoneAt.IsZero())

	full, err := crm.GetContact(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, full.Deals, 1)
	require.Len(t, full.Events, 1)
	assert.Equal(t, ev.ID, full.Events[0].ID)

	_, err = crm.CreateDeal(ctx, woofed.DealInput{Name: "Orphan", StageID: stages[0].ID})
	require.ErrorIs(t, err, woofed.ErrValidation)
	assert.Equal(t, "Contact must exist", apiError(t, err).Message)

	_, err = crm.GetDeal(ctx, 999)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	assert.Equal(t, "Not found", apiError(t, err).Message)

	_, err = crm.CreateDealEvent(ctx, 999, woofed.EventInput{Kind: woofed.EventNote})
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
}

func TestProductsAndDealProducts(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)

	p, err := crm.CreateProduct(ctx, woofed.ProductInput{Identifier: "SKU-1", Name: "Widget", AmountInCents: vendorkit.Ptr[int64](1500), QuantityAvailable: vendorkit.Ptr[int64](7)})
	require.NoError(t, err)
	assert.Equal(t, int64(1500), p.AmountInCents)

	// Zero is sent, not dropped: a product can become free.
	p, err = crm.UpdateProduct(ctx, p.ID, woofed.ProductUpdate{AmountInCents: vendorkit.Ptr[int64](0)})
	require.NoError(t, err)
	assert.Equal(t, int64(0), p.AmountInCents)
	assert.Equal(t, "Widget", p.Name)
	req, _ := srv.LastRequest()
	assert.JSONEq(t, `{"amount_in_cents":0}`, string(req.Body))
	p, err = crm.UpdateProduct(ctx, p.ID, woofed.ProductUpdate{AmountInCents: vendorkit.Ptr[int64](2000)})
	require.NoError(t, err)

	c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Buyer"})
	require.NoError(t, err)
	d, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "D", ContactID: c.ID, PipelineID: 1})
	require.NoError(t, err)

	dp, err := crm.CreateDealProduct(ctx, woofed.DealProductInput{ProductID: p.ID, DealID: d.ID, Quantity: vendorkit.Ptr[int64](3)})
	require.NoError(t, err)
	assert.Equal(t, int64(2000), dp.UnitAmountInCents, "defaults to the product's amount")
	assert.Equal(t, int64(6000), dp.TotalAmountInCents)
	assert.Equal(t, "Widget", dp.ProductName)
	require.NotNil(t, dp.Product)
	require.NotNil(t, dp.Deal)

	dp, err = crm.UpdateDealProduct(ctx, dp.ID, woofed.DealProductUpdate{Quantity: vendorkit.Ptr[int64](1), UnitAmountInCents: vendorkit.Ptr[int64](1000)})
	require.NoError(t, err)
	assert.Equal(t, int64(1000), dp.TotalAmountInCents)

	got, err := crm.GetDealProduct(ctx, dp.ID)
	require.NoError(t, err)
	assert.Equal(t, dp.TotalAmountInCents, got.TotalAmountInCents)
	assert.Equal(t, p.ID, got.Product.ID)
	assert.Equal(t, d.ID, got.Deal.ID)
	assert.Equal(t, int64(1000), got.Deal.TotalDealProductsAmountInCents)

	gp, err := crm.GetProduct(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, gp.DealProducts, 1)
	assert.Equal(t, dp.ID, gp.DealProducts[0].ID)

	page, err := crm.SearchProducts(ctx, 1, woofed.Eq("identifier", "SKU-1"), woofed.Gteq("amount_in_cents", 1000))
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	page, err = crm.SearchProducts(ctx, 1, woofed.Where("amount_in_cents_lteq", 1999))
	require.NoError(t, err)
	assert.Empty(t, page.Data)
	assert.Equal(t, 0, page.Pagination.Count)

	// The newer RecordInvalid shape, with the attributes named.
	_, err = crm.CreateProduct(ctx, woofed.ProductInput{AmountInCents: vendorkit.Ptr[int64](5)})
	require.ErrorIs(t, err, woofed.ErrValidation)
	e := apiError(t, err)
	assert.Equal(t, "Name can't be blank", e.Message)
	assert.Equal(t, map[string][]string{"name": {"can't be blank"}}, e.Fields)

	_, err = crm.GetProduct(ctx, 404)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	_, err = crm.GetDealProduct(ctx, 404)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	_, err = crm.CreateDealProduct(ctx, woofed.DealProductInput{ProductID: 404, DealID: d.ID})
	require.ErrorIs(t, err, woofed.ErrValidation)
	assert.Equal(t, "Product must exist", apiError(t, err).Message)
}

func TestUsersAndAssignees(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)

	u, err := crm.CreateUser(ctx, woofed.UserInput{Email: "rep@example.com", FullName: "Rep", Password: "s3cret!!", PasswordConfirmation: "s3cret!!", JobDescription: "sales_representative"})
	require.NoError(t, err)
	assert.Equal(t, "rep@example.com", u.Email)
	assert.Equal(t, "sales_representative", u.JobDescription)

	_, err = crm.CreateUser(ctx, woofed.UserInput{Email: "rep@example.com", Password: "s3cret!!", PasswordConfirmation: "s3cret!!"})
	require.ErrorIs(t, err, woofed.ErrValidation)
	assert.Equal(t, "Email has already been taken", apiError(t, err).Message)
	assert.NotContains(t, err.Error(), "s3cret")

	page, err := crm.SearchUsers(ctx, 1, woofed.Cont("email", "rep@"))
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, u.ID, page.Data[0].ID)

	var ids []int64
	for user, err := range crm.AllUsers(ctx) {
		require.NoError(t, err)
		ids = append(ids, user.ID)
	}
	assert.Equal(t, []int64{1, u.ID}, ids)

	c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Buyer"})
	require.NoError(t, err)
	d, err := crm.CreateDeal(ctx, woofed.DealInput{Name: "D", ContactID: c.ID, PipelineID: 1})
	require.NoError(t, err)

	a, err := crm.AssignDeal(ctx, d.ID, u.ID)
	require.NoError(t, err)
	assert.Equal(t, d.ID, a.DealID)
	assert.Equal(t, u.ID, a.UserID)
	assert.Len(t, srv.Assignees(), 1)

	_, err = crm.AssignDeal(ctx, d.ID, u.ID)
	require.ErrorIs(t, err, woofed.ErrValidation)

	require.NoError(t, crm.UnassignDeal(ctx, a.ID))
	assert.Empty(t, srv.Assignees())
	err = crm.UnassignDeal(ctx, a.ID)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	assert.Equal(t, "UnassignDeal", apiError(t, err).Operation)
}

// TestAllContactsPages walks ≥ 3 pages and stops exactly after the last:
// one request per page, none past the end, whatever the remainder.
func TestAllContactsPages(t *testing.T) {
	for _, n := range []int{0, 1, 10, 25, 30} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ctx := context.Background()
			srv, crm := setup(t)
			for i := range n {
				srv.AddContact(woofed.Contact{FullName: fmt.Sprintf("Person %02d", i), Email: fmt.Sprintf("p%02d@example.com", i)})
			}
			srv.AddContact(woofed.Contact{FullName: "Other", Email: "other@elsewhere.test"})
			var got []string
			for c, err := range crm.AllContacts(ctx, woofed.Cont("email", "@example.com")) {
				require.NoError(t, err)
				got = append(got, c.FullName)
			}
			require.Len(t, got, n)
			for i, name := range got {
				assert.Equal(t, fmt.Sprintf("Person %02d", i), name)
			}
			pages := max(1, (n+9)/10)
			assert.Equal(t, pages, srv.Count(http.MethodPost, "/contacts/search"))
		})
	}
}

func TestSearchPagination(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	for i := range 25 {
		srv.AddProduct(woofed.Product{Name: fmt.Sprintf("P%d", i), AmountInCents: int64(i)})
	}
	p1, err := crm.SearchProducts(ctx, 1)
	require.NoError(t, err)
	two, three := 2, 3
	assert.Equal(t, woofed.Pagination{Page: 1, Items: 10, Count: 25, Pages: 3, From: 1, Last: 3, To: 10, Prev: nil, Next: &two}, p1.Pagination)
	p3, err := crm.SearchProducts(ctx, 3)
	require.NoError(t, err)
	assert.Equal(t, woofed.Pagination{Page: 3, Items: 5, Count: 25, Pages: 3, From: 21, Last: 3, To: 25, Prev: &two, Next: nil}, p3.Pagination)
	assert.Len(t, p3.Data, 5)
	p4, err := crm.SearchProducts(ctx, 4)
	require.NoError(t, err)
	assert.Empty(t, p4.Data)
	assert.Equal(t, woofed.Pagination{Page: 4, Items: 0, Count: 25, Pages: 3, From: 0, Last: 3, To: 0, Prev: &three, Next: nil}, p4.Pagination)

	req, _ := srv.LastRequest()
	assert.JSONEq(t, `{"query":{},"page":4}`, string(req.Body))

	// Breaking out of the loop stops fetching.
	srv.ResetRequests()
	n := 0
	for _, err := range crm.AllProducts(ctx) {
		require.NoError(t, err)
		if n++; n == 12 {
			break
		}
	}
	assert.Equal(t, 2, srv.Count(http.MethodPost, "/products/search"))

	// An error mid-walk is yielded once and ends the iteration.
	srv.ResetRequests()
	srv.Inject(vendorkittest.Fault{Match: func(r *http.Request) bool { return strings.Contains(readBody(r), `"page":2`) }, Status: 401, Body: []byte(`{"errors":"Unauthorized"}`)})
	var items, errs int
	for _, err := range crm.AllProducts(ctx) {
		if err != nil {
			errs++
			require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
			continue
		}
		items++
	}
	assert.Equal(t, 10, items)
	assert.Equal(t, 1, errs)
}

// readBody peeks at a request body in a fault matcher (the fake has already
// buffered it) and puts it back.
func readBody(r *http.Request) string {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

func TestInvalidSearch(t *testing.T) {
	ctx := context.Background()
	_, crm := setup(t)
	_, err := crm.SearchContacts(ctx, 1, woofed.Where("password_eq", "x"))
	require.ErrorIs(t, err, woofed.ErrInvalidSearch)
	require.ErrorIs(t, err, vendorkit.ErrBadRequest)
	assert.NotErrorIs(t, err, woofed.ErrValidation)
	assert.Contains(t, apiError(t, err).Message, "Invalid search parameters: Invalid search term password_eq")
}

// TestErrorBodies is the table of every documented error body and the
// sentinel, message and fields each must give.
func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		is      []error
		message string
		fields  map[string][]string
	}{
		{"unauthorized", 401, `{"errors":"Unauthorized"}`, []error{vendorkit.ErrUnauthorized}, "Unauthorized", nil},
		{"jwt error", 401, `{"errors":"Signature verification failed"}`, []error{vendorkit.ErrUnauthorized}, "Signature verification failed", nil},
		{"docs unauthorized", 401, `{"error":"Unauthorized"}`, []error{vendorkit.ErrUnauthorized}, "Unauthorized", nil},
		{"forbidden", 403, `{"errors":"Forbidden"}`, []error{vendorkit.ErrForbidden}, "Forbidden", nil},
		{"not found", 404, `{"errors":"Not found"}`, []error{vendorkit.ErrNotFound}, "Not found", nil},
		{"record not found", 404, `{"error":"Resource could not be found"}`, []error{vendorkit.ErrNotFound}, "Resource could not be found", nil},
		{"full messages", 422, `{"errors":["Name can't be blank","Stage must exist"]}`, []error{woofed.ErrValidation, vendorkit.ErrBadRequest}, "Name can't be blank; Stage must exist", nil},
		{"invalid search", 422, `{"errors":"Invalid search parameters","details":"Invalid search term foo_eq"}`, []error{woofed.ErrInvalidSearch, vendorkit.ErrBadRequest}, "Invalid search parameters: Invalid search term foo_eq", nil},
		{"raw hash", 422, `{"email":["is invalid"],"full_name":["can't be blank"]}`, []error{woofed.ErrValidation, vendorkit.ErrBadRequest}, "Email is invalid; Full name can't be blank", map[string][]string{"email": {"is invalid"}, "full_name": {"can't be blank"}}},
		{"raw hash base", 422, `{"base":["Contact limit reached"]}`, []error{woofed.ErrValidation}, "Contact limit reached", map[string][]string{"base": {"Contact limit reached"}}},
		{"record invalid", 422, `{"message":"Email is invalid, Phone is invalid","attributes":["email","phone"]}`, []error{woofed.ErrValidation, vendorkit.ErrBadRequest}, "Email is invalid, Phone is invalid", map[string][]string{"email": {"is invalid"}, "phone": {"is invalid"}}},
		{"record invalid unmatched", 422, `{"message":"Validation failed","attributes":["email"]}`, []error{woofed.ErrValidation}, "Validation failed", map[string][]string{"email": {"Validation failed"}}},
		{"docs field map", 422, `{"errors":{"email":["is invalid"]}}`, []error{woofed.ErrValidation}, "email is invalid", map[string][]string{"email": {"is invalid"}}},
		{"html 500", 500, "<!DOCTYPE html><html><head><title>We're sorry, but something went wrong (500)</title></head><body>…</body></html>", []error{vendorkit.ErrServer}, "We're sorry, but something went wrong (500)", nil},
		{"html 404", 404, "<html><head><title>The page you were looking for doesn't exist (404)</title></head></html>", []error{vendorkit.ErrNotFound}, "The page you were looking for doesn't exist (404)", nil},
		{"empty 502", 502, "", []error{vendorkit.ErrServer}, "", nil},
		{"rate limited", 429, `{"errors":"Too many requests"}`, []error{vendorkit.ErrRateLimited}, "Too many requests", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := woofedtest.NewServer(t)
			crm, err := woofed.New(vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1})), srv.Token(), woofed.WithBaseURL(srv.URL()))
			require.NoError(t, err)
			srv.FailNext(1, tt.status, tt.body, "")
			_, err = crm.GetContact(context.Background(), 1)
			for _, want := range tt.is {
				require.ErrorIs(t, err, want)
			}
			e := apiError(t, err)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Equal(t, tt.message, e.Message)
			assert.Equal(t, tt.fields, e.Fields)
			assert.Equal(t, "GetContact", e.Operation)
			assert.Contains(t, err.Error(), "woofed: GetContact: GET ")
			if tt.status != 422 {
				assert.NotErrorIs(t, err, woofed.ErrValidation)
				assert.NotErrorIs(t, err, woofed.ErrInvalidSearch)
			}
		})
	}
}

func TestAuth(t *testing.T) {
	ctx := context.Background()
	srv := woofedtest.NewServer(t, woofedtest.WithToken("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.sig"))
	kit := vendorkittest.NewClient(t)

	t.Run("wrong token", func(t *testing.T) {
		crm, err := woofed.New(kit, "eyJ.other.token", woofed.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		_, err = crm.GetContact(ctx, 1)
		require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
		assert.Equal(t, "Unauthorized", apiError(t, err).Message)
		assert.NotContains(t, err.Error(), "eyJ")
	})

	t.Run("surrounding whitespace is trimmed", func(t *testing.T) {
		srv.ResetRequests()
		crm, err := woofed.New(kit, "  \teyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.sig\r\n", woofed.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		_, err = crm.GetContact(ctx, 1)
		require.ErrorIs(t, err, vendorkit.ErrNotFound, "authenticated: the contact just does not exist")
		req, _ := srv.LastRequest()
		assert.Equal(t, []string{"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.sig"}, req.Header.Values("Authorization"))
	})

	for _, tok := range []string{"", "   ", "\r\n", "eyJ\r\nX-Evil: 1", "eyJ\nabc", "eyJ abc", "Bearer eyJ abc", "eyJ\tabc", "eyJ\x00abc"} {
		t.Run(fmt.Sprintf("refused %q", tok), func(t *testing.T) {
			srv.ResetRequests()
			_, err := woofed.New(kit, tok, woofed.WithBaseURL(srv.URL()))
			require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
			var apiErr *vendorkit.APIError
			assert.False(t, errors.As(err, &apiErr))
			if strings.TrimSpace(tok) != "" {
				assert.NotContains(t, err.Error(), strings.TrimSpace(tok))
			}
			assert.Zero(t, srv.Count("", ""))
		})
	}

	t.Run("rotating credential", func(t *testing.T) {
		var mu sync.Mutex
		tok := "stale"
		cred := vendorkit.CredentialFunc(func(context.Context) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			return tok, nil
		})
		crm, err := woofed.New(kit, "", woofed.WithBaseURL(srv.URL()), woofed.WithCredential(cred))
		require.NoError(t, err)
		_, err = crm.GetContact(ctx, 1)
		require.ErrorIs(t, err, vendorkit.ErrUnauthorized)
		mu.Lock()
		tok = srv.Token()
		mu.Unlock()
		_, err = crm.GetContact(ctx, 1)
		require.ErrorIs(t, err, vendorkit.ErrNotFound)

		_, err = woofed.New(kit, "also-a-token", woofed.WithCredential(cred))
		require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
	})
}

func TestWrongAccount(t *testing.T) {
	srv := woofedtest.NewServer(t)
	crm, err := woofed.New(vendorkittest.NewClient(t), srv.Token(), woofed.WithBaseURL(srv.Origin()), woofed.WithAccountID(2))
	require.NoError(t, err)
	assert.Equal(t, srv.Origin()+"/api/v1/accounts/2", crm.BaseURL())
	_, err = crm.SearchContacts(context.Background(), 1)
	require.ErrorIs(t, err, vendorkit.ErrNotFound)
	e := apiError(t, err)
	assert.Equal(t, "/api/v1/accounts/2/contacts/search", e.Path)
	assert.Equal(t, "Not found", e.Message)
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		opts    []woofed.Option
		want    string
		account int64
		err     error
	}{
		{"default", "", nil, "https://app.woofedcrm.com/api/v1/accounts/1", 1, nil},
		{"default with account", "", []woofed.Option{woofed.WithAccountID(7)}, "https://app.woofedcrm.com/api/v1/accounts/7", 7, nil},
		{"documented", "https://app.woofedcrm.com/api/v1/accounts/1", nil, "https://app.woofedcrm.com/api/v1/accounts/1", 1, nil},
		{"documented trailing slash", "https://app.woofedcrm.com/api/v1/accounts/3/", nil, "https://app.woofedcrm.com/api/v1/accounts/3", 3, nil},
		{"documented agrees", "https://app.woofedcrm.com/api/v1/accounts/3", []woofed.Option{woofed.WithAccountID(3)}, "https://app.woofedcrm.com/api/v1/accounts/3", 3, nil},
		{"documented contradicts", "https://app.woofedcrm.com/api/v1/accounts/3", []woofed.Option{woofed.WithAccountID(4)}, "", 0, vendorkit.ErrInvalidArgument},
		{"template", "https://app.woofedcrm.com/api/v1/accounts/{account_id}", []woofed.Option{woofed.WithAccountID(5)}, "https://app.woofedcrm.com/api/v1/accounts/5", 5, nil},
		{"self-hosted origin", "https://crm.example.com", nil, "https://crm.example.com/api/v1/accounts/1", 1, nil},
		{"self-hosted sub-path", "https://example.com/crm/", []woofed.Option{woofed.WithAccountID(2)}, "https://example.com/crm/api/v1/accounts/2", 2, nil},
		{"api v1 only", "https://crm.example.com/api/v1", nil, "https://crm.example.com/api/v1/accounts/1", 1, nil},
		{"accounts only", "https://crm.example.com/api/v1/accounts", nil, "https://crm.example.com/api/v1/accounts/1", 1, nil},
		{"loopback http", "http://127.0.0.1:8080", nil, "http://127.0.0.1:8080/api/v1/accounts/1", 1, nil},
		{"resource path", "https://crm.example.com/api/v1/accounts/1/contacts", nil, "", 0, vendorkit.ErrInvalidArgument},
		{"account not a number", "https://crm.example.com/api/v1/accounts/abc", nil, "", 0, vendorkit.ErrInvalidArgument},
		{"account zero", "https://crm.example.com/api/v1/accounts/0", nil, "", 0, vendorkit.ErrInvalidArgument},
		{"account id option zero", "", []woofed.Option{woofed.WithAccountID(0)}, "", 0, vendorkit.ErrInvalidArgument},
		{"account id option negative", "", []woofed.Option{woofed.WithAccountID(-1)}, "", 0, vendorkit.ErrInvalidArgument},
		{"plain http", "http://crm.example.com", nil, "", 0, vendorkit.ErrInsecureURL},
		{"query", "https://crm.example.com/?token=x", nil, "", 0, vendorkit.ErrInvalidArgument},
		{"relative", "crm.example.com", nil, "", 0, vendorkit.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if tt.raw != "" {
				opts = append([]woofed.Option{woofed.WithBaseURL(tt.raw)}, opts...)
			}
			crm, err := woofed.New(nil, "tok", opts...)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.True(t, strings.HasPrefix(err.Error(), "woofed: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, crm.BaseURL())
			assert.Equal(t, tt.account, crm.AccountID())
		})
	}
}

// TestClientSideValidation checks that bad arguments are refused before
// anything is sent, with an error that names the fix.
func TestClientSideValidation(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"get contact id 0", func() error { _, err := crm.GetContact(ctx, 0); return err }, "woofed: GetContact: vendorkit: invalid argument: id must be > 0, got 0"},
		{"delete contact id -1", func() error { return crm.DeleteContact(ctx, -1) }, "id must be > 0"},
		{"phone without plus", func() error {
			_, err := crm.CreateContact(ctx, woofed.ContactInput{Phone: "5511999990000"})
			return err
		}, "phone is not E.164"},
		{"phone with spaces", func() error {
			_, err := crm.CreateContact(ctx, woofed.ContactInput{Phone: "+55 11 99999-0000"})
			return err
		}, "phone is not E.164"},
		{"phone too long", func() error {
			_, err := crm.CreateContact(ctx, woofed.ContactInput{Phone: "+1234567890123456"})
			return err
		}, "phone is not E.164"},
		{"phone one digit", func() error { _, err := crm.CreateContact(ctx, woofed.ContactInput{Phone: "+1"}); return err }, "phone is not E.164"},
		{"phone leading zero", func() error { _, err := crm.CreateContact(ctx, woofed.ContactInput{Phone: "+0123"}); return err }, "phone is not E.164"},
		{"upsert without key", func() error { _, _, err := crm.UpsertContact(ctx, woofed.ContactInput{FullName: "x"}); return err }, "an email or a phone is required"},
		{"upsert bad phone", func() error { _, _, err := crm.UpsertContact(ctx, woofed.ContactInput{Phone: "123"}); return err }, "phone is not E.164"},
		{"deal status", func() error { _, err := crm.CreateDeal(ctx, woofed.DealInput{Status: "closed"}); return err }, `status "closed" is not open, won or lost`},
		{"deal negative stage", func() error { _, err := crm.CreateDeal(ctx, woofed.DealInput{StageID: -2}); return err }, "stage id must be > 0"},
		{"deal new contact phone", func() error {
			_, err := crm.CreateDeal(ctx, woofed.DealInput{Contact: &woofed.ContactInput{Phone: "abc"}})
			return err
		}, "contact phone is not E.164"},
		{"deal new contact without match key", func() error {
			_, err := crm.CreateDeal(ctx, woofed.DealInput{Contact: &woofed.ContactInput{FullName: "x"}})
			return err
		}, "an email or a phone is required"},
		{"deal contact twice", func() error {
			_, err := crm.CreateDeal(ctx, woofed.DealInput{ContactID: 1, Contact: &woofed.ContactInput{Email: "a@b.c"}})
			return err
		}, "not both"},
		{"label with comma", func() error {
			_, err := crm.CreateContact(ctx, woofed.ContactInput{LabelList: []string{"a,b"}})
			return err
		}, "hold no comma"},
		{"update deal id", func() error { _, err := crm.UpdateDeal(ctx, 0, woofed.DealUpdate{}); return err }, "id must be > 0"},
		{"update deal stage 0", func() error {
			_, err := crm.UpdateDeal(ctx, 1, woofed.DealUpdate{StageID: vendorkit.Ptr[int64](0)})
			return err
		}, "stage id must be > 0"},
		{"update deal empty status", func() error {
			_, err := crm.UpdateDeal(ctx, 1, woofed.DealUpdate{Status: vendorkit.Ptr(woofed.DealStatus(""))})
			return err
		}, "status must be open, won or lost"},
		{"upsert deal without contact", func() error { _, err := crm.UpsertDeal(ctx, woofed.DealInput{Name: "x"}); return err }, "contact id must be > 0"},
		{"event kind", func() error { _, err := crm.CreateDealEvent(ctx, 1, woofed.EventInput{}); return err }, "kind is required"},
		{"event deal", func() error {
			_, err := crm.CreateDealEvent(ctx, 0, woofed.EventInput{Kind: woofed.EventNote})
			return err
		}, "deal id must be > 0"},
		{"negative amount", func() error {
			_, err := crm.CreateProduct(ctx, woofed.ProductInput{Name: "x", AmountInCents: vendorkit.Ptr[int64](-1)})
			return err
		}, "amount in cents must be ≥ 0, got -1"},
		{"negative stock", func() error {
			_, err := crm.UpdateProduct(ctx, 1, woofed.ProductUpdate{QuantityAvailable: vendorkit.Ptr[int64](-5)})
			return err
		}, "quantity available must be ≥ 0"},
		{"deal product ids", func() error { _, err := crm.CreateDealProduct(ctx, woofed.DealProductInput{DealID: 1}); return err }, "product id must be > 0"},
		{"deal product quantity", func() error {
			_, err := crm.CreateDealProduct(ctx, woofed.DealProductInput{ProductID: 1, DealID: 1, Quantity: vendorkit.Ptr[int64](-1)})
			return err
		}, "quantity must be ≥ 0"},
		{"deal product unit amount", func() error {
			_, err := crm.UpdateDealProduct(ctx, 1, woofed.DealProductUpdate{UnitAmountInCents: vendorkit.Ptr[int64](-1)})
			return err
		}, "unit amount in cents must be ≥ 0"},
		{"get deal product id", func() error { _, err := crm.GetDealProduct(ctx, 0); return err }, "id must be > 0"},
		{"assign ids", func() error { _, err := crm.AssignDeal(ctx, 1, 0); return err }, "user id must be > 0"},
		{"unassign id", func() error { return crm.UnassignDeal(ctx, 0) }, "assignment id must be > 0"},
		{"user phone", func() error { _, err := crm.CreateUser(ctx, woofed.UserInput{Phone: "0800"}); return err }, "phone is not E.164"},
		{"user password", func() error {
			_, err := crm.CreateUser(ctx, woofed.UserInput{Password: "hunter22", PasswordConfirmation: "hunter23"})
			return err
		}, "password and password confirmation differ"},
		{"search key", func() error { _, err := crm.SearchContacts(ctx, 1, woofed.Where("email", "x")); return err }, `search key "email" is not attribute_predicate`},
		{"search in scalar", func() error { _, err := crm.SearchContacts(ctx, 1, woofed.Where("id_in", 3)); return err }, `"id_in" needs a non-empty list`},
		{"search in empty", func() error { _, err := crm.SearchProducts(ctx, 1, woofed.In[int64]("id")); return err }, `"id_in" needs a non-empty list`},
		{"search null non-bool", func() error { _, err := crm.SearchUsers(ctx, 1, woofed.Where("phone_null", "yes")); return err }, "needs true or false"},
		{"search nil value", func() error { _, err := crm.SearchUsers(ctx, 1, woofed.Where("phone_eq", nil)); return err }, "use phone_null"},
		{"search page", func() error { _, err := crm.SearchContacts(ctx, -1); return err }, "page must be ≥ 1"},
		{"search duplicate", func() error {
			_, err := crm.SearchContacts(ctx, 1, woofed.Eq("email", "a"), woofed.Eq("email", "b"))
			return err
		}, "given twice"},
		{"unencodable attributes", func() error {
			_, err := crm.CreateContact(ctx, woofed.ContactInput{CustomAttributes: woofed.Attributes{"f": func() {}}})
			return err
		}, "encoding the request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.ErrorIs(t, err, vendorkit.ErrInvalidArgument)
			var apiErr *vendorkit.APIError
			assert.False(t, errors.As(err, &apiErr))
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Zero(t, srv.Count("", ""), "nothing may be sent")

	// The phone is personal data: it is not echoed in the error.
	_, err := crm.CreateContact(ctx, woofed.ContactInput{Phone: "55 11 98765-4321"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "98765")
}

func TestPredicates(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	_, err := crm.SearchContacts(ctx, 2,
		woofed.Eq("email", "a@b.c"),
		woofed.Cont("full_name", "ada"),
		woofed.In("id", 1, 2, 3),
		woofed.Gteq("created_at", at),
		woofed.Lteq("updated_at", at),
		woofed.Null("phone", true),
		woofed.Where("email_or_full_name_cont", "x"),
		woofed.Where("app_type_not_eq", "Apps::Chatwoot"),
		woofed.Where("email_eq_any", []string{"a", "b"}),
	)
	// The fake knows no email_or_full_name_cont: the request was sent, as
	// sent the fake refuses it.
	require.ErrorIs(t, err, woofed.ErrInvalidSearch)
	req, _ := srv.LastRequest()
	assert.JSONEq(t, `{"page":2,"query":{
		"email_eq":"a@b.c","full_name_cont":"ada","id_in":[1,2,3],
		"created_at_gteq":"2025-03-01T12:00:00Z","updated_at_lteq":"2025-03-01T12:00:00Z",
		"phone_null":true,"email_or_full_name_cont":"x","app_type_not_eq":"Apps::Chatwoot",
		"email_eq_any":["a","b"]}}`, string(req.Body))
	assert.Equal(t, "email_eq=a@b.c", woofed.Eq("email", "a@b.c").String())
}

// TestRetries checks which calls are retried: upserts and searches (marked
// idempotent) after a 5xx, plain creates never.
func TestRetries(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)

	srv.FailNext(1, 500, "", "")
	_, err := crm.CreateContact(ctx, woofed.ContactInput{Email: "x@example.com"})
	require.ErrorIs(t, err, vendorkit.ErrServer)
	assert.Equal(t, 1, srv.Count(http.MethodPost, "/contacts"), "a create is never repeated after a 5xx")

	for _, tt := range []struct {
		path string
		call func() error
	}{
		{"/contacts/upsert", func() error {
			_, _, err := crm.UpsertContact(ctx, woofed.ContactInput{Email: "y@example.com"})
			return err
		}},
		{"/contacts/search", func() error { _, err := crm.SearchContacts(ctx, 1); return err }},
		{"/products/search", func() error { _, err := crm.SearchProducts(ctx, 1); return err }},
		{"/users/search", func() error { _, err := crm.SearchUsers(ctx, 1); return err }},
		{"/contacts/1", func() error { _, err := crm.GetContact(ctx, 1); return err }},
	} {
		srv.ResetRequests()
		srv.FailNext(2, 502, "<html><title>Bad Gateway</title></html>", "")
		err := tt.call()
		require.NoError(t, err, tt.path)
		assert.Equal(t, 3, srv.Count("", tt.path), tt.path)
	}

	// Deal upsert is retried too; it needs a contact.
	c, err := crm.CreateContact(ctx, woofed.ContactInput{FullName: "Z"})
	require.NoError(t, err)
	srv.ResetRequests()
	srv.FailNext(1, 503, "", "")
	_, err = crm.UpsertDeal(ctx, woofed.DealInput{ContactID: c.ID, Name: "Z deal", PipelineID: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Count(http.MethodPost, "/deals/upsert"))

	// A 429 is retried for any method, waiting Retry-After.
	srv.ResetRequests()
	srv.FailNext(1, 429, `{"errors":"Too many requests"}`, "1")
	var info vendorkit.ResponseInfo
	_, err = crm.CreateProduct(vendorkit.CaptureResponse(ctx, &info), woofed.ProductInput{Name: "p"})
	require.NoError(t, err)
	assert.Equal(t, 2, info.Attempts)
	assert.NotEmpty(t, info.RequestID)
}

// TestConcurrent uses one client from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	const workers, each = 16, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				email := fmt.Sprintf("w%d-%d@example.com", w, i)
				c, err := crm.CreateContact(ctx, woofed.ContactInput{Email: email})
				if err != nil {
					errs <- err
					continue
				}
				got, err := crm.GetContact(ctx, c.ID)
				if err == nil && got.Email != email {
					err = fmt.Errorf("contact %d: email %q, want %q", c.ID, got.Email, email)
				}
				if err == nil {
					var p woofed.Page[woofed.Contact]
					p, err = crm.SearchContacts(ctx, 1, woofed.Eq("email", email))
					if err == nil && len(p.Data) != 1 {
						err = fmt.Errorf("search %s: %d hits", email, len(p.Data))
					}
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	for _, err := range crm.AllContacts(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, workers*each, n)
	assert.Equal(t, workers*each, srv.Count(http.MethodPost, "/contacts"))
}

func TestUserInputString(t *testing.T) {
	in := woofed.UserInput{Email: "a@b.c", Password: "hunter22", PasswordConfirmation: "hunter22"}
	for _, s := range []string{fmt.Sprint(in), fmt.Sprintf("%v", in), fmt.Sprintf("%+v", in)} {
		assert.NotContains(t, s, "hunter22")
		assert.Contains(t, s, "a@b.c")
	}
}

func TestFaults(t *testing.T) {
	ctx := context.Background()
	srv, crm := setup(t)
	srv.AddContact(woofed.Contact{ID: 1, FullName: "A"})

	// A reset GET is retried.
	srv.ResetNext(1)
	c, err := crm.GetContact(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, "A", c.FullName)
	assert.Equal(t, 2, srv.Count(http.MethodGet, "/contacts/1"))

	// A reset create is not: the server may have acted.
	srv.ResetNext(1)
	_, err = crm.CreateContact(ctx, woofed.ContactInput{FullName: "B"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "woofed: CreateContact: ")
	assert.Equal(t, 1, srv.Count(http.MethodPost, "/contacts"))

	// A truncated success body is retried (issue 12.6); when it stays cut,
	// it is a transport error, not an APIError.
	srv.Inject(vendorkittest.Fault{Truncate: true})
	_, err = crm.GetContact(ctx, 1)
	require.NoError(t, err)
	srv.Inject(vendorkittest.Fault{Truncate: true, Times: -1})
	_, err = crm.GetContact(ctx, 1)
	srv.ClearFaults()
	require.ErrorIs(t, err, vendorkit.ErrTransport)
	var apiErr *vendorkit.APIError
	assert.False(t, errors.As(err, &apiErr))
	assert.Contains(t, err.Error(), "woofed: GetContact: ")

	// A context deadline ends a slow call with an error that wraps it.
	srv.Inject(vendorkittest.Fault{Delay: time.Second})
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = crm.GetContact(short, 1)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestNewIsCheap checks that building a client starts no goroutine and
// sends nothing.
func TestNewIsCheap(t *testing.T) {
	srv := woofedtest.NewServer(t)
	kit := vendorkittest.NewClient(t)
	before := runtime.NumGoroutine()
	for range 1000 {
		_, err := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))
		require.NoError(t, err)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
	assert.Zero(t, srv.Count("", ""))
}

func TestCreateUserForbidden(t *testing.T) {
	_, crm := setup(t, woofedtest.WithoutAdmin())
	_, err := crm.CreateUser(context.Background(), woofed.UserInput{Email: "x@example.com", Password: "secret12", PasswordConfirmation: "secret12"})
	require.ErrorIs(t, err, vendorkit.ErrForbidden)
	assert.Equal(t, "Forbidden", apiError(t, err).Message)
}

// TestRateLimited runs the fake behind a rate limit (Woofed documents 429
// but publishes no numbers): a Retry-After beyond the policy's maximum is
// not slept on; the error says when to reschedule.
func TestRateLimited(t *testing.T) {
	srv, crm := setup(t)
	limit := vendorkittest.NewRateLimit(1.0/120, 1, nil) // one request, then 120 s to wait
	srv.Use(limit.Middleware(func(w http.ResponseWriter, _ *http.Request) {
		vendorkittest.WriteJSON(w, http.StatusTooManyRequests, map[string]string{"errors": "Too many requests"})
	}))
	ctx := context.Background()
	_, err := crm.SearchContacts(ctx, 1)
	require.NoError(t, err)
	_, err = crm.SearchContacts(ctx, 1)
	require.ErrorIs(t, err, vendorkit.ErrRateLimited)
	e := apiError(t, err)
	assert.Equal(t, 120*time.Second, e.RetryAfter)
	assert.Equal(t, "Too many requests", e.Message)
	assert.Equal(t, 1, e.Attempts, "not retried")
	assert.Equal(t, 2, srv.Count(http.MethodPost, "/contacts/search"))
	assert.Equal(t, 1, limit.Refused())
}
