package memory

import (
	"encoding/json"
	"strings"

	"github.com/loomhq/loom/repository"
)

// checkUnique enforces the model's uniqueness validations
// ([repository.Model.Unique]) on the rows a write changed, under the
// write lock, before the write is published: two concurrent creates of
// one name cannot both be stored, whatever the repository saw when it
// checked. A tuple holding an unset, null or "" value is not checked.
// One pass over the table per unique list.
func checkUnique(m *repository.Model, t *table, u *undo) error {
	sets := m.Unique()
	if len(sets) == 0 || !u.changed {
		return nil
	}
	var changed []*row
	isChanged := map[string]bool{}
	for _, e := range u.log {
		if r := t.byKey[e.key]; r != nil && !isChanged[e.key] {
			isChanged[e.key] = true
			changed = append(changed, r)
		}
	}
	for _, props := range sets {
		held := map[string]*row{}
		for _, r := range changed {
			k, ok := tupleKey(r, props)
			if !ok {
				continue
			}
			if held[k] != nil {
				return repository.NotUnique(m, props, r.data)
			}
			held[k] = r
		}
		if len(held) == 0 {
			continue
		}
		for _, r := range t.sorted {
			if isChanged[r.key] {
				continue
			}
			if k, ok := tupleKey(r, props); ok && held[k] != nil {
				return repository.NotUnique(m, props, held[k].data)
			}
		}
	}
	return nil
}

// tupleKey is the text of r's values of props, compared as decoded (1
// and 1.0 are one number); ok is false when one is unset, null or "".
func tupleKey(r *row, props []string) (string, bool) {
	var b strings.Builder
	for _, p := range props {
		v := r.vals[p]
		if v == nil || v == "" {
			return "", false
		}
		text, err := json.Marshal(v)
		if err != nil {
			return "", false
		}
		b.Write(text)
		b.WriteByte(0)
	}
	return b.String(), true
}
