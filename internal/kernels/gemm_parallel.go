package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// gemmWorkPerThread is the least m·n·k that Gemm gives one goroutine with
// the pure-Go kernel while the workers of the pool are parked, so only
// products of at least twice this size run in parallel. It is about 60 µs
// of single-thread work: handing a part to a parked worker takes from a few
// to tens of µs (the runtime must wake an OS thread), and a helper that
// starts late only makes the split cost extra packing. Measured on a 2-core
// AMD EPYC (Zen 4) VM, best of many runs, 1 → 2 goroutines with splitting
// forced: 64³ 8.3 → 7.5 GFLOP/s (the helper never started in time), 96³
// 9.3 → 12.5, 128³ 9.9 → 14.4, 256³ 11.0 → 19.5.
const gemmWorkPerThread = 64 * 64 * 64

// gemmHotWorkPerThread is the same while a worker spins, ready at once.
// Measured as above with the pure-Go kernel in float32, best of many calls
// in a row, never split → split at 12³ per goroutine: 24³ 5.8 → 8.5
// GFLOP/s, 32³ 6.7 → 10.8, 64³ 8.8 → 15.6.
const gemmHotWorkPerThread = 12 * 12 * 12

// gemmThreads returns how many goroutines Gemm uses for an m×n×k product
// with kernel kern: the product must give each at least
// kern.hotWorkPerThread multiply-adds if a worker of the pool is spinning,
// or kern.workPerThread if all are parked.
func gemmThreads[T Float](kern *gemmKernel[T], m, n, k int) int {
	procs := runtime.GOMAXPROCS(0)
	if procs <= 1 {
		return 1
	}
	work := float64(m) * float64(n) * float64(k) // float: m·n·k may overflow int
	per := kern.workPerThread
	if work >= 2*kern.hotWorkPerThread && work < 2*per {
		if !workerSpinning() {
			// Not worth waking a worker for, but the next product of a
			// training step, a few microseconds away, will find it spinning.
			wakeWorker()
			return 1
		}
		per = kern.hotWorkPerThread
	}
	return int(max(1, min(float64(procs), work/per)))
}

// gemmJob is one Gemm call split into parts: blocks of rows of C (byRows) or
// blocks of columns, each computed by gemmSerial on its own packing buffers.
// Goroutines claim parts with an atomic counter, so a part is never computed
// twice and a helper that is slow to start does not hold anyone up: the caller
// waits for the parts, not for the helpers. A job lives in the caller's
// scratch, which goes back to its pool when the caller and every helper it
// was handed to have let go of it (refs).
type gemmJob[T Float] struct {
	kern    *gemmKernel[T]
	args    gemmArgs[T]
	byRows  bool
	dim     int // the rows or columns of C to split
	align   int // part boundaries are multiples of this: the kernel's mr or nr
	parts   int
	next    atomic.Int64 // the next part to claim
	pending atomic.Int64 // parts not yet finished
	refs    atomic.Int64 // goroutines still holding the job
	owner   *gemmScratch[T]
	handle  jobHandle // what the pool's workers receive, pointing back here
}

// bound returns where part i starts (and part i-1 ends): i/parts of the way
// through dim, rounded to the nearest multiple of align, so that parts
// differ by at most one tile (784 columns in tiles of 32 split as 384 and
// 400, not 416 and 368).
func (j *gemmJob[T]) bound(i int) int {
	if i >= j.parts {
		return j.dim
	}
	return min(j.dim, (i*j.dim/j.parts+j.align/2)/j.align*j.align)
}

// gemmTask is a gemmJob of any element type, as handed to the worker pool.
type gemmTask interface {
	help() // compute parts until none is left, then let go of the job
}

// jobHandle wraps a gemmTask so that it can sit in an atomic pointer.
type jobHandle struct{ task gemmTask }

// gemmParallel computes g with kernel kern on up to threads goroutines: the
// caller and threads-1 workers of the pool. Only idle workers are asked to
// help, spinning ones first; when none is idle (another Gemm call is using
// them) the caller computes more of the parts itself.
func gemmParallel[T Float](kern *gemmKernel[T], g *gemmArgs[T], threads int) {
	s := getScratch[T]()
	j := &s.job
	j.owner = s
	j.handle.task = j
	j.kern = kern
	j.args = *g
	// Splitting the rows of C makes every part pack all of op(B) (k·n) and its
	// share of op(A); splitting the columns makes every part pack all of op(A).
	// Pick the split that packs less.
	j.byRows = g.n <= g.m
	j.dim, j.align = g.n, kern.nr
	if j.byRows {
		j.dim, j.align = g.m, kern.mr
	}
	j.parts = threads
	j.next.Store(0)
	j.pending.Store(int64(j.parts))
	j.refs.Store(1)

	offerHelp(&j.handle, j.parts-1, &j.refs)
	j.runParts()
	withdrawHelp(&j.handle, &j.refs)
	// Wait for the parts that helpers are computing. They are running, so
	// spinning is short; yielding lets them have this P if they need it.
	for i := 0; j.pending.Load() != 0; i++ {
		if i%64 == 63 {
			runtime.Gosched()
		}
	}
	j.args = gemmArgs[T]{} // drop the caller's slices
	j.kern = nil
	j.release()
}

