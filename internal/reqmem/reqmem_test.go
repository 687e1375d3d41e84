package reqmem

import (
	"reflect"
	"testing"
	"unsafe"
)

func TestFits_TakesOnlySmallValuesWithoutPointers(t *testing.T) {
	type ids struct {
		ID    int
		Other uint16
		Ok    bool
		F     [2]float64
	}
	for typ, want := range map[reflect.Type]bool{
		reflect.TypeFor[ids]():                     true,
		reflect.TypeFor[struct{ ID int }]():        true,
		reflect.TypeFor[struct{}]():                false, // nothing to place
		reflect.TypeFor[struct{ S string }]():      false,
		reflect.TypeFor[struct{ P *int }]():        false,
		reflect.TypeFor[struct{ B []byte }]():      false,
		reflect.TypeFor[struct{ A [9]int64 }]():    false, // 72 bytes
		reflect.TypeFor[struct{ A any }]():         false,
		reflect.TypeFor[struct{ M map[int]int }](): false,
		reflect.TypeFor[[2]struct{ X *int }]():     false,
	} {
		if got := Fits(typ); got != want {
			t.Errorf("Fits(%v) = %v, want %v", typ, got, want)
		}
	}
}

func TestPointer_MakesTheInterfaceOfAPointer(t *testing.T) {
	type in struct{ ID int }
	var mem [8]uint64
	v := Pointer(TypeWord(&in{}), unsafe.Pointer(&mem))
	p, ok := v.(*in)
	if !ok || p != (*in)(unsafe.Pointer(&mem)) {
		t.Fatalf("Pointer gave %T %p", v, v)
	}
	p.ID = 42
	if mem[0] != 42 {
		t.Fatal("the value is not in the memory given")
	}
}
