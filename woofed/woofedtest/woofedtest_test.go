package woofedtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// do sends a raw request to the fake, so that the checks of the fake
// itself are tested without the client's own validation in the way.
func do(t *testing.T, method, url, auth, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if auth != "" {
		req.Header["Authorization"] = []string{auth}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestBearerCheck follows the seed's table: the header must be exactly
// "Authorization: Bearer <token>" — one space, no quotes, no surrounding
// whitespace — else 401 {"errors":"Unauthorized"}. (Whitespace around the
// whole header value is not part of it in HTTP: servers strip it, so it
// cannot be tested here; the client never sends any.)
func TestBearerCheck(t *testing.T) {
	srv := woofedtest.NewServer(t, woofedtest.WithToken("tok123"))
	srv.AddContact(woofed.Contact{ID: 1, FullName: "A"})
	url := srv.URL() + "/contacts/1"
	for _, tt := range []struct {
		auth string
		want int
	}{
		{"Bearer tok123", 200},
		{"", 401},
		{"tok123", 401},
		{"Bearer", 401},
		{"Bearer ", 401},
		{"Bearer  tok123", 401},
		{"bearer tok123", 401},
		{"Token tok123", 401},
		{`Bearer "tok123"`, 401},
		{"Bearer tok1234", 401},
		{"Bearer tok12", 401},
		{"Basic dG9rMTIz", 401},
	} {
		t.Run(tt.auth, func(t *testing.T) {
			status, body := do(t, http.MethodGet, url, tt.auth, "")
			assert.Equal(t, tt.want, status)
			if tt.want == 401 {
				assert.JSONEq(t, `{"errors":"Unauthorized"}`, body)
			}
		})
	}
}

func TestWrongAccountIs404(t *testing.T) {
	srv := woofedtest.NewServer(t, woofedtest.WithAccountID(3))
	assert.True(t, strings.HasSuffix(srv.URL(), "/api/v1/accounts/3"))
	status, body := do(t, http.MethodPost, srv.Origin()+"/api/v1/accounts/1/contacts/search", "Bearer "+srv.Token(), `{}`)
	assert.Equal(t, 404, status)
	assert.JSONEq(t, `{"errors":"Not found"}`, body)
	// Authentication comes first.
	status, _ = do(t, http.MethodPost, srv.Origin()+"/api/v1/accounts/1/contacts/search", "", `{}`)
	assert.Equal(t, 401, status)
	status, _ = do(t, http.MethodPost, srv.URL()+"/contacts/search", "Bearer "+srv.Token(), `{}`)
	assert.Equal(t, 200, status)
}

func TestPaginate(t *testing.T) {
	ints := func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i + 1
		}
		return s
	}
	p := func(v int) *int { return &v }
	for _, tt := range []struct {
		name  string
		n     int
		page  int
		want  woofed.Pagination
		first int
		len   int
	}{
		{"empty", 0, 1, woofed.Pagination{Page: 1, Items: 10, Count: 0, Pages: 1, From: 0, Last: 1, To: 0}, 0, 0},
		{"one", 1, 1, woofed.Pagination{Page: 1, Items: 1, Count: 1, Pages: 1, From: 1, Last: 1, To: 1}, 1, 1},
		{"full page", 10, 1, woofed.Pagination{Page: 1, Items: 10, Count: 10, Pages: 1, From: 1, Last: 1, To: 10}, 1, 10},
		{"first of 3", 25, 1, woofed.Pagination{Page: 1, Items: 10, Count: 25, Pages: 3, From: 1, Last: 3, To: 10, Next: p(2)}, 1, 10},
		{"middle", 25, 2, woofed.Pagination{Page: 2, Items: 10, Count: 25, Pages: 3, From: 11, Last: 3, To: 20, Prev: p(1), Next: p(3)}, 11, 10},
		{"last", 25, 3, woofed.Pagination{Page: 3, Items: 5, Count: 25, Pages: 3, From: 21, Last: 3, To: 25, Prev: p(2)}, 21, 5},
		{"overflow", 25, 9, woofed.Pagination{Page: 9, Items: 0, Count: 25, Pages: 3, From: 0, Last: 3, To: 0, Prev: p(3)}, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := woofedtest.Paginate(ints(tt.n), tt.page)
			assert.Equal(t, tt.want, got.Pagination)
			require.Len(t, got.Data, tt.len)
			require.NotNil(t, got.Data, "data is [] in JSON, never null")
			if tt.len > 0 {
				assert.Equal(t, tt.first, got.Data[0])
			}
		})
	}
	// The exact JSON of the pagination object.
	b, err := json.Marshal(woofedtest.Paginate(ints(25), 1).Pagination)
	require.NoError(t, err)
	assert.JSONEq(t, `{"page":1,"items":10,"count":25,"pages":3,"from":1,"last":3,"to":10,"prev":null,"next":2}`, string(b))
}

