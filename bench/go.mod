module github.com/vendorkit/vendorkit/bench

go 1.25.0

replace github.com/vendorkit/vendorkit => ../

require (
	github.com/hashicorp/go-retryablehttp v0.7.8
	github.com/vendorkit/vendorkit v0.0.0-00010101000000-000000000000
	golang.org/x/time v0.15.0
)

require github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
