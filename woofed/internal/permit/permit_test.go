package permit

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFilter(t *testing.T) {
	cases := []struct {
		name    string
		table   Table
		body    string
		kept    map[string]any
		dropped []string
	}{
		{"label_list array is dropped", Contacts, `{"full_name":"Tim","label_list":["a","b"]}`,
			map[string]any{"full_name": "Tim"}, []string{"label_list"}},
		{"label_list string is kept", Contacts, `{"label_list":"a,b"}`,
			map[string]any{"label_list": "a,b"}, nil},
		{"contact additional_attributes is dropped", Contacts, `{"email":"a@b.c","additional_attributes":{"x":1}}`,
			map[string]any{"email": "a@b.c"}, []string{"additional_attributes"}},
		{"custom_attributes must be a hash", Contacts, `{"custom_attributes":[1]}`,
			map[string]any{}, []string{"custom_attributes"}},
		{"deal lost fields are dropped", Deals, `{"status":"lost","lost_reason":"price","lost_at":"2025-01-18T16:45:00Z","won_at":null}`,
			map[string]any{"status": "lost"}, []string{"lost_at", "lost_reason", "won_at"}},
		{"deal contact_attributes is dropped", Deals, `{"contact_attributes":{"full_name":"x"}}`,
			map[string]any{}, []string{"contact_attributes"}},
		{"deal contacts_attributes keeps listed keys", Deals, `{"contacts_attributes":[{"full_name":"x","company":"y"}]}`,
			map[string]any{"contacts_attributes": []any{map[string]any{"full_name": "x"}}}, []string{"contacts_attributes[0].company"}},
		{"nested hash values are dropped from scalars", Users, `{"email":"a@b.c","notifications":{"webpush_notify_on_event_expired":true}}`,
			map[string]any{"email": "a@b.c"}, []string{"notifications"}},
		{"search query is any hash", Search, `{"query":{"id_in":[1,2]},"page":2}`,
			map[string]any{"query": map[string]any{"id_in": []any{1.0, 2.0}}, "page": 2.0}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kept, dropped, err := c.table.FilterJSON([]byte(c.body))
			require.NoError(t, err)
			assert.Equal(t, c.kept, kept)
			assert.Equal(t, c.dropped, dropped)
		})
	}
}

func TestFor(t *testing.T) {
	for path, want := range map[string]Table{
		"/contacts": Contacts, "/contacts/upsert": Contacts, "/contacts/search": Search,
		"/deals": Deals, "/deals/3": Deals, "/deals/upsert": Deals, "/deals/3/events": Events,
		"/products/2": Products, "/products/search": Search, "/deal_products/1": DealProducts,
		"/deal_assignees": DealAssignees, "/users": Users, "/users/search": Search,
	} {
		got, ok := For("POST", path)
		require.True(t, ok, path)
		assert.Equal(t, want.Source, got.Source, path)
	}
	_, ok := For("GET", "/deals/1")
	assert.False(t, ok)
}
