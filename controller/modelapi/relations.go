package modelapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// The inputs of relation methods. The source's id is read as text and
// looked up by the source's entry, which alone knows its Go type; the
// target's filter, where and body are the target's, whose entry builds
// these routes.
type (
	relInput struct {
		ID string `path:"id"`
	}
	relFindInput[T any] struct {
		ID     string                `path:"id"`
		Filter *repository.Filter[T] `query:"filter"`
	}
	relWhereInput[T any] struct {
		ID    string              `path:"id"`
		Where repository.Where[T] `query:"where"`
	}
	relBodyInput struct {
		ID   string          `path:"id"`
		Body json.RawMessage `body:"json"`
	}
	relFKInput struct {
		ID string `path:"id"`
		FK string `path:"fk"`
	}
	relFKBodyInput struct {
		ID   string          `path:"id"`
		FK   string          `path:"fk"`
		Body json.RawMessage `body:"json"`
	}
)

// relation is one relation of a source model, served by its target's
// entry.
type relation[T any, ID comparable] struct {
	src    *base
	target *entry[T, ID]
	rel    *repository.Relation
}

// relationRoutes are LoopBack 3's endpoints of relation rel of src, whose
// target is e's model.
func (e *entry[T, ID]) relationRoutes(src *base, rel *repository.Relation) ([]controller.Route, error) {
	r := &relation[T, ID]{src: src, target: e, rel: rel}
	at := "/{id}/" + rel.Name
	name := func(method string) controller.Option {
		return controller.Name("prototype.__" + method + "__" + rel.Name)
	}
	body := controller.RequestModelOf[T](controller.ModelNew)
	part := controller.RequestModelOf[T](controller.ModelPartial)
	tag := controller.Tags(src.model.Name)
	switch rel.Kind {
	case repository.BelongsTo:
		return []controller.Route{
			controller.Get(at, r.getBelongsTo, name("get"), tag,
				controller.Summary("Fetches belongsTo relation "+rel.Name+".")),
		}, nil
	case repository.HasOne:
		return []controller.Route{
			controller.Get(at, r.getOne, name("get"), tag, controller.Summary("Fetches hasOne relation "+rel.Name+".")),
			controller.Post(at, r.createOne, name("create"), body, tag, controller.Summary("Creates a new instance in "+rel.Name+" of this model.")),
			controller.Put(at, r.updateOne, name("update"), part, tag, controller.Summary("Update "+rel.Name+" of this model.")),
			controller.Patch(at, r.updateOne, name("update"), part, tag, controller.Summary("Update "+rel.Name+" of this model.")),
			controller.Delete(at, r.destroyOne, name("destroy"), tag, controller.Summary("Deletes "+rel.Name+" of this model.")),
		}, nil
	case repository.HasMany, repository.HasManyThrough, repository.HasAndBelongsToMany:
		routes := []controller.Route{
			controller.Get(at, r.find, name("get"), tag, controller.Summary("Queries "+rel.Name+" of "+src.model.Name+".")),
			controller.Post(at, r.create, name("create"), body, tag, controller.Summary("Creates a new instance in "+rel.Name+" of this model.")),
			controller.Delete(at, r.deleteAll, name("delete"), tag, controller.Summary("Deletes all "+rel.Name+" of this model.")),
			controller.Get(at+"/count", r.count, name("count"), tag, controller.Summary("Counts "+rel.Name+" of "+src.model.Name+".")),
			controller.Get(at+"/{fk}", r.findByID, name("findById"), tag, controller.Summary("Find a related item by id for "+rel.Name+".")),
			controller.Put(at+"/{fk}", r.updateByID, name("updateById"), part, tag, controller.Summary("Update a related item by id for "+rel.Name+".")),
			controller.Delete(at+"/{fk}", r.destroyByID, name("destroyById"), tag, controller.Summary("Delete a related item by id for "+rel.Name+".")),
		}
		if rel.IsThrough() {
			routes = append(routes,
				controller.Handle(http.MethodHead, at+"/rel/{fk}", r.isLinked, name("exists"), controller.Status(200), tag,
					controller.Summary("Check the existence of "+rel.Name+" relation to an item by id.")),
				controller.Put(at+"/rel/{fk}", r.link, name("link"), tag,
					controller.Summary("Add a related item by id for "+rel.Name+".")),
				controller.Delete(at+"/rel/{fk}", r.unlink, name("unlink"), tag,
					controller.Summary("Remove the "+rel.Name+" relation to an item by id.")),
			)
		}
		return routes, nil
	}
	return nil, fmt.Errorf("modelapi: %s.%s: relations of kind %s have no endpoints", src.model.Name, rel.Name, rel.Kind)
}

