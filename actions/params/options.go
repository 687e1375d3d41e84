package params

// Options tune a [Decoder]. The zero value is LoopBack's defaults.
type Options struct {
	// BodyLimit is the largest body accepted, in bytes; 0 means 1 MiB
	// (1<<20), LoopBack's '1mb'. A body of BodyLimit bytes passes, one
	// byte more is answered 413.
	BodyLimit int64
	// ProhibitedKeys are JSON keys rejected like __proto__, in bodies and in
	// JSON-form query objects (LoopBack's validation.prohibitedKeys). A key
	// is rejected when it equals an entry or starts with the entry and a dot.
	ProhibitedKeys []string
	// MaxDepth is the deepest nesting accepted in exploded deep-object query
	// parameters and in JSON documents; 0 means 32.
	MaxDepth int
	// MaxQueryParams caps the name=value pairs of a query string; 0 means
	// 1000, Express's parameterLimit. The query is split no further than
	// the cap, and one pair more is answered 400 QUERY_TOO_LARGE.
	MaxQueryParams int
	// MaxQueryArrayItems caps the items of one array read from the query
	// string: a list parameter's values, repeated (?ids=1&ids=2) or comma
	// separated (?ids=1,2), one deep-object array (filter[order][]=a), a
	// deep-object key given twice; 0 means 1000. One item more is answered
	// 400 INVALID_PARAMETER_VALUE with a maxItems detail.
	MaxQueryArrayItems int
	// RefuseUnknownQuery answers a query parameter the input does not
	// declare with a 400 UNKNOWN_QUERY_PARAMETER instead of ignoring it,
	// for operations that write every row their where selects: a client
	// sending ?id=5 to a bulk update must not update everything. A name
	// counts as declared with its deep-object keys (filter[where][id]).
	RefuseUnknownQuery bool
	// Strict, when set, overrides the strict setting of the model a
	// body:"json" struct is decoded into (repository.StrictModel): false
	// keeps the properties the struct does not declare in its catch-all
	// field, true refuses them (422 additionalProperties).
	Strict *bool
	// RemoteArgs reads the parameters as LoopBack 3's remote methods read
	// their arguments (strong-remoting): an empty value (?hour=) of a
	// non-string parameter is absent, not invalid; a struct parameter
	// whose type reads itself (UnmarshalText or UnmarshalJSON, such as a
	// geographic point) is also read from deep-object keys
	// (?here[lat]=1&here[lng]=2) and, from plain text (?here=1,2), by
	// UnmarshalText or, without it, by UnmarshalJSON given a JSON string;
	// and a parameter error carries details naming the parameter and the
	// type it expects (see the package documentation).
	RemoteArgs bool
	// BodyParsers read a typed body (json-tagged fields or a body:"json"
	// field) of media types beyond JSON and the built-in
	// application/x-www-form-urlencoded, tried in order; see [BodyParser].
	BodyParsers []BodyParser
	// Consumes, when set, are the only media types the body accepts (the
	// route's controller.Consumes); each must be one the body's kind and
	// parsers read, or Compile fails. A type outside them is a 415.
	Consumes []string
	// Uploads cap a body:"multipart" body.
	Uploads UploadLimits
}

const (
	defaultBodyLimit = 1 << 20
	defaultMaxDepth  = 32
	// Express's qs parameterLimit and LoopBack's array limit.
	defaultMaxQueryParams     = 1000
	defaultMaxQueryArrayItems = 1000
)

func (o Options) withDefaults() Options {
	if o.BodyLimit <= 0 {
		o.BodyLimit = defaultBodyLimit
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = defaultMaxDepth
	}
	if o.MaxQueryParams <= 0 {
		o.MaxQueryParams = defaultMaxQueryParams
	}
	if o.MaxQueryArrayItems <= 0 {
		o.MaxQueryArrayItems = defaultMaxQueryArrayItems
	}
	return o
}
