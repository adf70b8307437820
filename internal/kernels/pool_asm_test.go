package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// poolGuardBits fills the cells around every float32 buffer of the
// assembly tests: a NaN with a payload no kernel makes, so that a stray
// write shows as a changed bit pattern. poolArgGuard does the same for arg.
const (
	poolGuardBits = 0x7fc0dead
	poolArgGuard  = -7777
	poolPad       = 19 // guard cells before and after: more than one 16-lane group
)

// guarded returns a float32 slice of length n with poolPad guard cells on
// each side in its backing array, and the backing array.
func guarded32(n int) (s, all []float32) {
	all = make([]float32, n+2*poolPad)
	for i := range all {
		all[i] = math.Float32frombits(poolGuardBits)
	}
	return all[poolPad : poolPad+n], all
}

func guardedArg(n int) (s, all []int32) {
	all = make([]int32, n+2*poolPad)
	for i := range all {
		all[i] = poolArgGuard
	}
	return all[poolPad : poolPad+n], all
}

// checkGuards fails if a cell outside the first n cells after poolPad has
// changed.
func checkGuards[T float32 | int32](t *testing.T, what string, all []T, n int, guard T) {
	t.Helper()
	for i, v := range all {
		if i >= poolPad && i < poolPad+n {
			continue
		}
		if math.Float32bits(float32(v)) != math.Float32bits(float32(guard)) {
			t.Fatalf("%s: cell %d outside the slice written", what, i-poolPad)
		}
	}
}

// poolSpecial are the values the tests mix into the inputs: ties at zero
// with both signs (post-ReLU data), infinities, and NaNs with distinct
// payloads and signs, so that which NaN comes out is checked bit for bit.
var poolSpecial = []float32{
	0, float32(math.Copysign(0, -1)), 1, 1, float32(math.Inf(-1)), float32(math.Inf(1)),
	math.Float32frombits(0x7fc00001), math.Float32frombits(0xffc00002), math.Float32frombits(0x7fa00003), // quiet +, quiet −, signalling
}

// poolInput fills x: where special is true, each value is drawn from a few
// levels (many ties) and, one time in 8, from poolSpecial.
func poolInput(r *rand.Rand, x []float32, special bool) {
	for i := range x {
		switch {
		case !special:
			x[i] = float32(r.NormFloat64())
		case r.IntN(8) == 0:
			x[i] = poolSpecial[r.IntN(len(poolSpecial))]
		default:
			x[i] = float32(r.IntN(3))
		}
	}
}

