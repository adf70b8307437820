package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteTable prints r as the table `deepgo bench` shows: a header naming
// the machine and the peer, one line per row, then notes and failures.
func (r *Result) WriteTable(w io.Writer) error {
	var b strings.Builder
	m := r.Machine
	pairs := "pairs"
	if r.Pairs == 1 {
		pairs = "pair"
	}
	fmt.Fprintf(&b, "deepgo bench: %d A/B %s per row (deepgo, then PyTorch), %d threads each side, %.2g s per measurement\n",
		r.Pairs, pairs, r.Threads, r.Seconds)
	fmt.Fprintf(&b, "machine: %s, %d CPUs, GOMAXPROCS %d, %s, %s", m.CPU, m.CPUs, m.GOMAXPROCS, m.Go, strings.Join(m.Features, " "))
	if m.Tags != "" {
		fmt.Fprintf(&b, ", built with -tags %s", m.Tags)
	}
	b.WriteString("\n")
	if p := r.Peer; p != nil {
		fmt.Fprintf(&b, "peer:    PyTorch %s (Python %s, %s), %d threads, torch.mm 1024: %.0f GFLOP/s\n",
			p.Torch, p.Version, p.Python, p.Threads, p.Sgemm1024)
		blas := p.BLASConfig
		if blas == "" {
			blas = "no OpenBLAS"
		}
		fmt.Fprintf(&b, "BLAS:    %s\n", blas)
		for _, lib := range p.BLAS {
			fmt.Fprintf(&b, "         %s\n", lib)
		}
		fmt.Fprintf(&b, "         torch built with %s\n", p.TorchBLAS)
		if p.Reference {
			fmt.Fprintf(&b, "warning: the peer runs on the reference BLAS, about 10x slower than OpenBLAS; install it with\n"+
				"         apt-get install -y libopenblas0-openmp (found in %s)\n", OpenBLASDir)
		}
	} else {
		fmt.Fprintf(&b, "peer:    missing, deepgo only: %s\n", r.PeerMissing)
	}
	b.WriteString("\n")

	width := len("row")
	for _, rr := range r.Rows {
		width = max(width, len(rr.Name))
	}
	line := func(cells ...string) {
		fmt.Fprintf(&b, "%-*s  %-9s %10s %10s %7s %6s %6s %7s\n", width, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7])
	}
	line("row", "unit", "deepgo", "PyTorch", "ratio", "min", "max", "others")
	busiest := 0.0
	for _, rr := range r.Rows {
		cells := []string{rr.Name, rr.Unit, figure(rr.DeepgoMed), "-", "-", "-", "-", "-"}
		if rr.OtherCPUs >= 0 {
			cells[7] = fmt.Sprintf("%.2f", rr.OtherCPUs)
			busiest = max(busiest, rr.OtherCPUs)
		}
		if rr.Error != "" {
			cells[2] = "failed"
		}
		if len(rr.Ratios) > 0 {
			cells[3] = figure(rr.PeerMed)
			cells[4] = fmt.Sprintf("%.2fx", rr.Ratio)
			cells[5] = fmt.Sprintf("%.2f", rr.MinRatio)
			cells[6] = fmt.Sprintf("%.2f", rr.MaxRatio)
		} else if rr.PeerError != "" {
			cells[3] = "failed"
		}
		line(cells...)
	}

	b.WriteString("\nratio: deepgo's speed over PyTorch's, the median of the per-pair ratios (above 1: deepgo is faster);\n" +
		"for rows in s, PyTorch's time over deepgo's. deepgo and PyTorch columns are each side's median.\n" +
		"others: CPUs kept busy by other processes during the row, on average.\n")
	if busiest > busyCPUs {
		fmt.Fprintf(&b, "warning: other processes kept up to %.2f CPUs busy during the run: the figures are unreliable\n"+
			"         (PyTorch's OpenMP threads suffer most when a core is taken); rerun on a quiet machine.\n", busiest)
	}
	for _, rr := range r.Rows {
		if rr.Note != "" {
			fmt.Fprintf(&b, "note: %s\n", rr.Note)
		}
		if rr.Error != "" {
			fmt.Fprintf(&b, "%s: deepgo failed: %s\n", rr.Name, rr.Error)
		}
		if rr.PeerError != "" {
			fmt.Fprintf(&b, "%s: PyTorch failed: %s\n", rr.Name, rr.PeerError)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// busyCPUs is the load from other processes above which the table warns: a
// quarter of a core. On a 2-core machine a neighbour that busy already
// slowed torch.mm at n = 256 several-fold in our runs.
const busyCPUs = 0.25

// figure formats a measurement with three or four significant digits and
// thousands separators: 47,312 samples/s, 201.3 GFLOP/s, 0.852 s.
func figure(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v >= 1000:
		return thousands(strconv.FormatFloat(v, 'f', 0, 64))
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// thousands puts a comma between each group of three digits of an integer.
func thousands(s string) string {
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
