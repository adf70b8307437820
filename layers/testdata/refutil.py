"""Shared parts of the gen_*_reference.py scripts: fixed inputs and weights,
the loss weights R, and (for the recurrent layers) the mapping between
Keras's weight layouts and torch's.

Importing it sets torch's default dtype to float64: every reference is
computed in float64.

Inputs and weights are a fixed formula (sin of the index), so the files are
reproducible. Gradients are of L = sum(y * R) with R the fixed weights
0.5 + frac(i * 0.618...), so every output element's gradient is exercised.

Recurrent layouts (see gen_rnn_reference.py's docstring): Keras keeps the
gates side by side in column blocks of (rows, gates*units), torch in row
blocks of (gates*units, rows), and GRU's first two blocks are swapped.
"""
import math
import torch

torch.set_default_dtype(torch.float64)


def det(seed, *shape, scale=1.5):
    v = [math.sin(seed * 131 + i * 17 + 0.3) * scale for i in range(math.prod(shape))]
    return torch.tensor(v).reshape(*shape)


def rweights(shape):
    return torch.tensor([0.5 + math.fmod(i * 0.618033988749895, 1) for i in range(math.prod(shape))]).reshape(*shape)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def order(kind):
    """Keras block index for each of torch's blocks, in torch's order."""
    return [1, 0, 2] if kind == "gru" else None


def to_torch(w, kind, units):
    """Keras (rows, gates*units) column blocks -> torch (gates*units, rows);
    a 1-D bias (gates*units) only has its blocks reordered."""
    o = order(kind)
    if o is not None:
        blocks = w.split(units, dim=-1)
        w = torch.cat([blocks[k] for k in o], dim=-1)
    return w.transpose(-1, -2).contiguous() if w.dim() == 2 else w


def to_keras(g, kind, units):
    """Inverse of to_torch for gradients."""
    if g.dim() == 2:
        g = g.transpose(0, 1)
    o = order(kind)
    if o is not None:
        blocks = g.split(units, dim=-1)
        back = [None] * len(o)
        for t, k in enumerate(o):
            back[k] = blocks[t]
        g = torch.cat(back, dim=-1)
    return g


def rnn_weights(kind, seed, features, units):
    """Fixed Keras weights of a recurrent layer: kernel (features,
    gates*units), recurrent_kernel (units, gates*units) and bias (gates*units,
    or GRU's (2, 3*units))."""
    gates = {"simple_rnn": 1, "lstm": 4, "gru": 3}[kind]
    kernel = det(seed, features, gates * units, scale=0.6)
    recurrent = det(seed + 1, units, gates * units, scale=0.6)
    bias_shape = (2, 3 * units) if kind == "gru" else (gates * units,)
    return kernel, recurrent, det(seed + 2, *bias_shape, scale=0.4)


def rnn_module(kind, **kw):
    """The torch module of a Keras recurrent layer kind (SimpleRNN's
    activation is tanh)."""
    if kind == "simple_rnn":
        return torch.nn.RNN(nonlinearity="tanh", **kw)
    return {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](**kw)


def load_rnn(m, kind, units, kernel, recurrent, bias, suffix=""):
    """Copies Keras weights into m's layer 0 (suffix "_reverse": its
    reverse direction). Keras's one bias (LSTM, SimpleRNN) is bias_ih with
    bias_hh zero; GRU's (2, 3*units) is bias_ih = bias[0], bias_hh =
    bias[1]. bias None: a module without biases."""
    p = lambda name: getattr(m, name + "_l0" + suffix)
    with torch.no_grad():
        p("weight_ih").copy_(to_torch(kernel, kind, units))
        p("weight_hh").copy_(to_torch(recurrent, kind, units))
        if bias is None:
            return
        if kind == "gru":
            p("bias_ih").copy_(to_torch(bias[0], kind, units))
            p("bias_hh").copy_(to_torch(bias[1], kind, units))
        else:
            p("bias_ih").copy_(bias)
            p("bias_hh").zero_()


def rnn_grads(m, kind, units, suffix="", use_bias=True):
    """The gradients of m's layer 0 in Keras's layouts (LSTM's and
    SimpleRNN's dbias: bias_ih's gradient); dbias [] without biases."""
    p = lambda name: getattr(m, name + "_l0" + suffix).grad
    g = {"dkernel": flat(to_keras(p("weight_ih"), kind, units)),
         "drecurrent_kernel": flat(to_keras(p("weight_hh"), kind, units)), "dbias": []}
    if use_bias and kind == "gru":
        g["dbias"] = flat(torch.stack([to_keras(p("bias_ih"), kind, units), to_keras(p("bias_hh"), kind, units)]))
    elif use_bias:
        g["dbias"] = flat(p("bias_ih"))
    return g
