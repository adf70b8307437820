// Package losses holds the loss functions a model is compiled with, by
// their Keras names: binary_crossentropy, categorical_crossentropy,
// sparse_categorical_crossentropy (each with from_logits),
// mean_squared_error, mean_absolute_error and huber.
//
// As in Keras 3, a loss is a per-sample function (Call returns one value per
// sample) and reduction happens once, in Reduce: the weighted sum divided by
// the number of samples ("sum_over_batch_size").
//
// Cross-entropy is computed from logits whenever they are available: with
// from_logits, or when the predictions come straight out of a softmax or
// sigmoid (Keras's TensorFlow backend does the same through _keras_logits).
// Log-softmax and softplus keep those paths finite for any logits, ±1e4
// included. On probabilities that did not come from such an op, predictions
// are clipped to [1e-7, 1−1e-7] before the log, as Keras does.
package losses
