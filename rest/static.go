package rest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"go.uber.org/fx"

	"github.com/loomhq/loom/actions"
	"github.com/loomhq/loom/controller/httperr"
)

// StaticOption configures one mount of [WithStatic].
type StaticOption func(*staticMount)

// StaticCacheControl sets the Cache-Control of the files served; the
// default is "public, max-age=0", serve-static's: a browser keeps the
// file but asks whether it changed (ETag, Last-Modified) before using it.
func StaticCacheControl(value string) StaticOption {
	return func(m *staticMount) { m.cacheControl = value }
}

// WithStatic serves the files of fsys under path, as LoopBack 4's
// app.static: GET and HEAD of a path no route answers, under the base
// path. A route always wins over a file of the same path; a path that is
// neither gets the API's 404. WithStatic may be called for several paths;
// each is a middleware in [GroupStatic] named after its path: "static:/"
// for /, "static:/assets/" for /assets.
//
//	//go:embed public
//	var public embed.FS
//	sub, _ := fs.Sub(public, "public")
//	rest.WithStatic("/", sub)
//
// A directory answers its index.html, redirected to its path with a
// trailing slash first; no directory is ever listed. Every file gets
// Cache-Control, an ETag (its content's hash for files without a
// modification time, such as an embed.FS's) and, when it has a
// modification time, Last-Modified, so If-None-Match and
// If-Modified-Since answer 304; Range requests are answered too. Its
// Content-Type follows its extension. A path with "..", ".", an empty
// segment, a backslash or a NUL, encoded or not, is never looked up.
func WithStatic(urlPath string, fsys fs.FS, opts ...StaticOption) Option {
	m := &staticMount{path: "/" + strings.Trim(urlPath, "/"), fsys: fsys, cacheControl: "public, max-age=0"}
	if m.path == "/" {
		m.path = ""
	}
	for _, o := range opts {
		o(m)
	}
	if fsys == nil {
		return optionFunc(func(s *settings) {
			s.fx = append(s.fx, fx.Error(fmt.Errorf("rest: WithStatic(%q): the file system is nil", urlPath)))
		})
	}
	return WithMiddleware("static:"+m.path+"/", func(p staticParams) Middleware {
		return m.middleware(p)
	}, InGroup(GroupStatic))
}

// staticParams are a static mount's dependencies.
type staticParams struct {
	fx.In

	Config Config
	Routes *actions.RouteTable `optional:"true"`
}

// staticMount is one call of WithStatic.
type staticMount struct {
	path         string // the mount's path, without a trailing slash; "" for /
	fsys         fs.FS
	cacheControl string
	// hashes are the ETags of the files without a modification time, by
	// name: their content cannot change while the process runs.
	hashes sync.Map
}

func (m *staticMount) middleware(p staticParams) Middleware {
	prefix := p.Config.BasePath + m.path
	get := &servedRoute{method: http.MethodGet, template: m.path + "/*", operationID: "static"}
	head := &servedRoute{method: http.MethodHead, template: m.path + "/*", operationID: "static"}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				next.ServeHTTP(w, r)
				return
			}
			name, ok := fileName(r.URL.Path, prefix)
			if !ok || p.Routes != nil && p.Routes.Matches(r) {
				next.ServeHTTP(w, r)
				return
			}
			route := get
			if r.Method == http.MethodHead {
				route = head
			}
			if !m.serve(w, r, name, route) {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// fileName is the name in the file system of urlPath under prefix: false
// when urlPath is not under it or names no file a client may ask for.
func fileName(urlPath, prefix string) (string, bool) {
	rel, ok := strings.CutPrefix(urlPath, prefix)
	if !ok || rel != "" && rel[0] != '/' {
		return "", false
	}
	if strings.ContainsAny(urlPath, "\\\x00") || strings.Contains(urlPath, "//") {
		return "", false
	}
	name := strings.TrimSuffix(strings.TrimPrefix(rel, "/"), "/")
	if name == "" {
		return ".", true
	}
	if !fs.ValidPath(name) {
		return "", false // "..", "." or an empty segment
	}
	return name, true
}

// serve answers the file name, or a directory's index.html; false when
// there is none.
func (m *staticMount) serve(w http.ResponseWriter, r *http.Request, name string, route *servedRoute) bool {
	wantDir := strings.HasSuffix(r.URL.Path, "/")
	f, err := m.fsys.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	if fi.IsDir() {
		if !wantDir {
			// Relative links in the index resolve against the directory.
			matched(r, route)
			target := r.URL.EscapedPath() + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return true
		}
		name = path.Join(name, "index.html")
		_ = f.Close()
		if f, err = m.fsys.Open(name); err != nil {
			return false
		}
		defer f.Close()
		if fi, err = f.Stat(); err != nil || fi.IsDir() {
			return false
		}
	} else if wantDir {
		return false // a file asked for as a directory
	}
	content, ok := f.(io.ReadSeeker)
	if !ok {
		// Read it whole: ServeContent needs to seek for ranges.
		b, err := io.ReadAll(io.LimitReader(f, fi.Size()+1))
		if err != nil {
			return false
		}
		content = bytes.NewReader(b)
	}
	etag, err := m.etag(name, fi, content)
	if err != nil {
		return false
	}
	matched(r, route)
	h := w.Header()
	h.Set("Cache-Control", m.cacheControl)
	h.Set("ETag", etag)
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	http.ServeContent(&enveloping{ResponseWriter: w, r: r}, r, name, fi.ModTime(), content)
	return true
}

// enveloping turns the errors http.ServeContent answers in plain text (a
// Range it cannot satisfy, a failed If-Match) into the error envelope.
type enveloping struct {
	http.ResponseWriter
	r       *http.Request
	refused bool
}

func (e *enveloping) WriteHeader(status int) {
	if status < http.StatusBadRequest {
		e.ResponseWriter.WriteHeader(status)
		return
	}
	e.refused = true
	h := e.Header()
	h.Del("Content-Length")
	h.Del("ETag")
	h.Del("Last-Modified")
	h.Set("Content-Type", "application/json; charset=utf-8")
	msg := http.StatusText(status)
	switch status {
	case http.StatusRequestedRangeNotSatisfiable:
		msg = "Range " + strconv.Quote(e.r.Header.Get("Range")) + " cannot be satisfied."
	case http.StatusPreconditionFailed:
		msg = "The precondition of If-Match or If-Unmodified-Since failed."
	}
	_ = actions.WriteJSON(e.ResponseWriter, status, httperr.EnvelopeOf(httperr.New(status, msg), false))
}

func (e *enveloping) Write(p []byte) (int, error) {
	if e.refused {
		return len(p), nil // the plain-text message the envelope replaced
	}
	return e.ResponseWriter.Write(p)
}

// etag is serve-static's weak W/"size-mtime" for a file with a
// modification time, else a strong hash of its content, computed once.
func (m *staticMount) etag(name string, fi fs.FileInfo, content io.ReadSeeker) (string, error) {
	if !fi.ModTime().IsZero() {
		return fmt.Sprintf(`W/"%x-%x"`, fi.Size(), fi.ModTime().UnixMilli()), nil
	}
	if e, ok := m.hashes.Load(name); ok {
		return e.(string), nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, content); err != nil {
		return "", err
	}
	if _, err := content.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	e := `"` + base64.RawURLEncoding.EncodeToString(sum.Sum(nil)[:18]) + `"`
	m.hashes.Store(name, e)
	return e, nil
}
