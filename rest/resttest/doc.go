// Package resttest starts a Loom application for a test and talks to it
// over HTTP, as LoopBack's testlab and fx's fxtest do:
//
//	func TestPing(t *testing.T) {
//		app := resttest.Start(t, rest.WithController(NewPingController))
//		resp := app.Get("/ping")
//		if resp.Status != 200 {
//			t.Fatalf("GET /ping = %d %s", resp.Status, resp.Body)
//		}
//	}
//
// [Start] builds the application, starts it on a free port of 127.0.0.1
// with its log in the test's log, and stops it when the test ends; any
// failure fails the test. The [App]'s helpers send requests relative to
// its URL and read the answers whole.
package resttest