func (j *gemmJob[T]) help() {
	j.runParts()
	j.release()
}

// release lets go of the job; the last goroutine to do so recycles it.
func (j *gemmJob[T]) release() {
	if j.refs.Add(-1) == 0 {
		putScratch(j.owner)
	}
}

// runParts computes parts until none is left to claim.
func (j *gemmJob[T]) runParts() {
	for {
		part := int(j.next.Add(1) - 1)
		if part >= j.parts {
			return
		}
		lo, hi := j.bound(part), j.bound(part+1)
		if hi <= lo { // fewer tiles than parts
			j.pending.Add(-1)
			continue
		}
		g := j.args
		if j.byRows {
			if g.transA {
				g.a = g.a[lo:]
			} else {
				g.a = g.a[lo*g.lda:]
			}
			g.c = g.c[lo*g.ldc:]
			g.m = hi - lo
		} else {
			if g.transB {
				g.b = g.b[lo*g.ldb:]
			} else {
				g.b = g.b[lo:]
			}
			g.c = g.c[lo:]
			if g.bias != nil {
				g.bias = g.bias[lo:hi]
			}
			g.n = hi - lo
		}
		s := getScratch[T]()
		gemmSerial(s, j.kern, &g)
		putScratch(s)
		j.pending.Add(-1)
	}
}

// The worker pool: goroutines started on first need and kept for the life
// of the process. After each job a worker spins for workerSpin, polling its
// slot, so that the next Gemm of a training step (a few microseconds later)
// reaches it at once; then it parks on workQueue. OpenMP runtimes do the
// same (libgomp spins for about 300,000 iterations by default).
var (
	workQueue = make(chan gemmTask)
	workersMu sync.Mutex
	workers   atomic.Pointer[[]*worker] // append-only, under workersMu
)

// workerSpin is how long an idle worker stays ready before it parks. A
// training step of the course MLP runs a Gemm every 10–100 µs; 200 µs covers
// the gaps without burning a core for long once the work stops.
const workerSpin = 200 * time.Microsecond

func init() { workers.Store(new([]*worker)) }

// worker is one goroutine of the pool.
type worker struct {
	slot     atomic.Pointer[jobHandle] // a job offered to this worker while it spins
	spinning atomic.Bool               // polling slot, not computing or parked
	_        [64]byte                  // keep workers on separate cache lines
}

func (w *worker) run() {
	for {
		w.spinning.Store(true)
		deadline := time.Now().Add(workerSpin)
		for i := 1; ; i++ {
			if w.slot.Load() != nil {
				if h := w.slot.Swap(nil); h != nil {
					w.spinning.Store(false)
					h.task.help()
					w.spinning.Store(true)
					deadline = time.Now().Add(workerSpin)
				}
			}
			if i%256 == 0 {
				if time.Now().After(deadline) {
					break
				}
				runtime.Gosched() // let other goroutines have this P
			}
		}
		w.spinning.Store(false)
		// A job may have been offered after the last look.
		if h := w.slot.Swap(nil); h != nil {
			h.task.help()
			continue
		}
		(<-workQueue).help()
	}
}

// offerHelp offers the job behind h to up to n idle workers of the pool,
// spinning ones first (they start within a microsecond, where waking a
// parked one takes tens of microseconds), then parked ones, adding one to
// refs for every offer made. Gemm and ParallelFor share the pool, so the
// optimizer's sweep finds the workers a training step's products left
// spinning.
func offerHelp(h *jobHandle, n int, refs *atomic.Int64) {
	if n <= 0 {
		return
	}
	startWorkers(n + 1)
	for _, w := range *workers.Load() {
		if n > 0 && w.spinning.Load() {
			refs.Add(1)
			if w.slot.CompareAndSwap(nil, h) {
				n--
			} else {
				refs.Add(-1)
			}
		}
	}
	for ; n > 0; n-- {
		refs.Add(1)
		select {
		case workQueue <- h.task:
		default: // no parked worker either
			refs.Add(-1)
			return
		}
	}
}

// withdrawHelp takes back the offers of h that no worker picked up, so
// that the job can be recycled without a worker finding it later.
func withdrawHelp(h *jobHandle, refs *atomic.Int64) {
	for _, w := range *workers.Load() {
		if w.slot.CompareAndSwap(h, nil) {
			refs.Add(-1)
		}
	}
}

// wakeWorker gets a parked worker of the pool spinning, if there is one,
// without giving it work.
func wakeWorker() {
	startWorkers(1)
	select {
	case workQueue <- noTask{}:
	default: // none parked
	}
}

// noTask is the gemmTask that wakeWorker hands out: there is nothing to help
// with.
type noTask struct{}

func (noTask) help() {}

// workerSpinning reports whether a worker of the pool is spinning, so that
// a job handed to it starts at once.
func workerSpinning() bool {
	for _, w := range *workers.Load() {
		if w.spinning.Load() {
			return true
		}
	}
	return false
}

// startWorkers makes sure at least n workers exist.
func startWorkers(n int) {
	if len(*workers.Load()) >= n {
		return
	}
	workersMu.Lock()
	pool := *workers.Load()
	for len(pool) < n {
		w := new(worker)
		pool = append(pool, w)
		go w.run()
	}
	workers.Store(&pool)
	workersMu.Unlock()
}
