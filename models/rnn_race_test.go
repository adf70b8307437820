//go:build race

package models

// raceDetectorOn: the race detector makes sync.Pool drop items at random,
// so allocation counts (GEMM's pooled packing buffers) are not meaningful.
const raceDetectorOn = true
