package woofed

import (
	"context"
	"iter"

	"github.com/vendorkit/vendorkit/runtime"
)

// GetProduct returns a product with the deal products that use it.
func (c *Client) GetProduct(ctx context.Context, id int64) (Product, error) {
	const op = "GetProduct"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkID(op, "id", id); err != nil {
		return Product{}, err
	}
	return decode[Product](op)(c.client().GetProduct(ctx, id))
}

// CreateProduct creates a product. Amounts and quantities must be ≥ 0.
func (c *Client) CreateProduct(ctx context.Context, in ProductInput) (Product, error) {
	const op = "CreateProduct"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkProduct(op, in); err != nil {
		return Product{}, err
	}
	body, err := encode(op, in)
	if err != nil {
		return Product{}, err
	}
	return decode[Product](op)(c.client().CreateProductWithBody(ctx, jsonType, body))
}

// UpdateProduct changes the fields of a product that up sets.
func (c *Client) UpdateProduct(ctx context.Context, id int64, up ProductUpdate) (Product, error) {
	const op = "UpdateProduct"
	ctx = runtime.WithOperation(ctx, op)
	err := firstErr(checkID(op, "id", id),
		checkNonNeg(op, "amount in cents", up.AmountInCents),
		checkNonNeg(op, "quantity available", up.QuantityAvailable))
	if err != nil {
		return Product{}, err
	}
	body, err := encode(op, up)
	if err != nil {
		return Product{}, err
	}
	return decode[Product](op)(c.client().UpdateProductWithBody(ctx, id, jsonType, body))
}

// SearchProducts returns one page (10 products) of the products matching
// every predicate; page counts from 1 (0 means 1). Searchable attributes:
// identifier, amount_in_cents, quantity_available, description, name,
// created_at, updated_at.
func (c *Client) SearchProducts(ctx context.Context, page int, where ...Predicate) (Page[Product], error) {
	const op = "SearchProducts"
	ctx = runtime.WithOperation(ctx, op)
	body, err := searchRequest(op, page, where)
	if err != nil {
		return Page[Product]{}, err
	}
	return decode[Page[Product]](op)(c.client().SearchProductsWithBody(ctx, jsonType, body))
}

// AllProducts yields every product matching the predicates, fetching pages
// lazily; see AllContacts.
func (c *Client) AllProducts(ctx context.Context, where ...Predicate) iter.Seq2[Product, error] {
	return all(ctx, where, c.SearchProducts)
}

// CreateDealProduct adds a product line to a deal. ProductID and DealID are
// required; the unit amount defaults to the product's.
func (c *Client) CreateDealProduct(ctx context.Context, in DealProductInput) (DealProduct, error) {
	const op = "CreateDealProduct"
	ctx = runtime.WithOperation(ctx, op)
	err := firstErr(checkID(op, "product id", in.ProductID), checkID(op, "deal id", in.DealID), checkDealProduct(op, in))
	if err != nil {
		return DealProduct{}, err
	}
	body, err := encode(op, in)
	if err != nil {
		return DealProduct{}, err
	}
	return decode[DealProduct](op)(c.client().CreateDealProductWithBody(ctx, jsonType, body))
}

// GetDealProduct returns a deal product with its product and deal.
func (c *Client) GetDealProduct(ctx context.Context, id int64) (DealProduct, error) {
	const op = "GetDealProduct"
	ctx = runtime.WithOperation(ctx, op)
	if err := checkID(op, "id", id); err != nil {
		return DealProduct{}, err
	}
	return decode[DealProduct](op)(c.client().GetDealProduct(ctx, id))
}

// UpdateDealProduct changes the fields of a deal product that up sets.
func (c *Client) UpdateDealProduct(ctx context.Context, id int64, up DealProductUpdate) (DealProduct, error) {
	const op = "UpdateDealProduct"
	ctx = runtime.WithOperation(ctx, op)
	err := firstErr(checkID(op, "id", id),
		checkNonNeg(op, "quantity", up.Quantity),
		checkNonNeg(op, "unit amount in cents", up.UnitAmountInCents))
	if err != nil {
		return DealProduct{}, err
	}
	body, err := encode(op, up)
	if err != nil {
		return DealProduct{}, err
	}
	return decode[DealProduct](op)(c.client().UpdateDealProductWithBody(ctx, id, jsonType, body))
}

func checkProduct(op string, in ProductInput) error {
	return firstErr(
		checkNonNeg(op, "amount in cents", in.AmountInCents),
		checkNonNeg(op, "quantity available", in.QuantityAvailable),
	)
}

func checkDealProduct(op string, in DealProductInput) error {
	return firstErr(
		checkOptID(op, "product id", in.ProductID),
		checkOptID(op, "deal id", in.DealID),
		checkNonNeg(op, "quantity", in.Quantity),
		checkNonNeg(op, "unit amount in cents", in.UnitAmountInCents),
	)
}
