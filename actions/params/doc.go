// Package params turns an HTTP request into a handler's typed input
// struct, as LoopBack 4's parseParams action does: path, query, header and
// cookie parameters are coerced to their Go types, the JSON body is read,
// checked and decoded, and validate tags are enforced, with LoopBack's
// errors, statuses and AJV-style details.
//
// # Compile once, decode per request
//
// [Compile] reflects on the input type once, at start-up, and returns a
// [Decoder] holding a plan: index paths and setter functions per field,
// parsed validate rules, a codec per JSON type. [Decoder.Decode] follows
// the plan per request, with pooled buffers and no reflection on tags.
// [Decoder.Fields] lists what was found, for the OpenAPI generator.
//
// # Tags
//
//	type Input struct {
//		ID     int                       `path:"id"`
//		Filter *repository.Filter[Todo] `query:"filter"`
//		Trace  string                    `header:"X-Trace-Id"`
//		Title  string                    `json:"title" validate:"required,max=80"`
//		Done   bool                      `json:"isComplete"`
//	}
//
// path, query, header, cookie and form name a parameter. The json-tagged fields
// together are the body object; alternatively one field tagged body:"json"
// receives the whole body (a struct, pointer, map, slice or any), never
// both. Embedded structs are flattened; fields with neither tag, and
// json:"-", are ignored. validate holds go-playground/validator rules.
//
// # Form fields and the request
//
// A form:"name" field reads a field of the body, as LoopBack 3's remote
// methods read http.source form: of an application/x-www-form-urlencoded
// body (parsed as a query string is, deep objects included), or the same
// property of a JSON body object (no Content-Type means JSON), whose
// string values are read as their text and other values as their JSON
// text (a list field's array as its items); null is absent. With
// [Options.RemoteArgs] JSON values are typed, as strong-remoting takes
// them: a JSON string for a number or boolean field, or a number or
// boolean for a string field, is a 400. Another content type is 415, a JSON body that is
// not an object 400. The body is read under [Options.BodyLimit]; its pairs
// or properties are capped by [Options.MaxQueryParams]; a JSON body is
// checked for depth and prohibited keys as a JSON parameter is. An input
// with form fields cannot have a JSON body as well.
//
// A *http.Request field tagged context:"req" receives the request
// (strong-remoting's source req); the handler's context is the request's
// RequestContext, with the response and the request's values.
//
// # Remote arguments
//
// With [Options.RemoteArgs] (controller.RemoteArgs on a route), parameters
// are read as LoopBack 3's remote methods read their arguments: an empty
// value of a non-string parameter is absent; a struct parameter whose type
// reads itself (UnmarshalJSON or UnmarshalText, a geographic point) is
// read from deep-object keys (?here[lat]=1&here[lng]=2, text leaves
// coerced to the fields' types for UnmarshalJSON), JSON (?here={...}) or
// plain text (?here=1,2: UnmarshalText, else UnmarshalJSON of a JSON
// string); and the 400s of parameters carry details naming the parameter:
// AJV's type detail for a value not of its type,
//
//	{"path":"","code":"type","message":"must be integer","info":{"type":"integer","parameter":"hour","in":"query"}}
//
// (info.items is the items' type of a list), and AJV's required detail for
// a missing one,
//
//	{"path":"","code":"required","message":"must have required property 'here'","info":{"missingProperty":"here","in":"query","type":"object"}}
//
// # Parameters
//
// A parameter is required when validate has required; path parameters
// always are. Absent or empty → 400 MISSING_REQUIRED_PARAMETER. Strings,
// integers and floats of every size (range checked, no NaN or infinities),
// booleans (true, false, 1, 0), time.Time (RFC 3339), [encoding.TextUnmarshaler]
// types and pointers to any of them (nil when absent) are read from text;
// slices from repeated (?ids=1&ids=2) or comma-separated (?ids=1,2) values.
// Structs, maps, any and other slices are read from a JSON string
// (?filter={"limit":2}) or, in the query, from an exploded deep object
// (?filter[where][title]=x&filter[order][0]=title%20DESC), whose text
// leaves are coerced to the target's field types, as AJV's coerceTypes
// does; the exploded form wins when both are sent. JSON-form objects are
// refused, like bodies, for __proto__, constructor.prototype, prohibited
// and duplicate keys; exploded ones only for __proto__ (LoopBack passes the
// rest through as data). Unknown properties of struct targets are refused
// in both forms. A bad value → 400 INVALID_PARAMETER_VALUE, Invalid data "abc" for
// parameter "id".
//
// A parameter type with its own UnmarshalJSON (a repository's filter, say)
// receives the JSON of either form. When it refuses it with an error that
// has an ErrorCode or ErrorDetails method ([RichError]), the 400 carries
// that code and those details; any other error becomes one detail with
// its message.
//
// # Query limits
//
// A query string costs work in proportion to its length, and is refused
// early when it is too large. It is split into at most
// [Options.MaxQueryParams] pairs (1000 by default, Express's
// parameterLimit; empty pairs are not counted): the split stops at the
// next pair, before decoding it, with 400 TOO_MANY_QUERY_PARAMETERS
// ([CodeTooManyQueryParameters]), The query string has more than 1000
// parameters. The cap holds on every route, with query parameters or not.
//
// An array read from the query holds at most [Options.MaxQueryArrayItems]
// items (1000 by default): a list parameter's values, repeated and comma
// separated together; one deep-object array, by index or []; a deep-object
// key given more than once; any array inside a JSON-form value
// (?filter={"order":[...]}), refused by the scan that checks its syntax,
// before it is decoded. One item more
// is a 400 INVALID_PARAMETER_VALUE with AJV's maxItems detail, whose path
// leads to the array within the parameter:
//
//	{"path":"/order","code":"maxItems","message":"must NOT have more than 1000 items","info":{"limit":1000}}
//
// Deep objects are built in one pass: a [] append costs the same however
// many items precede it. Header lists are left to the server's header
// limit.
//
// # Body
//
// The body is read only when the input declares one, through a limit
// ([Options.BodyLimit], 1 MiB by default, 413 beyond). Its content type
// must be application/json or */*+json (415 otherwise); no Content-Type
// means JSON. Malformed JSON is a 400 SyntaxError; a __proto__ key,
// constructor.prototype or one of [Options.ProhibitedKeys] anywhere is a
// 400 Error. Because encoding/json matches keys case-insensitively, keeps
// the last duplicate and ignores unknown keys, the body is first scanned
// once against the target type: unknown and case-mismatched keys
// (additionalProperties), duplicate keys (duplicateProperty), type
// mismatches (type) and missing required properties are all reported at
// once as 422 VALIDATION_FAILED. An absent body leaves the fields zero, but
// required properties are still missing; a required body:"json" field
// makes an absent body a 400 MISSING_REQUIRED_PARAMETER.
//
// A well-formed body is decoded once: a strict pass (case-sensitive
// names, no unknown or duplicate keys, valid UTF-8) fills the input while
// the scan checks what only it knows (required properties, prohibited
// keys, depth, ranges and formats). Only a body that fails either is
// read again the slow way, to word every error as LoopBack does. A JSON
// query parameter (filter, where) is likewise parsed once, and the
// repository's filter types read the parsed tree.
//
// Scalar path and query parameters of a built-in kind are read straight
// into their fields through offsets computed here, without reflection per
// request.
//
// # Body parsers and body kinds
//
// A typed body (json-tagged fields or a body:"json" field) is read by the
// parser of its media type: JSON by the strict reader above, and
// application/x-www-form-urlencoded by [URLEncodedParser], parsed as a
// query string (deep objects included), its text coerced to the fields'
// types as a deep object's is, then decoded, checked and validated as JSON
// is, with the same 422 details. [Options.BodyParsers] adds parsers of
// other types ([BodyParser]), [Options.Consumes] restricts a route to some
// types, and a type none reads is a 415 listing the route's
// ([Decoder.Consumes]).
//
// Other body fields take the body as it is:
//
//	Text string          `body:"text"`      // text/*, UTF-8
//	Data []byte          `body:"raw"`       // any type
//	Body io.Reader       `body:"stream"`    // any type, read by the handler
//	Form *params.Multipart `body:"multipart"` // multipart/form-data
//
// all under [Options.BodyLimit]: a stream through [LimitBody], whose reads
// fail with the 413 past the limit; a multipart body's files streamed to
// temporary files under [Options.Uploads] ([UploadLimits]) and removed
// when the request ends.
//
// # Validation
//
// required means present, as in LoopBack: the key is sent, not null, and
// for strings not empty; a false or 0 passes. The other rules are
// compiled by package repository/rules, which the OpenAPI document and
// repository.Patch use too, and run on the properties sent; every failure
// is reported, in AJV's keywords and messages (minLength, maximum, enum,
// format, pattern, ...), with JSON-pointer paths. Body failures are 422
// VALIDATION_FAILED, parameter failures 400 INVALID_PARAMETER_VALUE.
// Each value is validated on its own: cross-field rules (eqfield,
// required_if, ...) fail Compile, naming the rule and the field.
package params
