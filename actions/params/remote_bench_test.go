package params

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchPoint reads itself from JSON, as a geographic point does.
type benchPoint struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

func (p *benchPoint) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		return errors.New("text points are not read here")
	}
	type plain benchPoint
	return json.Unmarshal(data, (*plain)(p))
}

type benchNearby struct {
	Here benchPoint `query:"here" validate:"required"`
	Max  *float64   `query:"max"`
}

type benchForm struct {
	Token string `form:"token" validate:"required"`
	Count *int   `form:"count"`
}

func BenchmarkDecode_RemoteArgs(b *testing.B) {
	b.Run("query int", func(b *testing.B) {
		d := mustCompile[hourIn](b, remote)
		r := httptest.NewRequest("GET", "/status?hour=07", nil)
		var v hourIn
		b.ReportAllocs()
		for b.Loop() {
			if err := d.Decode(r, nil, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("deep-object point", func(b *testing.B) {
		d := mustCompile[benchNearby](b, remote)
		r := httptest.NewRequest("GET", "/nearby?here[lat]=49.2838&here[lng]=-123.1123&max=80", nil)
		var v benchNearby
		b.ReportAllocs()
		for b.Loop() {
			if err := d.Decode(r, nil, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, tc := range []struct{ name, ctype, body string }{
		{"urlencoded form", "application/x-www-form-urlencoded", "token=abc&count=7"},
		{"JSON form", "application/json", `{"token":"abc","count":7}`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			d := mustCompile[benchForm](b, remote)
			rd := strings.NewReader(tc.body)
			r := httptest.NewRequest("POST", "/verify", rd)
			r.Header.Set("Content-Type", tc.ctype)
			var v benchForm
			b.ReportAllocs()
			for b.Loop() {
				rd.Reset(tc.body)
				r.Body, r.ContentLength = readCloser{rd}, int64(len(tc.body))
				if err := d.Decode(r, nil, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
