package modelapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
	"github.com/loomhq/loom/repository"
)

// The inputs of the model's own methods. Bodies are read raw, so that
// they are as lenient as LoopBack 3's (an array or an object, numeric
// strings for numbers); the API document still shows the model, through
// controller.RequestModelOf.
type (
	bodyInput struct {
		Body json.RawMessage `body:"json"`
	}
	filterInput[T any] struct {
		Filter *repository.Filter[T] `query:"filter"`
	}
	whereInput[T any] struct {
		Where repository.Where[T] `query:"where"`
	}
	idInput[ID any] struct {
		ID ID `path:"id"`
	}
	findByIDInput[T, ID any] struct {
		ID     ID                                  `path:"id"`
		Filter *repository.FilterExcludingWhere[T] `query:"filter"`
	}
	idBodyInput[ID any] struct {
		ID   ID              `path:"id"`
		Body json.RawMessage `body:"json"`
	}
	whereBodyInput[T any] struct {
		Where repository.Where[T] `query:"where"`
		Body  json.RawMessage     `body:"json"`
	}
)

// existsResult is the answer of GET /{id}/exists.
type existsResult struct {
	Exists bool `json:"exists"`
}

// routes are the model's own endpoints, by its convention.
func (e *entry[T, ID]) routes() []controller.Route {
	if e.b.settings.convention == LoopBack4 {
		return e.lb4Routes()
	}
	newBody := controller.RequestModelOf[T](controller.ModelNew)
	wholeBody := controller.RequestModelOf[T](controller.ModelAsIs)
	partBody := controller.RequestModelOf[T](controller.ModelPartial)
	name := controller.Name
	return []controller.Route{
		controller.Post("", e.create, name("create"), newBody,
			controller.Summary("Create a new instance of the model and persist it into the data source.")),
		controller.Put("", e.replaceOrCreate, name("replaceOrCreate"), wholeBody,
			controller.Summary("Replace an existing model instance or insert a new one into the data source.")),
		controller.Post("/replaceOrCreate", e.replaceOrCreate, name("replaceOrCreate"), wholeBody,
			controller.Summary("Replace an existing model instance or insert a new one into the data source.")),
		controller.Patch("", e.patchOrCreate, name("patchOrCreate"), partBody,
			controller.Summary("Patch an existing model instance or insert a new one into the data source.")),
		controller.Post("/upsertWithWhere", e.upsertWithWhere, name("upsertWithWhere"), partBody,
			controller.Summary("Update an existing model instance or insert a new one into the data source based on the where criteria.")),
		controller.Get("", e.find, name("find"), controller.ResponseModel(controller.ModelWithRelations),
			controller.Summary("Find all instances of the model matched by filter from the data source.")),
		controller.Get("/findOne", e.findOne, name("findOne"), controller.ResponseModel(controller.ModelWithRelations),
			controller.Summary("Find first instance of the model matched by filter from the data source.")),
		controller.Get("/count", e.count, name("count"),
			controller.Summary("Count instances of the model matched by where from the data source.")),
		controller.Get("/{id}", e.findByID, name("findById"), controller.ResponseModel(controller.ModelWithRelations),
			controller.Summary("Find a model instance by {{id}} from the data source.")),
		controller.Handle("HEAD", "/{id}", e.head, name("exists"), controller.Status(200),
			controller.Summary("Check whether a model instance exists in the data source.")),
		controller.Get("/{id}/exists", e.exists, name("exists"),
			controller.Summary("Check whether a model instance exists in the data source.")),
		controller.Put("/{id}", e.replaceByID, name("replaceById"), wholeBody,
			controller.Summary("Replace attributes for a model instance and persist it into the data source.")),
		controller.Post("/{id}/replace", e.replaceByID, name("replaceById"), wholeBody,
			controller.Summary("Replace attributes for a model instance and persist it into the data source.")),
		controller.Patch("/{id}", e.patchAttributes, name("prototype.patchAttributes"), partBody,
			controller.Summary("Patch attributes for a model instance and persist it into the data source.")),
		controller.Delete("/{id}", e.deleteByID, name("deleteById"),
			controller.Summary("Delete a model instance by {{id}} from the data source.")),
		controller.Post("/update", e.updateAll, name("updateAll"), partBody,
			controller.Summary("Update instances of the model matched by {{where}} from the data source.")),
	}
}

