package rules_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository/rules"
)

type shop struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	City  *string  `json:"city,omitempty"`
	Hour  *float64 `json:"hour,omitempty"`
	Count int      `json:"count"`
	Tags  []string `json:"tags,omitempty"`
	Code  string   `json:"code,omitempty"`
	Role  string   `json:"role,omitempty"`
	Any   any      `json:"any,omitempty"`
}

func (shop) Validations() []rules.Validation {
	return []rules.Validation{
		rules.UniquenessOf("name", rules.ScopedTo("city")),
		rules.LengthOf("name", rules.Min(3), rules.Max(60)),
		rules.InclusionOf("city", []any{"Vancouver", "Seattle"}, rules.AllowBlank(), rules.AllowNull()),
		rules.NumericalityOf("hour", rules.Int(), rules.AllowBlank(), rules.Message("must be a whole hour")),
		rules.LengthOf("tags", rules.Max(2), rules.AllowBlank()),
		rules.FormatOf("code", `^[a-z]+$`, rules.AllowBlank()),
		rules.ExclusionOf("role", []any{"admin", "root"}, rules.AllowBlank()),
		rules.AbsenceOf("any"),
		rules.PresenceOf("any", rules.Message("must be given")),
	}
}

func shopPlan(t *testing.T) *rules.Plan {
	t.Helper()
	p, err := rules.Of(reflect.TypeFor[shop]())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs the checks of one property on raw (nil: unset) and returns
// the codes and messages, as juggler's details list them.
func run(t *testing.T, p *rules.Plan, prop string, raw json.RawMessage) (codes, messages []string) {
	t.Helper()
	for _, c := range p.Field(prop).Checks {
		for _, d := range c.Run(raw, "/"+prop) {
			codes = append(codes, d.Code)
			messages = append(messages, d.Message)
			if d.Path != "/"+prop {
				t.Fatalf("path %q", d.Path)
			}
			if v, ok := d.Info["value"]; !ok || raw == nil && v != nil || raw != nil && string(v.(json.RawMessage)) != string(raw) {
				t.Fatalf("info %#v for value %s", d.Info, raw)
			}
		}
	}
	return codes, messages
}

func TestValidationsReportJugglersCodesAndMessages(t *testing.T) {
	// given the shop's validations, and juggler@3.36.1's answers for each
	// value (its codes and messages, taken from node)
	p := shopPlan(t)
	tests := []struct {
		prop     string
		raw      string // "" for unset
		codes    string
		messages string
	}{
		{"name", "", "length.blank", "is blank"},
		{"name", `null`, "length.null", "is null"},
		{"name", `""`, "length.blank", "is blank"},
		{"name", `"ab"`, "length.min", "too short"},
		{"name", `"abc"`, "", ""},
		{"name", `"` + strings.Repeat("x", 60) + `"`, "", ""},
		{"name", `"` + strings.Repeat("x", 61) + `"`, "length.max", "too long"},
		// three characters in UTF-16 code units: one outside the BMP is two
		{"name", `"a😀"`, "", ""},
		{"name", `"ab"`, "length.min", "too short"},
		{"city", "", "", ""},
		{"city", `null`, "", ""},
		{"city", `""`, "", ""},
		{"city", `"Seattle"`, "", ""},
		{"city", `"Nowhere"`, "inclusion", "is not included in the list"},
		{"hour", `1.5`, "numericality.int", "must be a whole hour"},
		{"hour", `2`, "", ""},
		{"hour", `null`, "numericality.null", "is null"},
		{"hour", `"x"`, "numericality.number", "must be a whole hour"},
		{"tags", `["a","b","c"]`, "length.max", "too long"},
		{"tags", `["a","b"]`, "", ""},
		{"code", `"A1"`, "format", "is invalid"},
		{"code", `"ab"`, "", ""},
		{"role", `"admin"`, "exclusion", "is reserved"},
		{"role", `"user"`, "", ""},
		{"any", `5`, "absence", "can't be set"},
		{"any", "", "presence", "must be given"},
		{"any", `[]`, "presence", "must be given"},
		{"any", `null`, "presence", "must be given"},
	}
	for _, tt := range tests {
		var raw json.RawMessage
		if tt.raw != "" {
			raw = json.RawMessage(tt.raw)
		}
		// when the property's checks run on the value
		codes, messages := run(t, p, tt.prop, raw)
		// then the codes and messages are juggler's
		if got := strings.Join(codes, ","); got != tt.codes {
			t.Errorf("%s=%s: codes %q, want %q", tt.prop, tt.raw, got, tt.codes)
		}
		if got := strings.Join(messages, ","); got != tt.messages {
			t.Errorf("%s=%s: messages %q, want %q", tt.prop, tt.raw, got, tt.messages)
		}
	}
}

func TestLengthOfChecksMinMaxAndIsTogether(t *testing.T) {
	// given Is(2) with Min(3): both are checked, as juggler checks each
	type m struct {
		S string `json:"s"`
	}
	p := planWith(t, reflect.TypeFor[m](), rules.LengthOf("s", rules.Min(3), rules.Is(2)))
	codes, _ := run(t, p, "s", json.RawMessage(`"abcd"`))
	if got := strings.Join(codes, ","); got != "length.is" {
		t.Fatalf("codes %q", got)
	}
	codes, _ = run(t, p, "s", json.RawMessage(`"a"`))
	if got := strings.Join(codes, ","); got != "length.min,length.is" {
		t.Fatalf("codes %q", got)
	}
}

func TestFormatOfTestsANumbersText(t *testing.T) {
	// given a format on a number property
	type m struct {
		N int `json:"n"`
	}
	p := planWith(t, reflect.TypeFor[m](), rules.FormatOf("n", `^\d{2}$`))
	if codes, _ := run(t, p, "n", json.RawMessage(`12`)); len(codes) != 0 {
		t.Fatalf("12 fails %v", codes)
	}
	if codes, _ := run(t, p, "n", json.RawMessage(`123`)); strings.Join(codes, ",") != "format" {
		t.Fatalf("123: %v", codes)
	}
}

func TestValidationsAreDocumentedAsSchemaKeywords(t *testing.T) {
	// given the shop's validations
	p := shopPlan(t)
	tests := []struct {
		prop, keywords string
		required       bool
	}{
		{"name", `[{"Name":"minLength","Value":3},{"Name":"maxLength","Value":60}]`, true},
		{"city", `[{"Name":"enum","Value":["Vancouver","Seattle",""]}]`, false},
		{"hour", `[{"Name":"type","Value":"integer"}]`, false},
		{"tags", `[{"Name":"maxItems","Value":2}]`, false},
		{"code", `[{"Name":"pattern","Value":"^$|^[a-z]+$"}]`, false},
		{"role", `[{"Name":"not","Value":{"enum":["admin","root"]}}]`, false},
	}
	for _, tt := range tests {
		var kws []rules.Keyword
		required := false
		for _, c := range p.Field(tt.prop).Checks {
			kws = append(kws, c.Keywords...)
			required = required || c.Required
		}
		if got := jsonOf(t, kws); got != tt.keywords {
			t.Errorf("%s: keywords %s, want %s", tt.prop, got, tt.keywords)
		}
		if required != tt.required {
			t.Errorf("%s: required %v", tt.prop, required)
		}
	}
	// and the uniqueness is the scope then the property
	if got := jsonOf(t, p.Unique()); got != `[["city","name"]]` {
		t.Fatalf("unique %s", got)
	}
	// and the plan lists every check, in the order declared
	if n := len(p.Checks); n != 9 || p.Checks[0].Code != "uniqueness" || p.Checks[8].Code != "presence" {
		t.Fatalf("%d checks", n)
	}
}

type (
	badName struct {
		N string `json:"n"`
	}
	badKind struct {
		N bool `json:"n"`
	}
	badOption struct {
		N string `json:"n"`
	}
	badList struct {
		N int `json:"n"`
	}
	badRegexp struct {
		N string `json:"n"`
	}
	badScope struct {
		N string `json:"n"`
	}
	badLength struct {
		N string `json:"n"`
	}
	badNegative struct {
		N string `json:"n"`
	}
	badUniqueObj struct {
		N map[string]int `json:"n"`
	}
)

func (badName) Validations() []rules.Validation { return []rules.Validation{rules.PresenceOf("name")} }
func (badKind) Validations() []rules.Validation {
	return []rules.Validation{rules.LengthOf("n", rules.Min(1))}
}
func (badOption) Validations() []rules.Validation {
	return []rules.Validation{rules.InclusionOf("n", []any{"a"}, rules.Min(1))}
}
func (badList) Validations() []rules.Validation {
	return []rules.Validation{rules.InclusionOf("n", []any{"a"})}
}
func (badRegexp) Validations() []rules.Validation {
	return []rules.Validation{rules.FormatOf("n", `(`)}
}
func (badScope) Validations() []rules.Validation {
	return []rules.Validation{rules.UniquenessOf("n", rules.ScopedTo("city"))}
}
func (badLength) Validations() []rules.Validation { return []rules.Validation{rules.LengthOf("n")} }
func (badNegative) Validations() []rules.Validation {
	return []rules.Validation{rules.LengthOf("n", rules.Max(-1))}
}
func (badUniqueObj) Validations() []rules.Validation {
	return []rules.Validation{rules.UniquenessOf("n")}
}

func TestABadValidationFailsCompileNamingTheModelAndProperty(t *testing.T) {
	tests := []struct {
		t    reflect.Type
		want string
	}{
		{reflect.TypeFor[badName](), `model badName: PresenceOf("name"): badName has no property "name"`},
		{reflect.TypeFor[badKind](), `model badKind: LengthOf("n"): property "n" is boolean; LengthOf applies to strings and lists`},
		{reflect.TypeFor[badOption](), `model badOption: InclusionOf("n"): option Min does not apply`},
		{reflect.TypeFor[badList](), `model badList: InclusionOf("n"): value 0 ("a"): not a value of the property, which is integer`},
		{reflect.TypeFor[badRegexp](), `model badRegexp: FormatOf("n"): bad regular expression`},
		{reflect.TypeFor[badScope](), `model badScope: UniquenessOf("n"): ScopedTo: badScope has no property "city"`},
		{reflect.TypeFor[badLength](), `model badLength: LengthOf("n"): LengthOf needs Min, Max or Is`},
		{reflect.TypeFor[badNegative](), `model badNegative: LengthOf("n"): Max(-1): a length is a whole number >= 0`},
		{reflect.TypeFor[badUniqueObj](), `model badUniqueObj: UniquenessOf("n"): property "n" is object; UniquenessOf applies to`},
	}
	for _, tt := range tests {
		_, err := rules.Of(tt.t)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %q", tt.t, err, tt.want)
		}
	}
}

