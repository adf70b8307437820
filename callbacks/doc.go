// Package callbacks holds the objects that watch and steer a Fit, named
// and behaving as in Keras 3 (keras.callbacks): the progress bar, History,
// EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, CSVLogger,
// TerminateOnNaN, and JSONLines for machine-readable output.
//
// The models package drives them. Fit calls SetModel once, then
// OnTrainBegin; for each epoch OnEpochBegin, OnBatchEnd after every step
// (the logs hold the running means of the loss and metrics so far in the
// epoch), OnEpochEnd (the epoch figures, validation ones prefixed "val_");
// and finally OnTrainEnd. Epochs and steps are numbered from 0, as Keras
// passes them; messages print them from 1, as Keras prints them. A
// callback acts on the model only through the Model interface (stop
// training, get and set weights, save, read and set the learning rate),
// so this package does not import models.
//
// Callbacks run in the order Fit lists them and see each other's changes
// to the logs: ReduceLROnPlateau adds "learning_rate", which History and
// the progress bar record when they come after it. Keras runs the user's
// callbacks first, then History, then the progress bar.
//
// Options follow Keras's argument names (the struct tags are the
// snake_case names, for spec files) and defaults; the Default…Options
// functions return them. A bad option is an error from the constructor;
// a failure while training (a file that cannot be written, a learning
// rate a schedule controls) is an error from the event, which stops Fit.
// Like Keras, a monitor key missing from the logs is not an error: it
// prints a warning, once per Fit, listing the keys present, and the
// callback does nothing that epoch.
//
// Output matches Keras character for character where a user reads it
// (progress lines, "Epoch 5: early stopping", float formatting in the
// Python way: "inf", "1.0", "1e-05"), with these deliberate differences:
// the live progress bar shows the logged running means rather than a mean
// of them; CSV lines end in "\n", not "\r\n"; an unknown mode is an error,
// not a warning.
package callbacks