// idOfData reads the id d holds; ok is false when it holds none (or null).
func (e *entry[T, ID]) idOfData(d repository.Data) (id ID, ok bool, err error) {
	raw, has := d[e.b.model.ID.Name]
	if !has || bytes.Equal(raw, []byte("null")) {
		return id, false, nil
	}
	if err := json.Unmarshal(raw, &id); err != nil {
		return id, false, httperr.BadRequest(fmt.Sprintf("%s is not a valid %s id", raw, e.b.model.Name)).WithName("Error")
	}
	return id, true, nil
}

// idOf reads entity t's id.
func (e *entry[T, ID]) idOf(t *T) (ID, error) {
	var id ID
	b, err := json.Marshal(t)
	if err != nil {
		return id, err
	}
	var d repository.Data
	if err := json.Unmarshal(b, &d); err != nil {
		return id, err
	}
	id, _, err = e.idOfData(d)
	return id, err
}

// newEntity checks and decodes the body of a create.
func (e *entry[T, ID]) newEntity(d repository.Data) (T, error) {
	if err := e.b.checkNoID(d); err != nil {
		var zero T
		return zero, err
	}
	return decodeEntity[T](e.b.model, d, e.b.settings.writable)
}

func (e *entry[T, ID]) create(ctx context.Context, in bodyInput) (any, error) {
	list, many, err := e.b.readObjects(in.Body)
	if err != nil {
		return nil, err
	}
	ts := make([]T, len(list))
	for i, d := range list {
		if err := e.b.beforeWrite(ctx, "create", d, true, false, nil); err != nil {
			return nil, err
		}
		if ts[i], err = e.newEntity(d); err != nil {
			return nil, err
		}
	}
	var out any
	switch {
	case !many:
		out, err = e.repo.Create(ctx, ts[0])
	case len(ts) == 0:
		return []T{}, nil
	default:
		out, err = e.repo.CreateAll(ctx, ts)
	}
	if err != nil {
		return nil, err
	}
	if !e.b.model.Strict {
		// The result's type is any, which the pipeline does not project:
		// write the unknown properties inline here.
		return repository.Project(out, nil), nil
	}
	return out, nil
}

func (e *entry[T, ID]) replaceOrCreate(ctx context.Context, in bodyInput) (*T, error) {
	return e.upsert(ctx, "replaceOrCreate", false, in.Body, func(id ID, d repository.Data) error {
		t, err := decodeEntity[T](e.b.model, d, e.b.settings.writable)
		if err != nil {
			return err
		}
		return e.repo.ReplaceByID(ctx, id, t)
	}, replaceNotFound)
}

func (e *entry[T, ID]) patchOrCreate(ctx context.Context, in bodyInput) (*T, error) {
	return e.upsert(ctx, "patchOrCreate", true, in.Body, func(id ID, d repository.Data) error { return e.patch(ctx, id, d) }, updateNotFound)
}

// upsert creates body's instance when it has no id, and otherwise writes
// it with write and answers the stored instance: an upsert never creates
// a given id (forceId), so a missing one is missing(id).
func (e *entry[T, ID]) upsert(ctx context.Context, method string, partial bool, body json.RawMessage, write func(ID, repository.Data) error,
	missing func(any) error) (*T, error) {
	d, err := e.b.readObject(body)
	if err != nil {
		return nil, err
	}
	id, ok, err := e.idOfData(d)
	if err != nil {
		return nil, err
	}
	var hookID any
	if ok {
		hookID = id
	}
	after, err := e.b.prepareWrite(ctx, method, d, !ok, partial && ok, hookID)
	if err != nil {
		return nil, err
	}
	if !ok {
		t, err := e.createOne(ctx, d)
		if err != nil {
			return nil, err
		}
		return t, after(ctx)
	}
	if err := write(id, d); err != nil {
		if repository.IsNotFound(err) {
			return nil, missing(id)
		}
		return nil, err
	}
	if err := after(ctx); err != nil {
		return nil, err
	}
	return e.repo.FindByID(ctx, id, nil)
}

