package throttle_test

import (
	"testing"

	"github.com/heraldsms/herald/throttle"
	"github.com/heraldsms/herald/throttle/throttletest"
)

func TestMemoryStoreConformance(t *testing.T) {
	throttletest.TestStore(t, func(*testing.T) throttle.Store { return throttle.NewMemoryStore() })
}
