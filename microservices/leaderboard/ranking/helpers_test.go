package ranking

import (
	"fmt"
	"time"
)

// t0 is the tests' "now": Saturday 2026-11-21, ISO week 2026-W47.
var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// pid is the id of test player n (ids order as n does).
func pid(n int) string { return fmt.Sprintf("p-%04d", n) }
