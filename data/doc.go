// Package data holds datasets in memory and walks them in mini-batches.
//
// A [Dataset] pairs a feature tensor X (first axis = samples) with an
// optional target tensor Y. Loaders turn the forms accepted on the command
// line (see INTERFACE.md, "DATA") into datasets:
//
//	mnist, mnist:train, mnist:test   the built-in MNIST digits ([LoadMNIST])
//	idx:IMAGES,LABELS                a pair of IDX files, gzipped or not ([LoadIDX])
//	csv:PATH                         one sample a row ([LoadCSV])
//	npy:X.npy[,Y.npy]                NumPy arrays ([LoadNPY])
//	text:DIR[,…]                     a folder of texts, one sub-folder per class ([LoadText])
//	lines:FILE                       one text a line, unlabelled ([LoadLines])
//	series:PATH.csv,window=W[,…]     windows of a time series in a CSV file ([SeriesForm])
//
// For sequences built in Go, [TimeseriesDatasetFromArray] cuts a series
// into sliding windows and [PadSequences] makes sequences of unequal
// length into one tensor, as their Keras namesakes do; [WriteNPY] and
// [SaveNPY] write arrays that NumPy and the npy: form read back.
//
// [Load] parses such a string and calls the right loader. The lower-level
// readers ([ReadIDX], [ReadNPY]) take an [io.Reader] and are fuzzed: a bad
// file gives an error that names the file and the offending value, never a
// panic and never an allocation sized by a header alone.
//
// A [Batcher] serves one epoch at a time in batches of a fixed size, in
// order or shuffled by a caller-supplied math/rand/v2 generator, gathering
// shuffled batches into buffers it reuses so that the training loop
// allocates nothing per step.
//
// Class labels are stored as float32 values holding integers, as Keras's
// sparse losses expect; [CheckLabels] validates them against a model's
// number of classes. The package depends only on the tensor package; models
// and the command line depend on it.
package data
