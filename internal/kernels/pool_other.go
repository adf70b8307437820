//go:build noasm || !amd64

package kernels

// poolAsmKernels lists no pairs: there is no assembly.
func poolAsmKernels() []*poolKernels { return nil }
