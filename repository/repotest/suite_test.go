package repotest_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
	"github.com/loomhq/loom/repository/repotest"
)

func TestRun_PassesOnTheMemoryConnectorRunningEveryCaseOfCases(t *testing.T) {
	// Given the memory connector, recording the test that asks for each
	// fresh connector (a crud or limits case, or the filter group),
	var mu sync.Mutex
	var asked []string
	repotest.Run(t, func(t *testing.T) repository.Connector {
		mu.Lock()
		asked = append(asked, strings.TrimPrefix(t.Name(), "TestRun_PassesOnTheMemoryConnectorRunningEveryCaseOfCases/"))
		mu.Unlock()
		return memory.New(memory.Options{})
	})
	// then the suite passes (else this test fails with it), and the cases
	// that got a connector are those Cases lists, in its order, as go test
	// names them.
	var want []string
	for _, name := range repotest.Cases() {
		group, _, _ := strings.Cut(name, "/")
		if group == "filter" {
			name = "filter" // its cases share one connector
		}
		if name = strings.ReplaceAll(name, " ", "_"); !slices.Contains(want, name) {
			want = append(want, name)
		}
	}
	if !slices.Equal(asked, want) {
		t.Errorf("connectors asked for by\n%q\nwant\n%q", asked, want)
	}
	if len(want) < 30 {
		t.Errorf("Cases lists %d connector-owning cases; the suite has more", len(want))
	}
}
