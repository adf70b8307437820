#!/usr/bin/python3
"""Regenerates layers/testdata/rnn_reference.json: SimpleRNN, LSTM and GRU
forward values and gradients computed by PyTorch in float64 on fixed weights
given in Keras's layouts.

Run with Debian's python3-torch:  /usr/bin/python3 layers/testdata/gen_rnn_reference.py

Inputs and weights are a fixed formula (sin of the index, as gen_reference.py),
so the file is reproducible. Gradients are of L = sum(y * R) with R the fixed
weights 0.5 + frac(i * 0.618...), so every output element's gradient is
exercised.

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
import json, math, os
import torch

torch.set_default_dtype(torch.float64)

BATCH, STEPS, FEATURES, UNITS = 2, 3, 4, 5


def det(seed, *shape, scale=1.5):
    n = 1
    for d in shape:
        n *= d
    v = [math.sin(seed * 131 + i * 17 + 0.3) * scale for i in range(n)]
    return torch.tensor(v).reshape(*shape)


def rweights(shape):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor([0.5 + math.fmod(i * 0.618033988749895, 1) for i in range(n)]).reshape(*shape)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def order(kind):
    """Keras block index for each of torch's blocks, in torch's order."""
    return [1, 0, 2] if kind == "gru" else None


def to_torch(w, kind):
    """Keras (rows, gates*UNITS) column blocks -> torch (gates*UNITS, rows);
    a 1-D bias (gates*UNITS) only has its blocks reordered."""
    o = order(kind)
    if o is not None:
        blocks = w.split(UNITS, dim=-1)
        w = torch.cat([blocks[k] for k in o], dim=-1)
    return w.transpose(-1, -2).contiguous() if w.dim() == 2 else w


def to_keras(g, kind):
    """Inverse of to_torch for gradients."""
    if g.dim() == 2:
        g = g.transpose(0, 1)
    o = order(kind)
    if o is not None:
        blocks = g.split(UNITS, dim=-1)
        back = [None] * len(o)
        for t, k in enumerate(o):
            back[k] = blocks[t]
        g = torch.cat(back, dim=-1)
    return g


def case(kind, go_backwards, return_sequences, use_bias, seed):
    gates = {"simple_rnn": 1, "lstm": 4, "gru": 3}[kind]
    x = det(seed, BATCH, STEPS, FEATURES)
    kernel = det(seed + 1, FEATURES, gates * UNITS, scale=0.6)
    recurrent = det(seed + 2, UNITS, gates * UNITS, scale=0.6)
    bias_shape = (2, 3 * UNITS) if kind == "gru" else (gates * UNITS,)
    bias = det(seed + 3, *bias_shape, scale=0.4) if use_bias else None
    cls = {"simple_rnn": lambda **k: torch.nn.RNN(nonlinearity="tanh", **k),
           "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    m = cls(input_size=FEATURES, hidden_size=UNITS, batch_first=True, bias=use_bias)
    with torch.no_grad():
        m.weight_ih_l0.copy_(to_torch(kernel, kind))
        m.weight_hh_l0.copy_(to_torch(recurrent, kind))
        if use_bias:
            if kind == "gru":
                m.bias_ih_l0.copy_(to_torch(bias[0], kind))
                m.bias_hh_l0.copy_(to_torch(bias[1], kind))
            else:
                m.bias_ih_l0.copy_(bias)
                m.bias_hh_l0.zero_()
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
         "dkernel": flat(to_keras(m.weight_ih_l0.grad, kind)),
         "drecurrent_kernel": flat(to_keras(m.weight_hh_l0.grad, kind)), "dbias": []}
    if use_bias:
        if kind == "gru":
            rows = [to_keras(m.bias_ih_l0.grad, kind), to_keras(m.bias_hh_l0.grad, kind)]
            c["dbias"] = flat(torch.stack(rows))
        else:
            c["dbias"] = flat(m.bias_ih_l0.grad)
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
