package repository_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

type thDoctor struct {
	ID       int                                          `json:"id,omitempty" loom:"id,generated"`
	Name     string                                       `json:"name"`
	Patients repository.Through[thPatient, thAppointment] `json:"patients,omitempty" loom:"hasManyThrough"`
}

func (thDoctor) ModelName() string { return "Doctor" }

type thPatient struct {
	ID      int                                         `json:"id,omitempty" loom:"id,generated"`
	Name    string                                      `json:"name"`
	Doctors repository.Through[thDoctor, thAppointment] `json:"doctors,omitempty" loom:"hasAndBelongsToMany"`
}

func (thPatient) ModelName() string { return "Patient" }

type thAppointment struct {
	ID        int `json:"id,omitempty" loom:"id,generated"`
	DoctorID  int `json:"doctorId"`
	PatientID int `json:"patientId"`
}

// thUser is friends with users, through thFriendship's own keys.
type thUser struct {
	ID      int                                      `json:"id,omitempty" loom:"id"`
	Friends repository.Through[thUser, thFriendship] `json:"friends,omitempty" loom:"hasManyThrough,throughFrom=userId,throughTo=friendId"`
}

type thFriendship struct {
	ID       int `json:"id,omitempty" loom:"id"`
	UserID   int `json:"userId"`
	FriendID int `json:"friendId"`
}

func TestThroughRelationsTakeLoopBacksDefaultKeys(t *testing.T) {
	d, err := repository.ModelOf[thDoctor]()
	if err != nil {
		t.Fatal(err)
	}
	r := d.Relation("patients")
	if r == nil || r.Kind != repository.HasManyThrough || !r.Many() || !r.IsThrough() {
		t.Fatalf("patients: %+v", r)
	}
	got := r.Target().Name + " " + r.KeyFrom + "→" + r.KeyTo + " through " + r.ThroughModel().Name + " " + r.ThroughFrom + "," + r.ThroughTo
	if want := "Patient id→id through thAppointment doctorId,patientId"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	p, _ := repository.ModelOf[thPatient]()
	if r := p.Relation("doctors"); r == nil || r.Kind != repository.HasAndBelongsToMany || r.ThroughFrom != "patientId" || r.ThroughTo != "doctorId" {
		t.Errorf("doctors: %+v", r)
	}
	u, err := repository.ModelOf[thUser]()
	if err != nil {
		t.Fatal(err)
	}
	if r := u.Relation("friends"); r == nil || r.ThroughFrom != "userId" || r.ThroughTo != "friendId" || r.Target() != u {
		t.Errorf("friends: %+v", r)
	}
	if d.Property("patients") != nil {
		t.Error("a navigational field is a property")
	}
	// The field is written as an array of targets.
	b, err := json.Marshal(thDoctor{ID: 1, Patients: repository.Through[thPatient, thAppointment]{{ID: 2, Name: "p"}}})
	if err != nil || string(b) != `{"id":1,"name":"","patients":[{"id":2,"name":"p"}]}` {
		t.Errorf("JSON %s, %v", b, err)
	}
}

type thNoJoinKey struct {
	ID       int                                         `json:"id,omitempty" loom:"id"`
	Patients repository.Through[thPatient, thFriendship] `json:"patients,omitempty" loom:"hasManyThrough"`
}

type thBadJoinType struct {
	ID       int                                      `json:"id,omitempty" loom:"id"`
	Patients repository.Through[thPatient, thStrLink] `json:"patients,omitempty" loom:"hasManyThrough,throughFrom=ownerId"`
}

type thStrLink struct {
	ID        int    `json:"id,omitempty" loom:"id"`
	OwnerID   string `json:"ownerId"`
	PatientID int    `json:"patientId"`
}

type thNoModelJoin struct {
	ID       int                                      `json:"id,omitempty" loom:"id"`
	Patients repository.Through[thPatient, notAModel] `json:"patients,omitempty" loom:"hasManyThrough"`
}

type thSameKeys struct {
	ID      int                                          `json:"id,omitempty" loom:"id"`
	Friends repository.Through[thSameKeys, thFriendship] `json:"friends,omitempty" loom:"hasManyThrough"`
}

func TestAWrongThroughRelationFailsTheRepositoryNamingModelAndRelation(t *testing.T) {
	conn := memory.New(memory.Options{})
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"missing join key", secondErr(repository.NewCrudRepository[thNoJoinKey, int](conn)),
			[]string{"thNoJoinKey", "relation patients", `thFriendship has no property "thNoJoinKeyId" to join on (throughFrom)`}},
		{"join key type", secondErr(repository.NewCrudRepository[thBadJoinType, int](conn)),
			[]string{"thBadJoinType", "relation patients", "thStrLink.ownerId is string", "one type"}},
		{"join model no model", secondErr(repository.NewCrudRepository[thNoModelJoin, int](conn)),
			[]string{"thNoModelJoin", "relation patients", "the join model is no model"}},
		{"self relation with one key name", secondErr(repository.NewCrudRepository[thSameKeys, int](conn)),
			[]string{"thSameKeys", "relation friends", "throughFrom= and throughTo="}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("the repository was built")
			}
			for _, w := range tc.want {
				if !strings.Contains(tc.err.Error(), w) {
					t.Errorf("%q does not say %q", tc.err, w)
				}
			}
		})
	}
}

type thSliceField struct {
	ID       int         `json:"id,omitempty" loom:"id"`
	Patients []thPatient `json:"patients,omitempty" loom:"hasManyThrough"`
}

type thThroughAsHasMany struct {
	ID       int                                          `json:"id,omitempty" loom:"id"`
	Patients repository.Through[thPatient, thAppointment] `json:"patients,omitempty" loom:"hasMany"`
}

