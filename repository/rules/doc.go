// Package rules compiles go-playground/validator validate tags into one
// representation that checks values, documents them as JSON-schema
// keywords and reports failures as AJV does, so the three always agree.
//
// [Compile] reads one tag for one Go type; [Of] reads every field of a
// struct type into a [Plan]: each property's JSON name, whether it is
// required, its own rules and its element rules (the part after dive),
// and the plans of the structs it holds. Both are cached per type.
//
// A rule's meaning follows the value's JSON kind ([KindOf], which looks
// through pointers and a [Nullable] such as repository.Nullable): min=2 is
// minLength 2 on a string, minItems 2 on a list, minProperties 2 on a
// map and minimum 2 on a number. Each compiled [Rule] holds its check,
// its schema keywords and the detail of its failure, with AJV's code,
// message and parameters:
//
//	max=5 on a string  maxLength 5  {"code":"maxLength","message":"must NOT have more than 5 characters","info":{"limit":5}}
//	gte=3 on a number  minimum 3    {"code":"minimum","message":"must be >= 3","info":{"comparison":">=","limit":3}}
//	oneof=a b          enum [a, b]  {"code":"enum","message":"must be equal to one of the allowed values",...}
//	uuid               format uuid  {"code":"format","message":"must match format \"uuid\"",...}
//	alphanum           pattern      {"code":"pattern","message":"must match pattern \"^[a-zA-Z0-9]+$\"",...}
//
// The supported rules are required, omitempty (omitnil), dive, min, max,
// len, eq, gt, gte, lt, lte, oneof, unique, datetime=layout, contains,
// excludes, startswith, endswith, the formats (email, url, uri, http_url,
// uuid and its versions, ipv4, ipv6, ip, hostname, hostname_rfc1123,
// base64) and the patterns (alpha, alphanum, numeric, number, hexadecimal, hexcolor,
// e164, ascii, printascii). Anything else fails at compile, naming the
// rule: an unknown rule, a rule on a kind it means nothing on (min on a
// bool), or-ed rules (a|b), keys/endkeys, and the cross-field rules
// (eqfield, gtfield, required_if, required_with, excluded_unless,
// skip_unless, fieldcontains, ...), because each value is validated on
// its own.
//
// Validation reports every failure, never only the first (AJV's
// allErrors). Required is not a rule that runs on a value: only a
// decoder knows whether a property was sent, so it checks
// [Rules.Required] itself (present, not null, and for a string not
// empty). [Decode] is such a decoder for one JSON value: strict at every
// depth (exact names, no unknown or duplicate names, valid UTF-8), then
// validated; repository.Patch reads each property with it.
//
// # LoopBack 3's validations
//
// A struct type may also declare juggler's validations of its properties
// with a Validations method ([Validator]): [PresenceOf], [AbsenceOf],
// [LengthOf], [InclusionOf], [ExclusionOf], [FormatOf], [NumericalityOf]
// and [UniquenessOf], with the options [Min], [Max], [Is], [AllowNull],
// [AllowBlank], [Int], [ScopedTo] and [Message]. [Of] compiles them into
// [Check]s on the plan's fields (a property that does not exist, a
// validation on a kind it means nothing on or an option it does not take
// fails there, naming the type and the property). A check documents its
// schema keywords (minLength, enum, not, pattern, type, ...) and runs on a
// property's JSON value as it will be stored, where unset, null and ""
// differ, reporting juggler's codes and messages:
//
//	LengthOf("name", Min(3)) on "ab"   {"path":"/name","code":"length.min","message":"too short","info":{"value":"ab"}}
//	LengthOf("name", Min(3)) unset     {"path":"/name","code":"length.blank","message":"is blank","info":{"value":null}}
//	InclusionOf("city", in) on "x"     {"path":"/city","code":"inclusion","message":"is not included in the list",...}
//
// The repository runs them on every write, uniqueness against the store
// ([Plan.Unique]); decoders do not, as juggler's checks are the model's.
package rules
