package woofedtest

import (
	"net/http"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/vendorkittest"
	"github.com/vendorkit/vendorkit/woofed"
)

func (s *Server) routes() {
	const a = "/{account}"
	s.HandleFunc("GET "+a+"/contacts/{id}", s.getContact)
	s.HandleFunc("DELETE "+a+"/contacts/{id}", s.deleteContact)
	s.HandleFunc("POST "+a+"/contacts", s.createContact)
	s.HandleFunc("POST "+a+"/contacts/upsert", s.upsertContact)
	s.HandleFunc("POST "+a+"/contacts/search", s.searchContacts)
	s.HandleFunc("GET "+a+"/contacts/search", s.searchContacts)

	s.HandleFunc("GET "+a+"/deals/{id}", s.getDeal)
	s.HandleFunc("POST "+a+"/deals", s.createDeal)
	s.HandleFunc("PUT "+a+"/deals/{id}", s.updateDeal)
	s.HandleFunc("PATCH "+a+"/deals/{id}", s.updateDeal)
	s.HandleFunc("POST "+a+"/deals/upsert", s.upsertDeal)
	s.HandleFunc("POST "+a+"/deals/{deal_id}/events", s.createEvent)

	s.HandleFunc("GET "+a+"/products/{id}", s.getProduct)
	s.HandleFunc("POST "+a+"/products", s.createProduct)
	s.HandleFunc("PUT "+a+"/products/{id}", s.updateProduct)
	s.HandleFunc("PATCH "+a+"/products/{id}", s.updateProduct)
	s.HandleFunc("POST "+a+"/products/search", s.searchProducts)
	s.HandleFunc("GET "+a+"/products/search", s.searchProducts)

	s.HandleFunc("POST "+a+"/deal_products", s.createDealProduct)
	s.HandleFunc("GET "+a+"/deal_products/{id}", s.getDealProduct)
	s.HandleFunc("PUT "+a+"/deal_products/{id}", s.updateDealProduct)
	s.HandleFunc("PATCH "+a+"/deal_products/{id}", s.updateDealProduct)

	s.HandleFunc("POST "+a+"/deal_assignees", s.createAssignee)
	s.HandleFunc("DELETE "+a+"/deal_assignees/{id}", s.deleteAssignee)

	s.HandleFunc("POST "+a+"/users", s.createUser)
	s.HandleFunc("POST "+a+"/users/search", s.searchUsers)
	s.HandleFunc("GET "+a+"/users/search", s.searchUsers)

	// Anything else is a Rails routing error: its HTML 404 page.
	s.HandleFunc(a+"/", func(w http.ResponseWriter, _ *http.Request) { railsError(w, http.StatusNotFound) })
}

// ---- contacts ----

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[pathID(r, "id")]
	if !ok {
		recordNotFound(w)
		return
	}
	out := renderContact(c)
	deals, events := []object{}, []object{}
	for _, d := range sorted(s.deals) {
		if d.ContactID == c.ID {
			deals = append(deals, renderDeal(d))
		}
	}
	for _, e := range sorted(s.events) {
		if e.ContactID == c.ID {
			events = append(events, renderEvent(e))
		}
	}
	out["deals"], out["events"] = deals, events
	vendorkittest.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(r, "id")
	if _, ok := s.contacts[id]; !ok {
		recordNotFound(w)
		return
	}
	delete(s.contacts, id)
	w.WriteHeader(http.StatusNoContent)
}

// applyContact sets the contact fields present in b and returns the
// validation errors as field → messages.
func applyContact(c *woofed.Contact, b body) map[string][]string {
	b.str("full_name", &c.FullName)
	b.str("email", &c.Email)
	b.str("phone", &c.Phone)
	if b.has("label_list") {
		// acts-as-taggable-on parses the permitted scalar as a
		// comma-separated list.
		var labels string
		b.str("label_list", &labels)
		c.LabelList = nil
		for _, l := range strings.Split(labels, ",") {
			if l = strings.TrimSpace(l); l != "" {
				c.LabelList = append(c.LabelList, l)
			}
		}
	}
	b.attrs("custom_attributes", &c.CustomAttributes)
	c.Phone = normalizePhone(c.Phone)
	errs := map[string][]string{}
	if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
		errs["phone"] = append(errs["phone"], "is invalid")
	}
	if c.Email != "" && !emailRE.MatchString(c.Email) {
		errs["email"] = append(errs["email"], "is invalid")
	}
	return errs
}

