package layers

import "github.com/deepgo-dev/deepgo/internal/kernels"

// ForceDirectConv makes every convolution that kernels.DirectConvSuits run
// directly (with the Go twins where the CPU has no assembly for them) until
// the returned func restores the choice.
func ForceDirectConv() (restore func()) {
	old := directConv
	directConv = kernels.DirectConvSuits
	return func() { directConv = old }
}

// RanDirect reports whether the last Forward of a Conv1D or Conv2D ran
// directly.
func RanDirect(l Layer) bool {
	switch c := l.(type) {
	case *Conv2D:
		return c.fast.direct
	case *Conv1D:
		return c.fast.direct
	}
	return false
}

// SetConvChunkBytes sets how much patch matrix per thread Forward builds
// at a time, until the returned func restores it.
func SetConvChunkBytes(b int) (restore func()) {
	old := convChunkBytes
	convChunkBytes = b
	return func() { convChunkBytes = old }
}

// ForceWinograd makes every convolution that Winograd can run
// (kernels.WinogradFits) run as Winograd, with the Go twins where the CPU
// has no assembly for it, until the returned func restores the choice.
func ForceWinograd() (restore func()) {
	old := winogradConv
	winogradConv = kernels.WinogradFits
	return func() { winogradConv = old }
}

// RanWinograd reports whether the last Forward of a Conv2D ran as
// Winograd.
func RanWinograd(l Layer) bool {
	c, ok := l.(*Conv2D)
	return ok && c.fast.winograd
}
