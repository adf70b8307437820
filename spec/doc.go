// Package spec reads model spec files: a Keras-like description of a model
// in YAML or JSON, as INTERFACE.md's "SPEC" section shows.
//
//	input: [28, 28]
//	layers:
//	  - flatten
//	  - dense: {units: 256}
//	  - relu
//	  - dense: {units: 10}
//	compile:
//	  optimizer: {adam: {learning_rate: 0.001}}
//	  loss: sparse_categorical_crossentropy
//	  metrics: [accuracy]
//	fit: {epochs: 5, batch_size: 128}
//
// Parse turns such a file into a neutral Spec: the input shape, each layer
// as a name and its arguments in the order written, and the compile and fit
// sections. A layer, optimizer, loss, metric or callback may be written as a
// bare name ("flatten"), as a single-key map ({dense: {units: 256}}) or in
// Keras's serialised form ({class_name: Dense, config: {units: 256}}); names
// are normalised to snake_case by SnakeCase, so "MaxPooling2D" and
// "max_pooling2d" are the same layer.
//
// The package knows nothing of which layers or optimizers exist: the
// registries in layers, optimizers, losses and metrics look names up and read
// arguments with Args's typed getters (or a Reader), calling Layer.Check to
// reject unknown arguments. Their errors carry the same "file:line: layer N
// (type): " prefix as Parse's own, through Layer.Errorf and Named.Errorf.
//
// Every error that Parse returns is one line naming the file, the line and
// the offending value; Parse never panics. MarshalJSON writes a Spec back as
// JSON that Parse reads to an equal Spec, which is how model files store the
// resolved spec.
package spec
