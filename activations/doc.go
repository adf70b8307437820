// Package activations holds the activation functions a Dense layer (or an
// Activation layer) applies after z = wᵀx + b, by their Keras names. Each is
// composed from autograd primitives, so none needs gradient code of its own.
package activations
