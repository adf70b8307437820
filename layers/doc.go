// Package layers holds the Layer contract and the layers a model is built
// from: Flatten, Dense, Activation, ReLU, LeakyReLU, Softmax, Dropout,
// convolution, pooling and normalization layers, and for sequences
// TextVectorization, Embedding, Masking, SimpleRNN, LSTM, GRU, Bidirectional
// and TimeDistributed (Types lists every spec name).
//
// Sequences with padding carry a timestep mask from layer to layer, as in
// Keras (mask.go): Embedding(mask_zero) and Masking start one, recurrent
// layers carry their state over masked steps, GlobalAveragePooling1D
// averages over the real steps, and Dense, Dropout, the activation layers
// and TimeDistributed pass it on.
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
