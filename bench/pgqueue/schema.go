package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
)

// schemaSeq numbers the schemas one process creates.
var schemaSeq atomic.Int64

// newSchema creates an empty schema on admin and returns its name.
func newSchema(ctx context.Context, admin *sql.DB, prefix string) (string, error) {
	name := fmt.Sprintf("%s_%d_%d", prefix, os.Getpid(), schemaSeq.Add(1))
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", fmt.Errorf("creating schema %s: %w", name, err)
	}
	return name, nil
}

// dropSchema drops schema and everything in it.
func dropSchema(ctx context.Context, admin *sql.DB, schema string) error {
	if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
		return fmt.Errorf("dropping schema %s: %w", schema, err)
	}
	return nil
}

// withSearchPath returns dsn with its search_path set to schema, for both
// URL and key=value DSNs.
func withSearchPath(dsn, schema string) (string, error) {
	if strings.Contains(dsn, "://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("dsn: %w", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return dsn + " search_path=" + schema, nil
}