// parent reads the source entity of the path, and its key the relation
// joins on.
func (r *relation[T, ID]) parent(ctx context.Context, id string) (any, error) {
	d, err := r.src.lookup(ctx, id)
	if err != nil {
		return nil, err
	}
	return keyOf(d, r.rel.KeyFrom), nil
}

// scope is the condition that selects the source's targets: for hasMany
// and hasOne their foreign key; through a join model, their keys linked
// to the source.
func (r *relation[T, ID]) scope(ctx context.Context, key any) (repository.Cond, error) {
	if !r.rel.IsThrough() {
		return repository.Eq(r.rel.KeyTo, key), nil
	}
	max := repository.LimitsOf(r.target.b.model).MaxInq
	links, err := r.src.find(ctx, r.rel.ThroughModel(), repository.Query{Where: repository.Eq(r.rel.ThroughFrom, key), Limit: max + 1})
	if err != nil {
		return repository.Cond{}, err
	}
	if len(links) > max {
		// The targets are read with one inq of their keys, which the
		// target's MaxInq caps.
		return repository.Cond{}, httperr.BadRequest(fmt.Sprintf("%s %s has more than %d %s; the relation's methods read at most %d (the target's MaxInq)",
			r.src.model.Name, idText(key), max, r.rel.Name, max)).WithName("Error")
	}
	keys := make([]any, 0, len(links))
	for _, l := range links {
		keys = append(keys, keyOf(l, r.rel.ThroughTo))
	}
	return repository.Inq(r.rel.KeyTo, keys...), nil
}

// links are the join entities of the source's key (and, when to is not
// nil, of the target's key to).
func (r *relation[T, ID]) links(ctx context.Context, key, to any) ([]repository.Data, error) {
	w := repository.Eq(r.rel.ThroughFrom, key)
	if to != nil {
		w = w.And(repository.Eq(r.rel.ThroughTo, to))
	}
	return r.src.find(ctx, r.rel.ThroughModel(), repository.Query{Where: w})
}

func (r *relation[T, ID]) find(ctx context.Context, in relFindInput[T]) ([]T, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	scope, err := r.scope(ctx, key)
	if err != nil {
		return nil, err
	}
	f := repository.Filter[T]{}
	if in.Filter != nil {
		f = *in.Filter
	}
	f.Where = repository.And(f.Where, scope)
	out, err := r.target.repo.Find(ctx, &f)
	if out == nil && err == nil {
		out = []T{}
	}
	return out, err
}

func (r *relation[T, ID]) count(ctx context.Context, in relWhereInput[T]) (repository.Count, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return repository.Count{}, err
	}
	scope, err := r.scope(ctx, key)
	if err != nil {
		return repository.Count{}, err
	}
	return r.target.repo.Count(ctx, repository.And(in.Where.Cond, scope))
}

// method is LoopBack 3's name of the relation method op:
// prototype.__create__members.
func (r *relation[T, ID]) method(op string) string {
	return "prototype.__" + op + "__" + r.rel.Name
}

// newTarget decodes a create's body with the source's key in the
// target's foreign key: the path's id wins over the body's. The target's
// write hooks run on it as on the target's own create, Method naming the
// relation method (op is create); the foreign key is the source's before
// and after them.
func (r *relation[T, ID]) newTarget(ctx context.Context, op string, raw json.RawMessage, key any) (T, error) {
	var zero T
	d, err := r.target.b.readObject(raw)
	if err != nil {
		return zero, err
	}
	var k json.RawMessage
	if !r.rel.IsThrough() {
		if k, err = json.Marshal(key); err != nil {
			return zero, err
		}
		d[r.rel.KeyTo] = k
	}
	if err := r.target.b.beforeWrite(ctx, r.method(op), d, true, false, nil); err != nil {
		return zero, err
	}
	if k != nil {
		d[r.rel.KeyTo] = k
	}
	return r.target.newEntity(d)
}

func (r *relation[T, ID]) create(ctx context.Context, in relBodyInput) (*T, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	t, err := r.newTarget(ctx, "create", in.Body, key)
	if err != nil {
		return nil, err
	}
	out, err := r.target.repo.Create(ctx, t)
	if err != nil || !r.rel.IsThrough() {
		return out, err
	}
	to, err := r.targetKey(out)
	if err != nil {
		return nil, err
	}
	if _, err := r.addLink(ctx, key, to); err != nil {
		return nil, err
	}
	return out, nil
}

// targetKey is the value of t's key the relation joins on.
func (r *relation[T, ID]) targetKey(t *T) (any, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	var d repository.Data
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	return keyOf(d, r.rel.KeyTo), nil
}

