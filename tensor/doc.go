// Package tensor holds deepgo's N-dimensional arrays and the eager math on
// them: creation, elementwise arithmetic with NumPy broadcasting, reductions
// and matrix multiplication. Nothing here records gradients; the autograd
// package builds the computational graph on top of these functions.
//
// A Tensor is a contiguous row-major array of float32 (the default, used for
// training) or float64 (used by gradient checks, where finite differences need
// the extra precision). Reshape and Rows return views that share storage;
// every other function returns a new tensor or writes into a destination the
// caller passes.
//
// Misuse (mismatched shapes or dtypes) panics with a *ShapeError naming the
// operation and the shapes involved: these are programming errors inside the
// numeric core. Public entry points that take user input (model building,
// Fit, data loading) check shapes first and return errors instead.
package tensor
