// Package bench measures deepgo against PyTorch on the same workloads in
// the same run, and prints the table that `deepgo bench` shows.
//
// Each row of the table is one workload (a Row in Rows): a float32 matrix
// product, a training step of the course's MLP, a batch of inference, an
// epoch of MNIST. The deepgo side runs in this process; the PyTorch side
// runs in peer.py, a long-lived Python subprocess that is told "run ROW
// SECONDS" on its standard input and answers with one JSON line, so that
// neither Python's start-up nor torch's import is timed. The two sides
// take turns, deepgo then PyTorch, for a number of pairs; because shared
// machines drift by 20–30 % from minute to minute, the table reports the
// median of the per-pair ratios rather than a ratio of medians.
//
// Adding a row takes one entry in Rows (workloads.go) with its deepgo setup,
// and one entry in ROWS in peer.py under the same name.
//
// The peer is PyTorch at its best: it is started with OpenBLAS's OpenMP
// build on its library path when that is installed (Debian's torch
// otherwise falls back on the reference BLAS, about ten times slower), with
// the same thread count as deepgo, and it reports the BLAS it loaded and
// its own sgemm speed so the table shows what deepgo was compared with.
package bench
