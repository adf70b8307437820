package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"time"
)

// Options select what Run measures.
type Options struct {
	Rows    string        // regular expression over row names; empty for all rows
	Pairs   int           // A/B pairs per row (deepgo then PyTorch); 5 when 0
	Threads int           // GOMAXPROCS for deepgo and torch.set_num_threads for the peer; 2 when 0
	Time    time.Duration // the length of one measurement; 500 ms when 0
	Python  string        // the Python with torch that runs peer.py; empty to run deepgo alone
	// Progress, when not nil, receives one line per row as the run goes.
	Progress io.Writer

	// startPeer replaces StartPeer in tests.
	startPeer func(threads int) (*Peer, error)
}

// Result is a whole run: the machine, the peer, and one RowResult per row.
type Result struct {
	Machine     Machine     `json:"machine"`
	Pairs       int         `json:"pairs"`
	Threads     int         `json:"threads"`
	Seconds     float64     `json:"seconds_per_measurement"`
	Peer        *PeerInfo   `json:"peer,omitempty"`
	PeerMissing string      `json:"peer_missing,omitempty"` // why there is no PyTorch column
	Rows        []RowResult `json:"rows"`
}

// RowResult holds one row's measurements, pair by pair, and their summary.
// Ratio, MinRatio and MaxRatio are deepgo's speed over PyTorch's (above 1:
// deepgo is faster), for a time row the peer's time over deepgo's.
type RowResult struct {
	Name      string    `json:"name"`
	Unit      string    `json:"unit"`
	About     string    `json:"about"`
	Deepgo    []float64 `json:"deepgo"`            // one figure per pair
	PyTorch   []float64 `json:"pytorch,omitempty"` // one figure per pair
	Ratios    []float64 `json:"ratios,omitempty"`  // deepgo's advantage in each pair
	DeepgoMed float64   `json:"deepgo_median"`
	PeerMed   float64   `json:"pytorch_median,omitempty"`
	Ratio     float64   `json:"ratio_median,omitempty"`
	MinRatio  float64   `json:"ratio_min,omitempty"`
	MaxRatio  float64   `json:"ratio_max,omitempty"`
	// OtherCPUs is how many CPUs other processes kept busy, on average,
	// while the pairs ran; -1 where /proc cannot tell.
	OtherCPUs float64 `json:"other_cpus"`
	Note      string  `json:"note,omitempty"`
	Error     string  `json:"error,omitempty"`      // why deepgo's side failed
	PeerError string  `json:"peer_error,omitempty"` // why PyTorch's side failed
}

// Run measures the selected rows, deepgo and the peer in turn. It sets
// GOMAXPROCS to opt.Threads for the run and restores it afterwards. It
// returns an error only for bad options or when it cannot make its
// temporary folder; a row or a peer that fails is reported in the Result.
func Run(opt Options) (*Result, error) {
	rows, err := Select(opt.Rows)
	if err != nil {
		return nil, err
	}
	if opt.Pairs == 0 {
		opt.Pairs = 5
	}
	if opt.Threads == 0 {
		opt.Threads = 2
	}
	if opt.Time == 0 {
		opt.Time = 500 * time.Millisecond
	}
	if opt.Pairs < 0 || opt.Threads < 0 || opt.Time < 0 {
		return nil, fmt.Errorf("pairs, threads and time must be positive, got %d, %d and %v", opt.Pairs, opt.Threads, opt.Time)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(opt.Threads))
	dir, err := os.MkdirTemp("", "deepgo-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	res := &Result{Machine: probeMachine(), Pairs: opt.Pairs, Threads: opt.Threads, Seconds: opt.Time.Seconds()}
	var peer *Peer
	switch {
	case opt.startPeer != nil:
		peer, err = opt.startPeer(opt.Threads)
	case opt.Python != "":
		peer, err = StartPeer(opt.Python, opt.Threads)
	default:
		err = fmt.Errorf("no Python given for the PyTorch side")
	}
	if err != nil {
		res.PeerMissing = err.Error()
	} else {
		defer peer.Close()
		res.Peer = &peer.Info
	}
	for i := range rows {
		start := time.Now()
		rr := runRow(&rows[i], peer, opt, dir)
		res.Rows = append(res.Rows, rr)
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, "bench: %s done in %.1f s\n", rr.Name, time.Since(start).Seconds())
		}
	}
	return res, nil
}

// runRow sets row up on the deepgo side, warms it up, then measures it
// opt.Pairs times on each side in turn. peer may be nil.
func runRow(row *Row, peer *Peer, opt Options, dir string) (rr RowResult) {
	rr = RowResult{Name: row.Name, Unit: row.Unit, About: row.About}
	env := &Env{Dir: dir}
	var step *Step
	err := safely(func() (err error) {
		step, err = row.Setup(env)
		return err
	})
	runtime.GC() // the garbage of earlier rows and of the set-up is not this row's to collect
	if err == nil {
		err = safely(func() error { return warmUp(step, row.Unit, opt.Time) })
	}
	rr.Note = env.Note
	rr.OtherCPUs = -1
	if err != nil {
		rr.Error = err.Error()
		return rr
	}
	var pids []int
	if peer != nil {
		pids = append(pids, peer.cmd.Process.Pid)
	}
	load := startLoad(pids...)
	defer func() { rr.OtherCPUs = load.others() }()
	for range opt.Pairs {
		var v float64
		err := safely(func() (err error) {
			v, err = measure(step, row.Unit, opt.Time)
			return err
		})
		if err != nil {
			rr.Error = err.Error()
			return rr
		}
		rr.Deepgo = append(rr.Deepgo, v)
		if peer == nil || rr.PeerError != "" {
			continue
		}
		pv, err := peer.Run(row, opt.Time, env.PeerArgs)
		if err != nil {
			rr.PeerError = err.Error()
			continue
		}
		rr.PyTorch = append(rr.PyTorch, pv)
		if row.lowerIsBetter() {
			rr.Ratios = append(rr.Ratios, pv/v)
		} else {
			rr.Ratios = append(rr.Ratios, v/pv)
		}
	}
	rr.summarise()
	return rr
}

// safely runs f, turning a panic (the numeric core's way of reporting
// misuse) into an error, so that one broken row does not end the run.
func safely(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return f()
}

// summarise fills in the medians and the ratio's range. Pairs that the
// peer completed before it failed still count: each is a genuine A/B pair.
func (rr *RowResult) summarise() {
	rr.DeepgoMed = median(rr.Deepgo)
	if len(rr.Ratios) == 0 {
		return
	}
	rr.PeerMed = median(rr.PyTorch)
	rr.Ratio = median(rr.Ratios)
	rr.MinRatio = slices.Min(rr.Ratios)
	rr.MaxRatio = slices.Max(rr.Ratios)
}

// median returns the middle value of xs (the mean of the two middle ones
// for an even count), or 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
