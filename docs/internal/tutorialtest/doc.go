// Package tutorialtest keeps a tutorial of docs/tutorials honest: the
// code on its pages is the code kept under its testdata/steps, the
// reader's folder after the last step is an example of the repository,
// and the reader's steps, followed word for word, do what the pages say.
// Each tutorial's tests describe it with a [Tutorial] and call its checks.
//
// # The pages and their steps
//
// A page shows a file with a marker line right before the fence:
//
//	<!-- file: controller.go -->
//	```go
//	...
//	```
//
// and the block must be byte for byte testdata/steps/<n>/controller.go,
// where n is the number the page's name starts with
// ([Tutorial.CheckPagesShowTheStepFiles]). A page removes a file with an
// rm command of its ```sh blocks. The reader's folder after the last step
// is the tutorial's example ([Tutorial.CheckLastStepIsTheExample]).
//
// # Following the pages
//
// [Tutorial.Follow] follows the pages as a reader does. In one folder,
// page after page, it writes each file a page shows and runs each command
// of its ```sh blocks, in the page's order, and checks what a command
// prints against the block that follows it. Then it checks what the page
// says in prose ([Tutorial.Prose]).
//
// Where it cannot be the reader's terminal, it stands in for it:
//   - ~/src is a temporary folder holding a link named loom to this
//     repository: the clone the prerequisites ask for.
//   - /tmp/ in a command is a temporary folder of the test's.
//   - go run builds once (go build) and runs the binary, as go run does;
//     the build is kept until a file or go.mod changes.
//   - A command that serves ([Tutorial.Serving]) runs in a terminal of
//     its own, on 127.0.0.1 and a free port instead of the page's; the
//     page's address is rewritten in later commands and outputs.
//   - curl is a small HTTP client (-H, -d, -X, -g, -i); mkdir, cd,
//     head -n, cp -r and rm do what they do in a shell, on files only.
//   - Any other command first stops the servers with Ctrl-C (SIGINT), as
//     the pages say to, and so does the end of each page.
//
// An output block is one that follows an ```sh block with only blank
// lines between them; prose between them ("something like:") makes the
// output an illustration, not checked. A "<!-- not run: reason -->"
// marker leaves an ```sh block out.
package tutorialtest
