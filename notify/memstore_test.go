package notify_test

import (
	"testing"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/notifytest"
)

func TestMemoryStore(t *testing.T) {
	notifytest.TestStore(t, func(t *testing.T) notify.Store { return notify.NewMemoryStore() })
}
