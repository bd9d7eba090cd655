"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DeskwootError = exports.Deskwoot = void 0;
class Deskwoot {
    constructor(config) {
        this.apiToken = config.apiToken;
        this.accountId = config.accountId;
        this.baseUrl = (config.baseUrl || "https://deskwoot.com").replace(/\/$/, "");
    }
    async request(method, path, body) {
        const url = `${this.baseUrl}${path}`;
        const res = await fetch(url, {
            method,
            headers: {
                "Content-Type": "application/json",
                Authorization: `Bearer ${this.apiToken}`,
            },
            body: body ? JSON.stringify(body) : undefined,
        });
        if (!res.ok) {
            const error = await res.json().catch(() => ({ error: res.statusText }));
            throw new DeskwootError(res.status, error.error || res.statusText);
        }
        if (res.status === 204)
            return undefined;
        return res.json();
    }
    get basePath() {
        return `/api/v1/accounts/${this.accountId}`;
    }
    // =========================================================================
    // Conversations
    // =========================================================================
    async listConversations(filters) {
        const params = new URLSearchParams();
        if (filters?.status)
            params.set("status", filters.status);
        if (filters?.assigneeId)
            params.set("assignee_id", filters.assigneeId);
        if (filters?.teamId)
            params.set("team_id", filters.teamId);
        if (filters?.inboxId)
            params.set("inbox_id", filters.inboxId);
        if (filters?.labelId)
            params.set("label_id", filters.labelId);
        if (filters?.page)
            params.set("page", String(filters.page));
        if (filters?.pageSize)
            params.set("pageSize", String(filters.pageSize));
        const qs = params.toString();
        return this.request("GET", `${this.basePath}/conversations${qs ? `?${qs}` : ""}`);
    }
    async getConversation(conversationId) {
        return this.request("GET", `/api/v1/conversations/${conversationId}`);
    }
    async createConversation(data) {
        return this.request("POST", `${this.basePath}/conversations`, data);
    }
    async updateConversation(conversationId, data) {
        return this.request("PATCH", `/api/v1/conversations/${conversationId}`, data);
    }
    async bulkConversationAction(action) {
        return this.request("POST", `${this.basePath}/conversations/bulk`, action);
    }
    // =========================================================================
    // Messages
    // =========================================================================
    async listMessages(conversationId) {
        return this.request("GET", `/api/v1/conversations/${conversationId}/messages`);
    }
    async sendMessage(conversationId, data) {
        return this.request("POST", `/api/v1/conversations/${conversationId}/messages`, data);
    }
    // =========================================================================
    // Contacts
    // =========================================================================
    async listContacts(filters) {
        const params = new URLSearchParams();
        if (filters?.search)
            params.set("search", filters.search);
        if (filters?.segment)
            params.set("segment", filters.segment);
        if (filters?.page)
            params.set("page", String(filters.page));
        if (filters?.pageSize)
            params.set("pageSize", String(filters.pageSize));
        const qs = params.toString();
        return this.request("GET", `${this.basePath}/contacts${qs ? `?${qs}` : ""}`);
    }
    async getContact(contactId) {
        return this.request("GET", `${this.basePath}/contacts/${contactId}`);
    }
    async createContact(data) {
        return this.request("POST", `${this.basePath}/contacts`, data);
    }
    async updateContact(contactId, data) {
        return this.request("PATCH", `${this.basePath}/contacts/${contactId}`, data);
    }
    async deleteContact(contactId) {
        return this.request("DELETE", `${this.basePath}/contacts/${contactId}`);
    }
    async mergeContacts(primaryId, secondaryId) {
        return this.request("POST", `${this.basePath}/contacts/merge`, {
            primaryContactId: primaryId,
            secondaryContactId: secondaryId,
        });
    }
    // =========================================================================
    // Inboxes
    // =========================================================================
    async listInboxes() {
        return this.request("GET", `${this.basePath}/inboxes`);
    }
    async getInbox(inboxId) {
        return this.request("GET", `${this.basePath}/inboxes/${inboxId}`);
    }
    async createInbox(data) {
        return this.request("POST", `${this.basePath}/inboxes`, data);
    }
    async updateInbox(inboxId, data) {
        return this.request("PATCH", `${this.basePath}/inboxes/${inboxId}`, data);
    }
    async deleteInbox(inboxId) {
        return this.request("DELETE", `${this.basePath}/inboxes/${inboxId}`);
    }
    // =========================================================================
    // Labels
    // =========================================================================
    async listLabels() {
        return this.request("GET", `${this.basePath}/labels`);
    }
    async createLabel(data) {
        return this.request("POST", `${this.basePath}/labels`, data);
    }
    async updateLabel(labelId, data) {
        return this.request("PATCH", `${this.basePath}/labels/${labelId}`, data);
    }
    async deleteLabel(labelId) {
        return this.request("DELETE", `${this.basePath}/labels/${labelId}`);
    }
    async addLabelToConversation(conversationId, labelId) {
        return this.request("POST", `/api/v1/conversations/${conversationId}/labels`, { labelId });
    }
    async removeLabelFromConversation(conversationId, labelId) {
        return this.request("DELETE", `/api/v1/conversations/${conversationId}/labels`, { labelId });
    }
    // =========================================================================
    // Teams
    // =========================================================================
    async listTeams() {
        return this.request("GET", `${this.basePath}/teams`);
    }
    async createTeam(data) {
        return this.request("POST", `${this.basePath}/teams`, data);
    }
    async updateTeam(teamId, data) {
        return this.request("PATCH", `${this.basePath}/teams/${teamId}`, data);
    }
    async deleteTeam(teamId) {
        return this.request("DELETE", `${this.basePath}/teams/${teamId}`);
    }
    async addTeamMember(teamId, agentId) {
        return this.request("POST", `${this.basePath}/teams/${teamId}/members`, { agentId });
    }
    async removeTeamMember(teamId, agentId) {
        return this.request("DELETE", `${this.basePath}/teams/${teamId}/members`, { agentId });
    }
    // =========================================================================
    // Agents
    // =========================================================================
    async listAgents() {
        return this.request("GET", `${this.basePath}/agents`);
    }
    async inviteAgent(data) {
        return this.request("POST", `${this.basePath}/agents`, data);
    }
    async updateAgent(agentId, data) {
        return this.request("PATCH", `${this.basePath}/agents/${agentId}`, data);
    }
    async removeAgent(agentId) {
        return this.request("DELETE", `${this.basePath}/agents/${agentId}`);
    }
    // =========================================================================
    // Canned Responses
    // =========================================================================
    async listCannedResponses() {
        return this.request("GET", `${this.basePath}/canned-responses`);
    }
    async createCannedResponse(data) {
        return this.request("POST", `${this.basePath}/canned-responses`, data);
    }
    async updateCannedResponse(id, data) {
        return this.request("PATCH", `${this.basePath}/canned-responses/${id}`, data);
    }
    async deleteCannedResponse(id) {
        return this.request("DELETE", `${this.basePath}/canned-responses/${id}`);
    }
    // =========================================================================
    // Automation Rules
    // =========================================================================
    async listAutomationRules() {
        return this.request("GET", `${this.basePath}/automation-rules`);
    }
    async createAutomationRule(data) {
        return this.request("POST", `${this.basePath}/automation-rules`, data);
    }
    async updateAutomationRule(ruleId, data) {
        return this.request("PATCH", `${this.basePath}/automation-rules/${ruleId}`, data);
    }
    async deleteAutomationRule(ruleId) {
        return this.request("DELETE", `${this.basePath}/automation-rules/${ruleId}`);
    }
    // =========================================================================
    // Webhooks
    // =========================================================================
    async listWebhooks() {
        return this.request("GET", `${this.basePath}/webhooks`);
    }
    async createWebhook(data) {
        return this.request("POST", `${this.basePath}/webhooks`, data);
    }
    async updateWebhook(webhookId, data) {
        return this.request("PATCH", `${this.basePath}/webhooks/${webhookId}`, data);
    }
    async deleteWebhook(webhookId) {
        return this.request("DELETE", `${this.basePath}/webhooks/${webhookId}`);
    }
}
exports.Deskwoot = Deskwoot;
class DeskwootError extends Error {
    constructor(status, message) {
        super(message);
        this.name = "DeskwootError";
        this.status = status;
    }
}
exports.DeskwootError = DeskwootError;
