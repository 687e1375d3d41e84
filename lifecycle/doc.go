// Package lifecycle brings LoopBack 4's life-cycle observers to Loom,
// built on [fx.Lifecycle].
//
// # Observers
//
// An observer is any value with one or more of the methods
// Init(ctx) error ([Initer]), Start(ctx) error ([Starter]) and
// Stop(ctx) error ([Stopper]). Data sources connect in Start and disconnect
// in Stop; servers listen in Start and shut down in Stop. A value with none
// of the three methods is rejected when the application is built. [Hooks]
// makes an observer out of plain functions, like LoopBack's app.onStart.
//
// # Registering
//
// [Register] takes an fx constructor, whose parameters are injected, and a
// group name; [RegisterValue] takes an observer that already exists:
//
//	fx.New(
//		lifecycle.Module(),
//		lifecycle.Register(db.NewDataSource, "datasource"),
//		lifecycle.Register(rest.NewServer, "server"),
//		lifecycle.RegisterValue(lifecycle.Hooks{OnStart: warmCache}, "cache"),
//	)
//
// Each registration is a [Registration] in the fx value group [GroupTag].
// Observers are named after their Go type (such as "*rest.Server") unless
// they implement [Namer].
//
// # Order
//
// [Module] runs the observers. Groups run one after another in the order
// computed by [Order]: first the groups not listed in
// [Options.OrderedGroups], sorted by name with "" first, then the listed
// groups in list order. The default list is [DefaultOrderedGroups], so
// servers start last and stop first. Within a group, observers run one at a
// time in registration order (LoopBack runs them in parallel by default; Loom
// does not).
//
// Start-up first runs Init of every observer, then Start of every observer.
// Shutdown runs Stop of the started observers in exactly the reverse order.
// Groups listed in [Options.DisabledGroups] do not run at all. Supply an
// [Options] value to change either list:
//
//	fx.Supply(lifecycle.Options{DisabledGroups: []string{"cache"}})
//
// # Errors
//
// A failing Init or Start aborts start-up with an [*ObserverError] such as
//
//	lifecycle: start of observer *db.DataSource in group "datasource": connection refused
//
// after stopping, in reverse order, the observers already started. A failing
// Stop does not keep the other observers from stopping; all Stop errors are
// returned joined.
package lifecycle
