// Package models holds Sequential, the Keras model that chains layers:
// build it from layers (or a spec file with FromSpec), Compile it with an
// optimizer, a loss and metrics, then Fit, Evaluate, Predict, Summary, Save
// and Load — the Keras workflow with Go capitalisation.
//
// Fit runs mini-batch gradient descent exactly as Keras counts it: an epoch
// is ceil(samples / batch_size) steps, each a forward pass, the loss, a
// backward pass through the recorded graph and one optimizer update. Loss
// and metrics are accumulated over the whole epoch (not averaged over batch
// means) and reported through callbacks: the progress bar, History,
// EarlyStopping and the rest.
//
// Every method that takes user input returns an error naming what did not
// fit (the layer, the shapes, the sample); a panic inside the numeric core is
// turned into an error by Fit, Evaluate and Predict.
package models
