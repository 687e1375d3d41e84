package params

import (
	"errors"
	"net/http"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

var remote = Options{RemoteArgs: true}

type hourIn struct {
	Hour *int    `query:"hour"`
	Name *string `query:"name"`
	Days []int   `query:"days"`
}

func TestRemoteArgs_EmptyValueIsAbsentOnlyInRemoteMode(t *testing.T) {
	d := mustCompile[hourIn](t, remote)
	v, err := decode[hourIn](t, d, req("GET", "/?hour=&days=&name=", "", ""), nil)
	if err != nil || v.Hour != nil || v.Days != nil || v.Name == nil || *v.Name != "" {
		t.Errorf("remote: %+v %v", v, err)
	}
	// LoopBack 4's parameters keep refusing it.
	_, err = decode[hourIn](t, mustCompile[hourIn](t, Options{}), req("GET", "/?hour=", "", ""), nil)
	checkErr(t, err, invalid("hour", `""`, ""))
}

func TestRemoteArgs_ErrorDetailsNameTheParameterAndItsType(t *testing.T) {
	d := mustCompile[hourIn](t, remote)
	_, err := decode[hourIn](t, d, req("GET", "/?hour=abc", "", ""), nil)
	checkErr(t, err, invalid("hour", `"abc"`, `[{"path":"","code":"type","message":"must be integer","info":{"type":"integer","parameter":"hour","in":"query"}}]`))
	_, err = decode[hourIn](t, d, req("GET", "/?hour=1&hour=2", "", ""), nil)
	checkErr(t, err, invalid("hour", `["1","2"]`, `[{"path":"","code":"type","message":"must be integer","info":{"type":"integer","parameter":"hour","in":"query"}}]`))
	_, err = decode[hourIn](t, d, req("GET", "/?days=1,x", "", ""), nil)
	checkErr(t, err, invalid("days", `"1,x"`, `[{"path":"","code":"type","message":"must be array","info":{"type":"array","items":"integer","parameter":"days","in":"query"}}]`))

	type need struct {
		Code string `header:"X-Code" validate:"required"`
	}
	_, err = decode[need](t, mustCompile[need](t, remote), req("GET", "/", "", ""), nil)
	w := missing("X-Code")
	w.Details = `[{"path":"","code":"required","message":"must have required property 'X-Code'","info":{"missingProperty":"X-Code","in":"header","type":"string"}}]`
	checkErr(t, err, w)
}

type formIn struct {
	Token string         `form:"token" validate:"required"`
	Count *int           `form:"count"`
	Tags  []string       `form:"tags"`
	Where map[string]any `form:"where"`
	Req   *http.Request  `context:"req"`
}

func TestForm_ReadsUrlencodedAndJSONObjectBodies(t *testing.T) {
	d := mustCompile[formIn](t, remote)
	r := req("POST", "/", "application/x-www-form-urlencoded", "token=a%20b&count=07&tags=x&tags=y&where[name]=n")
	v, err := decode[formIn](t, d, r, nil)
	if err != nil || v.Token != "a b" || *v.Count != 7 || strings.Join(v.Tags, ",") != "x,y" || v.Where["name"] != "n" || v.Req != r {
		t.Errorf("form: %+v %v", v, err)
	}
	r = req("POST", "/", "", `{"token":"t","count":3,"tags":["x","y"],"where":{"name":"n"}}`)
	v, err = decode[formIn](t, d, r, nil)
	if err != nil || v.Token != "t" || *v.Count != 3 || strings.Join(v.Tags, ",") != "x,y" || v.Where["name"] != "n" || v.Req != r {
		t.Errorf("JSON: %+v %v", v, err)
	}
	// A JSON string is a list of one, as a single query value is.
	v, err = decode[formIn](t, d, req("POST", "/", "", `{"token":"t","tags":"x"}`), nil)
	if err != nil || strings.Join(v.Tags, ",") != "x" {
		t.Errorf("JSON list of one: %+v %v", v, err)
	}
	// The request is given without a body too.
	r = req("POST", "/", "-", "")
	_, err = decode[formIn](t, d, r, nil)
	w := missing("token")
	w.Details = "*"
	checkErr(t, err, w)
}

func TestForm_RefusesWhatItCannotRead(t *testing.T) {
	d := mustCompile[formIn](t, Options{RemoteArgs: true, BodyLimit: 32, MaxQueryParams: 3})
	for name, tc := range map[string]struct {
		r      *http.Request
		status int
		code   string
	}{
		"over the body limit":            {req("POST", "/", "application/x-www-form-urlencoded", "token="+strings.Repeat("a", 40)), 413, ""},
		"too many pairs":                 {req("POST", "/", "application/x-www-form-urlencoded", "token=a&a=1&b=2&c=3"), 400, CodeTooManyQueryParameters},
		"too many properties":            {req("POST", "/", "", `{"token":"a","a":1,"b":2,"c":3}`), 400, CodeTooManyQueryParameters},
		"a JSON array":                   {req("POST", "/", "", `[1,2]`), 400, "INVALID_PARAMETER_VALUE"},
		"malformed JSON":                 {req("POST", "/", "", `{"token"`), 400, ""},
		"__proto__":                      {req("POST", "/", "", `{"__proto__":1}`), 400, ""},
		"text/plain":                     {req("POST", "/", "text/plain", "token=a"), 415, "UNSUPPORTED_MEDIA_TYPE"},
		"a bad JSON charset":             {req("POST", "/", "application/json; charset=latin1", `{}`), 415, "UNSUPPORTED_MEDIA_TYPE"},
		"a repeated field":               {req("POST", "/", "application/x-www-form-urlencoded", "token=a&count=1&count=2"), 400, "INVALID_PARAMETER_VALUE"},
		"a boolean for an int":           {req("POST", "/", "", `{"token":"a","count":true}`), 400, "INVALID_PARAMETER_VALUE"},
		"a JSON string for an int":       {req("POST", "/", "", `{"token":"a","count":"7"}`), 400, "INVALID_PARAMETER_VALUE"},
		"a JSON number for a string":     {req("POST", "/", "", `{"token":7}`), 400, "INVALID_PARAMETER_VALUE"},
		"a JSON number in a string list": {req("POST", "/", "", `{"token":"a","tags":["x",1]}`), 400, "INVALID_PARAMETER_VALUE"},
		"too many list items":            {req("POST", "/", "", `{"tags":["1","2","3","4"]}`), 400, CodeTooManyQueryParameters},
	} {
		_, err := decode[formIn](t, d, tc.r, nil)
		var he interface {
			StatusCode() int
			ErrorCode() string
		}
		if !errors.As(err, &he) || he.StatusCode() != tc.status || he.ErrorCode() != tc.code {
			t.Errorf("%s: %v, want %d %s", name, err, tc.status, tc.code)
		}
	}
	deep := "token=a&where" + strings.Repeat("[a]", 40) + "=1"
	_, err := decode[formIn](t, mustCompile[formIn](t, remote), req("POST", "/", "application/x-www-form-urlencoded", deep), nil)
	if err == nil || !strings.Contains(err.Error(), "Invalid data") {
		t.Errorf("a deep object past the depth cap: %v", err)
	}
}

func TestCompile_RefusesBadFormAndContextFields(t *testing.T) {
	for name, typ := range map[string]reflect.Type{
		"form and json": reflect.TypeFor[struct {
			A string `form:"a"`
			B string `json:"b"`
		}](),
		"form and body": reflect.TypeFor[struct {
			A string `form:"a"`
			B any    `body:"json"`
		}](),
		"context res": reflect.TypeFor[struct {
			W http.ResponseWriter `context:"res"`
		}](),
		"context req of another type": reflect.TypeFor[struct {
			R http.Request `context:"req"`
		}](),
		"form declared twice": reflect.TypeFor[struct {
			A string `form:"a"`
			B string `form:"a"`
		}](),
	} {
		if _, err := Compile(typ, remote); err == nil {
			t.Errorf("%s: compiled", name)
		}
	}
}

// grid reads itself from "x:y" only.
type grid struct {
	X int `json:"x"`
	Y int `json:"y" validate:"max=9"`
}

func (g *grid) UnmarshalText(b []byte) error {
	x, y, ok := strings.Cut(string(b), ":")
	var e1, e2 error
	g.X, e1 = strconv.Atoi(x)
	g.Y, e2 = strconv.Atoi(y)
	if !ok || e1 != nil || e2 != nil {
		return errors.New("want x:y")
	}
	return nil
}

type gridIn struct {
	At  *grid  `query:"at"`
	Ats []grid `query:"ats"`
}

func TestRemoteArgs_SelfReadingStructs(t *testing.T) {
	d := mustCompile[gridIn](t, remote)
	for _, q := range []string{"at=1:2", "at[x]=1&at[y]=02", `at={"x":1,"y":2}`} {
		v, err := decode[gridIn](t, d, req("GET", "/?"+q, "", ""), nil)
		if err != nil || v.At == nil || *v.At != (grid{1, 2}) {
			t.Errorf("%s: %+v %v", q, v.At, err)
		}
	}
	// A list of them is still read from text.
	v, err := decode[gridIn](t, d, req("GET", "/?ats=1:2,3:4", "", ""), nil)
	if err != nil || len(v.Ats) != 2 || v.Ats[1] != (grid{3, 4}) {
		t.Errorf("ats: %+v %v", v.Ats, err)
	}
	_, err = decode[gridIn](t, d, req("GET", "/?at=1", "", ""), nil)
	checkErr(t, err, invalid("at", `"1"`, `[{"path":"","code":"format","message":"want x:y","info":{}}]`))
	_, err = decode[gridIn](t, d, req("GET", "/?at[x]=1&at[z]=2", "", ""), nil)
	checkErr(t, err, invalid("at", `{"x":"1","z":"2"}`, `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"z"}}]`))
	_, err = decode[gridIn](t, d, req("GET", "/?at"+strings.Repeat("[x]", 40)+"=1", "", ""), nil)
	if err == nil {
		t.Error("a deep object past the depth cap was read")
	}
	// Outside remote mode a text type is text only.
	v, err = decode[gridIn](t, mustCompile[gridIn](t, Options{}), req("GET", "/?at[x]=1&at[y]=2", "", ""), nil)
	if err != nil || v.At != nil {
		t.Errorf("LoopBack 4 mode: %+v %v", v.At, err)
	}
	// The struct's own validate rules run on every form.
	_, err = decode[gridIn](t, d, req("GET", "/?at[x]=1&at[y]=12", "", ""), nil)
	if err == nil {
		t.Error("y=12 passed max=9")
	}
}

func TestRemoteArgs_TextStructsOfTheStandardLibraryStillReadText(t *testing.T) {
	type in struct {
		IP     netip.Addr    `query:"ip"`
		Prefix *netip.Prefix `query:"prefix"`
	}
	d := mustCompile[in](t, remote)
	v, err := decode[in](t, d, req("GET", "/?ip=10.1.2.3&prefix=10.0.0.0/8", "", ""), nil)
	if err != nil || v.IP.String() != "10.1.2.3" || v.Prefix == nil || v.Prefix.String() != "10.0.0.0/8" {
		t.Errorf("%+v %v", v, err)
	}
	if _, err := decode[in](t, d, req("GET", "/?ip=nope", "", ""), nil); err == nil {
		t.Error("ip=nope was read")
	}
	if v, err := decode[in](t, d, req("GET", "/?ip=", "", ""), nil); err != nil || v.IP.IsValid() {
		t.Errorf("ip= (absent): %+v %v", v, err)
	}
}