// createOne creates the instance d describes.
func (e *entry[T, ID]) createOne(ctx context.Context, d repository.Data) (*T, error) {
	t, err := e.newEntity(d)
	if err != nil {
		return nil, err
	}
	return e.repo.Create(ctx, t)
}

// patch applies d, less its id, to the entity with id.
func (e *entry[T, ID]) patch(ctx context.Context, id ID, d repository.Data) error {
	d = d.Clone()
	delete(d, e.b.model.ID.Name)
	p, err := decodePatch[T](e.b.model, d, e.b.settings.writable)
	if err != nil {
		return err
	}
	return e.repo.UpdateByID(ctx, id, p)
}

func (e *entry[T, ID]) upsertWithWhere(ctx context.Context, in whereBodyInput[T]) (*T, error) {
	if rc, ok := loomctx.FromContext(ctx); ok && rc.Request != nil && !hasParam(rc.Request.URL.Query(), "where") {
		// LoopBack 3 answers 500; without a where, every instance
		// matches, and which one to update is the client's to say.
		return nil, httperr.BadRequest("where is a required argument").WithName("Error")
	}
	d, err := e.b.readObject(in.Body)
	if err != nil {
		return nil, err
	}
	found, err := e.repo.Find(ctx, &repository.Filter[T]{Where: in.Where.Cond, Limit: 2})
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		if err := e.b.beforeWrite(ctx, "upsertWithWhere", d, true, false, nil); err != nil {
			return nil, err
		}
		return e.createOne(ctx, d)
	case 1:
		id, err := e.idOf(&found[0])
		if err != nil {
			return nil, err
		}
		after, err := e.b.prepareWrite(ctx, "upsertWithWhere", d, false, true, id)
		if err != nil {
			return nil, err
		}
		if err := e.patch(ctx, id, d); err != nil {
			return nil, err
		}
		if err := after(ctx); err != nil {
			return nil, err
		}
		return e.repo.FindByID(ctx, id, nil)
	}
	return nil, httperr.BadRequest("There are multiple instances found.Upsert Operation will not be performed!").WithName("Error")
}

func (e *entry[T, ID]) find(ctx context.Context, in filterInput[T]) ([]T, error) {
	out, err := e.repo.Find(ctx, in.Filter)
	if out == nil && err == nil {
		out = []T{}
	}
	return out, err
}

func (e *entry[T, ID]) findOne(ctx context.Context, in filterInput[T]) (*T, error) {
	out, err := e.repo.FindOne(ctx, in.Filter)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, notFound(fmt.Sprintf("No %q instance matches the filter.", e.b.model.Name)).WithCode(CodeModelNotFound)
	}
	return out, nil
}

func (e *entry[T, ID]) count(ctx context.Context, in whereInput[T]) (repository.Count, error) {
	return e.repo.Count(ctx, in.Where)
}

func (e *entry[T, ID]) findByID(ctx context.Context, in findByIDInput[T, ID]) (*T, error) {
	out, err := e.repo.FindByID(ctx, in.ID, in.Filter)
	if repository.IsNotFound(err) {
		return nil, e.b.findByIDNotFound(in.ID)
	}
	return out, err
}

func (e *entry[T, ID]) head(ctx context.Context, in idInput[ID]) (controller.NoContent, error) {
	ok, err := e.repo.Exists(ctx, in.ID)
	if err == nil && !ok {
		err = e.b.findByIDNotFound(in.ID)
	}
	return controller.NoContent{}, err
}

