//go:build probe

package kernels

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestProbe prints the GFLOP/s of Gemm with 1 and 2 goroutines, taking the
// best of many short timed batches so that the numbers hold on a machine
// shared with other work, where BenchmarkGemm's averages swing by 2×. Run
// with: go test -tags probe -run Probe -v [PROBE=regexp of shape names]
// [PROCS=comma-separated GOMAXPROCS settings, default 1,2].
func TestProbe(t *testing.T) {
	procsList := []int{1, 2}
	if env := os.Getenv("PROCS"); env != "" {
		procsList = nil
		for _, f := range strings.Split(env, ",") {
			p, err := strconv.Atoi(f)
			if err != nil || p < 1 {
				t.Fatalf("PROCS: got %q, want a list of positive integers", env)
			}
			procsList = append(procsList, p)
		}
	}
	shapes := []gemmShape{}
	for _, n := range []int{16, 32, 48, 64, 96, 128, 256, 512, 1024} {
		shapes = append(shapes, gemmShape{name: fmt.Sprint(n), m: n, n: n, k: n})
	}
	shapes = append(shapes, mlpShapes()...)
	re := regexp.MustCompile(os.Getenv("PROBE"))
	for _, s := range shapes {
		if !re.MatchString(s.name) {
			continue
		}
		line := fmt.Sprintf("%-24s", s.name)
		for _, procs := range procsList {
			old := runtime.GOMAXPROCS(procs)
			line += fmt.Sprintf(" %6.2f", probe(s, Gemm[float32]))
			runtime.GOMAXPROCS(old)
		}
		if s.m == 256 && s.n == 256 && os.Getenv("PROCS") == "" {
			line += fmt.Sprintf("  f64 %6.2f naive %6.2f", probe(s, Gemm[float64]), probe(s, GemmRef[float32]))
		}
		fmt.Println(line)
	}
}

func probe[T Float](s gemmShape, f func(bool, bool, int, int, int, T, []T, int, []T, int, T, []T, int)) float64 {
	return probeFor(s, f, 400*time.Millisecond)
}

// probeFor returns the best GFLOP/s of f on shape s over batches of about
// 0.3 ms run for at least d (and at least 5 batches).
func probeFor[T Float](s gemmShape, f func(bool, bool, int, int, int, T, []T, int, []T, int, T, []T, int), d time.Duration) float64 {
	a := make([]T, s.m*s.k)
	bm := make([]T, s.k*s.n)
	c := make([]T, s.m*s.n)
	for i := range a {
		a[i] = T(i%13) * 0.25
	}
	for i := range bm {
		bm[i] = T(i%7) * 0.5
	}
	lda, ldb := s.k, s.n
	if s.transA {
		lda = s.m
	}
	if s.transB {
		ldb = s.k
	}
	flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
	reps := max(1, int(2e6/flops)) // about 0.3 ms per timed batch
	best := time.Hour
	deadline := time.Now().Add(d)
	for r := 0; r < 5 || time.Now().Before(deadline); r++ {
		t0 := time.Now()
		for range reps {
			f(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
		}
		best = min(best, time.Since(t0))
	}
	return flops * float64(reps) / best.Seconds() / 1e9
}
