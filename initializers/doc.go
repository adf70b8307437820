// Package initializers fills new weights the way Keras does: glorot_uniform
// for kernels and zeros for biases by default, plus the other Keras
// initializers by name. Every initializer draws from the *rand.Rand it is
// given, so a seed fixes every weight of a model.
package initializers
