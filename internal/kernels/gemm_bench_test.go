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

// benchGemm times f on an m×n×k product with op(A), op(B) stored per the
// transpositions and reports GFLOP/s, counting 2·m·n·k flops per call.
func benchGemm[T Float](b *testing.B, s gemmShape, f func(bool, bool, int, int, int, T, []T, int, []T, int, T, []T, int)) {
	a := make([]T, s.m*s.k)
	bm := make([]T, s.k*s.n)
	c := make([]T, s.m*s.n)
	for i := range a {
		a[i] = T(i%13) * 0.25
	}
	for i := range bm {
		bm[i] = T(i%7) * 0.5
	}
	lda, ldb := s.k, s.n
	if s.transA {
		lda = s.m
	}
	if s.transB {
		ldb = s.k
	}
	// A b.N loop rather than b.Loop: b.Loop runs the first -cpu setting's
	// whole measurement before GOMAXPROCS is set to it (Go 1.26).
	b.ResetTimer()
	for range b.N {
		f(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
	}
	flops := 2 * float64(s.m) * float64(s.n) * float64(s.k) * float64(b.N)
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkGemm sweeps square sizes and the products of training the course
// MLP (784-256-128-10) at batch 128: the forward X·W of each layer, the weight
// gradient dW = Xᵀ·dY (transA) and the input gradient dX = dY·Wᵀ (transB);
// their names give m×k×n. Run with -cpu 1,2 to see the parallel speed-up;
// naive-f32-256 is GemmRef.
func BenchmarkGemm(b *testing.B) {
	var shapes []gemmShape
	for _, n := range []int{16, 32, 48, 64, 128, 256, 512, 1024} {
		shapes = append(shapes, gemmShape{name: fmt.Sprint(n), m: n, n: n, k: n})
	}
	shapes = append(shapes,
		gemmShape{"mlp1-fwd-128x784x256", false, false, 128, 256, 784},
		gemmShape{"mlp1-dW-784x128x256", true, false, 784, 256, 128},
		gemmShape{"mlp1-dX-128x256x784", false, true, 128, 784, 256},
		gemmShape{"mlp2-fwd-128x256x128", false, false, 128, 128, 256},
		gemmShape{"mlp2-dW-256x128x128", true, false, 256, 128, 128},
		gemmShape{"mlp2-dX-128x128x256", false, true, 128, 256, 128},
		gemmShape{"mlp3-fwd-128x128x10", false, false, 128, 10, 128},
		gemmShape{"mlp3-dW-128x128x10", true, false, 128, 10, 128},
		gemmShape{"mlp3-dX-128x10x128", false, true, 128, 128, 10},
	)
	for _, s := range shapes {
		b.Run("f32-"+s.name, func(b *testing.B) { benchGemm(b, s, Gemm[float32]) })
	}
	for _, n := range []int{256} {
		s := gemmShape{name: fmt.Sprint(n), m: n, n: n, k: n}
		b.Run("f64-"+s.name, func(b *testing.B) { benchGemm(b, s, Gemm[float64]) })
		b.Run("naive-f32-"+s.name, func(b *testing.B) { benchGemm(b, s, GemmRef[float32]) })
	}
}
