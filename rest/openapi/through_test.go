package openapi_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/rest/openapi"
)

// Doctor has many Patients through Appointment; a Patient has and
// belongs to many Doctors through it.
type Doctor struct {
	ID       int                                      `json:"id,omitempty" loom:"id,generated"`
	Name     string                                   `json:"name" validate:"required"`
	Patients repository.Through[Patient, Appointment] `json:"patients,omitempty" loom:"hasManyThrough"`
}

type Patient struct {
	ID      int                                     `json:"id,omitempty" loom:"id,generated"`
	Name    string                                  `json:"name"`
	Doctors repository.Through[Doctor, Appointment] `json:"doctors,omitempty" loom:"hasAndBelongsToMany"`
}

type Appointment struct {
	ID        int `json:"id,omitempty" loom:"id,generated"`
	DoctorID  int `json:"doctorId"`
	PatientID int `json:"patientId"`
}

type doctorController struct{}

func (doctorController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/doctors", func(ctx context.Context, in struct {
			Doctor Doctor `body:"json"`
		}) (*Doctor, error) {
			return nil, nil
		}, controller.Name("create"), controller.RequestModel(controller.ModelNew)),
		controller.Get("/doctors", func(ctx context.Context, in struct {
			Filter *controller.Filter[Doctor] `query:"filter"`
		}) ([]Doctor, error) {
			return nil, nil
		}, controller.Name("find"), controller.ResponseModel(controller.ModelWithRelations)),
	}
}

func TestBuild_throughRelationsAreArraysOfTheTargetWithRelations(t *testing.T) {
	for _, version := range []string{"3.0", "3.1"} {
		t.Run(version, func(t *testing.T) {
			built, err := openapi.Build(routesOf(t, doctorController{}), openapi.Config{OpenAPI: version})
			if err != nil {
				t.Fatal(err)
			}
			doc := tree(t, built)
			schemas := at(t, doc, "components", "schemas").(map[string]any)
			// Given Doctor hasManyThrough Patient, Patient
			// hasAndBelongsToMany Doctor, both through Appointment,
			// then each is an array of the other's WithRelations,
			for _, c := range []struct{ schema, prop, target string }{
				{"DoctorWithRelations", "patients", "PatientWithRelations"},
				{"PatientWithRelations", "doctors", "DoctorWithRelations"},
			} {
				want := map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/" + c.target}}
				if got := at(t, schemas, c.schema, "properties", c.prop); !reflect.DeepEqual(got, want) {
					t.Errorf("%s.%s = %v, want %v", c.schema, c.prop, got, want)
				}
			}
			// no property of Doctor or NewDoctor,
			for _, name := range []string{"Doctor", "NewDoctor"} {
				if _, ok := at(t, schemas, name, "properties").(map[string]any)["patients"]; ok {
					t.Errorf("%s has the navigational property patients", name)
				}
			}
			// a relation the filter's include names,
			if got := at(t, schemas, "Doctor.IncludeFilter.Items", "properties", "relation", "enum"); !reflect.DeepEqual(got, []any{"patients"}) {
				t.Errorf("relation enum = %v", got)
			}
			// and the Through type is no component.
			for name := range schemas {
				if strings.Contains(name, "Through") || strings.Contains(name, "Appointment") {
					t.Errorf("component %s", name)
				}
			}
			assertRefsResolve(t, doc, doc)
		})
	}
}
