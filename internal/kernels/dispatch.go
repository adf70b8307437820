package kernels

// fastest returns the first of the kernel sets ks (listed fastest first by
// an *AsmKernels function), or fallback when this CPU runs none of them.
func fastest[K any](ks []*K, fallback *K) *K {
	if len(ks) > 0 {
		return ks[0]
	}
	return fallback
}
