//go:build !amd64 || noasm

package kernels

// asmKernels32 returns no kernels: there is no assembly on this architecture
// or under the noasm build tag, so Gemm runs the pure-Go kernel.
func asmKernels32() []*gemmKernel[float32] { return nil }
