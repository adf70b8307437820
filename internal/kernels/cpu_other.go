//go:build !amd64 || noasm

package kernels

// CPU features that choose the assembly kernels at run time: always false
// where there is no assembly (other architectures, or the noasm build tag),
// which selects the pure-Go twins. See cpu_amd64.go.
var (
	hasAVX512  = false
	hasAVX2FMA = false
)
