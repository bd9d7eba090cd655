// Package webhook is the one receiver behind every vendor's
// NewWebhookHandler (woofed, woodpecker, deskwoot, qwoty): options, URL
// guards, signature verifiers and deduplication. Vendor packages supply the
// event types, the parser and the dedupe keys; this package owns the HTTP.
//
// A handler answers each delivery in this order:
//
//  1. anything but POST: 405 (with Allow: POST);
//  2. URL guards (WithPathSecret, WithQueryToken, WithBasicAuth) — a wrong
//     or missing secret: 401;
//  3. a Content-Type other than application/json (or application/*+json):
//     415;
//  4. the raw body is read once, capped (WithMaxBody, 1 MiB by default):
//     413 beyond the cap, 400 when empty or unreadable;
//  5. signature verifiers (WithVerifier: HMAC, StandardWebhooks or your
//     own), on the raw body before any parsing: 401;
//  6. parsing: malformed JSON or a body of the wrong shape: 400; an unknown
//     event name is not an error (vendors add events);
//  7. each event in order (Woodpecker sends up to 100 per body): the
//     Deduper skips one already handled, the function is called, a panic is
//     recovered; the first error or panic stops the batch and answers 500
//     (503 when the deduper fails or the same event is being handled by a
//     concurrent request), so the vendor delivers again;
//  8. 200 once the function returned nil for every event.
//
// No status that unsubscribes is ever sent (Woodpecker drops a subscription
// on 310 or 410). A handler built without any protection refuses every
// delivery with 500 and logs why, unless InsecureSkipVerify says so
// explicitly. Secrets are compared in constant time and never logged; log
// lines carry no URL, header or body.
//
//	h := woofed.NewWebhookHandler(func(ctx context.Context, e woofed.Event) error {
//		if c, ok := e.(*woofed.ContactUpdated); ok {
//			return syncContact(ctx, c.Contact)
//		}
//		return nil
//	}, webhook.WithPathSecret(os.Getenv("WOOFED_HOOK_SECRET")))
//	mux.Handle("POST /hooks/woofed/{secret}", h)
package webhook
