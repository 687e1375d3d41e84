package modelapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// CodeModelNotFound is LoopBack 3's code of a 404 for a missing instance.
const CodeModelNotFound = "MODEL_NOT_FOUND"

func notFound(message string) *httperr.Error {
	return httperr.NotFound(message).WithName("Error")
}

// findByIDNotFound is findById's 404: Unknown "CoffeeShop" id "7".
func (b *base) findByIDNotFound(id any) error {
	if b.settings.convention == LoopBack4 {
		return &repository.EntityNotFoundError{Model: b.model.Name, ID: id}
	}
	return notFound(fmt.Sprintf("Unknown %q id %q.", b.model.Name, idText(id))).WithCode(CodeModelNotFound)
}

// instanceNotFound is the 404 of an instance method (patchAttributes, the
// relation methods) on a missing id: could not find a model with id 7.
func instanceNotFound(id any) error {
	return notFound("could not find a model with id " + idText(id)).WithCode(CodeModelNotFound)
}

// replaceNotFound is replaceById's and replaceOrCreate's 404.
func replaceNotFound(id any) error {
	return notFound("Could not replace. Object with id " + idText(id) + " does not exist!")
}

// updateNotFound is patchOrCreate's 404.
func updateNotFound(id any) error {
	return notFound("Could not update attributes. Object with id " + idText(id) + " does not exist!")
}

// relatedNotFound is a relation method's 404 for a target id the source
// does not have: No instance with id 7 found for Review.
func relatedNotFound(target string, id any) error {
	return notFound(fmt.Sprintf("No instance with id %s found for %s", idText(id), target))
}

// notLinked is a relation through a join model's 404 for a target the
// source is not linked to.
func notLinked(through, source string, sourceID any, target string, targetID any) error {
	return notFound(fmt.Sprintf("No relation found in %s for (%s.%s,%s.%s)", through, source, idText(sourceID), target, idText(targetID)))
}

// loomCodes are the codes Loom's own layers give errors; LoopBack 3 has
// none of them, so its envelope leaves them out.
var loomCodes = map[string]bool{
	httperr.CodeInvalidParameterValue: true, httperr.CodeMissingRequiredParameter: true,
	httperr.CodeValidationFailed: true, httperr.CodeEntityNotFound: true,
	repository.CodeInvalidFilter: true, repository.CodeOperatorNotAllowed: true,
	repository.CodeInvalidInclusion: true,
}

// lb3Translator is the error translator of a route whose input is of type
// in: [translateLB3], with the texts of in's parameters, computed once.
func lb3Translator(in reflect.Type) func(error) error {
	texts := parameterTexts(in)
	return func(err error) error { return translateLB3(err, texts) }
}

