package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

var _ provider.LineInfoCache = (*Store)(nil)

// LoadLineInfo implements provider.LineInfoCache: the line-type answer a
// lookup gave for number, shared by every instance on the database.
func (s *Store) LoadLineInfo(ctx context.Context, number string) (provider.CachedLineInfo, bool, error) {
	var (
		valid, lineType int
		carrier         string
		at              int64
	)
	err := s.readRow(ctx, s.d.q(`SELECT valid, line_type, carrier, at_ns FROM herald_line_info WHERE number = ?`), number).
		Scan(&valid, &lineType, &carrier, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return provider.CachedLineInfo{}, false, nil
	}
	if err != nil {
		return provider.CachedLineInfo{}, false, fmt.Errorf("sqlstore: line info of %s: %w", provider.MaskNumber(number), err)
	}
	info := provider.LineInfo{Number: number, Valid: valid != 0, Type: provider.LineType(lineType), Carrier: carrier}
	return provider.CachedLineInfo{Info: info, At: fromNanos(at)}, true, nil
}

// StoreLineInfo implements provider.LineInfoCache.
func (s *Store) StoreLineInfo(ctx context.Context, number string, v provider.CachedLineInfo) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO herald_line_info (number, valid, line_type, carrier, at_ns) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (number) DO UPDATE SET valid = excluded.valid, line_type = excluded.line_type, carrier = excluded.carrier, at_ns = excluded.at_ns`),
			number, boolInt(v.Info.Valid), int(v.Info.Type), v.Info.Carrier, nanos(v.At))
		if err != nil {
			return fmt.Errorf("sqlstore: store line info of %s: %w", provider.MaskNumber(number), err)
		}
		return nil
	})
}

var (
	_ notify.Store              = (*Store)(nil)
	_ notify.InboundLog         = (*Store)(nil)
	_ notify.InboundTimes       = (*Store)(nil)
	_ compliance.ConsentStore   = (*Store)(nil)
	_ compliance.FrequencyStore = (*Store)(nil)
)
