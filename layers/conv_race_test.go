//go:build race

package layers_test

// raceEnabled: the race detector makes sync.Pool drop items at random, so
// allocation counts (GEMM's pooled packing buffers) are not meaningful.
const raceEnabled = true
