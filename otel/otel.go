package otel

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"

	gotel "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/vendorkit/vendorkit"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/vendorkit/vendorkit/otel"

// Option configures New.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider records spans with tp instead of the global provider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider records metrics with mp instead of the global provider.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// Observer is a vendorkit.Observer that records traces and metrics; install
// it with vendorkit.WithObserver. It is safe for concurrent use.
type Observer struct {
	tracer trace.Tracer

	calls, attempts, retries, rateLimited metric.Int64Counter
	inFlight                              metric.Int64UpDownCounter
	callDuration, attemptDuration         metric.Float64Histogram
	retryWait, limiterWait                metric.Float64Histogram
	budget                                metric.Int64Gauge

	sets sync.Map // attrKey → attribute.Set, so that recording allocates no set
}

// New returns an Observer on the global providers, or those of opts.
func New(opts ...Option) (*Observer, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.tp == nil {
		c.tp = gotel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = gotel.GetMeterProvider()
	}
	o := &Observer{tracer: c.tp.Tracer(ScopeName)}
	m := c.mp.Meter(ScopeName)
	// Buckets for waits and latencies of remote APIs: 5 ms to 60 s.
	buckets := metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60)
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	var err error
	o.calls, err = m.Int64Counter("vendorkit.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Vendor API calls, by vendor, operation and outcome (ok or the error category)."))
	add(err)
	o.callDuration, err = m.Float64Histogram("vendorkit.call.duration", metric.WithUnit("s"), buckets,
		metric.WithDescription("Duration of vendor API calls, retries and waits included."))
	add(err)
	o.inFlight, err = m.Int64UpDownCounter("vendorkit.calls.in_flight", metric.WithUnit("{call}"),
		metric.WithDescription("Vendor API calls in progress."))
	add(err)
	o.attempts, err = m.Int64Counter("vendorkit.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("HTTP attempts, retries included, by vendor, operation and outcome."))
	add(err)
	o.retries, err = m.Int64Counter("vendorkit.retries", metric.WithUnit("{retry}"),
		metric.WithDescription("Attempts followed by a retry."))
	add(err)
	o.rateLimited, err = m.Int64Counter("vendorkit.rate_limited", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts answered 429 or with a vendor's rate-limit code."))
	add(err)
	o.retryWait, err = m.Float64Histogram("vendorkit.retry.wait", metric.WithUnit("s"), buckets,
		metric.WithDescription("Waits before retries: backoff or the vendor's Retry-After."))
	add(err)
	o.limiterWait, err = m.Float64Histogram("vendorkit.limiter.wait", metric.WithUnit("s"), buckets,
		metric.WithDescription("Time the client-side rate limiter held attempts."))
	add(err)
	o.budget, err = m.Int64Gauge("vendorkit.retry_budget", metric.WithUnit("{token}"),
		metric.WithDescription("Retry budget tokens left for the vendor."))
	add(err)
	o.attemptDuration, err = m.Float64Histogram("http.client.request.duration", metric.WithUnit("s"), buckets,
		metric.WithDescription("Duration of HTTP client requests (one per attempt)."))
	add(err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return o, nil
}

var _ vendorkit.Observer = (*Observer)(nil)

// callSpanKey carries the call's span to the waits of its attempts.
type callSpanKey struct{}

// CallStart starts the call's span under ctx's.
func (o *Observer) CallStart(ctx context.Context, c *vendorkit.Call) context.Context {
	o.inFlight.Add(ctx, 1, metric.WithAttributeSet(o.set(attrKey{vendor: c.Vendor})))
	attrs := []attribute.KeyValue{
		attribute.String("vendorkit.vendor", c.Vendor),
		attribute.String("http.request.method", c.Method),
		attribute.String("server.address", hostOnly(c.Host)),
	}
	if c.Operation != "" {
		attrs = append(attrs, attribute.String("vendorkit.operation", c.Operation))
	}
	ctx, span := o.tracer.Start(ctx, spanName(c), trace.WithSpanKind(trace.SpanKindInternal), trace.WithTimestamp(c.Start),
		trace.WithAttributes(attrs...))
	return context.WithValue(ctx, callSpanKey{}, span)
}

// CallEnd ends the call's span and records the call's metrics.
func (o *Observer) CallEnd(ctx context.Context, c *vendorkit.Call) {
	outcome := outcomeOf(c.Category)
	set := metric.WithAttributeSet(o.set(attrKey{vendor: c.Vendor, operation: c.Operation, outcome: outcome}))
	o.calls.Add(ctx, 1, set)
	o.callDuration.Record(ctx, c.Duration.Seconds(), set)
	vendorOnly := metric.WithAttributeSet(o.set(attrKey{vendor: c.Vendor}))
	o.inFlight.Add(ctx, -1, vendorOnly)
	o.budget.Record(ctx, int64(c.RetryBudget), vendorOnly)

	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(attribute.Int("vendorkit.attempts", c.Attempts))
	if c.StatusCode != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", c.StatusCode))
	}
	if c.RequestID != "" {
		span.SetAttributes(attribute.String("vendorkit.request_id", c.RequestID))
	}
	if c.Err != nil {
		span.SetAttributes(attribute.String("error.type", c.Category), attribute.String("vendorkit.error.category", c.Category))
		// The category, not the error's text: a vendor's message may quote
		// what was sent.
		span.SetStatus(codes.Error, c.Category)
	}
	span.End(trace.WithTimestamp(c.Start.Add(c.Duration)))
}

// AttemptStart starts the attempt's client span under the call's.
func (o *Observer) AttemptStart(ctx context.Context, c *vendorkit.Call, a *vendorkit.Attempt) context.Context {
	host, port := splitHostPort(c.Host)
	attrs := []attribute.KeyValue{
		attribute.String("http.request.method", c.Method),
		attribute.String("server.address", host),
		attribute.String("url.path", c.Path),
		attribute.String("vendorkit.vendor", c.Vendor),
		attribute.Int("vendorkit.attempt", a.N),
	}
	if port != 0 {
		attrs = append(attrs, attribute.Int("server.port", port))
	}
	if a.N > 1 {
		attrs = append(attrs, attribute.Int("http.request.resend_count", a.N-1))
	}
	ctx, _ = o.tracer.Start(ctx, c.Method, trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(a.Start), trace.WithAttributes(attrs...))
	return ctx
}

// AttemptEnd ends the attempt's span and records its metrics.
func (o *Observer) AttemptEnd(ctx context.Context, c *vendorkit.Call, a *vendorkit.Attempt) {
	outcome := outcomeOf(a.Category)
	o.attempts.Add(ctx, 1, metric.WithAttributeSet(o.set(attrKey{vendor: c.Vendor, operation: c.Operation, outcome: outcome})))
	vendorOp := metric.WithAttributeSet(o.set(attrKey{vendor: c.Vendor, operation: c.Operation}))
	if a.Retry {
		o.retries.Add(ctx, 1, vendorOp)
	}
	if a.Category == "rate_limited" {
		o.rateLimited.Add(ctx, 1, vendorOp)
	}
	errType := errorType(a)
	host, port := splitHostPort(c.Host)
	o.attemptDuration.Record(ctx, a.Duration.Seconds(), metric.WithAttributeSet(o.set(attrKey{
		method: c.Method, host: host, port: port, status: a.StatusCode, errorType: errType,
	})))

	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	if a.StatusCode != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", a.StatusCode))
	}
	if a.RequestID != "" {
		span.SetAttributes(attribute.String("vendorkit.request_id", a.RequestID))
	}
	switch {
	case a.Category == "rate_limited":
		span.AddEvent("rate_limited", trace.WithAttributes(attribute.Int("http.response.status_code", a.StatusCode), attribute.Bool("vendorkit.retry", a.Retry)))
	case a.StatusCode >= 500:
		span.AddEvent("server_error", trace.WithAttributes(attribute.Int("http.response.status_code", a.StatusCode), attribute.Bool("vendorkit.retry", a.Retry)))
	}
	if errType != "" {
		span.SetAttributes(attribute.String("error.type", errType))
		span.SetStatus(codes.Error, errType)
	}
	span.End(trace.WithTimestamp(a.Start.Add(a.Duration)))
}

