package repository_test

import (
	"encoding/json"
	"testing"

	"github.com/loomhq/loom/repository"
)

// oddKeys are property names JSON must escape, or cannot hold as they are.
var oddKeys = []string{
	"nul\x00byte",
	"line\u2028separator",
	"invalid\xffutf8",
	`quo"te\back`,
	"tab\tnewline\n",
	"<html&amp>",
	"del\x7f",
	"plain",
}

func TestDataMarshalJSON_WritesEveryKeyAsAJSONString(t *testing.T) {
	// Given an entity whose keys hold control characters, U+2028, invalid
	// UTF-8 and quotes,
	d := repository.Data{}
	for i, k := range oddKeys {
		d[k] = json.RawMessage([]byte{'1' + byte(i)})
	}
	// when it is marshalled,
	got, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	// then it is valid JSON, byte for byte what encoding/json writes for the
	// same object (which sorts keys too),
	if !json.Valid(got) {
		t.Fatalf("not JSON: %q", got)
	}
	want, _ := json.Marshal(map[string]json.RawMessage(d))
	if string(got) != string(want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// and it reads back as the same keys (invalid UTF-8 as U+FFFD, the
	// most JSON can hold), which write as they were read.
	var back repository.Data
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	for i, k := range oddKeys {
		if k == "invalid\xffutf8" {
			k = "invalid\ufffdutf8"
		}
		if v := string(back[k]); v != string(rune('1'+i)) {
			t.Errorf("key %q reads back as %q", k, v)
		}
	}
	again, _ := back.MarshalJSON()
	var third repository.Data
	if err := json.Unmarshal(again, &third); err != nil || len(third) != len(oddKeys) {
		t.Fatalf("written again: %q: %v", again, err)
	}
	if last, _ := third.MarshalJSON(); string(last) != string(again) {
		t.Errorf("written a third time: %q\nthe second: %q", last, again)
	}
}
