package actions

import "testing"

func offersOf(types ...string) []mediaOffer {
	var out []mediaOffer
	for _, t := range types {
		n := len(t)
		for i := range n {
			if t[i] == '/' {
				out = append(out, mediaOffer{mediaType: t, typ: t[:i], sub: t[i+1:], bare: t})
			}
		}
	}
	return out
}

func TestChooseOffer(t *testing.T) {
	offers := offersOf("application/json", "text/csv", "text/plain")
	cases := []struct {
		accept []string
		want   int
	}{
		{nil, 0},
		{[]string{""}, 0},
		{[]string{"*/*"}, 0},
		{[]string{"*"}, 0},
		{[]string{"text/csv"}, 1},
		{[]string{"text/*"}, 1},
		{[]string{"text/plain, text/csv"}, 2},
		{[]string{"text/csv;q=0.3, text/plain;q=0.4"}, 2},
		{[]string{"text/*;q=0.5, text/plain;q=0, */*;q=0.1"}, 1},
		{[]string{"application/json;q=0.5", "text/csv"}, 1}, // two header lines
		{[]string{"image/png"}, -1},
		{[]string{"*/*;q=0"}, -1},
		{[]string{"text/csv;q=1.5"}, 0}, // unreadable: as if absent
		{[]string{"text/csv;q=.5, application/json;q=0.4"}, 1},
		{[]string{"text/csv;level=1;q=0.9, application/json;q=0.8"}, 1},
		{[]string{"*/json"}, 0},
	}
	for _, c := range cases {
		if got := chooseOffer(c.accept, offers); got != c.want {
			t.Errorf("Accept %q: offer %d, want %d", c.accept, got, c.want)
		}
	}
}

func TestParseQ(t *testing.T) {
	for s, want := range map[string]int{"1": 1000, "0": 0, "0.5": 500, "0.125": 125, "1.000": 1000, ".8": 800, "1.": 1000} {
		if got, ok := parseQ(s); !ok || got != want {
			t.Errorf("parseQ(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "2", "1.5", "0.1234", "x", "-1", "0.5x", "01"} {
		if _, ok := parseQ(s); ok {
			t.Errorf("parseQ(%q) read", s)
		}
	}
}

func TestChooseOffer_AllocatesNothing(t *testing.T) {
	offers := offersOf("application/json")
	for _, accept := range [][]string{nil, {"application/json"}, {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}} {
		if n := testing.AllocsPerRun(100, func() { chooseOffer(accept, offers) }); n != 0 {
			t.Errorf("Accept %q: %v allocations", accept, n)
		}
	}
}

func BenchmarkChooseOffer(b *testing.B) {
	offers := offersOf("application/json")
	for _, accept := range []string{"application/json", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"} {
		b.Run(accept, func(b *testing.B) {
			h := []string{accept}
			for b.Loop() {
				chooseOffer(h, offers)
			}
		})
	}
}
