module github.com/vendorkit/vendorkit/bench

go 1.25.0

replace github.com/vendorkit/vendorkit => ../

replace github.com/vendorkit/vendorkit/otel => ../otel

require (
	github.com/hashicorp/go-retryablehttp v0.7.8
	github.com/vendorkit/vendorkit v0.0.0-00010101000000-000000000000
	github.com/vendorkit/vendorkit/otel v0.0.0-00010101000000-000000000000
	go.opentelemetry.io/otel/sdk v1.46.0
	go.opentelemetry.io/otel/sdk/metric v1.46.0
	golang.org/x/time v0.15.0
)

require github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect

require (
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-logr/logr v1.4.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/oapi-codegen/runtime v1.8.0 // indirect
	github.com/redis/go-redis/v9 v9.17.3
	github.com/vendorkit/vendorkit/redislimit v0.0.0-00010101000000-000000000000
	go.opentelemetry.io/auto/sdk v1.2.1 // indirect
	go.opentelemetry.io/otel v1.46.0 // indirect
	go.opentelemetry.io/otel/metric v1.46.0 // indirect
	go.opentelemetry.io/otel/trace v1.46.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)

replace github.com/vendorkit/vendorkit/redislimit => ../redislimit