type thOptionOnHasMany struct {
	ID    int       `json:"id,omitempty" loom:"id"`
	Todos []relTodo `json:"todos,omitempty" loom:"hasMany,throughFrom=x"`
}

func TestAMalformedThroughFieldFailsTheModel(t *testing.T) {
	for name, err := range map[string]error{
		"a hasManyThrough field is a repository.Through[Target, JoinModel]":      modelErr[thSliceField](),
		"declares a hasManyThrough or hasAndBelongsToMany relation, not hasMany": modelErr[thThroughAsHasMany](),
		`option "throughFrom=x" applies to a relation through a join model`:      modelErr[thOptionOnHasMany](),
	} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("got %v, want an error saying %q", err, name)
		}
	}
}

func TestAThroughRepositoryNeedsItsKindItsTargetAndItsJoinModel(t *testing.T) {
	conn := memory.New(memory.Options{})
	doctors, _ := repository.NewCrudRepository[thDoctor, int](conn)
	patients, _ := repository.NewCrudRepository[thPatient, int](conn)
	appointments, _ := repository.NewCrudRepository[thAppointment, int](conn)
	friendships, _ := repository.NewCrudRepository[thFriendship, int](conn)
	for want, err := range map[string]error{
		"is hasManyThrough, not hasAndBelongsToMany":                                   secondErr(repository.NewHasAndBelongsToMany(doctors, patients, appointments, "patients")),
		"joins through thAppointment, but the join repository's model is thFriendship": secondErr(repository.NewHasManyThrough(doctors, patients, friendships, "patients")),
		"targets Patient, but the target repository's model is Doctor":                 secondErr(repository.NewHasManyThrough(doctors, doctors, appointments, "patients")),
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want an error saying %q", err, want)
		}
	}
	if _, err := repository.NewHasAndBelongsToMany(patients, doctors, appointments, "doctors"); err != nil {
		t.Error(err)
	}
}

func TestThroughIncludesCountTheirLinksAgainstMaxIncludeRows(t *testing.T) {
	conn := memory.New(memory.Options{})
	doctors, _ := repository.NewCrudRepository[thCappedDoctor, int](conn)
	patients, _ := repository.NewCrudRepository[thPatient, int](conn)
	appointments, _ := repository.NewCrudRepository[thAppointment, int](conn)
	ctx := t.Context()
	d, err := doctors.Create(ctx, thCappedDoctor{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := patients.Create(ctx, thPatient{Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	// Three links to one patient: three links and one patient fetched.
	for range 3 {
		if _, err := appointments.Create(ctx, thAppointment{DoctorID: d.ID, PatientID: p.ID}); err != nil {
			t.Fatal(err)
		}
	}
	f := &repository.Filter[thCappedDoctor]{Include: []repository.Inclusion{{Relation: "patients"}}}
	got, err := doctors.Find(ctx, f)
	if err != nil || len(got) != 1 || len(got[0].Patients) != 1 {
		t.Fatalf("under the cap: %+v, %v", got, err)
	}
	if _, err := appointments.Create(ctx, thAppointment{DoctorID: d.ID, PatientID: p.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = doctors.Find(ctx, f)
	var fe *repository.FilterError
	if !errors.As(err, &fe) || fe.ErrorCode() != repository.CodeQueryTooCostly {
		t.Fatalf("past the cap: %v", err)
	}
}

// thCappedDoctor is a Doctor whose finds may include four rows.
type thCappedDoctor struct {
	ID       int                                          `json:"id,omitempty" loom:"id,generated"`
	Patients repository.Through[thPatient, thAppointment] `json:"patients,omitempty" loom:"hasManyThrough"`
}

func (thCappedDoctor) ModelName() string { return "Doctor" }

func (thCappedDoctor) FilterLimits() repository.Limits { return repository.Limits{MaxIncludeRows: 4} }

type thSmallDoctor struct {
	ID       int                                               `json:"id,omitempty" loom:"id,generated"`
	Patients repository.Through[thSmallPatient, thAppointment] `json:"patients,omitempty" loom:"hasManyThrough"`
}

func (thSmallDoctor) ModelName() string { return "Doctor" }

// thSmallPatient is a Patient whose finds may include two rows.
type thSmallPatient struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name"`
}

func (thSmallPatient) ModelName() string { return "Patient" }

func (thSmallPatient) FilterLimits() repository.Limits { return repository.Limits{MaxIncludeRows: 2} }

func TestAThroughRepositoryRefusesASourceWithMoreLinksThanMaxIncludeRows(t *testing.T) {
	conn := memory.New(memory.Options{})
	doctors, _ := repository.NewCrudRepository[thSmallDoctor, int](conn)
	patients, _ := repository.NewCrudRepository[thSmallPatient, int](conn)
	appointments, _ := repository.NewCrudRepository[thAppointment, int](conn)
	rel, err := repository.NewHasManyThrough(doctors, patients, appointments, "patients")
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for i := range 2 {
		if _, err := rel(1).Create(ctx, thSmallPatient{Name: string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := rel(1).Find(ctx, nil); err != nil || len(got) != 2 {
		t.Fatalf("at the cap: %v, %v", got, err)
	}
	if _, err := rel(1).Create(ctx, thSmallPatient{Name: "c"}); err != nil {
		t.Fatal(err)
	}
	_, err = rel(1).Find(ctx, nil)
	var fe *repository.FilterError
	if !errors.As(err, &fe) || fe.ErrorCode() != repository.CodeQueryTooCostly || !strings.Contains(err.Error(), "more than 2 links") {
		t.Fatalf("past the cap: %v", err)
	}
	if _, err := rel(2).Find(ctx, nil); err != nil {
		t.Fatalf("another doctor: %v", err)
	}
}