// parameterTexts maps each parameter of input type in to strong-remoting's
// text for a value that does not convert to its type.
func parameterTexts(in reflect.Type) map[string]string {
	texts := map[string]string{}
	for in != nil && in.Kind() == reflect.Pointer {
		in = in.Elem()
	}
	if in == nil || in.Kind() != reflect.Struct {
		return texts
	}
	for i := 0; i < in.NumField(); i++ {
		f := in.Field(i)
		for _, src := range [...]string{"path", "query", "header", "cookie"} {
			tag, ok := f.Tag.Lookup(src)
			if !ok {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			t := f.Type
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			switch t.Kind() {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
				reflect.Float32, reflect.Float64:
				texts[name] = "Value is not a number."
			case reflect.Bool:
				texts[name] = "Value is not a boolean."
			case reflect.Slice, reflect.Array:
				texts[name] = "Value is not an array."
			case reflect.Struct, reflect.Map:
				if t.String() != "time.Time" {
					texts[name] = "Value is not an object."
				}
			}
		}
	}
	return texts
}

// paramName reads the parameter's name from Loom's texts: 'Invalid data
// "abc" for parameter "hour".'
func paramName(msg string) string {
	const pre = " for parameter "
	i := strings.LastIndex(msg, pre)
	if i < 0 {
		return ""
	}
	var name string
	if err := json.Unmarshal([]byte(strings.TrimSuffix(msg[i+len(pre):], ".")), &name); err != nil {
		return ""
	}
	return name
}

// translateLB3 rewrites an error as LoopBack 3 answers it: its names
// (Error, ValidationError), its texts for filters and parameters (texts
// maps a parameter to the text of a value of the wrong type), no
// Loom-only codes and no AJV details. A 5xx is left as it is: reject
// answers it as {"statusCode":500,"message":"Internal Server Error"}.
func translateLB3(err error, texts map[string]string) error {
	status := httperr.StatusOf(err)
	if status >= 500 {
		return err
	}
	var he *httperr.Error
	if errors.As(err, &he) && err == error(he) && he.ErrorName() == "Error" && !loomCodes[he.ErrorCode()] {
		return err // already LoopBack 3's
	}
	var ve *repository.ValidationError
	if errors.As(err, &ve) {
		return httperr.New(http.StatusUnprocessableEntity, ve.Error()).WithName("ValidationError").
			WithDetails(ve.ErrorDetails()).WithCause(err)
	}
	var nf *repository.EntityNotFoundError
	if errors.As(err, &nf) {
		return notFound(fmt.Sprintf("Unknown %q id %q.", nf.Model, idText(nf.ID))).WithCode(CodeModelNotFound).WithCause(err)
	}
	var fe *repository.FilterError
	if errors.As(err, &fe) {
		return httperr.New(status, filterMessage(fe, rawValue(err))).WithName("Error").WithCause(err)
	}
	code := httperr.CodeOf(err)
	msg := err.Error()
	switch code {
	case httperr.CodeInvalidParameterValue:
		if text, ok := ownMessage(err); ok {
			msg = text
		} else if text, ok := texts[paramName(msg)]; ok {
			msg = text
		} else {
			msg = parameterMessage(err)
		}
	case httperr.CodeMissingRequiredParameter:
		if name, ok := missingName(msg); ok {
			msg = name + " is a required argument"
		}
	}
	name := "Error"
	var n httperr.Namer
	if errors.As(err, &n) && n.ErrorName() == "SyntaxError" {
		name = "SyntaxError"
	}
	out := httperr.New(status, msg).WithName(name).WithCause(err)
	if code != "" && !loomCodes[code] {
		out = out.WithCode(code)
	}
	return out
}

// rawValue is the value an INVALID_PARAMETER_VALUE message quotes:
// Invalid data <value> for parameter "filter".
func rawValue(err error) string {
	msg := err.Error()
	const pre = "Invalid data "
	i := strings.Index(msg, pre)
	j := strings.LastIndex(msg, " for parameter ")
	if i < 0 || j < i+len(pre) {
		return ""
	}
	return msg[i+len(pre) : j]
}

// missingName reads the parameter's name from Loom's "Required parameter
// X is missing!".
func missingName(msg string) (string, bool) {
	const pre, post = "Required parameter ", " is missing!"
	if strings.HasPrefix(msg, pre) && strings.HasSuffix(msg, post) {
		return msg[len(pre) : len(msg)-len(post)], true
	}
	return "", false
}

// ownMessage is the message of a parameter type that refused its value
// itself (a GeoPoint's "lat must be <= 90"): strong-remoting answers the
// type's own error.
func ownMessage(err error) (string, bool) {
	det, _ := httperr.DetailsOf(err).([]httperr.Detail)
	for _, d := range det {
		if d.Code == "format" && d.Message != "" {
			return d.Message, true
		}
	}
	return "", false
}

// parameterMessage is strong-remoting's text for a parameter that does
// not convert: an object parameter (filter, where) that is no object, a
// number that is no number.
func parameterMessage(err error) string {
	raw := strings.TrimSpace(rawValue(err))
	det, _ := httperr.DetailsOf(err).([]httperr.Detail)
	for _, d := range det {
		if d.Code == "type" {
			switch d.Info["type"] {
			case "number", "integer":
				return "Value is not a number."
			case "object":
				return "Value is not an object."
			case "boolean":
				return "Value is not a boolean."
			}
		}
	}
	if raw != "" && !strings.HasPrefix(raw, "{") {
		return "Value is not an object."
	}
	return err.Error()
}

// filterMessage is juggler's text for a filter that cannot run, where it
// has one; raw is the filter parameter's JSON, which the texts quote.
func filterMessage(fe *repository.FilterError, raw string) string {
	var tree any
	_ = json.Unmarshal([]byte(raw), &tree)
	if fe.Path == "" && fe.Keyword == "type" {
		return "Value is not an object."
	}
	segs := strings.Split(strings.TrimPrefix(fe.Path, "filter."), ".")
	head := segs[0]
	if i := strings.IndexByte(head, '['); i >= 0 {
		head = head[:i]
	}
	switch head {
	case "limit":
		return fmt.Sprintf("The limit parameter %q is not valid", valueText(member(tree, "limit")))
	case "skip", "offset":
		return fmt.Sprintf("The offset/skip parameter %q is not valid", valueText(member(tree, head)))
	case "order":
		if fe.Keyword == "enum" || strings.Contains(fe.Message, "direction") {
			if o := badOrder(member(tree, "order")); o != "" {
				return fmt.Sprintf("The order %q has invalid direction", o)
			}
		}
	case "where":
		if len(segs) >= 2 {
			prop := segs[1]
			if i := strings.IndexByte(prop, '['); i >= 0 {
				prop = prop[:i]
			}
			if w, ok := member(tree, "where").(map[string]any); ok {
				if clause, ok := w[prop].(map[string]any); ok {
					for op, v := range clause {
						c, _ := json.Marshal(map[string]any{op: v})
						switch op {
						case "between":
							n := 1
							if l, ok := v.([]any); ok {
								n = len(l)
							}
							return fmt.Sprintf("The %s property has invalid clause %s: Expected precisely 2 values, received %d", prop, c, n)
						case "inq", "nin":
							if _, ok := v.([]any); !ok {
								return fmt.Sprintf("The %s property has invalid clause %s: Error: Value is not an array or object with sequential numeric indices", prop, c)
							}
						}
					}
				}
			}
		}
		if len(segs) == 1 {
			if w := member(tree, "where"); w != nil {
				if _, ok := w.(map[string]any); !ok {
					return fmt.Sprintf("The where clause %q is not an object", valueText(w))
				}
			}
		}
	}
	return fe.Error()
}

// member is tree's key, when tree is an object.
func member(tree any, key string) any {
	if m, ok := tree.(map[string]any); ok {
		return m[key]
	}
	return nil
}

// valueText writes a filter value as juggler quotes it: strings bare.
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "undefined"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// badOrder is the first order key whose direction is neither ASC nor DESC.
func badOrder(v any) string {
	var keys []string
	switch x := v.(type) {
	case string:
		keys = strings.Split(x, ",")
	case []any:
		for _, k := range x {
			if s, ok := k.(string); ok {
				keys = append(keys, s)
			}
		}
	}
	for _, k := range keys {
		f := strings.Fields(k)
		if len(f) == 2 && !strings.EqualFold(f[1], "ASC") && !strings.EqualFold(f[1], "DESC") || len(f) > 2 {
			return strings.TrimSpace(k)
		}
	}
	return ""
}
