#!/usr/bin/python3
"""Regenerates layers/testdata/rnn_reference.json: SimpleRNN, LSTM and GRU
forward values and gradients computed by PyTorch in float64 on fixed weights
given in Keras's layouts.

Run with Debian's python3-torch:  /usr/bin/python3 layers/testdata/gen_rnn_reference.py

Inputs, weights and the loss L = sum(y * R) are those of refutil.py.

Layouts. Keras keeps kernel (features, gates*units) and recurrent_kernel
(units, gates*units) with the gates side by side in column blocks; torch keeps
weight_ih (gates*units, features) and weight_hh (gates*units, units) with the
gates in row blocks. So weight_ih = kernel^T and weight_hh = recurrent_kernel^T
after putting the blocks in torch's order:
  SimpleRNN: one block; torch.nn.RNN(nonlinearity="tanh").
  LSTM: Keras i, f, c, o == torch i, f, g, o: the same order, no reordering.
        Keras has one bias (4*units): bias_ih = bias, bias_hh = 0.
  GRU (reset_after=True): Keras z, r, h == torch blocks r, z, n in torch's
        order r, z, n, so Keras's first two blocks are swapped. Keras's bias
        (2, 3*units): bias_ih = bias[0], bias_hh = bias[1] (swapped alike);
        torch's GRU applies the reset gate after the recurrent product, as
        Keras's reset_after=True does.
Keras's go_backwards reads the sequence from the end and returns the outputs
in that order: torch is fed x.flip(1) and its outputs are kept as they are.
Gradients of torch's parameters are mapped back to Keras's layouts the same
way (for LSTM's bias, the gradient of bias_ih).
"""
import json, os
import torch
from refutil import det, flat, load_rnn, rnn_grads, rnn_module, rnn_weights, rweights  # and float64 as torch's default dtype

BATCH, STEPS, FEATURES, UNITS = 2, 3, 4, 5


def case(kind, go_backwards, return_sequences, use_bias, seed):
    x = det(seed, BATCH, STEPS, FEATURES)
    kernel, recurrent, bias = rnn_weights(kind, seed + 1, FEATURES, UNITS)
    if not use_bias:
        bias = None
    m = rnn_module(kind, input_size=FEATURES, hidden_size=UNITS, batch_first=True, bias=use_bias)
    load_rnn(m, kind, UNITS, kernel, recurrent, bias)
    xv = x.clone().requires_grad_()
    out, _ = m(xv.flip(1) if go_backwards else xv)
    y = out if return_sequences else out[:, -1]
    (y * rweights(y.shape)).sum().backward()
    c = {"layer": kind, "go_backwards": go_backwards, "return_sequences": return_sequences,
         "use_bias": use_bias, "units": UNITS,
         "x": flat(x), "x_shape": list(x.shape),
         "kernel": flat(kernel), "recurrent_kernel": flat(recurrent),
         "bias": flat(bias) if use_bias else [],
         "y": flat(y), "y_shape": list(y.shape), "dx": flat(xv.grad),
         **rnn_grads(m, kind, UNITS, use_bias=use_bias)}
    return c


def main():
    cases, seed = [], 1
    for kind in ["simple_rnn", "lstm", "gru"]:
        for go_backwards in [False, True]:
            for return_sequences in [False, True]:
                cases.append(case(kind, go_backwards, return_sequences, True, seed))
                seed += 5
        cases.append(case(kind, False, True, False, seed))  # use_bias=False
        seed += 5
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rnn_reference.json")
    with open(path, "w") as f:
        json.dump({"generator": "gen_rnn_reference.py", "torch": torch.__version__, "cases": cases}, f)
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
