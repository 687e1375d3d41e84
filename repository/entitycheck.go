package repository

import "bytes"

// checkEntity validates the Data of a whole entity: every required
// property present, not null and not blank.
func checkEntity(m *Model, d Data) error {
	var details []Detail
	for _, p := range m.Properties {
		if !p.Required || p.ID {
			continue
		}
		raw, ok := d[p.Name]
		if !ok || p.Kind == KindString && bytes.Equal(raw, []byte(`""`)) {
			details = append(details, Detail{Path: "/" + p.Name, Code: "required", Message: "can't be blank",
				Info: map[string]any{"missingProperty": p.Name}})
		}
	}
	if len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}
