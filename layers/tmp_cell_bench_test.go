package layers

import "testing"

func BenchmarkTmpCellBackward(b *testing.B) {
	u := 128
	dz, a := make([]float32, 4*u), make([]float32, 4*u)
	dh, dc, cp, tc := make([]float32, u), make([]float32, u), make([]float32, u), make([]float32, u)
	for i := range a { a[i] = 0.5 }
	for i := range tc { tc[i] = 0.3; cp[i] = 0.2 }
	for range b.N {
		lstmCellBackwardTS(dz, dh, dc, a, cp, tc)
	}
}
func BenchmarkTmpCellForward(b *testing.B) {
	u := 128
	z := make([]float32, 4*u)
	h, c, cp, tc := make([]float32, u), make([]float32, u), make([]float32, u), make([]float32, u)
	for range b.N {
		for i := range z { z[i] = 0.1 }
		lstmCell(z, cp, c, tc, h, "tanh", "sigmoid")
	}
}

func BenchmarkTmpSigmoid384(b *testing.B) {
	z := make([]float32, 384)
	for range b.N {
		actForward("sigmoid", z, 1, 384)
	}
}
func BenchmarkTmpTanh256(b *testing.B) {
	z := make([]float32, 256)
	for range b.N {
		actForward("tanh", z, 1, 256)
	}
}
