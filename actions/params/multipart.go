package params

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/loomhq/loom/controller/httperr"
)

const multipartMediaType = "multipart/form-data"

// UploadLimits cap a multipart/form-data body (a body:"multipart"
// field). The zero value takes the defaults; the whole body is also
// under [Options.BodyLimit].
type UploadLimits struct {
	// MaxFiles is the most files accepted; 0 means 10. One more is a 413
	// LIMIT_FILE_COUNT.
	MaxFiles int
	// MaxFileSize is the largest file accepted, in bytes; 0 means the
	// body limit. One byte more is a 413 LIMIT_FILE_SIZE.
	MaxFileSize int64
	// MaxFields is the most non-file fields accepted; 0 means 100. One
	// more is a 413 LIMIT_FIELD_COUNT.
	MaxFields int
	// MaxFieldSize is the longest non-file field value, in bytes; 0 means
	// 64 KiB. One byte more is a 413 LIMIT_FIELD_VALUE.
	MaxFieldSize int64
	// Dir is where uploaded files are written while the request runs;
	// "" means os.TempDir().
	Dir string
}

// Codes of the 413s of a multipart body over its [UploadLimits], as
// multer names them.
const (
	CodeFileTooLarge   = "LIMIT_FILE_SIZE"
	CodeTooManyFiles   = "LIMIT_FILE_COUNT"
	CodeTooManyFields  = "LIMIT_FIELD_COUNT"
	CodeFieldTooLarge  = "LIMIT_FIELD_VALUE"
	defaultMaxFiles    = 10
	defaultMaxFields   = 100
	defaultMaxFieldLen = 64 << 10
)

func (l UploadLimits) withDefaults(bodyLimit int64) UploadLimits {
	if l.MaxFiles <= 0 {
		l.MaxFiles = defaultMaxFiles
	}
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = bodyLimit
	}
	if l.MaxFields <= 0 {
		l.MaxFields = defaultMaxFields
	}
	if l.MaxFieldSize <= 0 {
		l.MaxFieldSize = defaultMaxFieldLen
	}
	return l
}

// Multipart is a multipart/form-data body, the value of a *Multipart
// field tagged body:"multipart": its files, each streamed to a temporary
// file on disk as it arrives (never held whole in memory), and its other
// fields. The files are removed when the request ends; keep one with
// [File.SaveTo].
type Multipart struct {
	// Files are the uploaded files, in the order sent.
	Files []*File
	// Fields are the other fields' values, by name, in the order sent.
	Fields map[string][]string

	once sync.Once
}

// File is one uploaded file of a [Multipart] body, described as multer
// describes it.
type File struct {
	// FieldName is the form field the file was sent as.
	FieldName string `json:"fieldname"`
	// OriginalName is the file's name on the client, without any
	// directory.
	OriginalName string `json:"originalname"`
	// Encoding is the part's Content-Transfer-Encoding, 7bit when none.
	Encoding string `json:"encoding"`
	// MimeType is the part's Content-Type.
	MimeType string `json:"mimetype"`
	// Size is the file's size in bytes.
	Size int64 `json:"size"`

	path  string
	saved bool // moved by SaveTo: no longer the request's to remove
}

// Open opens the uploaded file for reading.
func (f *File) Open() (*os.File, error) { return os.Open(f.path) }

// Path is where the uploaded file is while the request runs.
func (f *File) Path() string { return f.path }

// SaveTo moves the uploaded file to path, so that it outlives the
// request: renamed when it can be, else copied.
func (f *File) SaveTo(path string) error {
	if err := os.Rename(f.path, path); err == nil {
		f.path, f.saved = path, true
		return nil
	}
	src, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	os.Remove(f.path)
	f.path, f.saved = path, true
	return nil
}

// RemoveAll removes the files still in their temporary place; the
// decoder calls it when the request ends.
func (m *Multipart) RemoveAll() {
	m.once.Do(func() {
		for _, f := range m.Files {
			if !f.saved {
				os.Remove(f.path)
			}
		}
	})
}

