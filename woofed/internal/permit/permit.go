// Package permit reproduces the strong parameters of Woofed CRM's API
// controllers (douglara/woofed-crm): which request body keys each operation
// keeps, and which it drops without an error. The tables are copied from
// the controllers, each with its file and commit; the fake (woofedtest)
// filters every body through them, and the client's tests check that the
// client sends nothing they would drop.
package permit

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Kind is how Rails' permit treats a key.
type Kind int

const (
	// Scalar is `:key`: a string, number, boolean or null; an array or an
	// object is dropped.
	Scalar Kind = iota
	// AnyHash is `key: {}`: any JSON object, nested freely; anything else
	// is dropped.
	AnyHash
	// Hashes is `key: %i[a b]`: an object, or an array of objects (or an
	// object of objects, as fields_for sends), whose listed keys are kept
	// as scalars and other keys dropped.
	Hashes
)

// Param is one permitted key.
type Param struct {
	Name string
	Kind Kind
	// Keys are the permitted keys of a Hashes param.
	Keys []string
}

// Table is the permit list of one controller action.
type Table struct {
	// Source is the file and commit the list was copied from.
	Source string
	Params []Param
}

// The tables, from the newest version of each controller seen in
// douglara/woofed-crm.
var (
	// Contacts is contacts_controller#contact_params (create, upsert).
	Contacts = Table{
		Source: "app/controllers/api/v1/accounts/contacts_controller.rb @ d4d8c0e899557db23b20008564e6e5cb598862ef",
		Params: []Param{
			{Name: "full_name"}, {Name: "phone"}, {Name: "email"}, {Name: "label_list"},
			{Name: "custom_attributes", Kind: AnyHash},
		},
	}
	// Deals is deals_controller#deal_params (create, update, upsert). It
	// permits contacts_attributes, which the Deal model does not accept
	// (accepts_nested_attributes_for :contact defines contact_attributes
	// only): a body holding it makes Rails raise, an HTML 500.
	Deals = Table{
		Source: "app/controllers/api/v1/accounts/deals_controller.rb @ 1fbe2c0206704fa8d3689d0634508269156e8567",
		Params: []Param{
			{Name: "name"}, {Name: "status"}, {Name: "stage_id"}, {Name: "pipeline_id"}, {Name: "contact_id"},
			{Name: "contacts_attributes", Kind: Hashes, Keys: []string{"id", "full_name", "phone", "email"}},
			{Name: "custom_attributes", Kind: AnyHash},
		},
	}
	// Events is deals/events_controller#event_params.
	Events = Table{
		Source: "app/controllers/api/v1/accounts/deals/events_controller.rb @ e1dcf462a161c6236101f2a6116faecb46e07975",
		Params: []Param{
			{Name: "content"}, {Name: "send_now"}, {Name: "done"}, {Name: "auto_done"}, {Name: "done_at"},
			{Name: "title"}, {Name: "scheduled_at"}, {Name: "kind"}, {Name: "app_type"}, {Name: "app_id"},
			{Name: "custom_attributes", Kind: AnyHash}, {Name: "additional_attributes", Kind: AnyHash},
		},
	}
	// Products is products_controller#product_params (create; the update
	// action routed at config/routes.rb @ 007f695 is in no controller
	// version seen and is assumed to permit the same).
	Products = Table{
		Source: "app/controllers/api/v1/accounts/products_controller.rb @ 1c72a476fe75beac66281d6e3cc5121354c4b340",
		Params: []Param{
			{Name: "identifier"}, {Name: "amount_in_cents"}, {Name: "quantity_available"}, {Name: "description"}, {Name: "name"},
			{Name: "attachments_attributes", Kind: Hashes, Keys: []string{"file", "_destroy", "id"}},
			{Name: "custom_attributes", Kind: AnyHash}, {Name: "additional_attributes", Kind: AnyHash},
		},
	}
	// DealProducts is DealProductConcern#permitted_deal_product_params
	// (create; update assumed the same, as for products).
	DealProducts = Table{
		Source: "app/controllers/concerns/deal_product_concern.rb @ fee57daf63fb4064ac7fa91e559a6204817083a8",
		Params: []Param{
			{Name: "product_id"}, {Name: "deal_id"}, {Name: "quantity"}, {Name: "unit_amount_in_cents"},
			{Name: "product_name"}, {Name: "product_identifier"},
		},
	}
	// DealAssignees is deal_assignees_controller#deal_assignees_params.
	DealAssignees = Table{
		Source: "app/controllers/api/v1/accounts/deal_assignees_controller.rb @ 16d3cb0079f61bf2f1cb6bb74df4db6138903ea6",
		Params: []Param{{Name: "user_id"}, {Name: "deal_id"}},
	}
	// Users is UserConcern#permitted_user_params (users_controller#create).
	Users = Table{
		Source: "app/controllers/concerns/user_concern.rb @ f508b54f60b35626f2ab83b9e375b7f97c405ee0",
		Params: []Param{
			{Name: "email"}, {Name: "password"}, {Name: "password_confirmation"}, {Name: "full_name"}, {Name: "phone"},
			{Name: "language"}, {Name: "avatar_url"}, {Name: "job_description"}, {Name: "webpush_notify_on_event_expired"},
		},
	}
	// Search is what the search actions read: params[:query] handed to
	// Ransack whole, and Pagy's params[:page].
	Search = Table{
		Source: "app/controllers/api/v1/accounts/{contacts,products,users}_controller.rb#search @ d4d8c0e / 1c72a47 / 905fc92",
		Params: []Param{{Name: "query", Kind: AnyHash}, {Name: "page"}},
	}
)

