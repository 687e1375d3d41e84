package controller

import "github.com/loomhq/loom/repository"

// Filter is the type of a filter query parameter over the model T,
// LoopBack's @param.filter(Todo). It is parsed from JSON
// (?filter={"where":{"isComplete":false}}) or from the exploded form
// (?filter[where][isComplete]=false&filter[order]=title%20DESC) and checked
// against T's model; bad input is a 400 INVALID_PARAMETER_VALUE:
//
//	type FindInput struct {
//		Filter controller.Filter[Todo] `query:"filter"`
//	}
type Filter[T any] = repository.Filter[T]

// FilterExcludingWhere is the filter of a find-by-id operation, LoopBack's
// @param.filter(Todo, {exclude: 'where'}): a where in it is a 400.
type FilterExcludingWhere[T any] = repository.FilterExcludingWhere[T]

// Where is the type of a where query parameter over the model T, LoopBack's
// @param.where(Todo), as count and updateAll take it:
//
//	type CountInput struct {
//		Where controller.Where[Todo] `query:"where"`
//	}
type Where[T any] = repository.Where[T]
