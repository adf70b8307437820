//go:build noasm || !amd64

package kernels

// poolF32 is nil without assembly: MaxPool2D runs the Go loops.
var poolF32 *poolKernels

// poolAsmKernels lists no pairs: there is no assembly.
func poolAsmKernels() []*poolKernels { return nil }
