package vendorkit

// Ptr returns a pointer to v. Update inputs use pointer fields so that a
// call can say "leave unchanged" (nil), "set" (Ptr(x)) and, where the vendor
// allows it, "clear" (Ptr of the zero value):
//
//	crm.UpdateContact(ctx, id, woofed.ContactInput{Company: vendorkit.Ptr("")}) // clears the company
func Ptr[T any](v T) *T { return &v }
