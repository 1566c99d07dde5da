package ranking

import (
	"fmt"
	"time"
)

// t0 is the tests' "now": Saturday 2026-11-21, ISO week 2026-W47.
var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// pid is the id of test player n (ids order as n does).
// pid and gid are ids shaped as the ones we issue (UUIDs: events' schemas
// require them), in the order of n.
func pid(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }
func gid(n int) string { return fmt.Sprintf("00000000-0000-4000-9000-%012d", n) }
