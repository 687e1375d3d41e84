package sql

import (
	"testing"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/repotest"
)

func TestSuiteSQLiteMemory(t *testing.T) {
	repotest.Run(t, func(t *testing.T) repository.Connector {
		return sqliteMemory(t, Options{AutoMigrate: true})
	})
}

func TestSuiteSQLiteFile(t *testing.T) {
	repotest.Run(t, func(t *testing.T) repository.Connector {
		return migrated(t, sqliteFile(t, Options{}))
	})
}

func TestSuitePostgres(t *testing.T) {
	requirePostgres(t)
	repotest.Run(t, func(t *testing.T) repository.Connector {
		return migrated(t, postgres(t, Options{}))
	})
}
