#!/usr/bin/python3
"""Regenerates layers/testdata/conv_reference.json: forward values and
gradients of Conv1D and Conv2D computed by PyTorch in float64.

Run with Debian's python3-torch:  /usr/bin/python3 layers/testdata/gen_conv_reference.py

Everything is stored in Keras's layouts, channels last:
  Conv2D input (N, H, W, C), kernel (kh, kw, C, F), output (N, OH, OW, F)
  Conv1D input (N, L, C),    kernel (k, C, F),      output (N, OL, F)
and mapped to PyTorch's inside the graph (so gradients come back in Keras's
layouts): input NHWC -> NCHW is permute(0, 3, 1, 2), kernel (kh, kw, C, F) ->
torch weight (F, C, kh, kw) is permute(3, 2, 0, 1); for 1-D, (N, L, C) ->
(N, C, L) and (k, C, F) -> (F, C, k) are permute(0, 2, 1) and permute(2, 1, 0).

Padding is applied with an explicit F.pad because Keras's "same" is
asymmetric when the total is odd (the extra zero goes at the end, as in
TensorFlow), which torch's padding="same" does not promise for strides > 1:
  total = max((ceil(in / s) - 1) * s + (k - 1) * d + 1 - in, 0), before = total // 2.
"causal" (Conv1D only) pads (k - 1) * d zeros at the start.

Inputs and weights are a fixed formula (sin of the index, as gen_reference.py),
so the file is reproducible. Gradients are of L = sum(y * R) with R the fixed
weights 0.5 + frac(i * 0.618...), so every output element's gradient counts.
"""
import json, math, os
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def det(seed, *shape):
    n = math.prod(shape)
    v = [math.sin(seed * 131 + i * 17 + 0.3) * 1.5 for i in range(n)]
    return torch.tensor(v).reshape(*shape)


def rweights(shape):
    n = math.prod(shape)
    return torch.tensor([0.5 + math.fmod(i * 0.618033988749895, 1) for i in range(n)]).reshape(*shape)


def pads(padding, n, k, s, d):
    if padding == "same":
        total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
        return total // 2, total - total // 2
    if padding == "causal":
        return (k - 1) * d, 0
    return 0, 0


acts = {
    "linear": lambda z: z,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softmax": lambda z: torch.softmax(z, dim=-1),  # over the filters (last axis), as Keras
}


def flat(t):
    return [float(x) for x in t.detach().reshape(-1)]


# (rank, input shape without batch, filters, kernel_size, strides, padding, dilation, use_bias, activation, batch)
configs = [
    (2, (5, 5, 1), 2, (3, 3), (1, 1), "valid", (1, 1), True, "linear", 2),
    (2, (5, 5, 1), 2, (3, 3), (1, 1), "same", (1, 1), True, "relu", 2),
    (2, (6, 5, 2), 3, (3, 2), (2, 2), "same", (1, 1), True, "linear", 2),   # odd totals: extra zero at the end
    (2, (7, 6, 2), 2, (3, 3), (2, 1), "valid", (1, 1), False, "tanh", 1),
    (2, (7, 7, 2), 3, (3, 3), (1, 1), "same", (2, 2), True, "sigmoid", 1),
    (2, (7, 6, 3), 2, (2, 3), (1, 1), "valid", (2, 1), True, "softmax", 2),
    (2, (4, 4, 2), 2, (4, 4), (1, 1), "same", (1, 1), False, "linear", 1),  # even kernel: pad 1 before, 2 after
    (2, (5, 5, 3), 4, (1, 1), (1, 1), "valid", (1, 1), True, "relu", 2),    # 1x1: the identity patch path
    (2, (5, 5, 2), 2, (1, 1), (2, 2), "valid", (1, 1), True, "linear", 1),  # 1x1 strided
    (1, (7, 2), 3, (3,), (1,), "valid", (1,), True, "linear", 2),
    (1, (8, 2), 2, (3,), (2,), "same", (1,), True, "relu", 2),
    (1, (9, 3), 2, (2,), (1,), "same", (3,), False, "tanh", 1),
    (1, (6, 2), 2, (3,), (1,), "causal", (2,), True, "linear", 2),
    (1, (7, 1), 2, (4,), (3,), "valid", (1,), True, "sigmoid", 1),
    (2, (6, 7, 1), 16, (3, 3), (1, 1), "valid", (1, 1), True, "relu", 2),   # 16·j filters, no padding: the direct path
    (1, (9, 2), 32, (3,), (2,), "valid", (1,), False, "linear", 2),         # direct, 1-D, strided, no bias
]

cases = []
for i, (rank, sample, filters, ks, st, padding, dil, use_bias, act, batch) in enumerate(configs):
    cin = sample[-1]
    x = det(10 + i, batch, *sample).requires_grad_()
    kernel = (det(20 + i, *ks, cin, filters) * 0.5).requires_grad_()
    bias = det(30 + i, filters).requires_grad_() if use_bias else None
    if rank == 2:
        xt = x.permute(0, 3, 1, 2)
        wt = kernel.permute(3, 2, 0, 1)
        (pt, pb), (pl, pr) = (pads(padding, sample[j], ks[j], st[j], dil[j]) for j in range(2))
        xt = F.pad(xt, (pl, pr, pt, pb))
        y = F.conv2d(xt, wt, bias, stride=st, dilation=dil).permute(0, 2, 3, 1)
    else:
        xt = x.permute(0, 2, 1)
        wt = kernel.permute(2, 1, 0)
        xt = F.pad(xt, pads(padding, sample[0], ks[0], st[0], dil[0]))
        y = F.conv1d(xt, wt, bias, stride=st, dilation=dil).permute(0, 2, 1)
    y = acts[act](y)
    (y * rweights(y.shape)).sum().backward()
    c = {"layer": "conv%dd" % rank, "filters": filters, "kernel_size": list(ks), "strides": list(st),
         "padding": padding, "dilation_rate": list(dil), "use_bias": use_bias, "activation": act,
         "x": flat(x), "x_shape": list(x.shape), "kernel": flat(kernel), "y": flat(y), "y_shape": list(y.shape),
         "dx": flat(x.grad), "dkernel": flat(kernel.grad)}
    if use_bias:
        c["bias"] = flat(bias)
        c["dbias"] = flat(bias.grad)
    cases.append(c)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv_reference.json")
with open(out, "w") as fh:
    json.dump({"generator": "layers/testdata/gen_conv_reference.py", "torch": torch.__version__, "cases": cases}, fh, indent=1)
print("wrote", out, len(cases), "cases")
