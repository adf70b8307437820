package optimizers

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// testBase reaches the shared base of any optimizer in this package.
func (b *base) testBase() *base { return b }

type hasBase interface{ testBase() *base }

// sweepVars are variables big enough to span several chunks of the
// parallel sweep, and one without a gradient in the middle, which must stay
// untouched.
func sweepVars(dt tensor.DType) []Variable {
	var vars []Variable
	for i, shape := range [][]int{{200, 150}, {150}, {7, 11}, {20000}, {1}} {
		v := Variable{Name: fmt.Sprint("v", i), Value: tensor.New(dt, shape...)}
		for k := range v.Value.Len() {
			v.Value.SetFlat(k, math.Sin(float64(k+i)))
		}
		if i != 2 {
			v.Grad = tensor.New(dt, shape...)
		}
		vars = append(vars, v)
	}
	return vars
}

// TestSweepMatchesSerial checks that cutting the variables into chunks and
// sharing them among threads changes nothing: every optimizer of
// roundTripCases, in float32 and float64, takes the same three steps with
// one chunk per variable on one thread as with chunks of 1000 elements on
// every thread. The results are identical, except under clipping by norm,
// where the chunks' partial sums of squares are added in another order
// (a few float64 ulps in the norm, at most one float32 ulp in the scale).
func TestSweepMatchesSerial(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Log("GOMAXPROCS is 1: the chunks run on one thread")
	}
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64} {
		for i := range roundTripCases() {
			s, p := roundTripCases()[i], roundTripCases()[i]
			sb, pb := s.(hasBase).testBase(), p.(hasBase).testBase()
			sb.sweep.chunkLen, sb.sweep.perThread = math.MaxInt, math.MaxInt
			pb.sweep.chunkLen, pb.sweep.perThread = 1000, 1
			tol := 0.0
			if sb.clipNorm > 0 || sb.globalClipNorm > 0 {
				tol = 1e-6
			}
			sv, pv := sweepVars(dt), sweepVars(dt)
			for step := range 3 {
				fillSweepGrads(sv, step)
				fillSweepGrads(pv, step)
				if err := s.Apply(sv); err != nil {
					t.Fatal(err)
				}
				if err := p.Apply(pv); err != nil {
					t.Fatal(err)
				}
				for v := range sv {
					for k := range sv[v].Value.Len() {
						got, want := pv[v].Value.AtFlat(k), sv[v].Value.AtFlat(k)
						if !(math.Abs(got-want) <= tol*math.Abs(want)) {
							t.Fatalf("%s %v (%s) step %d: %s[%d]: got %.9g in chunks, want %.9g as one", s.Name(), s.Config(), dt, step+1, sv[v].Name, k, got, want)
						}
					}
				}
			}
			if got, want := pv[2].Value.AtFlat(0), sweepVars(dt)[2].Value.AtFlat(0); got != want {
				t.Errorf("%s (%s): the variable without a gradient changed: %v, want %v", s.Name(), dt, got, want)
			}
			if allocs := testing.AllocsPerRun(10, func() { p.Apply(pv) }); allocs != 0 {
				t.Errorf("%s %v (%s): %v allocations per Apply in chunks on every thread, want 0", p.Name(), p.Config(), dt, allocs)
			}
		}
	}
}

// fillSweepGrads is fillGrads for variables some of which have no gradient.
func fillSweepGrads(vars []Variable, step int) {
	for _, v := range vars {
		if v.Grad != nil {
			fillGrads([]Variable{v}, step)
		}
	}
}
