//go:build !amd64 || noasm

package kernels

// optimAsmKernels returns no kernel sets: there is no assembly on this
// architecture or under the noasm build tag, so the optimizer updates run
// their pure-Go twins.
func optimAsmKernels() []*optimKernels { return nil }
