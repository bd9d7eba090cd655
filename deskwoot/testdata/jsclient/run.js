// run.js drives Deskwoot's official JavaScript client (Deskwoot/deskwoot-js;
// its compiled build at commit e30ae6b is vendored in ./deskwoot-js, see
// SOURCE.md there) through every operation it has against a deskwoottest
// fake on loopback. deskwoot/jsclient_test.go runs it; it prints one JSON
// array of steps {op, schema, ok, status, error, result}.
//
// Environment: DESKWOOT_JS_CLIENT (the absolute path of the client's
// compiled entry point: the vendored deskwoot-js/index.js unless the test
// is told another build),
// DW_BASE (the fake's origin, e.g. http://127.0.0.1:PORT — the client adds
// /api/v1/…), DW_TOKEN, DW_ACCOUNT.
"use strict";

const base = process.env.DW_BASE || "";
if (!/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?$/.test(base)) {
  console.error("run.js: DW_BASE must be a loopback origin, got " + JSON.stringify(base));
  process.exit(2);
}
const { Deskwoot } = require(process.env.DESKWOOT_JS_CLIENT);
const c = new Deskwoot({ apiToken: process.env.DW_TOKEN, accountId: process.env.DW_ACCOUNT, baseUrl: base });

const out = [];
async function step(op, schema, fn) {
  try {
    const result = await fn();
    out.push({ op, schema, ok: true, result: result === undefined ? null : result });
    return result;
  } catch (e) {
    out.push({ op, schema, ok: false, status: e.status || 0, error: String(e && e.message) });
    return undefined;
  }
}

(async () => {
  await step("listInboxes", "Inbox[]", () => c.listInboxes());
  const inbox = await step("createInbox", "Inbox", () =>
    c.createInbox({ name: "Support Email", channelType: "EMAIL", emailAddress: "support@example.com" }));
  await step("getInbox", "Inbox", () => c.getInbox(inbox.id));
  // update*(id, Partial<T>): a whole record sent back, read-only fields included.
  await step("updateInbox", "Inbox", () => c.updateInbox(inbox.id, { ...inbox, name: "Support", enabled: false }));

  const contact = await step("createContact", "Contact", () =>
    c.createContact({ name: "Jane Doe", email: "jane@example.com", phone: "+1234567890", company: "Acme Inc",
      location: "New York", customAttributes: { plan: "enterprise" } }));
  const other = await step("createContact", "Contact", () => c.createContact({ name: "J. Doe" }));
  await step("getContact", "Contact", () => c.getContact(contact.id));
  await step("updateContact", "Contact", () => c.updateContact(contact.id, { company: "" }));
  await step("listContacts", "Contact[]", () => c.listContacts({ search: "jane@example.com", page: 1, pageSize: 25 }));
  await step("listContacts(segment)", "Contact[]", () => c.listContacts({ segment: "has-email" }));
  await step("mergeContacts", "Contact", () => c.mergeContacts(contact.id, other.id));

  const label = await step("createLabel", "Label", () =>
    c.createLabel({ title: "VIP", color: "#FF5733", description: "High-priority customers" }));
  await step("updateLabel", "Label", () => c.updateLabel(label.id, { ...label, title: "Gold" }));
  await step("listLabels", "Label[]", () => c.listLabels());

  const team = await step("createTeam", "Team", () => c.createTeam({ name: "Billing", allowAutoAssign: false }));
  await step("updateTeam", "Team", () => c.updateTeam(team.id, { ...team, description: "Invoices" }));
  await step("listTeams", "Team[]", () => c.listTeams());
  const agent = await step("inviteAgent", "Agent", () => c.inviteAgent({ email: "bob@example.com", role: "agent" }));
  await step("updateAgent", "Agent", () => c.updateAgent(agent.id, { role: "admin" }));
  await step("listAgents", "Agent[]", () => c.listAgents());
  await step("addTeamMember", "", () => c.addTeamMember(team.id, agent.id));
  await step("removeTeamMember", "", () => c.removeTeamMember(team.id, agent.id));

  const conv = await step("createConversation", "Conversation", () =>
    c.createConversation({ inboxId: inbox.id, contactId: contact.id, message: "Initial message content",
      status: "OPEN", assigneeId: agent.id, teamId: team.id }));
  await step("getConversation", "Conversation", () => c.getConversation(conv.id));
  await step("updateConversation", "Conversation", () =>
    c.updateConversation(conv.id, { status: "RESOLVED", priority: "HIGH", assigneeId: null, teamId: null, muted: false }));
  await step("listConversations", "Conversation[]", () =>
    c.listConversations({ status: "RESOLVED", inboxId: inbox.id, page: 1, pageSize: 25 }));
  await step("addLabelToConversation", "", () => c.addLabelToConversation(conv.id, label.id));
  await step("listConversations(label)", "Conversation[]", () => c.listConversations({ labelId: label.id }));
  await step("removeLabelFromConversation", "", () => c.removeLabelFromConversation(conv.id, label.id));
  await step("sendMessage", "Message", () =>
    c.sendMessage(conv.id, { content: "Your message here", messageType: "OUTGOING", contentType: "TEXT",
      private: false, cc: ["cc@example.com"], bcc: ["bcc@example.com"] }));
  await step("listMessages", "Message[]", () => c.listMessages(conv.id));
  await step("bulkConversationAction", "", () =>
    c.bulkConversationAction({ action: "change_status", conversationIds: [conv.id], value: "OPEN" }));

  const cr = await step("createCannedResponse", "CannedResponse", () =>
    c.createCannedResponse({ shortCode: "thanks", content: "Thank you!" }));
  await step("updateCannedResponse", "CannedResponse", () => c.updateCannedResponse(cr.id, { ...cr, content: "Thanks!" }));
  await step("listCannedResponses", "CannedResponse[]", () => c.listCannedResponses());

  const rule = await step("createAutomationRule", "AutomationRule", () =>
    c.createAutomationRule({ name: "Auto-assign billing tickets", eventName: "CONVERSATION_CREATED",
      conditions: { subject: { contains: "billing" } }, actions: [{ type: "assign_team", value: team.id }] }));
  await step("updateAutomationRule", "AutomationRule", () => c.updateAutomationRule(rule.id, { ...rule, active: false }));
  await step("listAutomationRules", "AutomationRule[]", () => c.listAutomationRules());

  const hook = await step("createWebhook", "Webhook", () =>
    c.createWebhook({ url: "https://your-app.com/webhooks",
      events: ["message.created", "conversation.created", "conversation.updated", "contact.created", "contact.updated"] }));
  await step("updateWebhook", "Webhook", () => c.updateWebhook(hook.id, { ...hook, active: false }));
  await step("listWebhooks", "Webhook[]", () => c.listWebhooks());

  await step("deleteWebhook", "", () => c.deleteWebhook(hook.id));
  await step("deleteAutomationRule", "", () => c.deleteAutomationRule(rule.id));
  await step("deleteCannedResponse", "", () => c.deleteCannedResponse(cr.id));
  await step("removeAgent", "", () => c.removeAgent(agent.id));
  await step("deleteTeam", "", () => c.deleteTeam(team.id));
  await step("deleteLabel", "", () => c.deleteLabel(label.id));
  await step("deleteContact", "", () => c.deleteContact(contact.id));
  await step("deleteInbox", "", () => c.deleteInbox(inbox.id));
  await step("getConversation(missing)", "!404", () => c.getConversation("cmmissing"));
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
