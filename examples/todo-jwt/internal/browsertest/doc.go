// Package browsertest drives a real browser from a Go test: headless
// Chromium through ChromeDriver, over the W3C WebDriver protocol (HTTP
// and JSON, with net/http only).
//
// [Open] finds Debian's chromium and chromedriver (or the binaries that
// LOOM_CHROMIUM and LOOM_CHROMEDRIVER name), starts ChromeDriver on a free
// port of 127.0.0.1 and opens a [Session] in a fresh profile; both end
// with the test. Without the binaries the test is skipped, unless
// LOOM_REQUIRE_CHROMIUM is set, when it fails: CI installs them and sets
// it.
//
// A session finds elements by CSS selector or XPath ([Session.Find],
// [Session.FindXPath]); a search waits until the element is in the page,
// ChromeDriver polling for it (WebDriver's implicit wait, [Timeout]), so
// that a test waits for conditions, never for a fixed time: the timeout
// bounds only a failure. Elements are clicked, typed into and read
// ([Element.Click], [Element.SendKeys], [Element.Text]). Every failure
// fails the test, with the page's source in the message.
//
// [NewSession] speaks to any WebDriver endpoint, given its URL.
package browsertest