// addLink links the source's key to the target's, or answers the link
// there is: linking is idempotent, as LoopBack 3's findOrCreate makes it.
func (r *relation[T, ID]) addLink(ctx context.Context, key, to any) (repository.Data, error) {
	links, err := r.links(ctx, key, to)
	if err != nil || len(links) > 0 {
		if len(links) > 0 {
			return links[0], nil
		}
		return nil, err
	}
	from, err := json.Marshal(key)
	if err != nil {
		return nil, err
	}
	target, err := json.Marshal(to)
	if err != nil {
		return nil, err
	}
	made, err := r.src.conn.Create(ctx, r.rel.ThroughModel(), []repository.Data{{r.rel.ThroughFrom: from, r.rel.ThroughTo: target}})
	if err != nil {
		return nil, err
	}
	return made[0], nil
}

func (r *relation[T, ID]) deleteAll(ctx context.Context, in relInput) (controller.NoContent, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return controller.NoContent{}, err
	}
	scope, err := r.scope(ctx, key)
	if err != nil {
		return controller.NoContent{}, err
	}
	if _, err := r.target.repo.DeleteAll(ctx, scope); err != nil {
		return controller.NoContent{}, err
	}
	if r.rel.IsThrough() {
		err = r.deleteLinks(ctx, key, nil)
	}
	return controller.NoContent{}, err
}

func (r *relation[T, ID]) deleteLinks(ctx context.Context, key, to any) error {
	w := repository.Eq(r.rel.ThroughFrom, key)
	if to != nil {
		w = w.And(repository.Eq(r.rel.ThroughTo, to))
	}
	q, err := repository.CheckQuery(r.rel.ThroughModel(), repository.Query{Where: w})
	if err != nil {
		return err
	}
	_, err = r.src.conn.Delete(ctx, r.rel.ThroughModel(), q.Where)
	return err
}

// related finds the target fk among the source's: LoopBack 3's texts
// when it is not one of them.
func (r *relation[T, ID]) related(ctx context.Context, id, fk string) (key any, t *T, err error) {
	key, err = r.parent(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	fkKey, ok := r.target.b.parseKey(fk)
	if !ok {
		return nil, nil, r.missing(id, fk)
	}
	scope, err := r.scope(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	t, err = r.target.repo.FindOne(ctx, &repository.Filter[T]{Where: repository.And(repository.Eq(r.target.b.model.ID.Name, fkKey), scope)})
	if err != nil {
		return nil, nil, err
	}
	if t == nil {
		return nil, nil, r.missing(id, fk)
	}
	return key, t, nil
}

func (r *relation[T, ID]) missing(id, fk string) error {
	if r.rel.IsThrough() {
		return notLinked(r.rel.ThroughModel().Name, r.src.model.Name, id, r.target.b.model.Name, fk)
	}
	return relatedNotFound(r.target.b.model.Name, fk)
}

func (r *relation[T, ID]) findByID(ctx context.Context, in relFKInput) (*T, error) {
	_, t, err := r.related(ctx, in.ID, in.FK)
	return t, err
}

func (r *relation[T, ID]) updateByID(ctx context.Context, in relFKBodyInput) (*T, error) {
	_, t, err := r.related(ctx, in.ID, in.FK)
	if err != nil {
		return nil, err
	}
	return r.patchTarget(ctx, "updateById", t, in.Body)
}

// patchTarget applies body to target t and answers it as stored; the
// foreign key stays the source's. The target's write hooks run on the
// patch as on the target's own patchAttributes, Method naming the
// relation method op (updateById, update).
func (r *relation[T, ID]) patchTarget(ctx context.Context, op string, t *T, body json.RawMessage) (*T, error) {
	d, err := r.target.b.readObject(body)
	if err != nil {
		return nil, err
	}
	if !r.rel.IsThrough() {
		delete(d, r.rel.KeyTo)
	}
	id, err := r.target.idOf(t)
	if err != nil {
		return nil, err
	}
	// The id is the path's: one in the body changes nothing.
	delete(d, r.target.b.model.ID.Name)
	after, err := r.target.b.prepareWrite(ctx, r.method(op), d, false, true, id)
	if err != nil {
		return nil, err
	}
	if !r.rel.IsThrough() {
		delete(d, r.rel.KeyTo)
	}
	if err := r.target.patch(ctx, id, d); err != nil {
		return nil, err
	}
	// What the hooks left for after the write (a user's sessions
	// revoked) runs only once the write is stored.
	if err := after(ctx); err != nil {
		return nil, err
	}
	return r.target.repo.FindByID(ctx, id, nil)
}

func (r *relation[T, ID]) destroyByID(ctx context.Context, in relFKInput) (controller.NoContent, error) {
	key, t, err := r.related(ctx, in.ID, in.FK)
	if err != nil {
		return controller.NoContent{}, err
	}
	id, err := r.target.idOf(t)
	if err != nil {
		return controller.NoContent{}, err
	}
	if err := r.target.repo.DeleteByID(ctx, id); err != nil {
		return controller.NoContent{}, err
	}
	if r.rel.IsThrough() {
		to, err := r.targetKey(t)
		if err != nil {
			return controller.NoContent{}, err
		}
		return controller.NoContent{}, r.deleteLinks(ctx, key, to)
	}
	return controller.NoContent{}, nil
}

// linkTarget reads the target of a link method: the source's key and the
// target's.
func (r *relation[T, ID]) linkTarget(ctx context.Context, in relFKInput) (key, to any, err error) {
	key, err = r.parent(ctx, in.ID)
	if err != nil {
		return nil, nil, err
	}
	fkKey, ok := r.target.b.parseKey(in.FK)
	if !ok {
		return nil, nil, relatedNotFound(r.target.b.model.Name, in.FK)
	}
	t, err := r.target.repo.FindOne(ctx, &repository.Filter[T]{Where: repository.Eq(r.target.b.model.ID.Name, fkKey)})
	if err != nil {
		return nil, nil, err
	}
	if t == nil {
		return nil, nil, relatedNotFound(r.target.b.model.Name, in.FK)
	}
	to, err = r.targetKey(t)
	return key, to, err
}

func (r *relation[T, ID]) isLinked(ctx context.Context, in relFKInput) (controller.NoContent, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return controller.NoContent{}, err
	}
	to, ok := r.target.b.parseKey(in.FK)
	if !ok {
		return controller.NoContent{}, r.missing(in.ID, in.FK)
	}
	links, err := r.links(ctx, key, to)
	if err == nil && len(links) == 0 {
		err = r.missing(in.ID, in.FK)
	}
	return controller.NoContent{}, err
}

func (r *relation[T, ID]) link(ctx context.Context, in relFKInput) (repository.Data, error) {
	key, to, err := r.linkTarget(ctx, in)
	if err != nil {
		return nil, err
	}
	return r.addLink(ctx, key, to)
}

func (r *relation[T, ID]) unlink(ctx context.Context, in relFKInput) (controller.NoContent, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return controller.NoContent{}, err
	}
	to, ok := r.target.b.parseKey(in.FK)
	if !ok {
		return controller.NoContent{}, nil // nothing can be linked to it
	}
	return controller.NoContent{}, r.deleteLinks(ctx, key, to)
}

