package main

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/loomhq/loom/actions/authentication/token"
	"github.com/loomhq/loom/controller/modelapi"
	"github.com/loomhq/loom/interceptor"
)

// reviewWritten is Review.beforeRemote('create') and the guard of a
// review's authorship: the server alone sets publisherId. A review
// created with create is dated now and published by the caller, whatever
// the client sent, each element of an array too. Every other write of a
// review (the upserts, replaceById, patchAttributes, upsertWithWhere,
// updateAll, and CoffeeShop's __create__reviews and __updateById__reviews)
// drops a publisherId the client sent, so that no one publishes in
// another's name or hands a review to someone else; a review created
// through the shop also drops the client's date, as it gets none from
// the create hook. A replace then stores no publisher, as LoopBack 3's
// does when the body has none.
func reviewWritten(now func() time.Time) modelapi.WriteHook {
	return func(ctx context.Context, w *modelapi.Write) error {
		delete(w.Data, "publisherId")
		switch {
		case w.Method == "create":
			date, err := json.Marshal(DateOf(now()))
			if err != nil {
				return err
			}
			w.Data["date"] = date
			if t, ok := token.TokenFrom(ctx); ok {
				if id, err := strconv.Atoi(t.UserID); err == nil {
					w.Data["publisherId"] = json.RawMessage(strconv.Itoa(id))
				}
			}
		case strings.HasPrefix(w.Method, "prototype.__create__"):
			delete(w.Data, "date")
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
