package memory_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/memory"
)

// crashFileEnv makes the test binary a writer: TestCrashWriter creates
// todos in a loop in the file it names, printing each acknowledged id.
// crashCompactEnv, when set, is the writer's JournalCompactAt: so small
// that compactions run all along, and the writer waits for one every
// crashCompactEvery todos, saying so.
const (
	crashFileEnv      = "LOOM_MEMORY_CRASH_FILE"
	crashCompactEnv   = "LOOM_MEMORY_CRASH_COMPACT_AT"
	crashCompactEvery = 7
)

func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashFileEnv)
	if path == "" {
		t.Skip("run by TestKilledWriterLeavesEveryAcknowledgedWrite")
	}
	compactAt, _ := strconv.ParseInt(os.Getenv(crashCompactEnv), 10, 64)
	c := memory.New(memory.Options{File: path, JournalCompactAt: compactAt})
	if err := c.Start(context.Background()); err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	repo, err := repository.NewCrudRepository[Todo, int](c)
	if err != nil {
		os.Exit(2)
	}
	for i := 0; ; i++ {
		todo, err := repo.Create(context.Background(), Todo{Title: "w" + strconv.Itoa(i)})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		if i%3 == 0 { // updates are journaled too
			if err := repo.UpdateByID(context.Background(), todo.ID, repository.PatchOf[Todo](map[string]any{"isComplete": true})); err != nil {
				os.Exit(2)
			}
		}
		if compactAt > 0 && i%crashCompactEvery == crashCompactEvery-1 {
			if err := memory.WaitCompaction(c); err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			fmt.Println("compacted")
		}
		fmt.Printf("ack %d %s %v\n", todo.ID, todo.Title, i%3 == 0) // after the write returned: on disk
	}
}

// crashRounds is how many writers are killed; each is killed after a
// random number of acknowledged writes, up to crashMaxAcks.
const (
	crashRounds  = 8
	crashMaxAcks = 40
)

// crashAck is one write the writer acknowledged: on disk, it says.
type crashAck struct {
	id    int
	title string
	done  bool
}

func TestKilledWriterLeavesEveryAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	// given a child process writing to the file in a loop, every other
	// round with a journal so small that it is compacted all along
	path := filepath.Join(t.TempDir(), "db.json")
	acked := map[int]crashAck{}
	total, compactions := 0, 0
	for round := range crashRounds {
		compacting := round%2 == 1
		var stderr strings.Builder
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$")
		cmd.Env = append(os.Environ(), crashFileEnv+"="+path)
		if compacting {
			cmd.Env = append(cmd.Env, crashCompactEnv+"=256")
		}
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := make(chan crashAck)
		var lines []string // what the writer said besides its acks
		go func() {
			defer close(acks)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				f := strings.Fields(sc.Text())
				switch {
				case len(f) == 4 && f[0] == "ack":
					id, _ := strconv.Atoi(f[1])
					acks <- crashAck{id: id, title: f[2], done: f[3] == "true"}
				case sc.Text() == "compacted":
					compactions++
				default:
					lines = append(lines, sc.Text())
				}
			}
		}()

		// when it is killed after a number of acknowledged writes, in the
		// middle of whatever write (or compaction) comes next; a
		// compacting writer after at least one compaction it waited for
		killAfter := 1 + rand.IntN(crashMaxAcks)
		if compacting {
			killAfter = crashCompactEvery + rand.IntN(crashMaxAcks)
		}
		n := 0
		for a := range acks {
			acked[a.id] = a
			if n++; n == killAfter {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
		// acks is closed: the pipe is drained, every ack read
		waitErr := cmd.Wait()
		if n < killAfter {
			t.Fatalf("round %d: the writer stopped after %d of %d writes (%v): %s%s",
				round, n, killAfter, waitErr, strings.Join(lines, "\n"), stderr.String())
		}
		total += n

		// then the file loads and holds every write acknowledged before
		c := memory.New(memory.Options{File: path})
		if err := c.Start(t.Context()); err != nil {
			t.Fatalf("round %d: the file does not load: %v", round, err)
		}
		repo, _ := repository.NewCrudRepository[Todo, int](c)
		all, err := repo.Find(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		stored := map[int]Todo{}
		for _, td := range all {
			stored[td.ID] = td
		}
		for id, a := range acked {
			got, ok := stored[id]
			if !ok || got.Title != a.title || a.done && (got.IsComplete == nil || !*got.IsComplete) {
				t.Fatalf("round %d: acknowledged write %d %+v lost; stored %+v", round, id, a, got)
			}
		}
	}
	if compactions == 0 {
		t.Fatal("no writer compacted its journal")
	}
	t.Logf("%d writers killed, %d acknowledged writes, all on disk; %d compactions waited for", crashRounds, total, compactions)
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".db.json.tmp-*"))
	if len(matches) > 1 {
		t.Fatalf("%d temporary files left: Start should remove those of earlier kills", len(matches))
	}
}
