package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkOptim times each update kernel, assembly against its Go twin, on
// one chunk of the optimizer's sweep (16k elements, in L2) and on the course
// MLP's 235k parameters in one piece (out of L2), and reports ns per
// element. Clipping is on (clipvalue), as it costs the kernels nothing
// extra. The gradients are plain normal values: the tests' special values
// (subnormals above all) would time the CPU's slow paths instead.
func BenchmarkOptim(b *testing.B) {
	sets := append(optimAsmKernels(), optimGo)
	clip := optimClips[1].c
	rng := rand.New(rand.NewPCG(7, 8))
	for _, oc := range optimCases {
		if oc.name == "adam/eps0" {
			continue
		}
		for _, n := range []int{16 << 10, 235146} {
			in := newOptimBuffers(rng, n, 0, oc.slots)
			w, g, s := in.slices()
			normalGradients(rng, g)
			for _, k := range sets {
				b.Run(fmt.Sprintf("%s/n=%d/%s", oc.name, n, k.name), func(b *testing.B) {
					for b.Loop() {
						oc.run(k, clip, w, g, s)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
				})
			}
		}
	}
	for _, n := range []int{16 << 10, 235146} {
		in := newOptimBuffers(rng, n, 0, 0)
		_, x, _ := in.slices()
		normalGradients(rng, x)
		for _, k := range sets {
			b.Run(fmt.Sprintf("sumsquares/n=%d/%s", n, k.name), func(b *testing.B) {
				for b.Loop() {
					k.sumSquares(x)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
			})
		}
	}
}

// normalGradients fills g with normal values of standard deviation 0.01.
func normalGradients(rng *rand.Rand, g []float32) {
	for i := range g {
		g[i] = float32(0.01 * rng.NormFloat64())
	}
}
