package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/loomhq/loom/repository/memory"
)

// seed is LoopBack's data/db.json of the TodoList example: two lists and
// four todos, three of them in the first list. It is written to the data
// file when there is none yet; the data file is another file, so that
// running the application leaves the seed as it is.
//
//go:embed data/seed.json
var seed []byte

// NewDB is the db data source: the memory connector, kept in dataFile
// (LoopBack's db datasource with file: './data/db.json').
func NewDB(cfg Config) (*memory.Connector, error) {
	if cfg.DataFile == "" {
		return memory.New(memory.Options{}), nil
	}
	if err := seedFile(cfg.DataFile); err != nil {
		return nil, err
	}
	return memory.New(memory.Options{File: cfg.DataFile}), nil
}

// seedFile writes the seed data to path unless the file exists.
func seedFile(path string) error {
	if _, err := os.Stat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("todo-list: create the data folder: %w", err)
	}
	if err := os.WriteFile(path, seed, 0o644); err != nil {
		return fmt.Errorf("todo-list: write the seed data: %w", err)
	}
	return nil
}
