package main

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"time"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/interceptor"
)

// reviewCreated is Review.beforeRemote('create'): a review is dated now
// and published by the caller, whatever the client sent, each element of
// an array too.
func reviewCreated(now func() time.Time) modelapi.WriteHook {
	return func(ctx context.Context, w *modelapi.Write) error {
		if w.Method != "create" {
			return nil
		}
		date, err := json.Marshal(DateOf(now()))
		if err != nil {
			return err
		}
		w.Data["date"] = date
		delete(w.Data, "publisherId")
		if t, ok := token.TokenFrom(ctx); ok {
			if id, err := strconv.Atoi(t.UserID); err == nil {
				w.Data["publisherId"] = json.RawMessage(strconv.Itoa(id))
			}
		}
		return nil
	}
}

// setHookHeader is CoffeeShop.afterRemote('prototype.*'): every instance
// method answers with X-Hook: after.
func setHookHeader(ic *interceptor.InvocationContext, result any) (any, error) {
	if ic.Request != nil {
		ic.Request.Response.Header().Set("X-Hook", "after")
	}
	return result, nil
}

// setResultCount is app.remotes().after('*.find'): every model's find
// answers with the number of items in X-Result-Count.
func setResultCount(ic *interceptor.InvocationContext, result any) (any, error) {
	if v := reflect.ValueOf(result); ic.Request != nil && v.Kind() == reflect.Slice {
		ic.Request.Response.Header().Set("X-Result-Count", strconv.Itoa(v.Len()))
	}
	return result, nil
}
