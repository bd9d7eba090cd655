package woofed

import (
	"context"
	"fmt"
	"iter"

	"github.com/vendorkit/vendorkit/runtime"
)

// CreateUser creates a user of the account; the token's user must be an
// admin (else an error matching vendorkit.ErrForbidden). Password and
// PasswordConfirmation must match; the phone, when set, must be E.164.
func (c *Client) CreateUser(ctx context.Context, in UserInput) (User, error) {
	const op = "CreateUser"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkPhone(op, "phone", in.Phone); err != nil {
		return User{}, err
	}
	if in.Password != in.PasswordConfirmation {
		return User{}, invalid(op, "password and password confirmation differ")
	}
	body, err := encode(op, in)
	if err != nil {
		return User{}, err
	}
	return decode[User](op)(c.client().CreateUserWithBody(ctx, jsonType, body))
}

// SearchUsers returns one page (10 users) of the users matching every
// predicate; page counts from 1 (0 means 1).
func (c *Client) SearchUsers(ctx context.Context, page int, where ...Predicate) (Page[User], error) {
	const op = "SearchUsers"
	ctx = runtime.WithOperation(ctx, op)
	body, err := searchRequest(op, page, where)
	if err != nil {
		return Page[User]{}, err
	}
	return decode[Page[User]](op)(c.client().SearchUsersWithBody(ctx, jsonType, body))
}

// AllUsers yields every user matching the predicates, fetching pages
// lazily; see AllContacts.
func (c *Client) AllUsers(ctx context.Context, where ...Predicate) iter.Seq2[User, error] {
	return all(ctx, where, c.SearchUsers)
}

// String describes the input without its password, so that logging it
// with %v leaks nothing.
func (u UserInput) String() string {
	notify := "<nil>"
	if u.WebpushNotifyOnEventExpired != nil {
		notify = fmt.Sprint(*u.WebpushNotifyOnEventExpired)
	}
	return fmt.Sprintf("{Email:%s FullName:%s Phone:%s Language:%s AvatarURL:%s JobDescription:%s WebpushNotifyOnEventExpired:%s Password:[redacted]}",
		u.Email, u.FullName, u.Phone, u.Language, u.AvatarURL, u.JobDescription, notify)
}
