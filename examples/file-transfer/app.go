package main

import (
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/zap"

	"github.com/loomhq/loom/rest"
)

// Config is the application's configuration; its zero value serves on
// port 3000 and keeps files in ./.sandbox.
type Config struct {
	// Host and Port are where the server listens; port 0 picks a free
	// one.
	Host string
	Port int
	// StorageDir is where uploaded files are kept; "" means ./.sandbox.
	StorageDir string
	// MaxUploadBytes caps one upload request, all its files together;
	// 0 means 100 MiB.
	MaxUploadBytes int64
	// MaxFiles caps the files of one upload; 0 means 10.
	MaxFiles int
}

func (c Config) withDefaults() Config {
	if c.StorageDir == "" {
		c.StorageDir = ".sandbox"
	}
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = 100 << 20
	}
	if c.MaxFiles <= 0 {
		c.MaxFiles = 10
	}
	return c
}

// NewApplication builds the application: the storage directory is
// created if needed, and the file controller serves it.
func NewApplication(cfg Config, log *zap.Logger, opts ...rest.Option) (*rest.Application, error) {
	cfg = cfg.withDefaults()
	dir, err := filepath.Abs(cfg.StorageDir)
	if err != nil {
		return nil, err
	}
	// Uploads are written under .uploads while their request runs, on the
	// same file system as the storage directory, so that keeping one is a
	// rename.
	if err := os.MkdirAll(filepath.Join(dir, uploadsDir), 0o755); err != nil {
		return nil, fmt.Errorf("file-transfer: the storage directory: %w", err)
	}
	cfg.StorageDir = dir
	return rest.New(append([]rest.Option{
		rest.WithConfig(rest.Config{Host: cfg.Host, Port: cfg.Port}),
		rest.WithLogger(log),
		rest.WithController(func() *FileController { return NewFileController(cfg) }),
	}, opts...)...)
}
