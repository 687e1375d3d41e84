// Package modelapi serves a model's REST API from its repository, as
// LoopBack 3 does for a PersistedModel: one line turns a model and a data
// source into documented endpoints.
//
//	rest.WithModelAPI[CoffeeShop, int](modelapi.Path("/api/CoffeeShops"))
//
// The endpoints run through the application's sequence, its interceptors
// and remote hooks, and its API document, like a hand-written
// controller's.
//
// # The controller
//
// Each model's controller is named after the model (CoffeeShop), and each
// route after LoopBack 3's method, so operation ids and hook names are
// LoopBack 3's: CoffeeShop.find, CoffeeShop.prototype.patchAttributes,
// CoffeeShop.prototype.__get__reviews; interceptor.After("CoffeeShop.prototype.*", ...)
// runs on the instance methods, interceptor.After("*.find", ...) on every
// model's find. Two routes serving one method (PUT / and POST
// /replaceOrCreate; HEAD /{id} and GET /{id}/exists) share the hook name;
// the second one's operation id gets its verb and path appended, so the
// document's ids stay unique.
//
// Under the default [LoopBack3] convention the routes are:
//
//	POST   /                      create (an object, or an array of them)
//	PUT    /                      replaceOrCreate
//	POST   /replaceOrCreate       replaceOrCreate
//	PATCH  /                      patchOrCreate
//	POST   /upsertWithWhere       upsertWithWhere (?where=)
//	GET    /                      find (?filter=)
//	GET    /findOne               findOne (?filter=)
//	GET    /count                 count (?where=)
//	GET    /{id}                  findById (?filter=)
//	HEAD   /{id}                  exists
//	GET    /{id}/exists           exists
//	PUT    /{id}                  replaceById
//	POST   /{id}/replace          replaceById
//	PATCH  /{id}                  prototype.patchAttributes
//	DELETE /{id}                  deleteById ({"count": n})
//	POST   /update                updateAll (?where=, {"count": n})
//	GET    /change-stream         createChangeStream (server-sent events)
//	POST   /change-stream         createChangeStream
//
// and, per relation the model declares (see repository.Relation), the
// relation methods prototype.__get__<rel> and the others, built by the
// target model's registration: hasMany /{id}/<rel> (GET, POST, DELETE),
// /{id}/<rel>/count, /{id}/<rel>/{fk} (GET, PUT, DELETE); belongsTo
// /{id}/<rel> (GET); hasOne /{id}/<rel> (GET, POST, PUT, PATCH, DELETE);
// through a join model, as hasMany plus /{id}/<rel>/rel/{fk} (HEAD, PUT
// links, DELETE unlinks).
//
// # The registry
//
// Every registration joins the fx value group [Group]; each model's
// controller is built at start-up from the whole group, so a relation's
// endpoints use its target's typed repository. A relation whose target is
// not registered fails the start, naming it; [Private] registers a model
// without endpoints of its own (LoopBack 3's public: false). The join
// models of relations through one are used through the connector and are
// never exposed.
//
// # Options
//
// [Path] sets the base path, [DataSource] the data source, [Disable]
// leaves methods out (an unknown name fails the start), [Private] keeps
// the model's own endpoints out, [Conventions] chooses [LoopBack3] or
// [LoopBack4] (@loopback/rest-crud's endpoints and statuses), [Methods]
// adds the model's own methods and [MaxChangeStreams] caps the open change
// streams. [BeforeWrite] runs a hook on each object a write method reads
// from a request body (LoopBack 3's beforeRemote on the data, or a
// setter), [Writable] lets a body set a hidden property (a password the
// hook hashes), [AfterDelete] runs a hook once deleteById deleted an
// instance, and [Combine] makes one option of several, as a kit such
// as controller/modelapi/user hands an application.
//
// # Errors
//
// Under [LoopBack3] every error of the model's routes, including those of
// its parameters and body, is answered in LoopBack 3's production
// envelope: {"error":{"statusCode","name","message"[,"code"][,"details"]}},
// with its names (Error, ValidationError, SyntaxError) and texts:
// 'Unknown "CoffeeShop" id "7".', 'could not find a model with id 7',
// 'Value is not an object.', 'The limit parameter "-1" is not valid', ...
// A 5xx is {"statusCode":500,"message":"Internal Server Error"} unless the
// server runs with Debug.
//
// Bodies are read as LoopBack 3 reads them: a number property sent as a
// numeric string is that number; an absent or null body is {}. Where
// LoopBack 3 answers a client's mistake oddly (a 500, a silent null), the
// API answers a 4xx naming the mistake instead.
package modelapi
