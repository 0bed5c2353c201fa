package compliancetest_test

import (
	"testing"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/compliance/compliancetest"
)

func TestMemoryFrequencyStore(t *testing.T) {
	compliancetest.TestFrequencyStore(t, func(t *testing.T) compliance.FrequencyStore {
		return compliance.NewMemoryFrequencyStore(0)
	})
}
