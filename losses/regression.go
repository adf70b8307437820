package losses

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Regression is mean_squared_error (mean of (y−p)² over the last axis) or
// mean_absolute_error (mean of |y−p|).
type Regression struct{ name string }

func newRegression(a spec.Args, name string) (Loss, error) {
	if err := checkArgs(name, a); err != nil {
		return nil, err
	}
	return &Regression{name: name}, nil
}

// MeanSquaredError returns the mean_squared_error loss.
func MeanSquaredError() Loss { return &Regression{"mean_squared_error"} }

// MeanAbsoluteError returns the mean_absolute_error loss.
func MeanAbsoluteError() Loss { return &Regression{"mean_absolute_error"} }

func (l *Regression) Name() string                     { return l.name }
func (l *Regression) Config() spec.Args                { return nil }
func (l *Regression) CheckTargets(y, pred []int) error { return sameShapeTargets(l.name, y, pred) }

func (l *Regression) Call(yTrue *tensor.Tensor, yPred *autograd.Value) *autograd.Value {
	y := autograd.Const(alignTargets(yTrue, yPred.Shape()).AsType(yPred.Data.DType()))
	e := autograd.Sub(yPred, y)
	if l.name == "mean_squared_error" {
		return meanLast(autograd.Square(e))
	}
	return meanLast(autograd.Abs(e))
}

// Huber is quadratic for errors up to delta and linear beyond:
// 0.5e² if |e| ≤ δ else δ(|e| − δ/2), averaged over the last axis. It is
// written as 0.5q² + δ(|e| − q) with q = min(|e|, δ), which is the same
// function built from primitives.
type Huber struct{ Delta float64 }

func newHuber(a spec.Args) (Loss, error) {
	if err := checkArgs("huber", a, "delta"); err != nil {
		return nil, err
	}
	d, err := a.Float("delta", 1)
	if err != nil {
		return nil, err
	}
	if d <= 0 {
		return nil, fmt.Errorf("huber: delta must be positive, got %v", d)
	}
	return &Huber{Delta: d}, nil
}

func (*Huber) Name() string                       { return "huber" }
func (l *Huber) Config() spec.Args                { return spec.Args{{Name: "delta", Value: l.Delta}} }
func (l *Huber) CheckTargets(y, pred []int) error { return sameShapeTargets("huber", y, pred) }

func (l *Huber) Call(yTrue *tensor.Tensor, yPred *autograd.Value) *autograd.Value {
	y := autograd.Const(alignTargets(yTrue, yPred.Shape()).AsType(yPred.Data.DType()))
	abs := autograd.Abs(autograd.Sub(yPred, y))
	delta := tensor.AddScalar(tensor.New(yPred.Data.DType(), 1), l.Delta)
	q := autograd.Minimum(abs, autograd.Const(delta))
	lin := autograd.Scale(autograd.Sub(abs, q), l.Delta)
	return meanLast(autograd.Add(autograd.Scale(autograd.Square(q), 0.5), lin))
}
