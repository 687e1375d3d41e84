package main

import (
	"embed"
	"io/fs"
)

//go:embed public
var public embed.FS

// publicFiles are the files of public/, served at / as LoopBack's
// this.static('/', path.join(__dirname, '../public')): GET / answers
// public/index.html.
func publicFiles() fs.FS {
	files, err := fs.Sub(public, "public")
	if err != nil {
		panic(err) // "public" is a valid name: fs.Sub cannot fail
	}
	return files
}
