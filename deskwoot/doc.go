// Package deskwoot is a typed client for the Deskwoot helpdesk REST API
// (https://deskwoot.com/api/v1/): conversations, messages and private notes,
// attachments, contacts, inboxes, labels, teams, agents, canned responses,
// automation rules, webhooks and bots, plus webhook signature checks.
//
// The REST API is an Enterprise feature (also open during the 7-day
// Enterprise trial). Authenticate with an API token (dw_…) or an MCP bot
// token (dw_mcp_…); tokens carry scopes (read, write, contacts:read|write,
// conversations:read|write). A 403 — missing scope or missing plan — matches
// vendorkit.ErrForbidden, and ErrMissingScope or ErrPlanRequired when
// Deskwoot's message says which.
//
// Deskwoot allows 60 requests per minute per token. Clients pace themselves
// at that rate (DefaultLimit) across every client that shares a
// *vendorkit.Client and a token, and retry a 429 with backoff.
//
//	kit, _ := vendorkit.New()
//	desk, err := deskwoot.New(kit, os.Getenv("DESKWOOT_TOKEN"))
//	if err != nil { … }
//	for conv, err := range desk.AllConversations(ctx, deskwoot.ConversationFilter{Status: deskwoot.StatusOpen}) {
//		if err != nil { … }
//		fmt.Println(conv.DisplayID, conv.Subject)
//	}
//	_, err = desk.SendMessage(ctx, convID, deskwoot.NewMessage{Content: "Checking with billing", Private: true})
//
// The account comes from WithAccountID, or else from GET /v1/me on first
// use (cached). Package deskwoottest provides an in-process fake server.
package deskwoot
