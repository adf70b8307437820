//go:build noasm || !amd64

package kernels

// rnnAsmKernels lists no sets: there is no assembly, and the LSTM cell
// runs its Go twins.
func rnnAsmKernels() []*rnnKernels { return nil }