// For returns the table of a request, by method and path relative to the
// account (e.g. "POST", "/deals/7/events"), or false for a request without
// a body.
func For(method, path string) (Table, bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	last := parts[len(parts)-1]
	switch {
	case method != "POST" && method != "PUT" && method != "PATCH":
		return Table{}, false
	case last == "search":
		return Search, true
	case parts[0] == "contacts":
		return Contacts, true
	case parts[0] == "deals" && last == "events":
		return Events, true
	case parts[0] == "deals":
		return Deals, true
	case parts[0] == "products":
		return Products, true
	case parts[0] == "deal_products":
		return DealProducts, true
	case parts[0] == "deal_assignees":
		return DealAssignees, true
	case parts[0] == "users":
		return Users, true
	}
	return Table{}, false
}

// Filter returns the part of body the table permits, and the paths of what
// it drops ("label_list", "contacts_attributes[0].company"), sorted.
func (t Table) Filter(body map[string]any) (kept map[string]any, dropped []string) {
	kept = make(map[string]any, len(body))
	params := make(map[string]Param, len(t.Params))
	for _, p := range t.Params {
		params[p.Name] = p
	}
	for k, v := range body {
		p, ok := params[k]
		if !ok {
			dropped = append(dropped, k)
			continue
		}
		switch p.Kind {
		case Scalar:
			if isScalar(v) {
				kept[k] = v
			} else {
				dropped = append(dropped, k)
			}
		case AnyHash:
			if _, isHash := v.(map[string]any); isHash {
				kept[k] = v
			} else {
				dropped = append(dropped, k)
			}
		case Hashes:
			v, d := filterHashes(k, v, p.Keys)
			dropped = append(dropped, d...)
			if v != nil {
				kept[k] = v
			}
		}
	}
	sort.Strings(dropped)
	return kept, dropped
}

// FilterJSON is Filter on a JSON object body; a body that is not an object
// is an error.
func (t Table) FilterJSON(body []byte) (kept map[string]any, dropped []string, err error) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, nil, fmt.Errorf("permit: body is not a JSON object: %w", err)
	}
	kept, dropped = t.Filter(m)
	return kept, dropped, nil
}

func isScalar(v any) bool {
	switch v.(type) {
	case nil, string, float64, bool, json.Number:
		return true
	}
	return false
}

// filterHashes keeps the listed scalar keys of an object, an array of
// objects, or an object of objects.
func filterHashes(name string, v any, keys []string) (any, []string) {
	allowed := map[string]bool{}
	for _, k := range keys {
		allowed[k] = true
	}
	one := func(path string, h map[string]any) (map[string]any, []string) {
		out, dropped := map[string]any{}, []string(nil)
		for k, x := range h {
			if allowed[k] && isScalar(x) {
				out[k] = x
			} else {
				dropped = append(dropped, path+"."+k)
			}
		}
		return out, dropped
	}
	switch x := v.(type) {
	case []any:
		var out []any
		var dropped []string
		for i, e := range x {
			path := fmt.Sprintf("%s[%d]", name, i)
			h, isHash := e.(map[string]any)
			if !isHash {
				dropped = append(dropped, path)
				continue
			}
			kept, d := one(path, h)
			out, dropped = append(out, kept), append(dropped, d...)
		}
		return out, dropped
	case map[string]any:
		nested := len(x) > 0
		for _, e := range x {
			if _, isHash := e.(map[string]any); !isHash {
				nested = false
			}
		}
		if !nested {
			return one(name, x)
		}
		out, dropped := map[string]any{}, []string(nil)
		for k, e := range x {
			kept, d := one(name+"."+k, e.(map[string]any))
			out[k], dropped = kept, append(dropped, d...)
		}
		return out, dropped
	}
	return nil, []string{name}
}
