//go:build !amd64 || noasm

package kernels

// wgAsm is false without assembly: the Winograd transforms run the Go
// twins.
const wgAsm = false

func wgInputAVX512(rows *[4]*float32, c int, dst *float32, ld int) { panic("unreachable") }

func wgOutputAVX512(src *float32, ld, c int, bias *float32, relu bool, dst *[4]*float32) {
	panic("unreachable")
}

func wgGradOutAVX512(src *[4]*float32, c int, dst *float32, ld int) { panic("unreachable") }

func wgGradInAVX512(src *float32, ld, c int, rows *[4]*float32) { panic("unreachable") }