// Wait records a wait: in its histogram, and as an event on the attempt
// (limiter) or the call (retry).
func (o *Observer) Wait(ctx context.Context, c *vendorkit.Call, w vendorkit.Wait) {
	vendorOnly := metric.WithAttributeSet(o.set(attrKey{vendor: c.Vendor}))
	attrs := trace.WithAttributes(attribute.Int("vendorkit.attempt", w.Attempt), attribute.Float64("vendorkit.wait.seconds", w.Duration.Seconds()))
	switch w.Kind {
	case vendorkit.WaitRetry:
		o.retryWait.Record(ctx, w.Duration.Seconds(), vendorOnly)
		if span, ok := ctx.Value(callSpanKey{}).(trace.Span); ok && span.IsRecording() {
			span.AddEvent("retry_wait", attrs)
		}
	case vendorkit.WaitLimiter:
		o.limiterWait.Record(ctx, w.Duration.Seconds(), vendorOnly)
		if w.Duration >= time.Millisecond {
			if span := trace.SpanFromContext(ctx); span.IsRecording() {
				span.AddEvent("limiter_wait", attrs)
			}
		}
	}
}

func spanName(c *vendorkit.Call) string {
	if c.Operation != "" {
		return c.Vendor + "." + c.Operation
	}
	return c.Vendor + " " + c.Method
}

func outcomeOf(category string) string {
	if category == "" {
		return "ok"
	}
	return category
}

// errorType is the semantic conventions' error.type of an attempt: the
// status code of an HTTP error, else the category of a failure without an
// answer; "" for a success.
func errorType(a *vendorkit.Attempt) string {
	switch {
	case a.Category == "":
		return ""
	case a.StatusCode >= 400:
		return strconv.Itoa(a.StatusCode)
	}
	return a.Category
}

func splitHostPort(hostport string) (string, int) {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return hostport, 0
	}
	port, _ := strconv.Atoi(p)
	return host, port
}

func hostOnly(hostport string) string {
	h, _ := splitHostPort(hostport)
	return h
}

// attrKey identifies a metric attribute set; its zero fields are left out.
type attrKey struct {
	vendor, operation, outcome string
	method, host, errorType    string
	port, status               int
}

// set returns the attribute set of k, built once.
func (o *Observer) set(k attrKey) attribute.Set {
	if s, ok := o.sets.Load(k); ok {
		return s.(attribute.Set)
	}
	var kv []attribute.KeyValue
	if k.vendor != "" {
		kv = append(kv, attribute.String("vendorkit.vendor", k.vendor))
	}
	if k.operation != "" {
		kv = append(kv, attribute.String("vendorkit.operation", k.operation))
	}
	if k.outcome != "" {
		kv = append(kv, attribute.String("vendorkit.outcome", k.outcome))
	}
	if k.method != "" {
		kv = append(kv, attribute.String("http.request.method", k.method), attribute.String("server.address", k.host))
		if k.port != 0 {
			kv = append(kv, attribute.Int("server.port", k.port))
		}
		if k.status != 0 {
			kv = append(kv, attribute.Int("http.response.status_code", k.status))
		}
		if k.errorType != "" {
			kv = append(kv, attribute.String("error.type", k.errorType))
		}
	}
	s := attribute.NewSet(kv...)
	o.sets.Store(k, s)
	return s
}
