//go:build probe

package kernels

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTune measures candidate blockings of the default float32 kernel in
// alternation, best of many rounds, so that a machine shared with other work
// does not favour whichever candidate ran in a quiet moment. Candidates come
// from TUNE, as "kc,mc,nc;..."; THREADS sets GOMAXPROCS (default 1). Run
// with: TUNE="512,128,1024;256,128,512" go test -tags probe -run Tune -v.
func TestTune(t *testing.T) {
	spec := os.Getenv("TUNE")
	if spec == "" {
		t.Skip("set TUNE")
	}
	threads, _ := strconv.Atoi(os.Getenv("THREADS"))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(1, threads)))
	k0 := *sgemmKernel
	defer func() { *sgemmKernel = k0 }()
	type cand struct{ kc, mc, nc int }
	var cands []cand
	for _, c := range strings.Split(spec, ";") {
		var x cand
		if _, err := fmt.Sscanf(c, "%d,%d,%d", &x.kc, &x.mc, &x.nc); err != nil {
			t.Fatalf("TUNE: got %q, want kc,mc,nc: %v", c, err)
		}
		cands = append(cands, x)
	}
	shapes := []gemmShape{
		{"256", false, false, 256, 256, 256},
		{"512", false, false, 512, 512, 512},
		{"1024", false, false, 1024, 1024, 1024},
		{"fwd", false, false, 128, 256, 784},
		{"dW", true, false, 784, 256, 128},
		{"dX", false, true, 128, 784, 256},
		{"inf", false, false, 1000, 256, 784},
	}
	best := make([][]float64, len(cands))
	for i := range best {
		best[i] = make([]float64, len(shapes))
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for i, c := range cands {
			sgemmKernel.kc, sgemmKernel.mc, sgemmKernel.nc = c.kc, c.mc, c.nc
			for j, s := range shapes {
				best[i][j] = max(best[i][j], probeFor(s, Gemm[float32], 30*time.Millisecond))
			}
		}
	}
	for i, c := range cands {
		line := fmt.Sprintf("kc=%3d mc=%3d nc=%4d:", c.kc, c.mc, c.nc)
		for j, s := range shapes {
			line += fmt.Sprintf(" %s %5.1f", s.name, best[i][j])
		}
		fmt.Println(line)
	}
}
