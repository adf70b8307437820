package kernels

import (
	"runtime"
	"sync/atomic"
)

// ParallelFor calls body(p) once for every part p in [0, parts) and returns
// when all calls have returned. The calling goroutine and up to threads-1
// helpers from a persistent pool claim parts one at a time from a shared
// counter, so uneven parts balance themselves and a helper that is slow to
// wake does not hold the others up: the caller waits for the parts, not for
// the helpers. Only idle helpers are asked; when none is (another
// ParallelFor is using them), the caller runs more parts itself. threads is
// capped at parts and at runtime.GOMAXPROCS(0); with one thread or part,
// body runs on the caller alone.
//
// ParallelFor allocates nothing once its pool has started, provided body is
// a func value that already exists (a closure made once and kept, not a
// literal built on every call). Calls to body may run concurrently, in any
// order. A panic in a helper's body crashes
// the program, as in any goroutine.
func ParallelFor(parts, threads int, body func(part int)) {
	threads = min(threads, parts, runtime.GOMAXPROCS(0))
	if threads <= 1 {
		for p := range parts {
			body(p)
		}
		return
	}
	var j *pforJob
	select {
	case j = <-pforFree:
	default:
		j = &pforJob{done: make(chan struct{}, 1)}
	}
	j.body = body
	j.parts = int64(parts)
	j.next.Store(0)
	j.pending.Store(int64(parts))
	j.refs.Store(1)
	j.handle.task = j
	offerHelp(&j.handle, threads-1, &j.refs)
	finished := j.run()
	withdrawHelp(&j.handle, &j.refs)
	if !finished {
		<-j.done
	}
	j.body = nil // every part has returned; drop the caller's closure
	j.release()
}

// pforJob is one ParallelFor call. It goes back to pforFree when the caller
// and every helper it was handed to have let go of it (refs).
type pforJob struct {
	body    func(part int)
	parts   int64
	next    atomic.Int64  // the next part to claim
	pending atomic.Int64  // parts not yet finished
	refs    atomic.Int64  // goroutines still holding the job
	done    chan struct{} // a helper that finishes the last part signals the caller here
	handle  jobHandle     // how the job is offered to the pool's workers
}

// pforFree keeps finished jobs for reuse. Unlike a sync.Pool it is not
// emptied by the garbage collector, so a steady caller never allocates; 64
// is more jobs than there are ever calls in flight at once in practice
// (one per goroutine calling ParallelFor), and a job that finds it full is
// left to the collector.
var pforFree = make(chan *pforJob, 64)

// run calls body for parts until none is left to claim, and reports whether
// it finished the last part of the job.
func (j *pforJob) run() (finishedLast bool) {
	for {
		p := j.next.Add(1) - 1
		if p >= j.parts {
			return finishedLast
		}
		j.body(int(p))
		finishedLast = j.pending.Add(-1) == 0
	}
}

// help is what a helper does with a job it is handed.
func (j *pforJob) help() {
	if j.run() {
		j.done <- struct{}{}
	}
	j.release()
}

// release lets go of the job; the last goroutine to do so recycles it.
func (j *pforJob) release() {
	if j.refs.Add(-1) == 0 {
		select {
		case pforFree <- j:
		default:
		}
	}
}