func (r *relation[T, ID]) getBelongsTo(ctx context.Context, in relInput) (*T, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if key == nil {
		return nil, notFound(fmt.Sprintf("%s %s has no %s", r.src.model.Name, in.ID, r.rel.Name))
	}
	t, err := r.target.repo.FindOne(ctx, &repository.Filter[T]{Where: repository.Eq(r.rel.KeyTo, key)})
	if err == nil && t == nil {
		err = relatedNotFound(r.target.b.model.Name, idText(key))
	}
	return t, err
}

func (r *relation[T, ID]) getOne(ctx context.Context, in relInput) (*T, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	t, err := r.target.repo.FindOne(ctx, &repository.Filter[T]{Where: repository.Eq(r.rel.KeyTo, key)})
	if err == nil && t == nil {
		err = notFound(fmt.Sprintf("%s %s has no %s", r.src.model.Name, in.ID, r.rel.Name))
	}
	return t, err
}

func (r *relation[T, ID]) createOne(ctx context.Context, in relBodyInput) (*T, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	n, err := r.target.repo.Count(ctx, repository.Eq(r.rel.KeyTo, key))
	if err != nil {
		return nil, err
	}
	if n.Count > 0 {
		return nil, httperr.Conflict(fmt.Sprintf("HasOne relation cannot create more than one instance of %s", r.target.b.model.Name)).WithName("Error")
	}
	t, err := r.newTarget(ctx, "create", in.Body, key)
	if err != nil {
		return nil, err
	}
	return r.target.repo.Create(ctx, t)
}

func (r *relation[T, ID]) updateOne(ctx context.Context, in relBodyInput) (*T, error) {
	t, err := r.getOne(ctx, relInput{ID: in.ID})
	if err != nil {
		return nil, err
	}
	return r.patchTarget(ctx, "update", t, in.Body)
}

func (r *relation[T, ID]) destroyOne(ctx context.Context, in relInput) (controller.NoContent, error) {
	key, err := r.parent(ctx, in.ID)
	if err != nil {
		return controller.NoContent{}, err
	}
	_, err = r.target.repo.DeleteAll(ctx, repository.Eq(r.rel.KeyTo, key))
	return controller.NoContent{}, err
}
