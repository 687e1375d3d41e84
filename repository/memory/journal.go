package memory

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
)

// The journal is a file beside the data file (db.json.journal) to which
// each write appends one record, synced before the write returns; the data
// file is rewritten only by a compaction. A record is framed as
//
//	length uint32 LE | CRC-32C of the payload uint32 LE | payload
//
// and its payload is one write's outcome for one model, with absolute
// values so that replaying a record twice changes nothing:
//
//	1 | model | has next id (0/1) [| next id, varint] | puts: count, (key, entity JSON)... | deletes: count, key...
//
// strings written as a uvarint length and their bytes.

const (
	journalSuffix    = ".journal"
	oldJournalSuffix = ".journal.old" // the journal a compaction is folding into the data file
	recordHeader     = 8
	recordKind       = 1
	// defaultCompactAt is the smallest journal size that starts a
	// compaction when Options.JournalCompactAt is 0.
	defaultCompactAt = 8 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// syncJournal flushes the journal's appended records to stable storage.
// Tests replace it to see what a write syncs, or to make it fail.
var syncJournal = fdatasync

// writeJournal appends a record to the journal. Tests replace it to make
// a write fail, as a full disk would.
var writeJournal = (*os.File).Write

// journal is the open journal file. It is used under Connector.mu.
type journal struct {
	path string
	f    *os.File
	size int64 // bytes of acknowledged records
	// broken is set when a failed append could not be taken back: the
	// file's tail is unknown, so no record may follow it.
	broken error
}

// openJournal opens path for appending, creating it with mode and
// syncing its directory when it is new, so that its records cannot
// outlive their file's name.
func openJournal(path string, mode fs.FileMode) (*journal, error) {
	fi, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, mode)
	if err != nil {
		return nil, fmt.Errorf("memory: opening %s: %w", path, err)
	}
	j := &journal{path: path, f: f}
	if statErr == nil {
		j.size = fi.Size()
		return j, nil
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

// append writes rec and syncs it. On failure the journal is cut back to
// its acknowledged records, so that a write reported failed is never
// replayed; when even that fails, the journal refuses every later record.
func (j *journal) append(rec []byte) error {
	if j.broken != nil {
		return j.broken
	}
	_, err := writeJournal(j.f, rec)
	if err == nil {
		err = syncJournal(j.f)
	}
	if err == nil {
		j.size += int64(len(rec))
		return nil
	}
	err = fmt.Errorf("memory: writing %s: %w", j.path, err)
	if terr := j.f.Truncate(j.size); terr != nil {
		j.broken = fmt.Errorf("memory: %s cannot take back a failed write (%v) after: %w; restart to recover", j.path, terr, err)
	} else if serr := syncJournal(j.f); serr != nil {
		j.broken = fmt.Errorf("memory: %s cannot take back a failed write (%v) after: %w; restart to recover", j.path, serr, err)
	}
	return err
}

func (j *journal) close() error { return j.f.Close() }

// change is one model's part of a write, as the journal records it.
type change struct {
	model   string
	hasNext bool
	next    int64
	puts    []putEntry
	deletes []string
}

type putEntry struct{ key, text string }

// appendRecord appends the framed record of a write to buf: the rows of
// the keys it changed as they now are in t (absent: deleted), and the
// model's next id.
func appendRecord(buf []byte, model string, next int64, hasNext bool, t *table, log []undoEntry) []byte {
	start := len(buf)
	buf = append(buf, make([]byte, recordHeader)...)
	buf = append(buf, recordKind)
	buf = appendString(buf, model)
	if hasNext {
		buf = append(buf, 1)
		buf = binary.AppendVarint(buf, next)
	} else {
		buf = append(buf, 0)
	}
	var puts, deletes uint64
	for _, e := range log {
		if t.byKey[e.key] != nil {
			puts++
		} else {
			deletes++
		}
	}
	buf = binary.AppendUvarint(buf, puts)
	for _, e := range log {
		if r := t.byKey[e.key]; r != nil {
			buf = appendString(buf, r.key)
			buf = binary.AppendUvarint(buf, uint64(len(r.text)))
			buf = append(buf, r.text...)
		}
	}
	buf = binary.AppendUvarint(buf, deletes)
	for _, e := range log {
		if t.byKey[e.key] == nil {
			buf = appendString(buf, e.key)
		}
	}
	payload := buf[start+recordHeader:]
	binary.LittleEndian.PutUint32(buf[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(buf[start+4:], crc32.Checksum(payload, castagnoli))
	return buf
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// readJournal returns the records of the journal at path, and the length
// of its complete records. A missing file has none. A torn tail — a last
// record cut short or failing its checksum, as a crash in the middle of
// an append leaves it, or zeros where it should be — is not a write that
// returned, and is ignored; a damaged record followed by others is
// corruption, and an error naming the file and the offset.
func readJournal(path string) ([]change, int64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("memory: reading %s: %w", path, err)
	}
	var out []change
	off := 0
	for off < len(b) {
		rest := b[off:]
		if len(rest) < recordHeader {
			break // torn header
		}
		n := int(binary.LittleEndian.Uint32(rest))
		end := recordHeader + n
		if n == 0 || end > len(rest) || end < 0 {
			if n == 0 && !allZero(rest) {
				return nil, 0, fmt.Errorf("memory: %s is damaged at offset %d: an empty record", path, off)
			}
			break // torn: cut short, or zeros past the last record
		}
		payload := rest[recordHeader:end]
		if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(rest[4:]) {
			if end == len(rest) {
				break // the last record, torn
			}
			return nil, 0, fmt.Errorf("memory: %s is damaged at offset %d: a record fails its checksum and %d bytes follow it", path, off, len(rest)-end)
		}
		ch, err := decodeChange(payload)
		if err != nil {
			return nil, 0, fmt.Errorf("memory: %s is damaged at offset %d: %w", path, off, err)
		}
		out = append(out, ch)
		off += end
	}
	return out, int64(off), nil
}

func allZero(b []byte) bool {
	return len(bytes.Trim(b, "\x00")) == 0
}

// decodeChange reads a record's payload; its checksum was right, so an
// error here is a record this code did not write.
func decodeChange(p []byte) (change, error) {
	d := decoder{b: p}
	var ch change
	if d.byte() != recordKind {
		return ch, errors.New("unknown record kind")
	}
	ch.model = d.string()
	if ch.hasNext = d.byte() == 1; ch.hasNext {
		ch.next = d.varint()
	}
	for range d.count() {
		ch.puts = append(ch.puts, putEntry{key: d.string(), text: d.string()})
	}
	for range d.count() {
		ch.deletes = append(ch.deletes, d.string())
	}
	if d.err != nil || len(d.b) != 0 {
		return ch, errors.New("malformed record")
	}
	return ch, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() { d.err, d.b = errors.New("short"), nil }

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count is a number of entries, each at least one byte: never more than
// the bytes left, so a bad count allocates nothing.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// apply replays ch on f. It sets absolute values, so a record already in
// the file changes nothing.
func (ch change) apply(f *dbFile) {
	if f.Models == nil {
		f.Models = map[string]map[string]string{}
	}
	if f.IDs == nil {
		f.IDs = map[string]int64{}
	}
	m := f.Models[ch.model]
	if m == nil {
		m = map[string]string{}
		f.Models[ch.model] = m
	}
	if ch.hasNext {
		f.IDs[ch.model] = ch.next
	}
	for _, p := range ch.puts {
		m[p.key] = p.text
	}
	for _, k := range ch.deletes {
		delete(m, k)
	}
}

// syncDir flushes dir's entries: files created, renamed or removed in it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("memory: syncing %s: %w", dir, err)
	}
	defer d.Close()
	if err := syncFile(d); err != nil {
		return fmt.Errorf("memory: syncing %s: %w", dir, err)
	}
	return nil
}
