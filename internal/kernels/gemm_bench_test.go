package kernels

import (
	"fmt"
	"testing"
)

type gemmShape struct {
	name           string
	transA, transB bool
	m, n, k        int
}

// mlpShapes returns the products of training the course MLP (784-256-128-10)
// at batch 128 and 32: the forward X·W of each layer, the weight gradient
// dW = Xᵀ·dY (transA) and the input gradient dX = dY·Wᵀ (transB), then the
// first layer's forward pass of inference at batch 1000. Names give m×k×n.
func mlpShapes() []gemmShape {
	var shapes []gemmShape
	for _, batch := range []int{128, 32} {
		for l, dims := range [][2]int{{784, 256}, {256, 128}, {128, 10}} {
			in, out := dims[0], dims[1]
			shapes = append(shapes,
				gemmShape{fmt.Sprintf("mlp%d-fwd-%dx%dx%d", l+1, batch, in, out), false, false, batch, out, in},
				gemmShape{fmt.Sprintf("mlp%d-dW-%dx%dx%d", l+1, in, batch, out), true, false, in, out, batch},
				gemmShape{fmt.Sprintf("mlp%d-dX-%dx%dx%d", l+1, batch, out, in), false, true, batch, in, out},
			)
		}
	}
	return append(shapes, gemmShape{"infer-1000x784x256", false, false, 1000, 256, 784})
}

// newBenchOperands returns A, B and C for shape s, with their strides.
func newBenchOperands[T Float](s gemmShape) (a []T, lda int, b []T, ldb int, c []T) {
	a = make([]T, s.m*s.k)
	b = make([]T, s.k*s.n)
	c = make([]T, s.m*s.n)
	for i := range a {
		a[i] = T(i%13) * 0.25
	}
	for i := range b {
		b[i] = T(i%7) * 0.5
	}
	lda, ldb = s.k, s.n
	if s.transA {
		lda = s.m
	}
	if s.transB {
		ldb = s.k
	}
	return a, lda, b, ldb, c
}

// benchGemm times f on an m×n×k product with op(A), op(B) stored per the
// transpositions and reports GFLOP/s, counting 2·m·n·k flops per call.
func benchGemm[T Float](b *testing.B, s gemmShape, f func(bool, bool, int, int, int, T, []T, int, []T, int, T, []T, int)) {
	a, lda, bm, ldb, c := newBenchOperands[T](s)
	// A b.N loop rather than b.Loop: b.Loop runs the first -cpu setting's
	// whole measurement before GOMAXPROCS is set to it (Go 1.26).
	b.ResetTimer()
	for range b.N {
		f(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
	}
	reportGFLOPs(b, s)
}

func reportGFLOPs(b *testing.B, s gemmShape) {
	flops := 2 * float64(s.m) * float64(s.n) * float64(s.k) * float64(b.N)
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkGemm sweeps square sizes and the products of the course MLP
// (mlpShapes) in float32, with the kernel Gemm picks for this CPU. Run with
// -cpu 1,2 to see the parallel speed-up; naive-f32-256 is GemmRef, f64-256
// the pure-Go kernel in float64.
func BenchmarkGemm(b *testing.B) {
	var shapes []gemmShape
	for _, n := range []int{16, 32, 48, 64, 128, 256, 512, 1024} {
		shapes = append(shapes, gemmShape{name: fmt.Sprint(n), m: n, n: n, k: n})
	}
	for _, s := range append(shapes, mlpShapes()...) {
		b.Run("f32-"+s.name, func(b *testing.B) { benchGemm(b, s, Gemm[float32]) })
	}
	s := gemmShape{name: "256", m: 256, n: 256, k: 256}
	b.Run("f64-"+s.name, func(b *testing.B) { benchGemm(b, s, Gemm[float64]) })
	b.Run("naive-f32-"+s.name, func(b *testing.B) { benchGemm(b, s, GemmRef[float32]) })
}

// BenchmarkGemmKernels runs a few shapes with each float32 micro-kernel this
// CPU has, forced, to compare them.
func BenchmarkGemmKernels(b *testing.B) {
	shapes := []gemmShape{
		{"256", false, false, 256, 256, 256},
		{"1024", false, false, 1024, 1024, 1024},
		{"mlp1-fwd-128x784x256", false, false, 128, 256, 784},
		{"mlp3-fwd-128x128x10", false, false, 128, 10, 128},
	}
	for _, k := range sgemmKernels {
		for _, s := range shapes {
			b.Run(k.name+"/"+s.name, func(b *testing.B) {
				defer func(old *gemmKernel[float32]) { sgemmKernel = old }(sgemmKernel)
				kern := *k
				kern.narrow = nil
				sgemmKernel = &kern
				benchGemm(b, s, Gemm[float32])
			})
		}
	}
}

// BenchmarkGemmBiasAct compares a Dense layer's forward pass with ReLU done
// by GemmBiasAct (bias and activation in the GEMM's output pass) with the
// same done as Gemm followed by one loop over C, on the MLP's forward shapes.
func BenchmarkGemmBiasAct(b *testing.B) {
	for _, s := range mlpShapes() {
		if s.transA || s.transB {
			continue
		}
		a, lda, bm, ldb, c := newBenchOperands[float32](s)
		bias := make([]float32, s.n)
		for i := range bias {
			bias[i] = float32(i%5) - 2
		}
		b.Run("fused/"+s.name, func(b *testing.B) {
			for range b.N {
				GemmBiasAct(false, false, s.m, s.n, s.k, a, lda, bm, ldb, c, s.n, bias, EpilogueReLU)
			}
			reportGFLOPs(b, s)
		})
		b.Run("composed/"+s.name, func(b *testing.B) {
			for range b.N {
				Gemm(false, false, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
				for i := 0; i < s.m; i++ {
					row := c[i*s.n : i*s.n+s.n]
					for j, v := range bias {
						row[j] = max(row[j]+v, 0)
					}
				}
			}
			reportGFLOPs(b, s)
		})
	}
}