func fullMessages(errs map[string][]string) []string {
	var out []string
	for _, k := range []string{"full_name", "email", "phone", "name", "kind", "status", "stage", "contact", "product", "deal", "user", "password", "password_confirmation", "amount_in_cents", "quantity_available", "quantity", "unit_amount_in_cents"} {
		for _, m := range errs[k] {
			out = append(out, humanize(k)+" "+m)
		}
	}
	return out
}

func humanize(k string) string {
	s := strings.ReplaceAll(k, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var c woofed.Contact
	if errs := applyContact(&c, b); len(errs) > 0 {
		invalid(w, fullMessages(errs)...)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = s.next("contacts")
	c.AccountID = s.account
	s.stamp(&c.CreatedAt, &c.UpdatedAt)
	s.contacts[c.ID] = c
	vendorkittest.WriteJSON(w, http.StatusCreated, renderContact(c))
}

func (s *Server) upsertContact(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var probe woofed.Contact
	if errs := applyContact(&probe, b); len(errs) > 0 {
		// Contact upsert answers the model's raw error hash.
		vendorkittest.WriteJSON(w, http.StatusUnprocessableEntity, errs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, found := s.matchContact(probe.Email, probe.Phone)
	status := http.StatusOK
	if !found {
		c = woofed.Contact{ID: s.next("contacts"), AccountID: s.account}
		status = http.StatusCreated
	}
	applyContact(&c, b)
	c.UpdatedAt = time.Time{}
	s.stamp(&c.CreatedAt, &c.UpdatedAt)
	s.contacts[c.ID] = c
	vendorkittest.WriteJSON(w, status, renderContact(c))
}

// matchContact finds a contact as Woofed's GetByParams does: email ILIKE
// %email%, or the phone with and without a Brazilian 9th digit.
func (s *Server) matchContact(email, phone string) (woofed.Contact, bool) {
	variants := phoneVariants(phone)
	for _, c := range sorted(s.contacts) {
		if email != "" && strings.Contains(strings.ToLower(c.Email), strings.ToLower(email)) {
			return c, true
		}
		for _, v := range variants {
			if c.Phone == v {
				return c, true
			}
		}
	}
	return woofed.Contact{}, false
}

// phoneVariants returns p and, for a Brazilian mobile, p with or without
// the 9 after the area code.
func phoneVariants(p string) []string {
	if p == "" {
		return nil
	}
	out := []string{p}
	if strings.HasPrefix(p, "+55") {
		switch len(p) {
		case 14: // +55 AA 9XXXXXXXX
			if p[5] == '9' {
				out = append(out, p[:5]+p[6:])
			}
		case 13: // +55 AA XXXXXXXX
			out = append(out, p[:5]+"9"+p[5:])
		}
	}
	return out
}

var contactFields = []string{"additional_attributes", "app_id", "app_type", "created_at", "custom_attributes", "email", "full_name", "id", "phone", "updated_at"}

func (s *Server) searchContacts(w http.ResponseWriter, r *http.Request) {
	search(s, w, r, contactFields, func() []woofed.Contact { return sorted(s.contacts) }, renderContact)
}

// ---- deals ----

func (s *Server) getDeal(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.deals[pathID(r, "id")]
	if !ok {
		notFound(w)
		return
	}
	vendorkittest.WriteJSON(w, http.StatusOK, s.dealWithRelations(d))
}

// dealWithRelations renders a deal as show does: with its contact, stage,
// pipeline, deal_assignees and deal_products (the docs' example). s.mu is
// held.
func (s *Server) dealWithRelations(d woofed.Deal) object {
	out := renderDeal(d)
	if c, ok := s.contacts[d.ContactID]; ok {
		out["contact"] = renderContact(c)
	}
	if st, ok := s.stages[d.StageID]; ok {
		out["stage"] = renderStage(st)
	}
	if p, ok := s.pipelines[d.PipelineID]; ok {
		out["pipeline"] = renderPipeline(p)
	}
	assignees, products := []object{}, []object{}
	for _, a := range sorted(s.assignees) {
		if a.DealID == d.ID {
			assignees = append(assignees, renderAssignee(a))
		}
	}
	for _, dp := range sorted(s.dealProducts) {
		if dp.DealID == d.ID {
			products = append(products, renderDealProduct(dp))
		}
	}
	out["deal_assignees"], out["deal_products"] = assignees, products
	return out
}

// applyDeal sets the deal fields present in b and validates the result.
// s.mu is held.
func (s *Server) applyDeal(d *woofed.Deal, b body) []string {
	b.str("name", &d.Name)
	var status string
	b.str("status", &status)
	if b.has("status") {
		d.Status = woofed.DealStatus(status)
	}
	b.int("contact_id", &d.ContactID)
	b.attrs("custom_attributes", &d.CustomAttributes)
	if b.has("stage_id") {
		b.int("stage_id", &d.StageID)
		if st, ok := s.stages[d.StageID]; ok {
			d.PipelineID = st.PipelineID
		}
	} else if b.has("pipeline_id") {
		var pid int64
		b.int("pipeline_id", &pid)
		d.StageID = 0
		for _, st := range sorted(s.stages) {
			if st.PipelineID == pid {
				d.StageID, d.PipelineID = st.ID, pid
				break
			}
		}
	}
	if d.Status == "" {
		d.Status = woofed.DealOpen
	}
	var msgs []string
	switch d.Status {
	case woofed.DealOpen, woofed.DealWon, woofed.DealLost:
	default:
		msgs = append(msgs, "Status is not included in the list")
	}
	if strings.TrimSpace(d.Name) == "" {
		msgs = append(msgs, "Name can't be blank")
	}
	if _, ok := s.stages[d.StageID]; !ok {
		msgs = append(msgs, "Stage must exist")
	}
	if _, ok := s.contacts[d.ContactID]; !ok {
		msgs = append(msgs, "Contact must exist")
	}
	if len(msgs) > 0 {
		return msgs
	}
	// Woofed stamps won_at and lost_at itself when the status changes
	// (neither is a permitted parameter).
	now := s.now()
	if d.Status == woofed.DealWon && d.WonAt.IsZero() {
		d.WonAt = now
	}
	if d.Status == woofed.DealLost && d.LostAt.IsZero() {
		d.LostAt = now
	}
	return msgs
}

// nestedContacts reports a deal body holding contacts_attributes, which the
// controller permits but the Deal model does not accept (it declares
// accepts_nested_attributes_for :contact, i.e. contact_attributes): Rails
// raises ActiveModel::UnknownAttributeError and answers its HTML 500 page.
func nestedContacts(w http.ResponseWriter, b body) bool {
	if b.has("contacts_attributes") {
		railsError(w, http.StatusInternalServerError)
		return true
	}
	return false
}

func (s *Server) createDeal(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	if nestedContacts(w, b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var d woofed.Deal
	if msgs := s.applyDeal(&d, b); len(msgs) > 0 {
		invalid(w, msgs...)
		return
	}
	s.saveDeal(&d)
	vendorkittest.WriteJSON(w, http.StatusCreated, renderDeal(d))
}

func (s *Server) saveDeal(d *woofed.Deal) {
	if d.ID == 0 {
		d.ID = s.next("deals")
		d.AccountID = s.account
		d.CreatedByID = 1
		d.Position = 1
	}
	d.UpdatedAt = time.Time{}
	s.stamp(&d.CreatedAt, &d.UpdatedAt)
	s.deals[d.ID] = *d
}

func (s *Server) updateDeal(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	if nestedContacts(w, b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, found := s.deals[pathID(r, "id")]
	if !found {
		notFound(w)
		return
	}
	if msgs := s.applyDeal(&d, b); len(msgs) > 0 {
		invalid(w, msgs...)
		return
	}
	s.saveDeal(&d)
	vendorkittest.WriteJSON(w, http.StatusOK, renderDeal(d))
}

// upsertDeal matches the contact's first deal (Deal.where(contact_id:)
// .first_or_initialize) and answers 200 either way, as the code does.
func (s *Server) upsertDeal(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	if nestedContacts(w, b) {
		return
	}
	var contactID int64
	b.int("contact_id", &contactID)
	s.mu.Lock()
	defer s.mu.Unlock()
	var d woofed.Deal
	for _, existing := range sorted(s.deals) {
		if contactID != 0 && existing.ContactID == contactID {
			d = existing
			break
		}
	}
	if msgs := s.applyDeal(&d, b); len(msgs) > 0 {
		invalid(w, msgs...)
		return
	}
	s.saveDeal(&d)
	vendorkittest.WriteJSON(w, http.StatusOK, renderDeal(d))
}

var eventKinds = map[string]bool{
	"note": true, "activity": true, "chatwoot_message": true, "evolution_api_message": true,
	"deal_stage_change": true, "deal_opened": true, "deal_won": true, "deal_lost": true,
	"deal_reopened": true, "deal_product_added": true, "deal_product_removed": true,
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, found := s.deals[pathID(r, "deal_id")]
	if !found {
		notFound(w)
		return
	}
	e := woofed.Event{DealID: d.ID, ContactID: d.ContactID, AccountID: s.account, FromMe: true}
	var kind string
	b.str("kind", &kind)
	e.Kind = woofed.EventKind(kind)
	b.str("title", &e.Title)
	b.str("content", &e.Content)
	b.boolean("done", &e.Done)
	b.boolean("auto_done", &e.AutoDone)
	b.boolean("send_now", &e.SendNow)
	for _, k := range []string{"done_at", "scheduled_at"} {
		if !b.utc(k) {
			// The docs: "Time-zoned strings are not accepted by
			// scheduled_at, done_at, …" — send UTC.
			invalid(w, humanize(k)+" is invalid")
			return
		}
	}
	b.time("done_at", &e.DoneAt)
	b.time("scheduled_at", &e.ScheduledAt)
	b.str("app_type", &e.AppType)
	b.int("app_id", &e.AppID)
	b.attrs("custom_attributes", &e.CustomAttributes)
	b.attrs("additional_attributes", &e.AdditionalAttributes)
	switch {
	case kind == "":
		invalid(w, "Kind can't be blank")
		return
	case !eventKinds[kind]:
		invalid(w, "Kind is not included in the list")
		return
	}
	if e.Done && e.DoneAt.IsZero() {
		e.DoneAt = s.now()
	}
	e.ID = s.next("events")
	s.stamp(&e.CreatedAt, &e.UpdatedAt)
	s.events[e.ID] = e
	vendorkittest.WriteJSON(w, http.StatusCreated, renderEvent(e))
}

// ---- products ----

func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[pathID(r, "id")]
	if !ok {
		notFound(w)
		return
	}
	out, lines := renderProduct(p), []object{}
	for _, dp := range sorted(s.dealProducts) {
		if dp.ProductID == p.ID {
			lines = append(lines, renderDealProduct(dp))
		}
	}
	out["deal_products"] = lines
	vendorkittest.WriteJSON(w, http.StatusOK, out)
}

// applyProduct sets the product fields present in b; the errors come back
// in the RecordInvalid shape (messages and attributes).
func applyProduct(p *woofed.Product, b body) (msgs, attrs []string) {
	b.str("identifier", &p.Identifier)
	b.str("name", &p.Name)
	b.str("description", &p.Description)
	b.int("amount_in_cents", &p.AmountInCents)
	b.int("quantity_available", &p.QuantityAvailable)
	b.attrs("custom_attributes", &p.CustomAttributes)
	b.attrs("additional_attributes", &p.AdditionalAttributes)
	if strings.TrimSpace(p.Name) == "" {
		msgs, attrs = append(msgs, "Name can't be blank"), append(attrs, "name")
	}
	if p.AmountInCents < 0 {
		msgs, attrs = append(msgs, "Amount in cents must be greater than or equal to 0"), append(attrs, "amount_in_cents")
	}
	if p.QuantityAvailable < 0 {
		msgs, attrs = append(msgs, "Quantity available must be greater than or equal to 0"), append(attrs, "quantity_available")
	}
	return msgs, attrs
}

func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var p woofed.Product
	if msgs, attrs := applyProduct(&p, b); len(msgs) > 0 {
		recordInvalid(w, msgs, attrs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p.ID = s.next("products")
	p.AccountID = s.account
	s.stamp(&p.CreatedAt, &p.UpdatedAt)
	s.products[p.ID] = p
	vendorkittest.WriteJSON(w, http.StatusCreated, renderProduct(p))
}

func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, found := s.products[pathID(r, "id")]
	if !found {
		notFound(w)
		return
	}
	if msgs, attrs := applyProduct(&p, b); len(msgs) > 0 {
		recordInvalid(w, msgs, attrs)
		return
	}
	p.UpdatedAt = s.now()
	s.products[p.ID] = p
	vendorkittest.WriteJSON(w, http.StatusOK, renderProduct(p))
}

var productFields = []string{"identifier", "amount_in_cents", "quantity_available", "description", "name", "created_at", "updated_at"}

func (s *Server) searchProducts(w http.ResponseWriter, r *http.Request) {
	search(s, w, r, productFields, func() []woofed.Product { return sorted(s.products) }, renderProduct)
}

// ---- deal products ----

// dealProductWithRelations renders a deal product with its product and
// deal. s.mu is held.
func (s *Server) dealProductWithRelations(dp woofed.DealProduct) object {
	out := renderDealProduct(dp)
	if p, ok := s.products[dp.ProductID]; ok {
		out["product"] = renderProduct(p)
	}
	if d, ok := s.deals[dp.DealID]; ok {
		out["deal"] = renderDeal(d)
	}
	return out
}

// applyDealProduct sets the fields present in b, fills the product's
// defaults and validates. s.mu is held.
func (s *Server) applyDealProduct(dp *woofed.DealProduct, b body) []string {
	b.int("product_id", &dp.ProductID)
	b.int("deal_id", &dp.DealID)
	b.int("quantity", &dp.Quantity)
	b.int("unit_amount_in_cents", &dp.UnitAmountInCents)
	b.str("product_name", &dp.ProductName)
	b.str("product_identifier", &dp.ProductIdentifier)
	var msgs []string
	p, ok := s.products[dp.ProductID]
	if !ok {
		msgs = append(msgs, "Product must exist")
	}
	if _, ok := s.deals[dp.DealID]; !ok {
		msgs = append(msgs, "Deal must exist")
	}
	if dp.Quantity < 0 {
		msgs = append(msgs, "Quantity must be greater than or equal to 0")
	}
	if dp.UnitAmountInCents < 0 {
		msgs = append(msgs, "Unit amount in cents must be greater than or equal to 0")
	}
	if len(msgs) > 0 {
		return msgs
	}
	if dp.ProductName == "" {
		dp.ProductName = p.Name
	}
	if dp.ProductIdentifier == "" {
		dp.ProductIdentifier = p.Identifier
	}
	if !b.has("unit_amount_in_cents") && dp.ID == 0 {
		dp.UnitAmountInCents = p.AmountInCents
	}
	if !b.has("quantity") && dp.ID == 0 {
		dp.Quantity = 1
	}
	dp.TotalAmountInCents = dp.Quantity * dp.UnitAmountInCents
	return nil
}

// saveDealProduct stores dp and refreshes its deal's total. s.mu is held.
func (s *Server) saveDealProduct(dp *woofed.DealProduct) {
	if dp.ID == 0 {
		dp.ID = s.next("deal_products")
		dp.AccountID = s.account
	}
	dp.UpdatedAt = time.Time{}
	s.stamp(&dp.CreatedAt, &dp.UpdatedAt)
	s.dealProducts[dp.ID] = *dp
	if d, ok := s.deals[dp.DealID]; ok {
		var total int64
		for _, x := range s.dealProducts {
			if x.DealID == d.ID {
				total += x.TotalAmountInCents
			}
		}
		d.TotalDealProductsAmountInCents = total
		s.deals[d.ID] = d
	}
}

func (s *Server) createDealProduct(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var dp woofed.DealProduct
	if msgs := s.applyDealProduct(&dp, b); len(msgs) > 0 {
		invalid(w, msgs...)
		return
	}
	s.saveDealProduct(&dp)
	vendorkittest.WriteJSON(w, http.StatusCreated, s.dealProductWithRelations(dp))
}

func (s *Server) getDealProduct(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dp, ok := s.dealProducts[pathID(r, "id")]
	if !ok {
		recordNotFound(w)
		return
	}
	vendorkittest.WriteJSON(w, http.StatusOK, s.dealProductWithRelations(dp))
}

func (s *Server) updateDealProduct(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dp, found := s.dealProducts[pathID(r, "id")]
	if !found {
		recordNotFound(w)
		return
	}
	if msgs := s.applyDealProduct(&dp, b); len(msgs) > 0 {
		invalid(w, msgs...)
		return
	}
	s.saveDealProduct(&dp)
	vendorkittest.WriteJSON(w, http.StatusOK, s.dealProductWithRelations(dp))
}

// ---- deal assignees ----

func (s *Server) createAssignee(w http.ResponseWriter, r *http.Request) {
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var a woofed.DealAssignee
	b.int("user_id", &a.UserID)
	b.int("deal_id", &a.DealID)
	s.mu.Lock()
	defer s.mu.Unlock()
	var msgs []string
	if _, ok := s.users[a.UserID]; !ok {
		msgs = append(msgs, "User must exist")
	}
	if _, ok := s.deals[a.DealID]; !ok {
		msgs = append(msgs, "Deal must exist")
	}
	for _, x := range s.assignees {
		if x.UserID == a.UserID && x.DealID == a.DealID {
			msgs = append(msgs, "User has already been taken")
		}
	}
	if len(msgs) > 0 {
		invalid(w, msgs...)
		return
	}
	a.ID = s.next("deal_assignees")
	a.AccountID = s.account
	s.stamp(&a.CreatedAt, &a.UpdatedAt)
	s.assignees[a.ID] = a
	vendorkittest.WriteJSON(w, http.StatusCreated, renderAssignee(a))
}

func (s *Server) deleteAssignee(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(r, "id")
	if _, ok := s.assignees[id]; !ok {
		recordNotFound(w)
		return
	}
	delete(s.assignees, id)
	w.WriteHeader(http.StatusNoContent)
}

// ---- users ----

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	if s.member {
		vendorkittest.WriteJSON(w, http.StatusForbidden, map[string]string{"errors": "Forbidden"})
		return
	}
	b, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var u woofed.User
	var password, confirmation string
	b.str("email", &u.Email)
	b.str("full_name", &u.FullName)
	b.str("phone", &u.Phone)
	b.str("language", &u.Language)
	b.str("job_description", &u.JobDescription)
	b.str("avatar_url", &u.AvatarURL)
	b.boolean("webpush_notify_on_event_expired", &u.Notifications.WebpushNotifyOnEventExpired)
	b.str("password", &password)
	b.str("password_confirmation", &confirmation)
	u.Phone = normalizePhone(u.Phone)
	s.mu.Lock()
	defer s.mu.Unlock()
	errs := map[string][]string{}
	switch {
	case u.Email == "":
		errs["email"] = append(errs["email"], "can't be blank")
	case !emailRE.MatchString(u.Email):
		errs["email"] = append(errs["email"], "is invalid")
	default:
		for _, x := range s.users {
			if strings.EqualFold(x.Email, u.Email) {
				errs["email"] = append(errs["email"], "has already been taken")
			}
		}
	}
	if u.Phone != "" && !phoneRE.MatchString(u.Phone) {
		errs["phone"] = append(errs["phone"], "is invalid")
	}
	if len(password) < 6 {
		errs["password"] = append(errs["password"], "is too short (minimum is 6 characters)")
	}
	if confirmation != password {
		errs["password_confirmation"] = append(errs["password_confirmation"], "doesn't match Password")
	}
	if len(errs) > 0 {
		invalid(w, fullMessages(errs)...)
		return
	}
	if u.Language == "" {
		u.Language = "en"
	}
	if u.JobDescription == "" {
		u.JobDescription = "other"
	}
	u.ID = s.next("users")
	u.AccountID, u.ThemePreference = s.account, "system"
	s.stamp(&u.CreatedAt, &u.UpdatedAt)
	s.users[u.ID] = u
	vendorkittest.WriteJSON(w, http.StatusCreated, renderUser(u))
}

var userFields = []string{"id", "email", "full_name", "phone", "language", "job_description", "created_at", "updated_at"}

func (s *Server) searchUsers(w http.ResponseWriter, r *http.Request) {
	search(s, w, r, userFields, func() []woofed.User { return sorted(s.users) }, renderUser)
}
