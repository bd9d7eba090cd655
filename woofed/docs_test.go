package woofed_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/fidelity"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/internal/permit"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// The documented examples are in testdata/docs, listed with their sources
// in testdata/docs/SOURCES.md.
const docsDir = "testdata/docs"

func loadDocs(t *testing.T) []fidelity.Example {
	t.Helper()
	examples, err := fidelity.Load(docsDir)
	require.NoError(t, err)
	return examples
}

// eventColumnsWithoutExample are the event keys the docs show only empty
// (files: [], files_events: [], invalid_files: null): what they hold is
// documented nowhere, so they have no typed field (README "doc gaps").
var eventColumnsWithoutExample = fidelity.Ignore("events[].files", "events[].files_events", "events[].invalid_files")

// callDoc runs the facade method that answers an example of op against
// base, a server that answers that example whatever the request.
func callDoc(t *testing.T, op, base string) (any, error) {
	t.Helper()
	crm, err := woofed.New(vendorkittest.NewClient(t, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1})), "tok", woofed.WithBaseURL(base))
	require.NoError(t, err)
	ctx := context.Background()
	switch op {
	case "CreateContact":
		return crm.CreateContact(ctx, woofed.ContactInput{FullName: "x"})
	case "GetContact":
		return crm.GetContact(ctx, 1)
	case "UpsertContact":
		c, _, err := crm.UpsertContact(ctx, woofed.ContactInput{Email: "a@b.co"})
		return c, err
	case "SearchContacts":
		return crm.SearchContacts(ctx, 1)
	case "CreateDeal":
		return crm.CreateDeal(ctx, woofed.DealInput{Name: "x", ContactID: 1, StageID: 1})
	case "GetDeal":
		return crm.GetDeal(ctx, 1)
	case "UpdateDeal":
		return crm.UpdateDeal(ctx, 1, woofed.DealUpdate{Name: vendorkit.Ptr("x")})
	case "UpsertDeal":
		return crm.UpsertDeal(ctx, woofed.DealInput{ContactID: 1})
	case "CreateDealEvent":
		return crm.CreateDealEvent(ctx, 1, woofed.EventInput{Kind: woofed.EventNote})
	case "GetProduct":
		return crm.GetProduct(ctx, 1)
	case "CreateProduct":
		return crm.CreateProduct(ctx, woofed.ProductInput{Name: "x"})
	case "UpdateProduct":
		return crm.UpdateProduct(ctx, 1, woofed.ProductUpdate{Name: vendorkit.Ptr("x")})
	case "SearchProducts":
		return crm.SearchProducts(ctx, 1)
	case "CreateDealProduct":
		return crm.CreateDealProduct(ctx, woofed.DealProductInput{ProductID: 1, DealID: 1})
	case "GetDealProduct":
		return crm.GetDealProduct(ctx, 1)
	case "UpdateDealProduct":
		return crm.UpdateDealProduct(ctx, 1, woofed.DealProductUpdate{Quantity: vendorkit.Ptr[int64](1)})
	case "AssignDeal":
		return crm.AssignDeal(ctx, 1, 1)
	case "CreateUser":
		return crm.CreateUser(ctx, woofed.UserInput{Email: "a@b.co"})
	case "SearchUsers":
		return crm.SearchUsers(ctx, 1)
	}
	t.Fatalf("no facade method for operation %q", op)
	return nil, nil
}