// planWith compiles t with vs as its validations, through a wrapper
// type made for the test.
func planWith(t *testing.T, typ reflect.Type, vs ...rules.Validation) *rules.Plan {
	t.Helper()
	p, err := rules.Of(typ)
	if err != nil {
		t.Fatal(err)
	}
	return rules.WithValidations(p, vs...)
}

func TestInclusionComparesNumbersAsJavaScript(t *testing.T) {
	// given an inclusion list of whole numbers on an integer and on a
	// float property: 1 and 1.0 are one number, as in JavaScript
	type m struct {
		N int     `json:"n"`
		F float64 `json:"f"`
		B bool    `json:"b"`
	}
	p := planWith(t, reflect.TypeFor[m](),
		rules.InclusionOf("n", []any{1, 2}),
		rules.ExclusionOf("f", []any{0.5, 3}, rules.AllowNull()),
		rules.InclusionOf("b", []any{true}))
	for _, tt := range []struct {
		prop, raw, codes string
	}{
		{"n", `1`, ""},
		{"n", `1.0`, ""},
		{"n", `3`, "inclusion"},
		{"f", `3.0`, "exclusion"},
		{"f", `0.5`, "exclusion"},
		{"f", `0.25`, ""},
		{"f", `null`, ""},
		{"b", `false`, "inclusion"},
		{"b", `true`, ""},
	} {
		codes, _ := run(t, p, tt.prop, json.RawMessage(tt.raw))
		if got := strings.Join(codes, ","); got != tt.codes {
			t.Errorf("%s=%s: codes %q, want %q", tt.prop, tt.raw, got, tt.codes)
		}
	}
}
