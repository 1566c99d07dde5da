package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// goBench is one Go benchmark, run -count times on one CPU.
type goBench struct {
	Pkg, Pattern string
	Runs         map[string][]map[string]float64 // benchmark name -> per run: unit -> value
}

// runGoBenchmarks runs the benchmarks of pkg matching pattern count times
// with GOMAXPROCS=1 (-cpu 1: "one core") and parses every metric.
func runGoBenchmarks(pkg, pattern string, count int) (*goBench, string, error) {
	args := []string{"test", "-run", "^$", "-bench", pattern, "-benchmem", "-cpu", "1", "-count", strconv.Itoa(count), pkg}
	cmd := exec.Command("go", args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	command := "go " + strings.Join(args, " ")
	if err := cmd.Run(); err != nil {
		return nil, command, fmt.Errorf("%s: %v\n%s", command, err, out.String())
	}
	gb := &goBench{Pkg: pkg, Pattern: pattern, Runs: map[string][]map[string]float64{}}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		metrics := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			metrics[f[i+1]] = v
		}
		gb.Runs[f[0]] = append(gb.Runs[f[0]], metrics)
	}
	if len(gb.Runs) == 0 {
		return nil, command, fmt.Errorf("%s: no benchmark ran:\n%s", command, out.String())
	}
	return gb, command, nil
}

// Median of unit over the runs of name.
func (g *goBench) Median(name, unit string) float64 {
	return medianOf(g.Runs[name], func(m map[string]float64) float64 { return m[unit] })
}
