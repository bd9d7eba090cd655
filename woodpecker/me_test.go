package woodpecker_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit/woodpecker"
)

func TestMeJSON(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"known and unknown fields",
			`{"id":101,"email":"pied@example.com","name":"Pied Piper HQ owner","company_id":"1","company_name":"Pied Piper HQ","key_type":"HQ","plan":{"seats":3,"addons":["api"]}}`,
			`{"id":101,"email":"pied@example.com","name":"Pied Piper HQ owner","company_id":1,"company_name":"Pied Piper HQ","key_type":"HQ","plan":{"seats":3,"addons":["api"]}}`},
		{"company under its other name",
			`{"id":7,"company":"Acme","extra":null}`,
			`{"id":7,"email":"","name":"","company_id":0,"company_name":"Acme","company":"Acme","extra":null}`},
		{"nothing known", `{}`, `{"id":0,"email":"","name":"","company_id":0,"company_name":""}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var me woodpecker.Me
			require.NoError(t, json.Unmarshal([]byte(tt.in), &me))
			out, err := json.Marshal(me)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(out))

			// The output reads back into the same fields, unknown ones in
			// Raw unchanged (known ones as decoded: "1" became 1).
			var again woodpecker.Me
			require.NoError(t, json.Unmarshal(out, &again))
			raw := again.Raw
			again.Raw = nil
			for k, v := range me.Raw {
				switch k {
				case "id", "email", "name", "company_id", "company_name":
					continue
				}
				assert.JSONEq(t, string(v), string(raw[k]), k)
			}
			me.Raw = nil
			assert.Equal(t, me, again)
		})
	}
	// A Me built by hand (no Raw) marshals its fields under the wire names.
	out, err := json.Marshal(woodpecker.Me{ID: 1, Email: "a@b.c", CompanyID: 2})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":1,"email":"a@b.c","name":"","company_id":2,"company_name":""}`, string(out))
}
