package controller

import "slices"

// consumesKey and uploadsKey hold a route's Consumes and Uploads in its
// Metadata.
type (
	consumesKey struct{}
	uploadsKey  struct{}
)

// Consumes restricts the media types the route's body accepts to types,
// such as "application/json" or "text/*": a request of another type is a
// 415 listing them, and the API document lists only them. Without it a
// route accepts what its input's body reads: JSON, forms and the
// application's body parsers for a typed body, text/* for body:"text",
// any type for body:"raw" and body:"stream", multipart/form-data for
// body:"multipart". A type the body cannot read fails at start-up.
func Consumes(types ...string) Option {
	types = slices.Clone(types)
	return WithMetadata(consumesKey{}, func(any) any { return types })
}

// ConsumesOf is the route's [Consumes] list, nil when it has none.
func ConsumesOf(r *Route) []string {
	types, _ := r.Metadata[consumesKey{}].([]string)
	return types
}

// UploadLimits cap the multipart/form-data body of a route whose input
// has a body:"multipart" field. Zero fields take the defaults: 10 files,
// each up to the body limit, 100 fields of up to 64 KiB, written to the
// system's temporary directory. The whole body is also under the route's
// [BodyLimit].
type UploadLimits struct {
	// MaxFiles is the most files accepted.
	MaxFiles int
	// MaxFileSize is the largest file accepted, in bytes.
	MaxFileSize int64
	// MaxFields is the most non-file fields accepted.
	MaxFields int
	// MaxFieldSize is the longest non-file field value, in bytes.
	MaxFieldSize int64
	// Dir is where uploaded files are written while the request runs.
	Dir string
}

// Uploads sets the route's [UploadLimits].
func Uploads(l UploadLimits) Option {
	return WithMetadata(uploadsKey{}, func(any) any { return l })
}

// UploadsOf is the route's [Uploads] limits, zero when it has none.
func UploadsOf(r *Route) UploadLimits {
	l, _ := r.Metadata[uploadsKey{}].(UploadLimits)
	return l
}