func (e *entry[T, ID]) exists(ctx context.Context, in idInput[ID]) (existsResult, error) {
	ok, err := e.repo.Exists(ctx, in.ID)
	return existsResult{Exists: ok}, err
}

func (e *entry[T, ID]) replaceByID(ctx context.Context, in idBodyInput[ID]) (*T, error) {
	d, err := e.b.readObject(in.Body)
	if err != nil {
		return nil, err
	}
	id, ok, err := e.idOfData(d)
	if err != nil {
		return nil, err
	}
	if ok && id != in.ID {
		return nil, httperr.BadRequest(fmt.Sprintf("id property (%s) cannot be updated from %s to %s",
			e.b.model.ID.Name, idText(in.ID), idText(id))).WithName("Error")
	}
	d = d.Clone()
	delete(d, e.b.model.ID.Name)
	after, err := e.b.prepareWrite(ctx, "replaceById", d, false, false, in.ID)
	if err != nil {
		return nil, err
	}
	t, err := decodeEntity[T](e.b.model, d, e.b.settings.writable)
	if err != nil {
		return nil, err
	}
	if err := e.repo.ReplaceByID(ctx, in.ID, t); err != nil {
		if repository.IsNotFound(err) {
			return nil, replaceNotFound(in.ID)
		}
		return nil, err
	}
	if err := after(ctx); err != nil {
		return nil, err
	}
	return e.repo.FindByID(ctx, in.ID, nil)
}

func (e *entry[T, ID]) patchAttributes(ctx context.Context, in idBodyInput[ID]) (*T, error) {
	ok, err := e.repo.Exists(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, instanceNotFound(in.ID)
	}
	d, err := e.b.readObject(in.Body)
	if err != nil {
		return nil, err
	}
	id, has, err := e.idOfData(d)
	if err != nil {
		return nil, err
	}
	if has && id != in.ID {
		return nil, httperr.BadRequest(fmt.Sprintf("id cannot be updated from %s to %s when forceId is set to true",
			idText(in.ID), idText(id))).WithName("Error")
	}
	after, err := e.b.prepareWrite(ctx, "prototype.patchAttributes", d, false, true, in.ID)
	if err != nil {
		return nil, err
	}
	if err := e.patch(ctx, in.ID, d); err != nil {
		if repository.IsNotFound(err) {
			return nil, instanceNotFound(in.ID)
		}
		return nil, err
	}
	if err := after(ctx); err != nil {
		return nil, err
	}
	return e.repo.FindByID(ctx, in.ID, nil)
}

func (e *entry[T, ID]) deleteByID(ctx context.Context, in idInput[ID]) (repository.Count, error) {
	n, err := e.repo.DeleteAll(ctx, repository.Eq(e.b.model.ID.Name, in.ID))
	if err != nil || n.Count == 0 {
		return n, err
	}
	for _, h := range e.b.settings.deleteHooks {
		if err := h(ctx, in.ID); err != nil {
			return n, err
		}
	}
	return n, nil
}

func (e *entry[T, ID]) updateAll(ctx context.Context, in whereBodyInput[T]) (repository.Count, error) {
	d, err := e.b.readObject(in.Body)
	if err != nil {
		return repository.Count{}, err
	}
	delete(d, e.b.model.ID.Name)
	if err := e.b.beforeWrite(ctx, "updateAll", d, false, true, nil); err != nil {
		return repository.Count{}, err
	}
	p, err := decodePatch[T](e.b.model, d, e.b.settings.writable)
	if err != nil {
		return repository.Count{}, err
	}
	return e.repo.UpdateAll(ctx, p, in.Where)
}

// hasParam reports whether q holds the parameter name, as itself or
// exploded (name[key]=…).
func hasParam(q url.Values, name string) bool {
	for k := range q {
		if k == name || strings.HasPrefix(k, name+"[") {
			return true
		}
	}
	return false
}
