package kernels

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// TestParallelFor checks that every part runs exactly once, for part and
// thread counts around the pool's size, also when several goroutines call
// ParallelFor at once and compete for the helpers.
func TestParallelFor(t *testing.T) {
	for _, parts := range []int{0, 1, 2, 3, 7, 64} {
		for _, threads := range []int{1, 2, 3, 8} {
			t.Run(fmt.Sprintf("parts=%d/threads=%d", parts, threads), func(t *testing.T) {
				var wg sync.WaitGroup
				for c := range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						counts := make([]atomic.Int32, parts)
						for range 50 {
							ParallelFor(parts, threads, func(p int) { counts[p].Add(1) })
						}
						for p := range counts {
							if got := counts[p].Load(); got != 50 {
								t.Errorf("caller %d: part %d ran %d times in 50 calls, want 50", c, p, got)
							}
						}
					}()
				}
				wg.Wait()
			})
		}
	}
}

// TestParallelForDoesNotAllocate checks the promise that a kept body costs
// no allocation per call once the pool runs.
func TestParallelForDoesNotAllocate(t *testing.T) {
	var sum atomic.Int64
	body := func(p int) { sum.Add(int64(p)) }
	ParallelFor(16, 2, body)
	if allocs := testing.AllocsPerRun(100, func() { ParallelFor(16, 2, body) }); allocs != 0 {
		t.Errorf("ParallelFor: %v allocations per call, want 0", allocs)
	}
}
