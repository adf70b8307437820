// Package deepgo is deep learning for Go with the Keras way of working:
// define layers, compile, fit, evaluate, predict, save.
//
// The packages, in the order their dependencies point:
//
//	tensor           N-d arrays and eager math (no gradients)
//	internal/kernels GEMM and elementwise loops behind the tensor math
//	autograd         the computational graph, ops with their gradient rules, Backward
//	initializers     glorot_uniform, he_normal, zeros, …
//	activations      relu, sigmoid, tanh, softmax, …
//	layers           the Layer contract: Dense, Flatten, Dropout, …
//	losses           cross-entropies, mse, mae, huber
//	metrics          stateful metrics exact over an epoch
//	optimizers       SGD (momentum, Nesterov), Adagrad, RMSprop, Adam, AdamW; schedules
//	callbacks        progress bar, History, EarlyStopping, ModelCheckpoint, …
//	data             MNIST, IDX, CSV and NPY loaders; batching and shuffling
//	spec             spec files (YAML or JSON) with Keras's names
//	saving           the .deepgo model file: zip of config, safetensors weights, metadata
//	models           Sequential: Compile, Fit, Evaluate, Predict, Summary, Save, Load
//	cmd/deepgo       the command line
//
// Error policy: misuse inside the numeric core panics with a typed error
// naming the op and the shapes; every entry point that takes user input
// (model building, Fit, loading data or model files, the CLI) returns an
// error instead, naming the place and the value received.
package deepgo

// Version is deepgo's version, recorded in every model file.
const Version = "0.1.0"
