package woofed

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/vendorkit/vendorkit/internal/wire"
)

// e164 is the phone format Woofed validates (/\+[1-9]\d{1,14}\z/), anchored
// at both ends.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// checkPhone refuses a phone Woofed would reject, without echoing it (a
// phone number is personal data).
func checkPhone(op, field, phone string) error {
	if phone == "" || e164.MatchString(phone) {
		return nil
	}
	return invalid(op, "%s is not E.164: write + then the country code and number, 2–15 digits without spaces or dashes (e.g. +5511999999999)", field)
}

// checkID refuses an id that is not > 0.
func checkID(op, name string, id int64) error {
	if id > 0 {
		return nil
	}
	return invalid(op, "%s must be > 0, got %d", name, id)
}

// checkOptID refuses a negative id; 0 means "not set".
func checkOptID(op, name string, id int64) error {
	if id >= 0 {
		return nil
	}
	return invalid(op, "%s must be > 0 (or 0 to leave it unset), got %d", name, id)
}

// checkSetID refuses a set id that is not > 0; nil means "unchanged".
func checkSetID(op, name string, id *int64) error {
	if id == nil || *id > 0 {
		return nil
	}
	return invalid(op, "%s must be > 0 (nil leaves it unchanged), got %d", name, *id)
}

// checkContact refuses a contact body Woofed would reject or garble: a
// phone that is not E.164, a label holding a comma (labels are sent as one
// comma-separated string) or an empty label.
func checkContact(op, what string, in ContactInput) error {
	if err := checkPhone(op, what+" phone", in.Phone); err != nil {
		return err
	}
	for _, l := range in.LabelList {
		if strings.TrimSpace(l) == "" || strings.Contains(l, ",") {
			return invalid(op, "%s label %q must be non-empty and hold no comma: Woofed takes labels as one comma-separated string", what, l)
		}
	}
	return nil
}

// checkUpsertKey refuses a contact to upsert without an email or a phone to
// match it on (the upsert would always create, and a retry would duplicate
// it), then checks it like checkContact.
func checkUpsertKey(op, what string, in ContactInput) error {
	if in.Email == "" && in.Phone == "" {
		return invalid(op, "%s: an email or a phone is required to match the contact on", what)
	}
	return checkContact(op, what, in)
}

// checkNonNeg refuses a negative amount or quantity.
func checkNonNeg(op, name string, v *int64) error {
	if v == nil || *v >= 0 {
		return nil
	}
	return invalid(op, "%s must be ≥ 0, got %d", name, *v)
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// encode marshals a request body.
func encode(op string, v any) (io.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, invalid(op, "encoding the request body: %v", err)
	}
	return bytes.NewReader(b), nil
}

const jsonType = "application/json"

// decode returns a function that reads a successful answer into a T and
// names op in any error: decode[Contact](op)(c.client().GetContact(ctx, id)).
func decode[T any](op string) func(*http.Response, error) (T, error) {
	return func(resp *http.Response, err error) (T, error) {
		v, err := wire.Decode[T](resp, err)
		return v, opError(op, err)
	}
}
