package actions

import "github.com/loomhq/loom/actions/params"

// Options are the settings the default actions read. The REST server fills
// them from its configuration.
type Options struct {
	// BasePath is the path under which every route is served, such as /api.
	BasePath string
	// StrictTrailingSlash makes /todos/ and /todos different paths; by
	// default a trailing slash is tolerated.
	StrictTrailingSlash bool
	// BodyLimit caps request bodies in bytes; 0 means 1 MiB. A route may
	// set its own.
	BodyLimit int64
	// ProhibitedKeys are JSON keys refused in bodies and JSON parameters,
	// beside __proto__ and constructor.prototype.
	ProhibitedKeys []string
	// MaxQueryParams caps the name=value pairs of a query string; 0 means
	// 1000. See params.Options.MaxQueryParams.
	MaxQueryParams int
	// MaxQueryArrayItems caps the items of one array read from a query
	// string; 0 means 1000. See params.Options.MaxQueryArrayItems.
	MaxQueryArrayItems int
	// BodyParsers read typed bodies of media types beyond JSON and forms;
	// the application's registered ones (see [BodyParsersGroup]) are
	// added to them.
	BodyParsers []params.BodyParser
	// Debug puts the real message and stack of 5xx errors in responses.
	Debug bool
}