func sameBits32(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestMaxPoolAsmMatchesTwin runs every assembly kernel pair of this CPU
// and the Go twins on the same inputs and wants the same bits: outputs,
// arg and gradients, with guard cells around every buffer untouched.
func TestMaxPoolAsmMatchesTwin(t *testing.T) {
	kernelSets := poolAsmKernels()
	if len(kernelSets) == 0 {
		t.Skip("no assembly kernels on this CPU or build")
	}
	type geom struct {
		spatial, pool, strides []int
		same                   bool
	}
	var geoms []geom
	for _, hw := range [][]int{{5, 5}, {7, 6}, {1, 4}, {26, 26}, {11, 11}} {
		for _, k := range []int{2, 3} {
			for _, s := range []int{1, 2} {
				for _, same := range []bool{false, true} {
					if !same && (k > hw[0] || k > hw[1]) {
						continue
					}
					geoms = append(geoms, geom{hw, []int{k, k}, []int{s, s}, same})
				}
			}
		}
	}
	geoms = append(geoms,
		geom{[]int{6, 5}, []int{1, 2}, []int{3, 1}, true}, // stride larger than the window
		geom{[]int{5, 7}, []int{2, 3}, []int{1, 2}, true},
		geom{[]int{9}, []int{3}, []int{2}, true}, // 1-D
		geom{[]int{4}, []int{4}, []int{4}, false},
	)
	r := rand.New(rand.NewPCG(1, 2))
	for _, ks := range kernelSets {
		for _, gm := range geoms {
			for _, c := range []int{1, 3, 8, 16, 17, 32, 33, 64} {
				if (gm.spatial[0] >= 26) && c > 8 {
					continue // the large images only with few channels: keeps the test fast
				}
				for _, special := range []bool{false, true} {
					g := NewPool2D(2, gm.spatial, c, gm.pool, gm.strides, gm.same)
					name := fmt.Sprintf("%s/%v pool %v strides %v same=%v C=%d special=%v", ks.name, gm.spatial, gm.pool, gm.strides, gm.same, c, special)
					nIn, nOut := g.N*g.InLen(), g.N*g.OutLen()
					x, xAll := guarded32(nIn)
					for i := range xAll {
						xAll[i] = float32(math.NaN()) // a stray read would change an output
					}
					poolInput(r, x, special)

					yWant, yAll := guarded32(nOut)
					argWant, _ := guardedArg(nOut)
					maxPool2DGo(g, yWant, argWant, x)
					yNoArgWant := make([]float32, nOut)
					maxPool2DGo(g, yNoArgWant, nil, x)

					y, yAll := guarded32(nOut)
					arg, argAll := guardedArg(nOut)
					maxPool2DRuns(g, y, arg, x, ks.maxRun)
					checkGuards(t, name+": y", yAll, nOut, float32(math.Float32frombits(poolGuardBits)))
					checkGuards(t, name+": arg", argAll, nOut, poolArgGuard)
					if i := sameBits32(y, yWant); i >= 0 {
						t.Fatalf("%s: y[%d] = %#x, want %#x", name, i, math.Float32bits(y[i]), math.Float32bits(yWant[i]))
					}
					for i := range arg {
						if arg[i] != argWant[i] {
							t.Fatalf("%s: arg[%d] = %d, want %d", name, i, arg[i], argWant[i])
						}
					}
					yNoArg, yNoArgAll := guarded32(nOut)
					maxPool2DRuns(g, yNoArg, nil, x, ks.maxRun)
					checkGuards(t, name+": y without arg", yNoArgAll, nOut, float32(math.Float32frombits(poolGuardBits)))
					if i := sameBits32(yNoArg, yNoArgWant); i >= 0 {
						t.Fatalf("%s: without arg, y[%d] = %#x, want %#x", name, i, math.Float32bits(yNoArg[i]), math.Float32bits(yNoArgWant[i]))
					}

					dy := make([]float32, nOut)
					poolInput(r, dy, special)
					dxWant, _ := guarded32(nIn)
					maxPool2DBackwardGo(g, dxWant, argWant, dy)
					dx, dxAll := guarded32(nIn)
					for i := range dx {
						dx[i] = 99 // stale values must be cleared
					}
					maxPool2DBackwardRuns(g, dx, arg, dy, ks.maxBackRun)
					checkGuards(t, name+": dx", dxAll, nIn, float32(math.Float32frombits(poolGuardBits)))
					if i := sameBits32(dx, dxWant); i >= 0 {
						t.Fatalf("%s: dx[%d] = %#x, want %#x", name, i, math.Float32bits(dx[i]), math.Float32bits(dxWant[i]))
					}
				}
			}
		}
	}
}

// TestMaxPoolDispatch checks that MaxPool2D and MaxPool2DBackward on
// float32 give the twin's bits through whatever kernel this CPU picks.
func TestMaxPoolDispatch(t *testing.T) {
	g := NewPool2D(3, []int{7, 9}, 20, []int{3, 2}, []int{2, 2}, true)
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, g.N*g.InLen())
	poolInput(r, x, true)
	y, yWant := make([]float32, g.N*g.OutLen()), make([]float32, g.N*g.OutLen())
	arg, argWant := make([]int32, len(y)), make([]int32, len(y))
	MaxPool2D(g, y, arg, x)
	maxPool2DGo(g, yWant, argWant, x)
	if i := sameBits32(y, yWant); i >= 0 {
		t.Fatalf("y[%d] = %v, want %v", i, y[i], yWant[i])
	}
	dx, dxWant := make([]float32, len(x)), make([]float32, len(x))
	MaxPool2DBackward(g, dx, arg, y)
	maxPool2DBackwardGo(g, dxWant, argWant, yWant)
	if i := sameBits32(dx, dxWant); i >= 0 {
		t.Fatalf("dx[%d] = %v, want %v", i, dx[i], dxWant[i])
	}
}
