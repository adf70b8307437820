// Package autograd records the computational graph of a forward pass and
// runs backpropagation through it (reverse-mode automatic differentiation).
//
// A *Value wraps a tensor. Leaves are parameters (Param, which require a
// gradient) or constants (Const). Every op in ops.go computes its output
// eagerly with the tensor package and, when any input requires a gradient,
// records a closure holding its local gradient rule: the op's forward and its
// backward are written side by side, as in micrograd. Backward walks the graph
// from the loss in reverse topological order, applying the chain rule and
// *adding* each contribution into the inputs' Grad, so a value used twice
// (fan-out) receives the sum of both paths. After Backward the graph is
// released: intermediate gradients and closures are dropped, so the
// activations they kept alive can be collected.
//
// Broadcasting is undone in one place, tensor.SumTo, called by the binary
// ops' gradient rules. Composite functions (losses, activations) are built
// from these primitives and need no gradient code of their own; the few fused
// ops (Linear, LogSoftmax, SoftmaxCrossEntropy) exist for speed and numerical
// stability and are checked against their composed forms.
//
// WriteDOT exports the graph in Graphviz format so a learner can look at it.
package autograd
