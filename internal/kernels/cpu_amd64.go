//go:build amd64 && !noasm

package kernels

import "golang.org/x/sys/cpu"

// CPU features that choose the assembly kernels at run time. x/sys/cpu
// reports a feature only when the operating system also saves the registers
// it uses (XCR0), so a kernel gated on these flags may use them freely.
//
// hasAVX512 asks for the four AVX-512 subsets that every AVX-512 CPU since
// Skylake-SP and Zen 4 has (F, DQ, BW, VL), so that kernels in this package
// may use any of them; only the Xeon Phi has F without the others.
// hasAVX2FMA asks for AVX2 and FMA3 together (Haswell, Zen 1 and later).
// Both are false under the noasm build tag and on other architectures
// (cpu_other.go), which selects the pure-Go twins.
var (
	hasAVX512  = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
	hasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

// asmSets lists, of one kind of kernel set, those this CPU can run,
// fastest first: the AVX-512 set, then the AVX2+FMA one.
func asmSets[K any](avx512, avx2 *K) []*K {
	var ks []*K
	if hasAVX512 {
		ks = append(ks, avx512)
	}
	if hasAVX2FMA {
		ks = append(ks, avx2)
	}
	return ks
}
