// Package layers holds the Layer contract and the layers a model is built
// from: Flatten, Dense, Activation, ReLU, LeakyReLU, Softmax, Dropout (and,
// in later issues, convolution and recurrent layers).
//
// The contract follows Keras 3: a constructor records the configuration;
// Build receives the input shape (without the batch axis) on first use,
// validates it and creates the weights; Call does the math on autograd
// values; Config returns the Keras arguments so that FromSpec(Config())
// rebuilds the same layer. Weights are returned in a fixed order with stable
// names (kernel before bias), which is the order of the model file and of
// the optimizer's slots.
//
// Layers hold state (weights); the math lives in the stateless autograd and
// activations packages.
package layers
