package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest/openapi"
)

type Note struct {
	ID   int    `json:"id" loom:"id,generated"`
	Text string `json:"text" validate:"required,max=140"`
}

type NoteController struct{}

func (c NoteController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/notes", func(_ context.Context, in struct {
			Note Note `body:"json"`
		}) (*Note, error) {
			return &in.Note, nil
		}, controller.Name("create"), controller.RequestModel(controller.ModelNew)),
	}
}

// Build documents the routes of a route table; a REST application does
// this itself and serves the result at /openapi.json.
func ExampleBuild() {
	table, err := actions.NewRouteTable(actions.Options{}, []controller.Controller{NoteController{}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	doc, err := openapi.Build(table.Routes(), openapi.Config{Title: "notes"})
	if err != nil {
		log.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		}
		Components struct {
			Schemas map[string]struct {
				Required   []string
				Properties map[string]struct {
					MaxLength int
				}
			}
		}
	}
	if err := json.Unmarshal(doc.JSON(), &d); err != nil {
		log.Fatal(err)
	}
	newNote := d.Components.Schemas["NewNote"]
	fmt.Println(doc.OpenAPI(), d.Paths["/notes"]["post"].OperationID)
	fmt.Println(newNote.Required, len(newNote.Properties), newNote.Properties["text"].MaxLength)
	// Output:
	// 3.0.3 NoteController.create
	// [text] 1 140
}