func TestSearchForms(t *testing.T) {
	srv := woofedtest.NewServer(t)
	for i, email := range []string{"a@example.com", "b@example.com", "c@other.test"} {
		srv.AddContact(woofed.Contact{ID: int64(i + 1), Email: email})
	}
	auth := "Bearer " + srv.Token()
	search := func(t *testing.T, method, url, body string) woofed.Page[woofed.Contact] {
		t.Helper()
		status, b := do(t, method, url, auth, body)
		require.Equal(t, 200, status, b)
		var p woofed.Page[woofed.Contact]
		require.NoError(t, json.Unmarshal([]byte(b), &p))
		return p
	}
	// GET with a Rails query string.
	p := search(t, http.MethodGet, srv.URL()+"/contacts/search?query[email_cont]=example&query[id_in][]=1&query[id_in][]=3", "")
	require.Len(t, p.Data, 1)
	assert.Equal(t, int64(1), p.Data[0].ID)
	// POST with page as a query parameter.
	p = search(t, http.MethodPost, srv.URL()+"/contacts/search?page=2", `{"query":{}}`)
	assert.Equal(t, 2, p.Pagination.Page)
	assert.Empty(t, p.Data)
	// Numeric strings compare as numbers, like Rails casts them.
	p = search(t, http.MethodPost, srv.URL()+"/contacts/search", `{"query":{"id_gteq":"2","email_not_null":true}}`)
	assert.Len(t, p.Data, 2)
	p = search(t, http.MethodPost, srv.URL()+"/contacts/search", `{"query":{"phone_null":true,"email_end":".TEST"}}`)
	require.Len(t, p.Data, 1)
	assert.Equal(t, int64(3), p.Data[0].ID)

	status, body := do(t, http.MethodPost, srv.URL()+"/contacts/search", auth, `{"query":{"id_in":5}}`)
	assert.Equal(t, 422, status)
	assert.Contains(t, body, `"errors":"Invalid search parameters"`)

	status, body = do(t, http.MethodPost, srv.URL()+"/contacts/search", auth, `{"page":0}`)
	assert.Equal(t, 500, status)
	assert.Contains(t, body, "<title>We're sorry, but something went wrong (500)</title>")

	status, _ = do(t, http.MethodPost, srv.URL()+"/contacts", auth, `{not json`)
	assert.Equal(t, 400, status)
}

func TestSeedAndState(t *testing.T) {
	srv := woofedtest.NewServer(t)
	assert.Len(t, srv.Stages(), 3)
	c := srv.AddContact(woofed.Contact{FullName: "Seeded"})
	assert.Positive(t, c.ID)
	assert.False(t, c.CreatedAt.IsZero())
	got, ok := srv.Contact(c.ID)
	require.True(t, ok)
	assert.Equal(t, "Seeded", got.FullName)
	u := srv.AddUser(woofed.User{Email: "u@example.com"})
	assert.Equal(t, int64(2), u.ID, "user 1 is the seeded admin")
	_, ok = srv.Deal(1)
	assert.False(t, ok)

	// Phones get the "+" Woofed adds, and are validated as the model does.
	status, body := do(t, http.MethodPost, srv.URL()+"/contacts", "Bearer "+srv.Token(), `{"phone":"5511999990000"}`)
	require.Equal(t, 201, status, body)
	assert.Contains(t, body, `"phone":"+5511999990000"`)
	status, body = do(t, http.MethodPost, srv.URL()+"/contacts/upsert", "Bearer "+srv.Token(), `{"phone":"+0"}`)
	assert.Equal(t, 422, status)
	assert.JSONEq(t, `{"phone":["is invalid"]}`, body)
}

func TestUnknownRoute(t *testing.T) {
	srv := woofedtest.NewServer(t)
	status, body := do(t, http.MethodGet, srv.URL()+"/pipelines", "Bearer "+srv.Token(), "")
	assert.Equal(t, 404, status)
	assert.Contains(t, body, "<title>The page you were looking for doesn't exist (404)</title>")
	status, _ = do(t, http.MethodDelete, srv.URL()+"/contacts/search", "Bearer "+srv.Token(), "")
	assert.Equal(t, 404, status)
}

// recorder is a vendorkittest.T that records errors instead of failing.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, _ ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, format)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errs)
}

func TestDoubledPrefixFailsTheTest(t *testing.T) {
	rec := &recorder{TB: t}
	srv := woofedtest.NewServer(rec)
	status, _ := do(t, http.MethodGet, srv.URL()+"/api/v1/accounts/1/contacts/1", "Bearer "+srv.Token(), "")
	assert.Equal(t, 404, status)
	assert.Equal(t, 1, rec.count())
}
