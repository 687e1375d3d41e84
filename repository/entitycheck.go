package repository

import "bytes"

// checkEntity validates the Data of a whole entity as LoopBack's juggler
// validates a model instance before a create or a replace: every required
// property present, not null and, for strings, not "". A failure is a
// [ValidationError] with the presence code, whose message and details are
// juggler's:
//
//	The `Todo` instance is not valid. Details: `title` can't be blank (value: "").
func checkEntity(m *Model, d Data) error {
	var details []Detail
	for _, p := range m.Properties {
		if !p.Required || p.ID {
			continue
		}
		raw, ok := d[p.Name]
		if !ok || bytes.Equal(raw, nullJSON) || p.Kind == KindString && bytes.Equal(raw, []byte(`""`)) {
			var value any // undefined
			if ok {
				value = raw
			}
			details = append(details, Detail{Path: "/" + p.Name, Code: CodePresence, Message: "can't be blank",
				Info: map[string]any{"value": value}})
		}
	}
	if len(details) > 0 {
		return &ValidationError{Model: m.Name, Details: details}
	}
	return nil
}
