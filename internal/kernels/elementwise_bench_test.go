package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkElementwise times each float32 kernel on n = 1e3, 1e4 and 1e5
// elements in every implementation: "go" is the pure-Go twin, "generic"
// (for the transcendental ops and softmax) the float64 loop that float32
// used before the assembly, and "avx2"/"avx512" the assembly sets. The
// bytes reported are those read and written, so -benchmem-free GB/s
// compares memory-bound kernels, and ns/op ÷ n is the time per element.
//
//	go test -run '^$' -bench Elementwise ./internal/kernels
func BenchmarkElementwise(b *testing.B) {
	type op struct {
		name    string
		bytes   int // bytes read and written per element
		run     func(k *f32Kernels, dst, a, c []float32)
		generic func(dst, a, c []float32) // nil: the twin is the old loop
	}
	const rowLen = 10 // softmax rows of 10 classes, as for MNIST
	ops := []op{
		{"relu", 8, func(k *f32Kernels, d, a, _ []float32) { k.relu(d, a) }, nil},
		{"reluGrad", 12, func(k *f32Kernels, d, a, c []float32) { k.reluGrad(d, c, a) }, nil},
		{"leakyReLU", 8, func(k *f32Kernels, d, a, _ []float32) { k.leakyReLU(d, a, 0.1) }, nil},
		{"add", 12, func(k *f32Kernels, d, a, c []float32) { k.add(d, a, c) }, nil},
		{"mulScalar", 8, func(k *f32Kernels, d, a, _ []float32) { k.mulScalar(d, a, 0.5) }, nil},
		{"axpy", 12, func(k *f32Kernels, d, a, _ []float32) { k.axpy(1e-9, a, d) }, nil},
		{"exp", 8, func(k *f32Kernels, d, a, _ []float32) { k.exp(d, a) },
			func(d, a, _ []float32) { unaryGo(OpExp, d, a) }},
		{"tanh", 8, func(k *f32Kernels, d, a, _ []float32) { k.tanh(d, a) },
			func(d, a, _ []float32) { unaryGo(OpTanh, d, a) }},
		{"sigmoid", 8, func(k *f32Kernels, d, a, _ []float32) { k.sigmoid(d, a) },
			func(d, a, _ []float32) { unaryGo(OpSigmoid, d, a) }},
		{"log", 8, func(k *f32Kernels, d, a, _ []float32) { k.log(d, a) },
			func(d, a, _ []float32) { unaryGo(OpLog, d, a) }},
		{"sum", 4, func(k *f32Kernels, _, a, _ []float32) { k.sum(a) }, nil},
		{"max", 4, func(k *f32Kernels, _, a, _ []float32) { k.max(a) }, nil},
		{"sumRows256", 4, func(k *f32Kernels, d, a, _ []float32) { k.sumRows(d[:256], a, len(a)/256, 256) }, nil},
		{"softmax10", 8, func(k *f32Kernels, d, a, _ []float32) { softmaxRowsF32(k, d, a, len(a)/rowLen, rowLen) },
			func(d, a, _ []float32) { softmaxRowsGo(d, a, len(a)/rowLen, rowLen) }},
		{"softmax1000", 8, func(k *f32Kernels, d, a, _ []float32) { softmaxRowsF32(k, d, a, len(a)/1000, 1000) },
			func(d, a, _ []float32) { softmaxRowsGo(d, a, len(a)/1000, 1000) }},
		{"softmaxCE10", 12, func(k *f32Kernels, d, a, c []float32) {
			softmaxCERowsF32(k, nil, d, a, c[:len(a)/rowLen], len(a)/rowLen, rowLen, 0.01)
		}, func(d, a, c []float32) { softmaxCERowsGo(nil, d, a, c[:len(a)/rowLen], len(a)/rowLen, rowLen, 0.01) }},
	}
	r := rand.New(rand.NewPCG(1, 1))
	for _, o := range ops {
		for _, n := range []int{1e3, 1e4, 1e5} {
			a, c, d := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range a {
				a[i] = float32(r.NormFloat64() * 3)
				c[i] = float32(r.IntN(rowLen)) // labels for softmaxCE, values elsewhere
				if o.name == "log" {
					// Positive, as in real use: the twin returns early
					// for x ≤ 0.
					a[i] = max(-a[i], a[i])
				}
			}
			impls := []struct {
				name string
				f    func()
			}{{"go", func() { o.run(f32Go, d, a, c) }}}
			if o.generic != nil {
				impls = append(impls, struct {
					name string
					f    func()
				}{"generic", func() { o.generic(d, a, c) }})
			}
			for _, k := range f32AsmKernels() {
				impls = append(impls, struct {
					name string
					f    func()
				}{k.name, func() { o.run(k, d, a, c) }})
			}
			for _, im := range impls {
				b.Run(fmt.Sprintf("%s/n=%d/%s", o.name, n, im.name), func(b *testing.B) {
					b.SetBytes(int64(o.bytes * n))
					for b.Loop() {
						im.f()
					}
				})
			}
		}
	}
}
