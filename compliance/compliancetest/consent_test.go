package compliancetest_test

import (
	"testing"

	"github.com/heraldsms/herald/compliance"
	"github.com/heraldsms/herald/compliance/compliancetest"
)

func TestMemoryConsentStore(t *testing.T) {
	compliancetest.TestConsentStore(t, func(t *testing.T) compliance.ConsentStore {
		return compliance.NewMemoryConsentStore()
	})
}
