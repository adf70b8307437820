package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// gemmWorkPerThread is the least m·n·k that Gemm gives one goroutine, so
// only products of at least twice this size run in parallel. It is about
// 60 µs of single-thread work: handing a part to a parked worker takes from a
// few to tens of µs (the runtime must wake an OS thread), and a helper that
// starts late only makes the split cost extra packing. Measured on a 2-core
// AMD EPYC (Zen 4) VM, best of many runs, 1 → 2 goroutines with splitting
// forced: 64³ 8.3 → 7.5 GFLOP/s (the helper never started in time), 96³
// 9.3 → 12.5, 128³ 9.9 → 14.4, 256³ 11.0 → 19.5.
const gemmWorkPerThread = 64 * 64 * 64

// gemmThreads returns how many goroutines Gemm uses for an m×n×k product.
func gemmThreads(m, n, k int) int {
	procs := runtime.GOMAXPROCS(0)
	if procs <= 1 {
		return 1
	}
	work := float64(m) * float64(n) * float64(k) // float: m·n·k may overflow int
	return int(max(1, min(float64(procs), work/gemmWorkPerThread)))
}

// gemmJob is one Gemm call split into parts: blocks of rows of C (byRows) or
// blocks of columns, each computed by gemmSerial on its own packing buffers.
// Goroutines claim parts with an atomic counter, so a part is never computed
// twice and a helper that is slow to start does not hold anyone up: the caller
// waits for the parts, not for the helpers. A job lives in the caller's
// scratch, which goes back to its pool when the caller and every helper it
// was handed to have let go of it (refs).
type gemmJob[T Float] struct {
	args    gemmArgs[T]
	byRows  bool
	chunk   int // rows or columns per part; a multiple of goMR or goNR
	parts   int
	next    atomic.Int64  // the next part to claim
	pending atomic.Int64  // parts not yet finished
	refs    atomic.Int64  // goroutines still holding the job
	done    chan struct{} // the finisher of the last part signals the caller here
	owner   *gemmScratch[T]
}

// gemmTask is a gemmJob of any element type, as sent to the worker pool.
type gemmTask interface {
	help() // compute parts until none is left, then let go of the job
}

// gemmParallel computes g with up to threads goroutines: the caller and
// threads-1 workers of the pool. Only idle workers are asked to help; when
// none is idle (another Gemm call is using them) the caller computes more of
// the parts itself.
func gemmParallel[T Float](g *gemmArgs[T], threads int) {
	s := getScratch[T]()
	j := &s.job
	j.owner = s
	if j.done == nil {
		j.done = make(chan struct{}, 1)
	}
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
	j.pending.Store(int64(j.parts))
	j.refs.Store(1)

	// One worker more than the helpers needed: a worker handed the previous
	// job may not have run yet (the caller finished all its parts first) and
	// is then not idle when this job is offered.
	startWorkers(j.parts)
	for range j.parts - 1 {
		j.refs.Add(1)
		select {
		case workQueue <- gemmTask(j):
		default: // no idle worker
			j.refs.Add(-1)
		}
	}
	if !j.runParts() {
		<-j.done
	}
	j.args = gemmArgs[T]{} // drop the caller's slices
	j.release()
}

func (j *gemmJob[T]) help() {
	if j.runParts() {
		j.done <- struct{}{}
	}
	j.release()
}

// release lets go of the job; the last goroutine to do so recycles it.
func (j *gemmJob[T]) release() {
	if j.refs.Add(-1) == 0 {
		putScratch(j.owner)
	}
}

// runParts computes parts until none is left to claim, and reports whether
// it finished the last part of the job.
func (j *gemmJob[T]) runParts() (finishedLast bool) {
	for {
		part := int(j.next.Add(1) - 1)
		if part >= j.parts {
			return finishedLast
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
		finishedLast = j.pending.Add(-1) == 0
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
