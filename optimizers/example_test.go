package optimizers_test

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Minimise f(w) = (w-3)^2 with plain gradient descent: the gradient is
// 2(w-3), and each step moves w a fifth of the way to 3.
func ExampleSGD() {
	w := tensor.FromFloat64([]float64{0}, 1)
	g := tensor.New(tensor.Float64, 1)
	opt := optimizers.NewSGD(0.1, 0, false)
	for range 3 {
		g.SetFlat(0, 2*(w.AtFlat(0)-3))
		if err := opt.Apply([]optimizers.Variable{{Name: "w", Value: w, Grad: g}}); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("step %d: w = %.3f\n", opt.Iterations(), w.AtFlat(0))
	}
	// Output:
	// step 1: w = 0.600
	// step 2: w = 1.080
	// step 3: w = 1.464
}

// Build an optimizer from a spec, as a model file's compile section gives
// it: a name and Keras's argument names.
func ExampleGet() {
	opt, err := optimizers.Get("adam", map[string]any{
		"learning_rate": map[string]any{
			"class_name": "ExponentialDecay",
			"config":     map[string]any{"initial_learning_rate": 0.01, "decay_steps": 1000, "decay_rate": 0.5},
		},
		"clipnorm": 1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := opt.Config()
	fmt.Println(opt.Name(), opt.LearningRate(), cfg["beta_1"], cfg["clipnorm"])

	_, err = optimizers.Get("adam", map[string]any{"lr": 0.01})
	fmt.Println(err)
	// Output:
	// Adam 0.01 0.9 1
	// optimizer "adam": unknown argument "lr" (valid: learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay, clipnorm, global_clipnorm, clipvalue)
}

func ExampleCosineDecay() {
	s := &optimizers.CosineDecay{InitialLearningRate: 0, DecaySteps: 8, WarmupTarget: 0.1, WarmupSteps: 2}
	for _, step := range []int64{0, 1, 2, 6, 10, 20} {
		fmt.Printf("step %2d: %.3f\n", step, s.At(step))
	}
	// Output:
	// step  0: 0.000
	// step  1: 0.050
	// step  2: 0.100
	// step  6: 0.050
	// step 10: 0.000
	// step 20: 0.000
}

// Save an optimizer's state in the middle of training and resume from it.
func ExampleOptimizer_State() {
	w := tensor.FromFloat64([]float64{1, 2}, 2)
	g := tensor.FromFloat64([]float64{0.5, -0.5}, 2)
	vars := []optimizers.Variable{{Name: "dense.bias", Value: w, Grad: g}}
	opt := optimizers.NewSGD(0.1, 0.9, false)
	_ = opt.Apply(vars)
	for _, s := range opt.State() {
		fmt.Println(s.Name, s.T.Values())
	}
	resumed, _ := optimizers.Get(opt.Name(), opt.Config())
	fmt.Println(resumed.SetState(opt.State()), resumed.Iterations())
	// Output:
	// iterations [1]
	// learning_rate [0.1]
	// dense.bias.momentum [-0.05 0.05]
	// <nil> 1
}
