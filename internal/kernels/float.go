package kernels

// Float is the set of element types the kernels work on: float32, float64
// and types defined on them.
type Float interface{ ~float32 | ~float64 }
