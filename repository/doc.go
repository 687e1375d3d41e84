// Package repository is Loom's data layer, LoopBack 4's repositories in
// Go: entity metadata from struct tags, LoopBack's filter language as Go
// types, a generic [CrudRepository] over a [Connector], and the options that
// register data sources and repositories as bindings. It imports nothing
// HTTP: its errors say how they are answered through StatusCode and
// ErrorCode methods, which the request pipeline reads.
//
//	todos, _ := repository.NewCrudRepository[Todo, int](memory.New(memory.Options{}))
//	todo, _ := todos.Create(ctx, Todo{Title: "Take over the galaxy"})
//	open, _ := todos.Find(ctx, &repository.Filter[Todo]{
//		Where: repository.Eq("isComplete", false).And(repository.Like("title", "%galaxy%")),
//		Order: []repository.Order{repository.Desc("title")},
//		Limit: 10,
//	})
//
// # Models
//
// [ModelOf] reads an entity struct once and caches its [Model]: property
// names from json tags, the id property and whether the store generates it
// from loom:"id,generated", required properties from validate:"required",
// hidden properties (stored, never encoded) from loom:"hidden" on a
// json:"-" field, and the model's name from the type or a ModelName method
// ([ModelNamer]). The validate tags are compiled by package rules, the
// same rules the request pipeline checks and documents, so a rule it cannot
// check (an unknown or cross-field one) fails ModelOf. Optional properties
// should be pointers with omitempty, so that a property never set is
// absent, not zero and never null. A property a client may set to null,
// and read back as null, is a [Nullable] tagged omitzero: absent, null
// or a value, which every layer takes as its value's type plus null.
//
// # Filters
//
// [Filter], [FilterExcludingWhere] and [Where] decode LoopBack's filter
// from JSON and from the exploded query form, checked against the model:
// unknown properties, unknown and $ operators, bad arities and directions,
// limits below 1 and caps exceeded ([Limits]) are [*FilterError]s (400)
// naming the place, and text values are coerced to the property's type. In
// code, conditions are built with [Eq], [Neq], [Gt], [Gte], [Lt], [Lte],
// [Inq], [Nin], [Between], [Exists], [Like], [Nlike], [Ilike], [Nilike],
// [Match], [Near], [And] and [Or]; the result is a [Cond], the tree
// connectors receive.
//
// # GeoPoint and near
//
// A property of type [GeoPoint] (or *GeoPoint) is LoopBack's GeoPoint:
// read from {"lat","lng"}, "lat,lng" or [lat,lng], stored and answered as
// {"lat","lng"}. A where clause's near ([Near], or {"location": {"near":
// "49.28,-123.12", "maxDistance": 5, "unit": "kilometers"}}) keeps the
// entities within its distances, measured by LoopBack's haversine and
// earth radius per [Unit] (miles by default), and the answer is nearest
// first: the repository adds the distance as an [Order] key after the
// filter's own and before the id.
//
// # Caps
//
// Every filter, decoded or built in code, is held to its model's [Limits]
// (see [LimitsProvider] and [SetDefaultLimits]) before it reaches a
// connector: the nesting of and/or (MaxDepth), the comparisons of a where
// clause (MaxConds), the items of one inq or nin (MaxInq), the values of
// a where clause, list items included (MaxValues), the length of a like
// or regexp pattern (MaxPattern), the keys of an order (MaxOrder; a
// property given twice keeps its first direction and counts once) and the
// names of a fields selection (MaxFields). They are counted as the filter
// is read, so that a filter past a cap is refused before the work grows
// with it, with a [*FilterError] (400, keyword maxItems, maxProperties,
// maxDepth or maxLength, info.limit the cap) naming the cap and the place.
// Matching like, ilike and regexp over stored text is bounded per query
// by MaxMatchWork: connectors charge it to a [WorkBudget] and fail the
// query with a [*WorkLimitError] (400 QUERY_TOO_COSTLY) past it.
//
// # Repositories
//
// [DefaultCrudRepository] implements LoopBack's method set: Create,
// CreateAll, Save, Find, FindOne, FindByID, Exists, Count, Update,
// UpdateAll, UpdateByID, ReplaceByID, Delete, DeleteAll, DeleteByID. A
// missing id is an [*EntityNotFoundError] (404 ENTITY_NOT_FOUND). Partial
// updates take a [Patch], which knows which properties were sent and is
// decoded as strictly as a request body, at every depth.
//
// # Relations
//
// A navigational field declares a relation ([Relation]): a slice of the
// target tagged loom:"hasMany", a pointer to it tagged loom:"belongsTo"
// or loom:"hasOne", or a [Through] of the target and a join model tagged
// loom:"hasManyThrough" or loom:"hasAndBelongsToMany", with LoopBack's
// default keys (todoListId). It is never stored: writes that set it are
// refused (422). [NewHasMany], [NewBelongsTo], [NewHasOne],
// [NewHasManyThrough] and [NewHasAndBelongsToMany] return LoopBack's typed
// relation repositories. A filter's include fills the navigational fields
// with one query per relation per level (inq on the parents' keys; two
// through a join model: its links, then the targets), its
// scope checked against the target, held to MaxIncludes and
// MaxIncludeRows.
//
// # Connectors
//
// A [Connector] stores [Data] (an entity's JSON properties) for any model,
// given the [Model] and a checked [Query]. Package memory is the embedded
// connector; package repotest is the suite every connector must pass.
// A connector that is a [Watcher] reports its writes as [Change]s,
// LoopBack 3's change stream; a [ChangeHub] is the part of one that every
// connector shares.
//
// # Bindings
//
// [DataSource] registers a connector under a name (datasources.db) and as a
// life-cycle observer in the [DataSourceGroup] group; [Repository]
// registers a repository constructor, whose parameters are injected.
package repository
