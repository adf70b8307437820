// Package saving reads and writes deepgo model files.
//
// A trained model is one .deepgo file: a zip holding
//
//   - config.json, the model's fully resolved spec;
//   - model.safetensors, every weight under a stable dotted name such as
//     "dense_1.kernel", in the order the model lists them;
//   - metadata.json, the deepgo version, the date and the training history;
//   - optimizer.safetensors, the optimizer's state, only when saved for
//     resuming training.
//
// Weights use the safetensors format (https://huggingface.co/docs/safetensors),
// so PyTorch, NumPy and other tools can read them. WriteSafetensors and
// ReadSafetensors handle that format alone; Encode and Decode handle the whole
// zip; WriteFile and ReadFile put it on disk. This package knows nothing of
// layers or models: the models package turns a model into a File and back,
// and uses CheckWeights to report, as PyTorch's strict load_state_dict does,
// every missing, unexpected or misshapen weight at once.
//
// Writing is atomic (AtomicWriteFile, which other packages reuse for their
// outputs): a crash never leaves a damaged file behind. Reading is strict: a
// damaged or foreign file gives an error that names the file, the entry and
// the offending value, never a panic. Every byte of content is covered by a
// zip CRC-32, so an altered byte is caught. Only the bytes that describe the
// archive rather than its content may change unnoticed, because archive/zip
// does not read them: versions, flags, times, attributes, extra fields and
// disk numbers, the local header's copies of the CRC, sizes and name, the
// data descriptor's sizes, and bits a DEFLATE decoder ignores. What Decode
// returns is then exactly what was saved (TestDecodeFlippedBytes alters each
// byte of a file in turn to check this).
//
// Output is deterministic: the same File always encodes to the same bytes.
package saving
