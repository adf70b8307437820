//go:build noasm || !amd64

package kernels

// f32AsmKernels lists the assembly kernel sets this CPU can run: none in a
// -tags noasm build or on an architecture without them.
func f32AsmKernels() []*f32Kernels { return nil }
