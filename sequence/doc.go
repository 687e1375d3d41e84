// Package sequence is how a request is handled from start to finish.
//
// A [Sequence] has one method, Handle. The [DefaultSequence] is LoopBack's:
// findRoute → parseParams → invoke → send, and reject on the first error.
// Between findRoute and the rest run, when set, invokeMiddleware (the
// sequence chain of net/http middleware, which sees the route) and then
// authenticate.
// The REST server also turns a panic anywhere in a sequence into a 500
// through reject, and keeps serving.
//
// # Extending DefaultSequence
//
// LoopBack's `class MySequence extends DefaultSequence` is a struct that
// embeds *DefaultSequence and calls its Handle:
//
//	type MySequence struct {
//		*sequence.DefaultSequence
//		log *zap.Logger
//	}
//
//	func (s *MySequence) Handle(rc *loomctx.RequestContext) {
//		start := time.Now()
//		s.DefaultSequence.Handle(rc)
//		s.log.Info("request", zap.String("path", rc.Request.URL.Path),
//			zap.Int("status", rc.Response.Status()), zap.Duration("took", time.Since(start)))
//	}
//
// bound with one option, whose constructor is injected:
//
//	rest.WithSequence(func(d *sequence.DefaultSequence, log *zap.Logger) sequence.Sequence {
//		return &MySequence{DefaultSequence: d, log: log}
//	})
//
// A sequence may also be written from scratch with the actions it needs as
// constructor parameters (see [Actions]).
package sequence