// tempPrefix names the temporary files.
const tempPrefix = "loom-upload-"

// readMultipart streams a multipart/form-data body: files to temporary
// files, fields into memory, each under its limit.
func readMultipart(r *http.Request, boundary string, opts Options) (m *Multipart, err error) {
	if boundary == "" {
		return nil, httperr.BadRequest("The multipart/form-data body has no boundary.")
	}
	lim := opts.Uploads.withDefaults(opts.BodyLimit)
	m = &Multipart{Fields: map[string][]string{}}
	defer func() {
		if err != nil {
			m.RemoveAll()
			m = nil
		}
	}()
	mr := multipart.NewReader(LimitBody(r.Body, opts.BodyLimit), boundary)
	fields := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return m, multipartError(err)
		}
		name := part.FormName()
		if part.FileName() == "" {
			fields++
			if fields > lim.MaxFields {
				return m, limitError(CodeTooManyFields, "The multipart body has more than "+itoa(lim.MaxFields)+" fields.")
			}
			val, err := io.ReadAll(io.LimitReader(part, lim.MaxFieldSize+1))
			if err != nil {
				return m, multipartError(err)
			}
			if int64(len(val)) > lim.MaxFieldSize {
				return m, limitError(CodeFieldTooLarge, "The field "+jsonText(name)+" is longer than "+itoa64(lim.MaxFieldSize)+" bytes.")
			}
			m.Fields[name] = append(m.Fields[name], string(val))
			continue
		}
		if len(m.Files) == lim.MaxFiles {
			return m, limitError(CodeTooManyFiles, "The multipart body has more than "+itoa(lim.MaxFiles)+" files.")
		}
		f := &File{
			FieldName:    name,
			OriginalName: baseName(part.FileName()),
			Encoding:     part.Header.Get("Content-Transfer-Encoding"),
			MimeType:     part.Header.Get("Content-Type"),
		}
		if f.Encoding == "" {
			f.Encoding = "7bit"
		}
		if f.MimeType == "" {
			f.MimeType = "application/octet-stream"
		}
		tmp, err := os.CreateTemp(lim.Dir, tempPrefix+"*")
		if err != nil {
			return m, httperr.Internal("cannot store an uploaded file").WithCause(err)
		}
		f.path = tmp.Name()
		m.Files = append(m.Files, f)
		n, err := io.Copy(tmp, io.LimitReader(part, lim.MaxFileSize+1))
		if cerr := tmp.Close(); err == nil && cerr != nil {
			return m, httperr.Internal("cannot store an uploaded file").WithCause(cerr)
		}
		if err != nil {
			return m, multipartError(err)
		}
		if n > lim.MaxFileSize {
			return m, limitError(CodeFileTooLarge, "The file "+jsonText(f.OriginalName)+" is larger than "+itoa64(lim.MaxFileSize)+" bytes.")
		}
		f.Size = n
	}
	if ctx := r.Context(); ctx.Done() != nil {
		context.AfterFunc(ctx, m.RemoveAll)
	}
	return m, nil
}

func limitError(code, msg string) error {
	return httperr.New(http.StatusRequestEntityTooLarge, msg).WithCode(code)
}

// multipartError is the answer to a body the multipart reader refused:
// the 413 of the body limit as it is, a malformed body a 400.
func multipartError(err error) error {
	var he *httperr.Error
	if errors.As(err, &he) {
		return he
	}
	return httperr.BadRequest("The multipart/form-data body is malformed: " + err.Error()).WithCause(err)
}

func itoa64(n int64) string {
	if n <= int64(^uint(0)>>1) {
		return itoa(int(n))
	}
	return "many"
}

// baseName is the last element of a client's file name, Windows paths
// included (C:\Users\a.txt is a.txt); "file" when none is left.
func baseName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}
