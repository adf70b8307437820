package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// gemmParallelMinWork is the smallest m·n·k that Gemm splits over several
// goroutines. Measured with BenchmarkGemmThreshold on a 2-core AMD EPYC
// (Zen 4): at m = n = k = 48 (110 592) two goroutines already beat one by
// 1.4×, while at 32 (32 768) the hand-off costs about as much as it saves.
const gemmParallelMinWork = 1024

// gemmThreads returns how many goroutines Gemm uses for an m×n×k product.
func gemmThreads(m, n, k int) int {
	procs := runtime.GOMAXPROCS(0)
	if procs <= 1 || float64(m)*float64(n)*float64(k) < gemmParallelMinWork {
		return 1
	}
	// Each goroutine should get at least gemmParallelMinWork of the product.
	return max(1, min(procs, int(float64(m)*float64(n)*float64(k)/gemmParallelMinWork)))
}

// gemmJob is one Gemm call split into parts: blocks of rows of C (byRows) or
// blocks of columns, each computed by gemmSerial on its own packing buffers.
// Goroutines claim parts with an atomic counter, so a part is never computed
// twice and a slow goroutine does not hold up the others.
type gemmJob[T Float] struct {
	args   gemmArgs[T]
	byRows bool
	chunk  int // rows or columns per part; a multiple of goMR or goNR
	parts  int
	next   atomic.Int64 // the next part to claim
	wg     sync.WaitGroup
}

// gemmTask is a gemmJob of any element type, as sent to the worker pool.
type gemmTask interface {
	help() // compute parts until none is left, then report done
}

// gemmParallel computes g with up to threads goroutines: the caller and
// threads-1 workers of the pool. Workers that are busy (with another Gemm
// call running concurrently) are not waited for; the caller then computes
// more parts itself.
func gemmParallel[T Float](g *gemmArgs[T], threads int) {
	s := getScratch[T]()
	j := &s.job
	j.args = *g
	// Splitting the rows of C makes every part pack all of op(B) (k·n) and its
	// share of op(A); splitting the columns makes every part pack all of op(A).
	// Pick the split that packs less.
	j.byRows = g.n <= g.m
	dim, align := g.n, goNR
	if j.byRows {
		dim, align = g.m, goMR
	}
	j.chunk = roundUp((dim+threads-1)/threads, align)
	j.parts = (dim + j.chunk - 1) / j.chunk
	j.next.Store(0)

	startWorkers(j.parts - 1)
	for range j.parts - 1 {
		j.wg.Add(1)
		select {
		case workQueue <- gemmTask(j):
		default: // no idle worker
			j.wg.Done()
		}
	}
	j.runParts()
	j.wg.Wait()
	j.args = gemmArgs[T]{} // drop the caller's slices
	putScratch(s)
}

func (j *gemmJob[T]) help() {
	j.runParts()
	j.wg.Done() // last use of j: the caller may reuse it as soon as all are done
}

// runParts computes parts until none is left.
func (j *gemmJob[T]) runParts() {
	for {
		part := int(j.next.Add(1) - 1)
		if part >= j.parts {
			return
		}
		g := j.args
		lo := part * j.chunk
		if j.byRows {
			hi := min(g.m, lo+j.chunk)
			if g.transA {
				g.a = g.a[lo:]
			} else {
				g.a = g.a[lo*g.lda:]
			}
			g.c = g.c[lo*g.ldc:]
			g.m = hi - lo
		} else {
			hi := min(g.n, lo+j.chunk)
			if g.transB {
				g.b = g.b[lo*g.ldb:]
			} else {
				g.b = g.b[lo:]
			}
			g.c = g.c[lo:]
			g.n = hi - lo
		}
		s := getScratch[T]()
		gemmSerial(s, &g)
		putScratch(s)
	}
}

// The worker pool: goroutines started on first need, kept for the life of the
// process, each waiting on workQueue for a job to help with.
var (
	workQueue   = make(chan gemmTask)
	workersMu   sync.Mutex
	workerCount atomic.Int64
)

// startWorkers makes sure at least n workers exist.
func startWorkers(n int) {
	if workerCount.Load() >= int64(n) {
		return
	}
	workersMu.Lock()
	for workerCount.Load() < int64(n) {
		go func() {
			for t := range workQueue {
				t.help()
			}
		}()
		workerCount.Add(1)
	}
	workersMu.Unlock()
}
