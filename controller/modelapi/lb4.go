package modelapi

import (
	"context"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
)

// The inputs of LoopBack 4's CRUD endpoints: typed bodies, checked by the
// request pipeline as a hand-written controller's are.
type (
	lb4CreateInput[T any] struct {
		Body T `body:"json"`
	}
	lb4UpdateAllInput[T any] struct {
		Where repository.Where[T] `query:"where"`
		Body  repository.Patch[T] `body:"json"`
	}
	lb4ReplaceInput[T, ID any] struct {
		ID   ID `path:"id"`
		Body T  `body:"json"`
	}
	lb4UpdateInput[T, ID any] struct {
		ID   ID                  `path:"id"`
		Body repository.Patch[T] `body:"json"`
	}
)

// lb4Routes are @loopback/rest-crud's endpoints: LoopBack 4's names,
// statuses (204 for PATCH, PUT and DELETE by id) and errors.
func (e *entry[T, ID]) lb4Routes() []controller.Route {
	name := controller.Name
	return []controller.Route{
		controller.Post("", e.lb4Create, name("create"), controller.RequestModel(controller.ModelNew),
			controller.ResponseDescription(e.b.model.Name+" model instance")),
		controller.Get("", e.find, name("find"), controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription("Array of "+e.b.model.Name+" model instances")),
		controller.Patch("", e.lb4UpdateAll, name("updateAll"), controller.RequestModelOf[T](controller.ModelPartial),
			controller.ResponseDescription(e.b.model.Name+" PATCH success count")),
		controller.Get("/count", e.count, name("count"),
			controller.ResponseDescription(e.b.model.Name+" model count")),
		controller.Get("/{id}", e.lb4FindByID, name("findById"), controller.ResponseModel(controller.ModelWithRelations),
			controller.ResponseDescription(e.b.model.Name+" model instance")),
		controller.Patch("/{id}", e.lb4UpdateByID, name("updateById"), controller.RequestModelOf[T](controller.ModelPartial),
			controller.ResponseDescription(e.b.model.Name+" PATCH success")),
		controller.Put("/{id}", e.lb4ReplaceByID, name("replaceById"),
			controller.ResponseDescription(e.b.model.Name+" PUT success")),
		controller.Delete("/{id}", e.lb4DeleteByID, name("deleteById"),
			controller.ResponseDescription(e.b.model.Name+" DELETE success")),
	}
}

func (e *entry[T, ID]) lb4Create(ctx context.Context, in lb4CreateInput[T]) (*T, error) {
	return e.repo.Create(ctx, in.Body)
}

func (e *entry[T, ID]) lb4UpdateAll(ctx context.Context, in lb4UpdateAllInput[T]) (repository.Count, error) {
	return e.repo.UpdateAll(ctx, in.Body, in.Where)
}

func (e *entry[T, ID]) lb4FindByID(ctx context.Context, in findByIDInput[T, ID]) (*T, error) {
	return e.repo.FindByID(ctx, in.ID, in.Filter)
}

func (e *entry[T, ID]) lb4UpdateByID(ctx context.Context, in lb4UpdateInput[T, ID]) (controller.NoContent, error) {
	return controller.NoContent{}, e.repo.UpdateByID(ctx, in.ID, in.Body)
}

func (e *entry[T, ID]) lb4ReplaceByID(ctx context.Context, in lb4ReplaceInput[T, ID]) (controller.NoContent, error) {
	return controller.NoContent{}, e.repo.ReplaceByID(ctx, in.ID, in.Body)
}

func (e *entry[T, ID]) lb4DeleteByID(ctx context.Context, in idInput[ID]) (controller.NoContent, error) {
	return controller.NoContent{}, e.repo.DeleteByID(ctx, in.ID)
}
