package otel_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
	vkotel "github.com/vendorkit/vendorkit/otel"
	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woodpecker/woodpeckertest"
	"github.com/vendorkit/vendorkit/woofed"
	"github.com/vendorkit/vendorkit/woofed/woofedtest"
)

// telemetry is an Observer on in-memory exporters.
type telemetry struct {
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	tp     *sdktrace.TracerProvider
	obs    *vkotel.Observer
}

func newTelemetry(t *testing.T) *telemetry {
	tel := &telemetry{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	tel.tp = sdktrace.NewTracerProvider(sdktrace.WithSyncer(tel.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	t.Cleanup(func() { _ = tel.tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	obs, err := vkotel.New(vkotel.WithTracerProvider(tel.tp), vkotel.WithMeterProvider(mp))
	require.NoError(t, err)
	tel.obs = obs
	return tel
}

func (tel *telemetry) metrics(t *testing.T) map[string]metricdata.Metrics {
	var rm metricdata.ResourceMetrics
	require.NoError(t, tel.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

func attrs(s attribute.Set) map[string]string {
	out := map[string]string{}
	for _, kv := range s.ToSlice() {
		out[string(kv.Key)] = kv.Value.String()
	}
	return out
}

// sum returns the int64 sum's points as "k=v,k=v" → value.
func points(m metricdata.Metrics) map[string]float64 {
	out := map[string]float64{}
	key := func(s attribute.Set) string {
		var parts []string
		for _, kv := range s.ToSlice() {
			parts = append(parts, string(kv.Key)+"="+kv.Value.String())
		}
		return strings.Join(parts, ",")
	}
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, p := range d.DataPoints {
			out[key(p.Attributes)] = float64(p.Value)
		}
	case metricdata.Gauge[int64]:
		for _, p := range d.DataPoints {
			out[key(p.Attributes)] = float64(p.Value)
		}
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			out[key(p.Attributes)] = float64(p.Count)
		}
	}
	return out
}

func histogramSum(m metricdata.Metrics) float64 {
	var s float64
	for _, p := range m.Data.(metricdata.Histogram[float64]).DataPoints {
		s += p.Sum
	}
	return s
}

// TestRetriedCall: a GetContact answered 429 n times, then found, is one
// call span with n+1 attempt children and the matching metric points.
func TestRetriedCall(t *testing.T) {
	for _, retries := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d retries", retries), func(t *testing.T) {
			tel := newTelemetry(t)
			srv := woofedtest.NewServer(t)
			contact := srv.AddContact(woofed.Contact{FullName: "Ada Lovelace", Email: "ada@example.com"})
			kit := vendorkittest.NewClient(t, vendorkit.WithObserver(tel.obs))
			crm, err := woofed.New(kit, srv.Token(), woofed.WithBaseURL(srv.URL()))
			require.NoError(t, err)

			ctx, parent := tel.tp.Tracer("test").Start(context.Background(), "job")
			srv.FailNext(retries, 429, `{"errors":"Too many requests"}`, "0")
			_, err = crm.GetContact(ctx, contact.ID)
			require.NoError(t, err)
			parent.End()

			spans := tel.spans.GetSpans()
			var call tracetest.SpanStub
			var attempts []tracetest.SpanStub
			for _, s := range spans {
				switch {
				case s.Name == "woofed.GetContact":
					call = s
				case s.Name == "GET":
					attempts = append(attempts, s)
				}
			}
			require.Equal(t, "woofed.GetContact", call.Name, "the call span")
			assert.Equal(t, parent.SpanContext().SpanID(), call.Parent.SpanID(), "under the caller's span")
			assert.Equal(t, trace.SpanKindInternal, call.SpanKind)
			ca := attrs(attribute.NewSet(call.Attributes...))
			assert.Equal(t, "woofed", ca["vendorkit.vendor"])
			assert.Equal(t, "GetContact", ca["vendorkit.operation"])
			assert.Equal(t, fmt.Sprint(retries+1), ca["vendorkit.attempts"])
			assert.Equal(t, "200", ca["http.response.status_code"])
			assert.NotEmpty(t, ca["vendorkit.request_id"])
			retryWaits := 0
			for _, ev := range call.Events {
				if ev.Name == "retry_wait" {
					retryWaits++
				}
			}
			assert.Equal(t, retries, retryWaits)

			require.Len(t, attempts, retries+1)
			for i, a := range attempts {
				assert.Equal(t, call.SpanContext.SpanID(), a.Parent.SpanID(), "attempt %d is the call's child", i+1)
				assert.Equal(t, trace.SpanKindClient, a.SpanKind)
				aa := attrs(attribute.NewSet(a.Attributes...))
				assert.Equal(t, "GET", aa["http.request.method"])
				assert.Equal(t, "127.0.0.1", aa["server.address"])
				assert.NotEmpty(t, aa["server.port"])
				assert.Equal(t, fmt.Sprintf("/api/v1/accounts/1/contacts/%d", contact.ID), aa["url.path"])
				if i < retries {
					assert.Equal(t, "429", aa["http.response.status_code"])
					assert.Equal(t, "429", aa["error.type"])
					require.NotEmpty(t, a.Events)
					assert.Equal(t, "rate_limited", a.Events[len(a.Events)-1].Name)
				} else {
					assert.Equal(t, "200", aa["http.response.status_code"])
					assert.Empty(t, aa["error.type"])
				}
				if i > 0 {
					assert.Equal(t, fmt.Sprint(i), aa["http.request.resend_count"])
				}
			}

			m := tel.metrics(t)
			op := "vendorkit.operation=GetContact,vendorkit.vendor=woofed"
			assert.Equal(t, map[string]float64{"vendorkit.operation=GetContact,vendorkit.outcome=ok,vendorkit.vendor=woofed": 1}, points(m["vendorkit.calls"]))
			assert.Equal(t, map[string]float64{"vendorkit.operation=GetContact,vendorkit.outcome=ok,vendorkit.vendor=woofed": 1}, points(m["vendorkit.call.duration"]))
			assert.Equal(t, map[string]float64{
				"vendorkit.operation=GetContact,vendorkit.outcome=ok,vendorkit.vendor=woofed":           1,
				"vendorkit.operation=GetContact,vendorkit.outcome=rate_limited,vendorkit.vendor=woofed": float64(retries),
			}, points(m["vendorkit.attempts"]))
			assert.Equal(t, map[string]float64{op: float64(retries)}, points(m["vendorkit.retries"]))
			assert.Equal(t, map[string]float64{op: float64(retries)}, points(m["vendorkit.rate_limited"]))
			assert.Equal(t, map[string]float64{"vendorkit.vendor=woofed": float64(retries)}, points(m["vendorkit.retry.wait"]))
			assert.Equal(t, map[string]float64{"vendorkit.vendor=woofed": float64(retries + 1)}, points(m["vendorkit.limiter.wait"]))
			assert.Equal(t, map[string]float64{"vendorkit.vendor=woofed": 0}, points(m["vendorkit.calls.in_flight"]))
			assert.Equal(t, map[string]float64{"vendorkit.vendor=woofed": float64(500 - 5*retries + 1)}, points(m["vendorkit.retry_budget"]))
			var httpCount float64
			for _, n := range points(m["http.client.request.duration"]) {
				httpCount += n
			}
			assert.Equal(t, float64(retries+1), httpCount)
		})
	}
}

// TestFleetShowsLimiterWaits: concurrent jobs on one Deskwoot token, paced
// at 20 requests/s with a burst of 1, wait in the limiter, and the metrics
// and attempt spans show it.
//
// The jobs run on synctest's fake clock, through the fake's in-process
// Transport: the waits measured are the limiter's, whatever the machine's
// load (on the wall clock, jobs started late by a starved scheduler wait
// less, and the sum could fall under its floor).
func TestFleetShowsLimiterWaits(t *testing.T) {
	tel := newTelemetry(t)
	srv := deskwoottest.NewServer(t, deskwoottest.WithRateLimit(6000, 100)) // outside the bubble: its listener blocks on the network
	const jobs = 8
	var elapsed time.Duration
	synctest.Test(t, func(t *testing.T) {
		kit := vendorkittest.NewClient(t, vendorkit.WithObserver(tel.obs), vendorkit.WithTransport(srv.Transport()))
		var wg sync.WaitGroup
		start := time.Now()
		for range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				desk, err := deskwoot.New(kit, srv.Token(), deskwoot.WithBaseURL(srv.URL()), deskwoot.WithRateLimit(1200, 1))
				assert.NoError(t, err)
				_, err = desk.Me(context.Background())
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
		elapsed = time.Since(start)
	})

	m := tel.metrics(t)
	assert.Equal(t, map[string]float64{"vendorkit.vendor=deskwoot": jobs}, points(m["vendorkit.limiter.wait"]))
	// 8 requests at 20/s with a burst of 1: about 0+50+…+350 ms of waiting.
	waited := histogramSum(m["vendorkit.limiter.wait"])
	assert.Greater(t, waited, 0.7, "seconds waited in the limiter")
	assert.Less(t, waited, float64(jobs)*elapsed.Seconds())
	events := 0
	for _, s := range tel.spans.GetSpans() {
		for _, ev := range s.Events {
			if ev.Name == "limiter_wait" {
				assert.Equal(t, "GET", s.Name, "limiter waits are events of the attempt")
				events++
			}
		}
	}
	assert.GreaterOrEqual(t, events, jobs-2, "every job but the first (or two) waited")
	assert.Equal(t, map[string]float64{"vendorkit.operation=Me,vendorkit.outcome=ok,vendorkit.vendor=deskwoot": jobs}, points(m["vendorkit.calls"]))
}

// TestNoSecretsInTelemetry runs calls whose requests carry a key, a query
// string with an e-mail address and a body, and whose failures carry a
// vendor message, and checks that none of it reaches a span, an event or a
// metric point.
func TestNoSecretsInTelemetry(t *testing.T) {
	tel := newTelemetry(t)
	kit := vendorkittest.NewClient(t, vendorkit.WithObserver(tel.obs))
	ctx := context.Background()

	wp := woodpeckertest.NewServer(t)
	pecker, err := woodpecker.New(kit, woodpeckertest.HQKey, woodpecker.WithBaseURL(wp.URL()))
	require.NoError(t, err)
	_, _ = pecker.FindProspectByEmail(ctx, "secret.person@example.com") // search=email=… in the query
	bad, err := woodpecker.New(kit, woodpeckertest.NoAddonKey, woodpecker.WithBaseURL(wp.URL()))
	require.NoError(t, err)
	_, err = bad.Me(ctx)
	require.ErrorIs(t, err, vendorkit.ErrUnauthorized)

	wf := woofedtest.NewServer(t)
	crm, err := woofed.New(kit, wf.Token(), woofed.WithBaseURL(wf.URL()))
	require.NoError(t, err)
	_, err = crm.CreateContact(ctx, woofed.ContactInput{FullName: "Body Marker Person", Email: "body.marker@example.com"})
	require.NoError(t, err)
	wf.FailNext(1, 503, `{"errors":"vendor message with secret-in-body"}`, "")
	_, _ = crm.GetContact(ctx, 1)

	forbidden := []string{woodpeckertest.HQKey, woodpeckertest.NoAddonKey, wf.Token(), "secret.person", "search=", "?", "Body Marker", "body.marker", "secret-in-body", "No API addon", "Bearer"}
	check := func(where string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			for _, f := range forbidden {
				assert.NotContains(t, kv.Value.String(), f, "%s: attribute %s", where, kv.Key)
			}
		}
	}
	spans := tel.spans.GetSpans()
	require.NotEmpty(t, spans)
	for _, s := range spans {
		check("span "+s.Name, s.Attributes)
		for _, f := range forbidden {
			assert.NotContains(t, s.Name, f)
			assert.NotContains(t, s.Status.Description, f)
		}
		for _, ev := range s.Events {
			check("event "+ev.Name, ev.Attributes)
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, tel.reader.Collect(ctx, &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					check(m.Name, p.Attributes.ToSlice())
				}
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					check(m.Name, p.Attributes.ToSlice())
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					check(m.Name, p.Attributes.ToSlice())
				}
			}
		}
	}
	// The failures are there, by category.
	calls := points(tel.metrics(t)["vendorkit.calls"])
	assert.Equal(t, 1.0, calls["vendorkit.operation=Me,vendorkit.outcome=unauthorized,vendorkit.vendor=woodpecker"])
	assert.Equal(t, 1.0, calls["vendorkit.operation=GetContact,vendorkit.outcome=ok,vendorkit.vendor=woofed"], "503 retried, then found")
}