// serveExample answers body with status to every request.
func serveExample(t *testing.T, status int, body []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestDocsResponsesDecode decodes every documented response through the
// facade method that receives it and fails when a documented value is not
// kept by the typed result.
func TestDocsResponsesDecode(t *testing.T) {
	n := 0
	for _, ex := range loadDocs(t) {
		if ex.Kind != "response" {
			continue
		}
		n++
		t.Run(ex.File, func(t *testing.T) {
			var typed any
			if strings.HasPrefix(ex.Operation, "POST /deals/search") {
				// Documented, but in no routes file: the SDK has no
				// method; the page decodes into the facade's types.
				var p woofed.Page[woofed.Deal]
				require.NoError(t, json.Unmarshal(ex.Body, &p))
				typed = p
			} else {
				status, err := strconv.Atoi(ex.Status)
				require.NoError(t, err)
				typed, err = callDoc(t, ex.Operation, serveExample(t, status, ex.Body))
				require.NoError(t, err)
			}
			lost, err := fidelity.Lost(ex.Body, typed, eventColumnsWithoutExample)
			require.NoError(t, err)
			assert.Empty(t, lost, "documented values the typed result does not keep")
		})
	}
	assert.Equal(t, 24, n, "documented responses checked")
}

// TestDocsErrorsDecode reads the documented error bodies into APIError.
func TestDocsErrorsDecode(t *testing.T) {
	want := map[string]func(t *testing.T, e *vendorkit.APIError){
		"api-structure-errors.error.json": func(t *testing.T, e *vendorkit.APIError) {
			assert.ErrorIs(t, e, woofed.ErrValidation)
			assert.Equal(t, map[string][]string{"email": {"is invalid"}, "stage_id": {"can't be blank"}}, e.Fields)
		},
		"api-structure-top-level.error.json": func(t *testing.T, e *vendorkit.APIError) {
			assert.ErrorIs(t, e, vendorkit.ErrUnauthorized)
			assert.Equal(t, "Unauthorized", e.Message)
		},
	}
	n := 0
	for _, ex := range loadDocs(t) {
		if ex.Kind != "error" {
			continue
		}
		n++
		t.Run(ex.File, func(t *testing.T) {
			check, ok := want[ex.File]
			require.True(t, ok, "no expectation for %s", ex.File)
			status, err := strconv.Atoi(ex.Status)
			require.NoError(t, err)
			_, err = callDoc(t, "GetContact", serveExample(t, status, ex.Body))
			check(t, apiError(t, err))
		})
	}
	assert.Equal(t, len(want), n)
}

// documentedDrops lists, per documented request body, what Woofed's
// controllers drop from it (permit tables in woofed/internal/permit, copied
// from the controllers): the docs show fields the API does not accept.
var documentedDrops = map[string][]string{
	// label_list is permitted as a scalar only; the docs send an array.
	"contacts-create.request.json": {"label_list"},
	"contacts-upsert.request.json": {"label_list"},
	// lost_reason and lost_at are permitted by no deal controller version.
	"deals-update.request.json":      {"lost_at", "lost_reason"},
	"deals-update.request.curl.json": {"lost_at", "lost_reason"},
}

// docPath is the path (relative to the account) a documented request is
// sent to.
var docPath = map[string]string{
	"CreateContact": "/contacts", "UpsertContact": "/contacts/upsert", "SearchContacts": "/contacts/search",
	"CreateDeal": "/deals", "UpdateDeal": "/deals/1", "UpsertDeal": "/deals/upsert", "CreateDealEvent": "/deals/1/events",
	"CreateProduct": "/products", "UpdateProduct": "/products/1", "SearchProducts": "/products/search",
	"CreateDealProduct": "/deal_products", "UpdateDealProduct": "/deal_products/1", "AssignDeal": "/deal_assignees",
	"CreateUser": "/users", "SearchUsers": "/users/search",
	"POST /deals/search (not in the SDK: no route)": "/deals/search",
}

// TestDocsRequestsAgainstControllers filters every documented request body
// through the permit list of the controller that receives it: what is
// dropped must be exactly what documentedDrops says.
func TestDocsRequestsAgainstControllers(t *testing.T) {
	n := 0
	for _, ex := range loadDocs(t) {
		if ex.Kind != "request" {
			continue
		}
		n++
		t.Run(ex.File, func(t *testing.T) {
			path, ok := docPath[ex.Operation]
			require.True(t, ok, "no path for %s", ex.Operation)
			method := http.MethodPost
			if strings.HasPrefix(ex.Operation, "Update") {
				method = http.MethodPut
			}
			table, ok := permit.For(method, path)
			require.True(t, ok)
			_, dropped, err := table.FilterJSON(ex.Body)
			require.NoError(t, err)
			assert.Equal(t, documentedDrops[ex.File], dropped, "dropped by %s", table.Source)
		})
	}
	assert.Equal(t, 35, n, "documented requests checked")
}

// TestFakeMatchesDocs sends the documented requests to the fake, in an
// order that makes the documented ids exist, and compares each answer with
// the documented response by shape: every documented key, with its JSON
// type, false, zero and null included.
func TestFakeMatchesDocs(t *testing.T) {
	srv := woofedtest.NewServer(t)
	docs := map[string][]byte{}
	for _, ex := range loadDocs(t) {
		docs[ex.File] = ex.Body
	}
	all := []byte(`{"query":{}}`)
	steps := []struct {
		method, path, request, response string
		body                            []byte // instead of request
		status                          int
	}{
		{"POST", "/contacts", "contacts-create.request.json", "contacts-create.response.json", nil, 201},
		{"POST", "/contacts/upsert", "contacts-upsert.request.json", "contacts-upsert.response.json", nil, 200},
		{"POST", "/products", "products-create.request.json", "products-create.response.json", nil, 201},
		{"POST", "/deals", "deals-create.request.json", "deals-create.response.json", nil, 201},
		{"POST", "/deals/1/events", "deal-events-note.request.json", "deal-events-note.response.json", nil, 201},
		{"POST", "/deals/1/events", "deal-events-activity.request.json", "deal-events-activity.response.json", nil, 201},
		{"POST", "/deal_products", "deal-products-create.request.json", "deal-products-create.response.json", nil, 201},
		{"POST", "/deal_assignees", "deal-assignees-create.request.json", "deal-assignees-create.response.json", nil, 201},
		{"POST", "/users", "users-create.request.json", "users-create.response.json", nil, 201},
		{"GET", "/contacts/1", "", "contacts-get.response.json", nil, 200},
		{"GET", "/contacts/1", "", "getting-started.response.json", nil, 200},
		{"GET", "/deals/1", "", "deals-get.response.json", nil, 200},
		{"GET", "/deals/1", "", "api-structure.response.json", nil, 200},
		{"GET", "/deals/1", "", "getting-started-anatomy.response.json", nil, 200},
		{"GET", "/products/1", "", "products-get.response.json", nil, 200},
		{"GET", "/deal_products/1", "", "deal-products-get.response.json", nil, 200},
		{"PUT", "/deal_products/1", "deal-products-update.request.json", "deal-products-update.response.json", nil, 200},
		{"PUT", "/products/1", "products-update.request.json", "products-update.response.json", nil, 200},
		{"POST", "/deals/upsert", "deals-upsert.request.json", "deals-upsert.response.json", nil, 200},
		{"PUT", "/deals/1", "deals-update.request.json", "deals-update.response.json", nil, 200},
		// The documented queries match the docs' own records; all records
		// are asked for so that every element can be compared.
		{"POST", "/contacts/search", "", "contacts-search.response.json", all, 200},
		{"POST", "/products/search", "", "products-search.response.json", all, 200},
		// The seeded admin has no phone (null, which the column allows).
		{"POST", "/users/search", "", "users-search.response.json", []byte(`{"query":{"email_eq":"tim@maia.com"}}`), 200},
	}
	checked := map[string]bool{}
	for _, st := range steps {
		body := st.body
		if st.request != "" {
			body = docs[st.request]
			require.NotNil(t, body, st.request)
		}
		status, answer := rawCall(t, srv, st.method, st.path, body)
		require.Equal(t, st.status, status, "%s %s: %s", st.method, st.path, answer)
		example := docs[st.response]
		require.NotNil(t, example, st.response)
		diffs, err := fidelity.Shape(example, answer)
		require.NoError(t, err)
		assert.Empty(t, diffs, "%s %s vs %s", st.method, st.path, st.response)
		checked[st.response] = true
	}
	// Every documented response is compared, except the deal search,
	// which no routes file has: the fake answers Rails' routing 404.
	for _, ex := range loadDocs(t) {
		if ex.Kind == "response" && !checked[ex.File] {
			assert.Equal(t, "deals-search.response.json", ex.File, "documented response not compared with the fake")
		}
	}
	status, _ := rawCall(t, srv, "POST", "/deals/search", docs["deals-search.request.json"])
	assert.Equal(t, http.StatusNotFound, status)
}
