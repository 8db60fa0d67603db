package sqlstore_test

import (
	"testing"

	"rescreen/sqlstore/plancheck"
)

// TestMain runs the tests, then the query-plan check of the statements
// they ran.
func TestMain(m *testing.M) { plancheck.Main(m) }
