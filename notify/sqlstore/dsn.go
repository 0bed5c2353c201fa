package sqlstore

import "net/url"

// SQLiteDSN returns a modernc.org/sqlite data source name for the database
// file at path that sets, on every connection the pool opens, a five
// second busy timeout, WAL journaling and synchronous=NORMAL (durable
// across a process crash; an OS crash may lose the last commits, never
// corrupt the file).
func SQLiteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	return "file:" + path + "?" + q.Encode()
}
