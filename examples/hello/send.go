package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"reflect"
	"strings"

	"github.com/loomhq/loom/actions"
	loomctx "github.com/loomhq/loom/context"
)

// CSVFormatter writes structs and slices of structs as CSV, one column per
// JSON-named field.
type CSVFormatter struct{}

// NewCSVFormatter is the formatter's constructor.
func NewCSVFormatter() *CSVFormatter { return &CSVFormatter{} }

// Format returns v as CSV with a header row.
func (f *CSVFormatter) Format(v any) ([]byte, error) {
	rv := reflect.Indirect(reflect.ValueOf(v))
	rows := []reflect.Value{rv}
	if rv.Kind() == reflect.Slice {
		rows = rows[:0]
		for i := range rv.Len() {
			rows = append(rows, reflect.Indirect(rv.Index(i)))
		}
	}
	var elem reflect.Type
	if rv.Kind() == reflect.Slice {
		elem = rv.Type().Elem()
		for elem.Kind() == reflect.Pointer {
			elem = elem.Elem()
		}
	} else {
		elem = rv.Type()
	}
	if elem.Kind() != reflect.Struct {
		return nil, fmt.Errorf("hello: cannot write %s as CSV", rv.Type())
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	var header []string
	for i := range elem.NumField() {
		name, _, _ := strings.Cut(elem.Field(i).Tag.Get("json"), ",")
		if name == "" {
			name = elem.Field(i).Name
		}
		header = append(header, name)
	}
	w.Write(header)
	for _, row := range rows {
		rec := make([]string, elem.NumField())
		for i := range rec {
			rec[i] = fmt.Sprint(row.Field(i).Interface())
		}
		w.Write(rec)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// NewNegotiatingSend replaces the send action: a client whose Accept
// header prefers text/csv to JSON gets CSV (actions.Negotiate weighs the
// q-values); everyone else gets what the default send writes, a 406 for
// a client that accepts neither. The formatter is injected; next is the
// action this one replaces. The CSV answer keeps the default's status
// rules through actions.StatusOf, so a controller.Status(201) route still
// answers 201.
func NewNegotiatingSend(next actions.Send, f *CSVFormatter) actions.Send {
	return func(rc *loomctx.RequestContext, result any) error {
		if rc.Response.HeaderSent() {
			return nil // the handler answered already
		}
		if result == nil {
			return next(rc, result)
		}
		mt, err := actions.Negotiate(rc, "application/json", textCSV)
		if err != nil || mt != textCSV {
			return next(rc, result)
		}
		body, err := f.Format(result)
		if err != nil {
			return err
		}
		h := rc.Response.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Add("Vary", "Accept")
		rc.Response.WriteHeader(actions.StatusOf(rc, result))
		_, err = rc.Response.Write(body)
		return err
	}
}

const textCSV = "text/csv"
