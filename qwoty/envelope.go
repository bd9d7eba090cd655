package qwoty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/vendorkit/vendorkit/internal/wire"
)

// envelope is Qwoty's answer wrapper: {"success": true, "data": …} or
// {"success": false, "error": "…"}.
type envelope struct {
	Success *bool           `json:"success"`
	Data    json.RawMessage `json:"data"`
	Error   json.RawMessage `json:"error"`
	Message string          `json:"message"`
}

// errNoData is returned for a success envelope without the expected data.
var errNoData = errors.New("answer has no data")

// readEnvelope reads a successful answer's envelope. Error statuses never get
// here (the endpoint turns them into *vendorkit.APIError), and 2xx answers
// with "success": false are caught by classify; the check below is for the
// bodies too large for classify to read.
func readEnvelope(resp *http.Response, err error) (envelope, error) {
	var env envelope
	if err != nil {
		return env, err
	}
	if err := wire.Into(resp, &env); err != nil {
		return env, err
	}
	return env, env.check()
}

// check returns the error of an envelope that says "success": false.
func (env envelope) check() error {
	if env.Success != nil && !*env.Success {
		msg := string(env.Error)
		var s string
		if json.Unmarshal(env.Error, &s) == nil {
			msg = s
		}
		return fmt.Errorf("%w: %s", ErrUnsuccessful, msg)
	}
	return nil
}

// dataEnvelope is envelope with its data decoded in the same pass.
type dataEnvelope[T any] struct {
	Success *bool           `json:"success"`
	Data    *T              `json:"data"`
	Error   json.RawMessage `json:"error"`
	Message string          `json:"message"`
}

// decodeData unwraps the envelope's data into a T, reading the body once.
// An answer that does not decode that way is read again the way
// decodeDataSlow reads it (envelope first, then data), so that its error
// is the same. The one difference: a body that repeats the "data" key
// gets the repeats merged, as encoding/json merges into a pointer, where
// decodeDataSlow keeps the last (no vendor answer repeats a key; RFC 8259
// leaves it undefined).
func decodeData[T any](resp *http.Response, err error) (T, error) {
	var v T
	if err != nil {
		return v, err
	}
	b, err := wire.Body(resp)
	if err != nil {
		return v, err
	}
	var env dataEnvelope[T]
	if b == nil || wire.Unmarshal(resp, b, &env) != nil {
		return decodeDataSlow[T](resp, b)
	}
	if err := (envelope{Success: env.Success, Error: env.Error}).check(); err != nil {
		return v, err
	}
	if env.Data == nil {
		return v, errNoData
	}
	return *env.Data, nil
}

// decodeDataSlow is decodeData in two passes: the envelope, then its data.
// b is the body of resp (nil for a 204).
func decodeDataSlow[T any](resp *http.Response, b []byte) (T, error) {
	var v T
	var env envelope
	if b != nil {
		if err := wire.Unmarshal(resp, b, &env); err != nil {
			return v, err
		}
	}
	if err := env.check(); err != nil {
		return v, err
	}
	if isNull(env.Data) {
		return v, errNoData
	}
	if err := json.Unmarshal(env.Data, &v); err != nil {
		return v, fmt.Errorf("decoding data: %w", err)
	}
	return v, nil
}

// decodePaymentTerms reads the list of payment terms. The docs show the
// endpoint only as the authentication example, so the list is read
// leniently: data as an array (assumed), or as an object holding the array
// under "payment_terms", "paymentTerms", "items" or "data".
func decodePaymentTerms(resp *http.Response, err error) ([]PaymentTerm, error) {
	env, err := readEnvelope(resp, err)
	if err != nil {
		return nil, err
	}
	data := bytes.TrimSpace(env.Data)
	if isNull(data) {
		return nil, errNoData
	}
	if data[0] == '{' {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return nil, fmt.Errorf("decoding data: %w", err)
		}
		data = nil
		for _, k := range []string{"payment_terms", "paymentTerms", "items", "data"} {
			if raw, ok := obj[k]; ok {
				data = raw
				break
			}
		}
		if data == nil {
			return nil, fmt.Errorf("%w: data is an object without a list of payment terms", errNoData)
		}
	}
	terms := []PaymentTerm{}
	if err := json.Unmarshal(data, &terms); err != nil {
		return nil, fmt.Errorf("decoding data: %w", err)
	}
	return terms, nil
}

// decodeQuote reads data.quote; data itself is accepted when it is the quote
// (it has an "id" and no "quote").
func decodeQuote(resp *http.Response, err error) (Quote, error) {
	var q Quote
	env, err := readEnvelope(resp, err)
	if err != nil {
		return q, err
	}
	var wrapper struct {
		Quote json.RawMessage `json:"quote"`
		ID    json.RawMessage `json:"id"`
	}
	if isNull(env.Data) {
		return q, errNoData
	}
	if err := json.Unmarshal(env.Data, &wrapper); err != nil {
		return q, fmt.Errorf("decoding data: %w", err)
	}
	raw := wrapper.Quote
	if isNull(raw) {
		if isNull(wrapper.ID) {
			return q, fmt.Errorf("%w: data holds no quote", errNoData)
		}
		raw = env.Data
	}
	if err := json.Unmarshal(raw, &q); err != nil {
		return q, fmt.Errorf("decoding quote: %w", err)
	}
	return q, nil
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}
