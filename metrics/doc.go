// Package metrics holds the stateful training metrics of deepgo, the Keras 3
// metrics a user names in compile (metrics: [accuracy]) and finds again as
// keys of the training history and of `deepgo eval --json`.
//
// A [Metric] sees one batch at a time through Update and keeps sums and
// counts, never a mean of batch means, so Result over an epoch is exact
// however the epoch was cut into batches. Metrics work on plain tensors (the
// model's targets and outputs, float32 or float64) and know nothing of
// autograd; the trainer in package models owns them, calls Reset at the start
// of each epoch and reads Result at its end. [Mean] is the running weighted
// mean the trainer uses for the loss itself.
//
// [Get] builds a metric from its Keras identifier ("accuracy",
// "sparse_categorical_accuracy", "auc", "mse", ...) and keyword arguments, as
// keras.metrics.get and Model.compile do. Name returns the identifier exactly
// as the user wrote it, because that is the key Keras reports: metrics=["acc"]
// gives history["acc"], metrics=["mse"] gives history["mse"]. The identifier
// "accuracy" (or "acc") is resolved the way keras/src/trainers/compile_utils.py
// get_metric does: binary accuracy when the output's last dimension is 1,
// sparse categorical accuracy when the targets are integer labels (one axis
// fewer than the output, or a last axis of 1), categorical accuracy otherwise.
//
// The arithmetic follows keras/src/metrics (accuracy_metrics.py,
// confusion_metrics.py, metrics_utils.py, regression_metrics.py), including
// its float32 details where they decide a count: thresholds are compared in
// float32 and AUC assigns predictions to buckets with float32 arithmetic, as
// Keras does with its float32 metric variables. Two deliberate differences:
// sample weights are not supported, and rank-1 targets such as shape (n,) are
// treated as n samples of one value each (Keras would average the batch into
// one value and count it as one sample, a mean of batch means).
//
// Shape errors and bad arguments are returned as errors that name the metric
// and the offending shapes or values; nothing in this package panics on user
// input.
package metrics
