//go:build !amd64 || noasm

package kernels

// stridedAsm is false without assembly: gemmStridedA runs tileStridedGo.
const stridedAsm = false

func tileStridedAsm(kc int, a []float32, rs, ks int, b []float32, ldb int, c []float32, ldc int, beta float32, cols int) {
	panic("unreachable")
}
