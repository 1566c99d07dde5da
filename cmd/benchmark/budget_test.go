package main

import (
	"testing"
	"time"
)

// TestBudget_EveryLambdaZipIsAtMost8MB builds each service's zip as
// infraestructure/build.mk does (linux/arm64, -tags lambda.norpc, stripped)
// and holds it to the budget: sizes only, never times. A bigger zip means a
// slower cold start and a dependency someone should look at.
func TestBudget_EveryLambdaZipIsAtMost8MB(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	sizes, err := ZipSizes(root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range Services {
		n, ok := sizes[svc]
		switch {
		case !ok || n == 0:
			t.Errorf("%s: no zip built", svc)
		case n > ZipBudget:
			t.Errorf("%s: zip is %d bytes (%s), over the %s budget", svc, n, mb(n), mb(ZipBudget))
		default:
			t.Logf("%s: %s", svc, mb(n))
		}
	}
}

func TestStats_MedianAndQuantile(t *testing.T) {
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("median(3,1,2) = %v, want 2", got)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("median(4,1,3,2) = %v, want 2.5", got)
	}
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i))
	}
	if p50, p99 := quantile(ds, 0.5), quantile(ds, 0.99); p50 != 50 || p99 != 99 {
		t.Errorf("p50 %d p99 %d of 1..100, want 50 and 99", p50, p99)
	}
}
