package authentication_test

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/loomhq/loom/actions/authentication"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/rest"
	"github.com/loomhq/loom/rest/resttest"
)

const secret = "s3cr3t-p4ss"

// verifyBasic knows one user, ann, whose password is "secret"; it compares
// in constant time.
func verifyBasic(_ context.Context, user, password string) (*authentication.Profile, error) {
	okUser := subtle.ConstantTimeCompare([]byte(user), []byte("ann"))
	okPass := subtle.ConstantTimeCompare([]byte(password), []byte("secret"))
	if okUser&okPass != 1 {
		return nil, errors.New("Invalid user name or password")
	}
	return &authentication.Profile{ID: "1", Name: "ann"}, nil
}

func basicHeader(pair string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(pair))
}

func TestBasic_OverHTTP(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	app := resttest.Start(t,
		rest.WithLogger(zap.New(core)),
		rest.WithAuthentication(authentication.Basic(func(ctx context.Context, user, password string) (*authentication.Profile, error) {
			if user == "ann" && password == secret {
				return &authentication.Profile{ID: "1", Name: "ann"}, nil
			}
			return nil, errors.New("Invalid user name or password")
		})),
		rest.WithController(func() controller.Func {
			return controller.Func{Label: "C", List: []controller.Route{controller.Get("/me", who, controller.Authenticate("basic"))}}
		}),
	)
	cases := []struct {
		name, header string
		status       int
		message      string
	}{
		{"good", basicHeader("ann:" + secret), 200, ""},
		{"lower-case scheme", "basic " + base64.StdEncoding.EncodeToString([]byte("ann:"+secret)), 200, ""},
		{"wrong password", basicHeader("ann:" + secret + "x"), 401, "Invalid user name or password"},
		{"missing", "", 401, "User profile not returned from strategy's authenticate function"},
		{"another scheme", "Bearer " + secret, 401, "User profile not returned from strategy's authenticate function"},
		{"not base64", "Basic " + secret + "!!", 401, "Basic credentials are not valid base64"},
		{"no colon", basicHeader("ann" + secret), 401, "Basic credentials are not in the form user:password"},
		{"no user", basicHeader(":" + secret), 401, "Basic credentials are not in the form user:password"},
		{"control character", basicHeader("ann:" + secret + "\n"), 401, "Basic credentials are not in the form user:password"},
		{"too long", "Basic " + strings.Repeat("QUFB", authentication.MaxBasicCredentials/4+1), 401, "Basic credentials are too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h []string
			if c.header != "" {
				h = []string{"Authorization", c.header}
			}
			res := app.Get("/me", h...)
			if res.Status != c.status {
				t.Fatalf("GET /me = %d %s, want %d", res.Status, res.Body, c.status)
			}
			if strings.Contains(res.Text(), secret) || strings.Contains(strings.Join(res.Header.Values("WWW-Authenticate"), " "), secret) {
				t.Errorf("the answer repeats the password: %s", res.Body)
			}
			if c.status == 200 {
				var got whoAmI
				res.JSON(t, &got)
				if got.ID != "1" || got.Strategy != "basic" {
					t.Errorf("GET /me = %s, want ann by basic", res.Body)
				}
				return
			}
			var env envelope
			res.JSON(t, &env)
			if env.Error.Message != c.message {
				t.Errorf("message = %q, want %q", env.Error.Message, c.message)
			}
		})
	}
	for _, e := range logs.All() {
		line := e.Message
		for _, f := range e.Context {
			line += " " + f.String
			if f.Interface != nil {
				if err, ok := f.Interface.(error); ok {
					line += " " + err.Error()
				}
			}
		}
		if strings.Contains(line, secret) || strings.Contains(line, base64.StdEncoding.EncodeToString([]byte("ann:"+secret))) {
			t.Errorf("a log line holds the password: %s", line)
		}
	}
}

func TestParseBasic(t *testing.T) {
	u, p, err := authentication.ParseBasic(basicHeader("ann:pa:ss"))
	if err != nil || u != "ann" || p != "pa:ss" {
		t.Errorf("ParseBasic = %q, %q, %v; want ann, pa:ss", u, p, err)
	}
	if _, _, err := authentication.ParseBasic("Bearer x"); !errors.Is(err, authentication.ErrNotBasic) {
		t.Errorf("ParseBasic(Bearer) = %v, want ErrNotBasic", err)
	}
}

func FuzzParseBasic(f *testing.F) {
	f.Add(basicHeader("ann:secret"))
	f.Add("Basic ")
	f.Add("basic Og==")
	f.Add("Basic " + strings.Repeat("A", 5000))
	f.Add("Bearer x")
	f.Fuzz(func(t *testing.T, header string) {
		user, password, err := authentication.ParseBasic(header)
		if err != nil {
			if user != "" || password != "" {
				t.Fatal("an error with credentials")
			}
			// The texts are fixed: none repeats what the client sent.
			switch err.Error() {
			case authentication.ErrNotBasic.Error(), "Basic credentials are too long",
				"Basic credentials are not valid base64", "Basic credentials are not in the form user:password":
			default:
				t.Fatalf("error %q", err)
			}
			return
		}
		if user == "" || strings.ContainsAny(user, ":\x00\n\r") {
			t.Fatalf("user %q", user)
		}
		again, pass, err := authentication.ParseBasic(basicHeader(user + ":" + password))
		if err != nil || again != user || pass != password {
			t.Fatalf("round trip of %q: %q, %v", user, again, err)
		}
	})
}
