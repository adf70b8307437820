// Package optimizers updates a model's weights from their gradients: SGD
// (with momentum and Nesterov momentum), Adam, AdamW, RMSprop and Adagrad,
// with Keras 3's update formulas, argument names and defaults, plus Keras's
// learning-rate schedules.
//
// # How it fits
//
// The package works on plain tensors. The training loop (package models)
// asks autograd for the gradient of the loss with respect to every trainable
// weight, packs each weight and its gradient into a Variable, and calls
// Optimizer.Apply once per batch. Specs and saved model files build
// optimizers with Get, from a name and Keras arguments; Config gives those
// arguments back, and State and SetState carry the slots (momentum,
// velocity, ...) and the step counter across a save and a load so that
// training resumes exactly where it stopped.
//
// # One base, small optimizers
//
// As in Keras 3, a shared base owns everything the optimizers have in
// common: the step counter, the learning rate or its Schedule, gradient
// clipping (clipnorm, global_clipnorm, clipvalue), decoupled weight decay,
// checking that every call passes the same variables, and the slots'
// storage. An optimizer only names its slots and writes its update, one
// generic loop that serves float32 and float64 weights alike, and for
// float32 a call to the vector kernel of internal/kernels that computes the
// same arithmetic (Adam, SGD with or without momentum, plain RMSprop,
// Adagrad). One Apply does, in order: clip the gradients, evaluate the
// learning rate at Iterations(), apply weight decay (w -= lr*weight_decay*w),
// run the update, and count the step. After the first call, which creates
// the slots, Apply allocates nothing.
//
// The update is one sweep over the elements of all variables, cut into
// chunks of 16k elements that the cores share when there are enough of them
// (sweep.go); each chunk is decayed and updated in one pass, with the
// clipping fused into the update. The results do not depend on the number
// of threads.
//
// # Gradient descent, stochastic and mini-batch: all SGD
//
// Every optimizer here takes a step against "the gradient", and what that
// gradient is averaged over is decided by the caller, not by the optimizer.
// Training minimises the mean loss over the N training samples,
// L(w) = (1/N) Σ l_i(w), and one SGD step is w -= lr * g, where g is the
// mean gradient over the samples in the current batch of size B:
//
//   - B = N, full-batch (batch) gradient descent: g is the exact gradient of
//     L, one step per epoch, smooth but expensive progress;
//   - B = 1, stochastic gradient descent in the original sense: g is one
//     sample's gradient, an unbiased but noisy estimate of ∇L, N steps per
//     epoch;
//   - 1 < B < N, mini-batch gradient descent (what Keras's fit does with
//     batch_size, 32 by default): the noise shrinks like 1/sqrt(B) while
//     each step still costs only B samples.
//
// So the same SGD (and likewise Adam, RMSprop, ...) is all three; the batch
// size given to the training loop picks which. Momentum, adaptive
// denominators and schedules are refinements layered on the same step.
//
// # Checked against PyTorch and Keras's formulas
//
// The tests replay testdata/reference.json, written by
// testdata/gen_reference.py: five steps of every optimizer and option on a
// fixed problem, checked element by element to 1e-5 in float32 and 1e-10 in float64.
// Where torch.optim computes the same update (SGD, momentum, Nesterov, and
// Adam, AdamW, RMSprop, Adagrad with epsilon = 0) the reference is PyTorch;
// where Keras places epsilon differently from PyTorch (inside the square
// root for RMSprop and Adagrad, beside sqrt(v) instead of the bias-corrected
// sqrt(v_hat) for Adam) the reference is Keras's formula in NumPy, and
// PyTorch's trajectory is checked at the small tolerance that difference
// allows. Keras's decoupled weight decay with momentum or an adaptive
// optimizer, and SGD momentum under a schedule, have no torch.optim
// equivalent and are checked against Keras's formula only.
package optimizers
