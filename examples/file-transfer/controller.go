package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/loomhq/loom/actions/params"
	loomctx "github.com/loomhq/loom/context"
	"github.com/loomhq/loom/controller"
	"github.com/loomhq/loom/controller/httperr"
)

// uploadsDir holds uploads while their request runs.
const uploadsDir = ".uploads"

// FileController uploads, lists and downloads the files of a storage
// directory, as LoopBack's FileUploadController and
// FileDownloadController do.
type FileController struct {
	dir    string
	limit  int64
	limits controller.UploadLimits
}

// NewFileController serves cfg's storage directory.
func NewFileController(cfg Config) *FileController {
	return &FileController{
		dir:   cfg.StorageDir,
		limit: cfg.MaxUploadBytes,
		limits: controller.UploadLimits{
			MaxFiles:    cfg.MaxFiles,
			MaxFileSize: cfg.MaxUploadBytes,
			Dir:         filepath.Join(cfg.StorageDir, uploadsDir),
		},
	}
}

// Routes declares the controller's operations.
func (c *FileController) Routes() []controller.Route {
	return []controller.Route{
		controller.Post("/files", c.Upload, controller.Summary("Upload files"),
			controller.BodyLimit(c.limit), controller.Uploads(c.limits)),
		controller.Get("/files", c.List, controller.Summary("List the files")),
		controller.Get("/files/{filename}", c.Download, controller.Summary("Download a file")),
	}
}

// UploadInput is a multipart/form-data body of files and fields.
type UploadInput struct {
	Form *params.Multipart `body:"multipart" validate:"required"`
}

// UploadResult describes what was stored, as LoopBack's example answers.
type UploadResult struct {
	Files  []*params.File `json:"files"`
	Fields map[string]any `json:"fields"`
}

// Upload keeps every file of the form in the storage directory under its
// original name.
func (c *FileController) Upload(ctx context.Context, in UploadInput) (UploadResult, error) {
	for _, f := range in.Form.Files {
		if err := checkName(f.OriginalName); err != nil {
			return UploadResult{}, err
		}
	}
	for _, f := range in.Form.Files {
		if err := f.SaveTo(filepath.Join(c.dir, f.OriginalName)); err != nil {
			return UploadResult{}, err
		}
	}
	fields := make(map[string]any, len(in.Form.Fields))
	for k, v := range in.Form.Fields {
		if len(v) == 1 {
			fields[k] = v[0]
		} else {
			fields[k] = v
		}
	}
	return UploadResult{Files: in.Form.Files, Fields: fields}, nil
}

// List names the stored files, sorted.
func (c *FileController) List(ctx context.Context, _ struct{}) ([]string, error) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// DownloadInput names the file to download.
type DownloadInput struct {
	Filename string `path:"filename"`
}

// Download streams a stored file as an attachment. A name that is not a
// plain file name (a slash, .., a dot file) is a 400; an unknown one a 404.
func (c *FileController) Download(ctx context.Context, in DownloadInput) (io.Reader, error) {
	if err := checkName(in.Filename); err != nil {
		return nil, err
	}
	// os.OpenInRoot refuses whatever would leave the directory, links
	// included.
	f, err := os.OpenInRoot(c.dir, in.Filename)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, httperr.NotFound("File not found: " + in.Filename).WithCode(httperr.CodeEntityNotFound)
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, httperr.NotFound("File not found: " + in.Filename).WithCode(httperr.CodeEntityNotFound)
	}
	if rc, ok := loomctx.FromContext(ctx); ok {
		h := rc.Response.Header()
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": in.Filename}))
		h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	}
	// The default send streams the file and closes it.
	return f, nil
}

// checkName refuses a file name that is not one plain name in the
// storage directory: LoopBack's validateFileName.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.HasPrefix(name, ".") ||
		strings.ContainsAny(name, `/\`) || strings.ContainsRune(name, 0) {
		return httperr.BadRequest("Invalid file name: " + name).WithCode("INVALID_FILE_NAME")
	}
	return nil
}
