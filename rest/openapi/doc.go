// Package openapi builds the OpenAPI document of a Loom application from
// its routes: one source of truth, the route's input and output types,
// their struct tags and the route's metadata, drives the parsing, the
// validation and the document alike. The REST server builds it once, at
// start-up, and serves it at /openapi.json and /openapi.yaml; [Build]
// does the same for any list of routes.
//
//	doc, err := openapi.Build(table.Routes(), openapi.Config{Title: "todo", OpenAPI: "3.1"})
//	os.WriteFile("openapi.json", doc.JSON(), 0o644)
//
// # What comes from where
//
//   - Each route is an operation: operationId <Controller>.<name> (such as
//     TodoController.create), tags (the controller's name by default),
//     x-controller-name, x-operation-name, summary (by default the
//     operation's name in words: Find by id), description and deprecated
//     from the route's options. Hidden routes are left out (LoopBack's
//     x-visibility: undocumented). The root's security is [], since no
//     operation needs credentials.
//   - Parameters are what the route's decoder reads (actions/params): the
//     path, query, header and cookie tags, required when their validate
//     tag says required (path parameters always). Objects (structs, maps,
//     filters) are JSON-encoded query values, content: application/json,
//     as LoopBack documents them.
//   - The request body is the body:"json" field's type, or the input's
//     json fields as a schema named after the input type.
//   - The success response has the route's status (200 by default, 204
//     for controller.NoContent, then without content) and the schema of
//     the handler's result; []byte and io.Reader are octet streams, a
//     string is text/plain. Errors are LoopBack's envelope, the component
//     [ErrorSchema], whose details is an array or an object: 400 when the
//     route reads parameters or a body, 404 with path parameters, 415 and
//     422 with a body, those declared with controller.ErrorResponse, and
//     a default response (any other error) on every operation. The answer
//     of a route whose filter selects fields requires no property.
//
// # Schemas
//
// Schemas are reflected from Go types by swaggest/jsonschema-go: a
// field's json name is its property, a named struct reached twice is one
// component, referenced, named after the type (Todo; a generic Page[Todo]
// is Page_Todo), titled with its name; repository.Count is
// loopback.Count. An omitempty pointer is optional, not nullable. The
// validate tags become constraints, from the rules package
// repository/rules compiled, the ones the parser checks: required (with
// minLength 1 on a string, which may not be blank); min, max and len as
// minLength/maxLength for strings, minItems/maxItems for slices,
// minProperties/maxProperties for maps, minimum/maximum for
// numbers (gt, lt as exclusive bounds); oneof as enum; email, url, uuid,
// datetime, ipv4, ipv6, hostname as formats; alphanum and kin as
// patterns; rules after dive on the items or additionalProperties.
// Struct schemas have additionalProperties: false, since the parser
// refuses unknown properties. Documentation-only tags are read
// too: description, example, title, default, deprecated.
//
// # Models
//
// LoopBack's model-derived schemas are asked for per route, with
// controller.RequestModel, controller.RequestModelOf and
// controller.ResponseModel: NewTodo (the model without the properties
// tagged loom:"id,generated"), TodoPartial (nothing required),
// TodoWithRelations. A query parameter whose type implements
// [FilterModeler] or [FilterExcludingWhereModeler] is LoopBack's filter,
// with or without where, the component Todo.Filter (or, when a model's
// routes take both, Todo.Filter without where and Todo.Filter1 with it,
// as in LoopBack's document); one implementing [WhereModeler] is an
// inline Todo.WhereFilter.
//
// # Relations
//
// A navigational field (tagged loom:"hasMany", "belongsTo" or "hasOne";
// see repository.Relation) is no property: it is left out of every
// schema (TodoList, NewTodoList, TodoListPartial, the filter's fields).
// TodoListWithRelations has it, as LoopBack's includeRelations does: a
// hasMany is an array of the target's WithRelations variant
// (todos: {type: array, items: TodoWithRelations}), a belongsTo or hasOne
// that variant itself (todoList: TodoListWithRelations), none required;
// the targets' variants are derived in turn, through cycles, and require
// nothing, since an include's scope may select their fields. The filter
// of a model with relations takes LoopBack's include: an array of
// relation names or <Model>.IncludeFilter.Items ({relation, scope}, the
// relation an enum of the model's, the scope <Model>.ScopeFilter). A
// model's component only its variants use is left out, as LoopBack's
// document holds only what it references.
//
// # Versions
//
// OpenAPI 3.0 (3.0.3) is the default, what most code generators want;
// [Config].OpenAPI "3.1" writes 3.1.0, with JSON Schema 2020-12 schemas.
package openapi
