package rules

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"unicode/utf16"
)

// Check is one compiled [Validation] of a property: its juggler code, the
// schema keywords it documents and its check, which reports juggler's
// codes and messages. It runs on the property's JSON value as the entity
// will be stored, where unset, null and "" differ as in JavaScript.
type Check struct {
	// Property is the JSON name of the property checked.
	Property string
	// Code is juggler's validation: presence, absence, length, inclusion,
	// exclusion, format, numericality or uniqueness. A failure's code may
	// add a kind: length.min, numericality.int, inclusion.blank, ...
	Code string
	// Keywords are the JSON-schema keywords it documents: minLength,
	// maxLength, minItems, maxItems, enum, not ({"enum": [...]}),
	// pattern, type.
	Keywords []Keyword
	// Required is set when an unset value fails it (a presence, or a
	// validation without AllowBlank): a new entity must hold the property.
	Required bool
	// Scope is the ScopedTo properties of a uniqueness check.
	Scope []string
	// Message is the message that replaces juggler's, or "".
	Message string

	conf config
	kind Kind
	in   []any
	re   *regexp.Regexp
}

// Unique reports whether c is a uniqueness check, which only the store
// can run: [Check.Run] passes every value.
func (c *Check) Unique() bool { return c.Code == vUniqueness }

// defaultMessages are juggler's messages, by code.
var defaultMessages = map[string]string{
	"presence":            "can't be blank",
	"absence":             "can't be set",
	"length.min":          "too short",
	"length.max":          "too long",
	"length.is":           "length is wrong",
	"blank":               "is blank",
	"null":                "is null",
	"numericality.int":    "is not an integer",
	"numericality.number": "is not a number",
	"inclusion":           "is not included in the list",
	"exclusion":           "is reserved",
	"format":              "is invalid",
	"uniqueness":          "is not unique",
}

// Fail is the detail of c failing, with kind ("min", "blank", ...; ""
// for none) on raw, the property's JSON value (nil: unset), at path: the
// code, juggler's message (or c.Message, but for "is blank" and "is
// null", which juggler keeps) and Info["value"], the value as a
// json.RawMessage or nil when unset.
func (c *Check) Fail(path, kind string, raw json.RawMessage) Detail {
	code := c.Code
	if kind != "" {
		code += "." + kind
	}
	msg := c.Message
	if msg == "" || kind == "blank" || kind == "null" { // juggler keeps these
		msg = defaultMessages[code]
		if msg == "" {
			msg = defaultMessages[kind]
		}
	}
	var value any
	if len(raw) > 0 {
		value = raw
	}
	return Detail{Path: path, Code: code, Message: msg, Info: map[string]any{"value": value}}
}

var (
	nullJSON  = []byte("null")
	blankJSON = []byte(`""`)
)

// Run checks raw, the property's JSON value (nil: unset), and returns its
// failures at path, in juggler's order. A uniqueness check passes: the
// repository and the store run it.
func (c *Check) Run(raw json.RawMessage, path string) []Detail {
	switch c.Code {
	case vPresence:
		if blank(raw) {
			return []Detail{c.Fail(path, "", raw)}
		}
		return nil
	case vAbsence:
		if !blank(raw) {
			return []Detail{c.Fail(path, "", raw)}
		}
		return nil
	case vUniqueness:
		return nil
	}
	// juggler's nullCheck: unset or "" is blank, then null.
	switch {
	case len(raw) == 0 || bytes.Equal(raw, blankJSON):
		if !c.conf.allowBlank {
			return []Detail{c.Fail(path, "blank", raw)}
		}
		return nil
	case bytes.Equal(raw, nullJSON):
		if !c.conf.allowNull {
			return []Detail{c.Fail(path, "null", raw)}
		}
		return nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return []Detail{c.Fail(path, "", raw)}
	}
	switch c.Code {
	case vLength:
		return c.length(v, raw, path)
	case vNumericality:
		f, ok := v.(float64)
		if !ok {
			return []Detail{c.Fail(path, "number", raw)}
		}
		if c.conf.integer && f != math.Round(f) {
			return []Detail{c.Fail(path, "int", raw)}
		}
	case vInclusion:
		if !slices.Contains(c.in, v) {
			return []Detail{c.Fail(path, "", raw)}
		}
	case vExclusion:
		if slices.Contains(c.in, v) {
			return []Detail{c.Fail(path, "", raw)}
		}
	case vFormat:
		var text string
		switch x := v.(type) {
		case string:
			text = x
		case float64:
			text = string(raw) // a number is tested as its text
		default:
			return []Detail{c.Fail(path, "", raw)}
		}
		if !c.re.MatchString(text) {
			return []Detail{c.Fail(path, "", raw)}
		}
	}
	return nil
}

// length is juggler's validateLength: min, max and is each checked, a
// string's length in UTF-16 code units. A value with no length (a
// number, of a property of any type) passes, as in juggler.
func (c *Check) length(v any, raw json.RawMessage, path string) []Detail {
	var n int64
	switch x := v.(type) {
	case string:
		n = int64(len(utf16.Encode([]rune(x))))
	case []any:
		n = int64(len(x))
	default:
		return nil
	}
	var out []Detail
	if c.conf.hasMin && n < c.conf.min {
		out = append(out, c.Fail(path, "min", raw))
	}
	if c.conf.hasMax && n > c.conf.max {
		out = append(out, c.Fail(path, "max", raw))
	}
	if c.conf.hasIs && n != c.conf.is {
		out = append(out, c.Fail(path, "is", raw))
	}
	return out
}

// blank is juggler's blank: unset, null, "" or an empty list.
func blank(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, nullJSON) || bytes.Equal(raw, blankJSON) {
		return true
	}
	if len(raw) >= 2 && raw[0] == '[' {
		return len(bytes.TrimSpace(raw[1:len(raw)-1])) == 0
	}
	return false
}

// Unique lists the properties each uniqueness check of p makes unique
// together: the scope's properties, then the property checked.
func (p *Plan) Unique() [][]string {
	var out [][]string
	for _, c := range p.Checks {
		if c.Unique() {
			out = append(out, append(slices.Clone(c.Scope), c.Property))
		}
	}
	return out
}
