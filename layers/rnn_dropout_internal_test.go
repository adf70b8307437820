package layers

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/tensor"
)

// TestRNNDropoutSemantics checks Keras 3's recurrent dropout on SimpleRNN
// against a loop written out by hand: one input mask (batch, features) for
// every timestep, applied to x_t, then one recurrent mask (batch, units)
// applied to h_{t−1}, drawn in that order and scaled by 1/(1−rate),
//
//	h_t = tanh((x_t ⊙ m)·kernel + (h_{t−1} ⊙ r)·recurrent_kernel + bias).
func TestRNNDropoutSemantics(t *testing.T) {
	const batch, steps, feats, units = 3, 4, 5, 2
	l := NewSimpleRNN(units, WithRNNDropout(0.4), WithRecurrentDropout(0.5))
	l.SetName("r")
	if err := l.Build([]int{steps, feats}, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	x := tensor.New(tensor.Float64, batch, steps, feats)
	for i := 0; i < x.Len(); i++ {
		x.SetFlat(i, math.Sin(float64(i)*0.7)+0.1)
	}
	for _, w := range l.Weights() {
		w.Value.Data = w.Value.Data.AsType(tensor.Float64)
		for i := 0; i < w.Value.Data.Len(); i++ {
			w.Value.Data.SetFlat(i, math.Cos(float64(i)*1.3)*0.5)
		}
	}
	y := l.Call(&Context{Training: true, RNG: rand.New(rand.NewPCG(5, 6))}, autograd.Const(x))

	rng := rand.New(rand.NewPCG(5, 6))
	m, r := make([]float64, batch*feats), make([]float64, batch*units)
	dropoutMask(rng, m, 0.4)
	dropoutMask(rng, r, 0.5)
	for _, v := range append(append([]float64(nil), m...), r...) {
		if v != 0 && math.Abs(v-1/0.6) > 1e-12 && math.Abs(v-2) > 1e-12 {
			t.Fatalf("mask value %v, want 0 or 1/(1−rate)", v)
		}
	}
	k, rk, b := l.kernel.Value.Data, l.recurrentKernel.Value.Data, l.bias.Value.Data
	for n := 0; n < batch; n++ {
		h := make([]float64, units)
		for s := 0; s < steps; s++ {
			next := make([]float64, units)
			for u := 0; u < units; u++ {
				z := b.AtFlat(u)
				for f := 0; f < feats; f++ {
					z += x.At(n, s, f) * m[n*feats+f] * k.At(f, u)
				}
				for v := 0; v < units; v++ {
					z += h[v] * r[n*units+v] * rk.At(v, u)
				}
				next[u] = math.Tanh(z)
			}
			h = next
		}
		for u := 0; u < units; u++ {
			if got := y.Data.At(n, u); math.Abs(got-h[u]) > 1e-12 {
				t.Fatalf("sample %d unit %d: %v, want %v (by hand)", n, u, got, h[u])
			}
		}
	}
}

// TestGRUDropoutPerGate checks GRU's dropout with recurrent dropout
// against a loop written out by hand, as Keras 3's GRUCell computes it in
// "implementation 1": input masks m_z, m_r, m_h (batch, features), then
// recurrent masks r_z, r_r, r_h (batch, units), one per gate, and
//
//	z = σ((x⊙m_z)·K_z + b_z + (h⊙r_z)·R_z + b'_z)
//	r = σ((x⊙m_r)·K_r + b_r + (h⊙r_r)·R_r + b'_r)
//	ĥ = tanh((x⊙m_h)·K_h + b_h + r ⊙ ((h⊙r_h)·R_h + b'_h))
//	h_t = z⊙h + (1−z)⊙ĥ   (the undropped h)
func TestGRUDropoutPerGate(t *testing.T) {
	const batch, steps, feats, units = 2, 3, 4, 3
	l := NewGRU(units, WithRNNDropout(0.3), WithRecurrentDropout(0.4))
	l.SetName("g")
	if err := l.Build([]int{steps, feats}, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	x := tensor.New(tensor.Float64, batch, steps, feats)
	for i := 0; i < x.Len(); i++ {
		x.SetFlat(i, math.Sin(float64(i)*0.9)+0.2)
	}
	for j, w := range l.Weights() {
		w.Value.Data = w.Value.Data.AsType(tensor.Float64)
		for i := 0; i < w.Value.Data.Len(); i++ {
			w.Value.Data.SetFlat(i, math.Cos(float64(i*(j+2))*0.7)*0.6)
		}
	}
	y := l.Call(&Context{Training: true, RNG: rand.New(rand.NewPCG(9, 10))}, autograd.Const(x))

	rng := rand.New(rand.NewPCG(9, 10))
	var m, r [3][]float64
	for k := range m {
		m[k] = make([]float64, batch*feats)
		dropoutMask(rng, m[k], 0.3)
	}
	for k := range r {
		r[k] = make([]float64, batch*units)
		dropoutMask(rng, r[k], 0.4)
	}
	k, rk, b := l.kernel.Value.Data, l.recurrentKernel.Value.Data, l.bias.Value.Data
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	for n := 0; n < batch; n++ {
		h := make([]float64, units)
		for s := 0; s < steps; s++ {
			// xg[g][u] and rg[g][u]: gate g's input and recurrent terms.
			var xg, rg [3][units]float64
			for g := 0; g < 3; g++ {
				for u := 0; u < units; u++ {
					col := g*units + u
					xg[g][u], rg[g][u] = b.At(0, col), b.At(1, col)
					for f := 0; f < feats; f++ {
						xg[g][u] += x.At(n, s, f) * m[g][n*feats+f] * k.At(f, col)
					}
					for v := 0; v < units; v++ {
						rg[g][u] += h[v] * r[g][n*units+v] * rk.At(v, col)
					}
				}
			}
			next := make([]float64, units)
			for u := 0; u < units; u++ {
				z, rr := sig(xg[0][u]+rg[0][u]), sig(xg[1][u]+rg[1][u])
				hh := math.Tanh(xg[2][u] + rr*rg[2][u])
				next[u] = z*h[u] + (1-z)*hh
			}
			h = next
		}
		for u := 0; u < units; u++ {
			if got := y.Data.At(n, u); math.Abs(got-h[u]) > 1e-12 {
				t.Fatalf("sample %d unit %d: %v, want %v (by hand)", n, u, got, h[u])
			}
		}
	}
}
