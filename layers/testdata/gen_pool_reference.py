#!/usr/bin/python3
"""Regenerates layers/testdata/pool_reference.json: forward values and input
gradients of the pooling and shape layers (MaxPooling1D/2D,
AveragePooling1D/2D, GlobalMax/AveragePooling1D/2D, ZeroPadding2D, Reshape,
SpatialDropout2D) computed by PyTorch in float64.

Run with Debian's python3-torch:  /usr/bin/python3 layers/testdata/gen_pool_reference.py

Layouts: deepgo and Keras are channels-last, (N, W, C) and (N, H, W, C);
torch pools channels-first, so inputs are permuted to (N, C, W) and
(N, C, H, W) before pooling and outputs permuted back. x, y and dx are
stored in Keras's layout, and the loss L = sum(y * R) weights y in that
layout, so the Go test needs no transposes.

Keras's "same" pooling pads ceil(n/s) outputs' worth: total padding
max((out-1)*s + k - n, 0), the smaller half before (TensorFlow's rule).
Where the halves are equal torch's own padding argument does it (max_pool
pads with -inf; avg_pool with count_include_pad=False leaves the padding
out of the divisor, as TensorFlow does). Where they differ, max pooling
pads explicitly with F.pad(value=-inf), and average pooling divides the
window sums of the zero-padded input by the window sums of a zero-padded
tensor of ones (the count of real cells), both with divisor_override=1.

Inputs are a fixed formula (sin of the index); "ties" cases round them to
multiples of 0.5 so that windows hold equal maxima, where torch gives the
gradient to the first maximum in row-major window order.
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


def same_pads(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def to_channels_first(x):
    return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1))


def to_channels_last(y):
    return y.permute(0, *range(2, y.dim()), 1)


def pool(x, mode, pool_size, strides, padding, explicit=False):
    """Keras pooling of a channels-last x, through torch's 2-D ops (a 1-D
    signal is an image of height 1). explicit forces the F.pad route, which
    the script checks against torch's own padding where both apply."""
    rank = len(pool_size)
    xc = to_channels_first(x)
    if rank == 1:
        xc, pool_size, strides = xc.unsqueeze(2), (1, pool_size[0]), (1, strides[0])
    pads = [(0, 0), (0, 0)]
    if padding == "same":
        spatial = xc.shape[2:]
        pads = [same_pads(spatial[i], pool_size[i], strides[i]) for i in range(2)]
    symmetric = all(b == a for b, a in pads) and not explicit
    if mode == "max":
        if symmetric:
            y = F.max_pool2d(xc, pool_size, strides, padding=[b for b, _ in pads])
        else:
            y = F.max_pool2d(F.pad(xc, (*pads[1], *pads[0]), value=-math.inf), pool_size, strides)
    elif symmetric:
        y = F.avg_pool2d(xc, pool_size, strides, padding=[b for b, _ in pads], count_include_pad=False)
    else:
        flat = (*pads[1], *pads[0])
        sums = F.avg_pool2d(F.pad(xc, flat), pool_size, strides, divisor_override=1)
        counts = F.avg_pool2d(F.pad(torch.ones_like(xc), flat), pool_size, strides, divisor_override=1)
        y = sums / counts
    if rank == 1:
        y = y.squeeze(2)
    return to_channels_last(y)


def global_pool(x, mode, keepdims):
    # Keras's GlobalMax/AveragePooling: ops.max / ops.mean over the spatial
    # axes. The inputs here have no ties, where amax and the first-maximum
    # rule of deepgo's max pooling agree.
    axes = tuple(range(1, x.dim() - 1))
    if mode == "max":
        return x.amax(dim=axes, keepdim=keepdims)
    return x.mean(dim=axes, keepdim=keepdims)


def zero_padding2d(x, padding):
    (top, bottom), (left, right) = padding
    return to_channels_last(F.pad(to_channels_first(x), (left, right, top, bottom)))


def pairs(p):
    """Keras's ZeroPadding2D padding argument as ((top, bottom), (left, right))."""
    if isinstance(p, int):
        return ((p, p), (p, p))
    return tuple((e, e) if isinstance(e, int) else tuple(e) for e in p)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


cases = []


def add(name, layer, args, x, f):
    x = x.clone().requires_grad_()
    y = f(x)
    (y * rweights(y.shape)).sum().backward()
    cases.append({"name": name, "layer": layer, "args": [[k, v] for k, v in args],
                  "x": flat(x), "x_shape": list(x.shape), "y": flat(y), "y_shape": list(y.shape),
                  "dx": flat(x.grad)})


def ties(x):
    return torch.round(x * 2) / 2


# (name, args, input) for 2-D pooling; the comments give Keras's "same"
# padding (before/after) for each axis.
pool2d = [
    ("default 2x2 on 5x5", [], det(1, 2, 5, 5, 3)),
    ("3/2 valid on 7x7 batch 1", [("pool_size", 3), ("strides", 2)], det(2, 1, 7, 7, 2)),
    ("3/2 same on 7x7", [("pool_size", 3), ("strides", 2), ("padding", "same")], det(3, 2, 7, 7, 2)),  # 1/1
    ("(2,3)/(1,2) same", [("pool_size", [2, 3]), ("strides", [1, 2]), ("padding", "same")], det(4, 1, 5, 7, 2)),  # H 0/1, W 1/1
    ("(2,3) valid", [("pool_size", [2, 3])], det(5, 2, 5, 7, 1)),
    ("2 same on 5x5", [("padding", "same")], det(6, 2, 5, 5, 1)),  # 0/1
    ("4/1 same", [("pool_size", 4), ("strides", 1), ("padding", "same")], det(7, 1, 5, 6, 2)),  # 1/2
]
for name, args, x in pool2d:
    a = dict(args)
    ps = a.get("pool_size", 2)
    ps = (ps, ps) if isinstance(ps, int) else tuple(ps)
    st = a.get("strides", ps)
    st = (st, st) if isinstance(st, int) else tuple(st)
    pad = a.get("padding", "valid")
    for layer, mode in (("max_pooling2d", "max"), ("average_pooling2d", "average")):
        add(name, layer, args, x, lambda x: pool(x, mode, ps, st, pad))
        # The two routes to "same" padding agree (checked where both apply).
        assert torch.allclose(pool(x, mode, ps, st, pad), pool(x, mode, ps, st, pad, explicit=True), atol=1e-14)
add("ties 3/1 valid", "max_pooling2d", [("pool_size", 3), ("strides", 1)], ties(det(8, 2, 5, 5, 2)),
    lambda x: pool(x, "max", (3, 3), (1, 1), "valid"))
add("ties 2/1 same", "max_pooling2d", [("strides", 1), ("padding", "same")], ties(det(9, 1, 4, 5, 2)),
    lambda x: pool(x, "max", (2, 2), (1, 1), "same"))

pool1d = [
    ("default 2 on 5", [], det(11, 2, 5, 3)),
    ("3/2 valid on 7 batch 1", [("pool_size", 3), ("strides", 2)], det(12, 1, 7, 2)),
    ("3/2 same on 7", [("pool_size", 3), ("strides", 2), ("padding", "same")], det(13, 2, 7, 2)),  # 1/1
    ("4/1 same on 6", [("pool_size", 4), ("strides", 1), ("padding", "same")], det(14, 1, 6, 2)),  # 1/2
    ("2 same on 5", [("padding", "same")], det(15, 2, 5, 1)),  # 0/1
]
for name, args, x in pool1d:
    a = dict(args)
    ps, st, pad = a.get("pool_size", 2), a.get("strides", a.get("pool_size", 2)), a.get("padding", "valid")
    for layer, mode in (("max_pooling1d", "max"), ("average_pooling1d", "average")):
        add(name, layer, args, x, lambda x: pool(x, mode, (ps,), (st,), pad))
add("ties 3/1 valid", "max_pooling1d", [("pool_size", 3), ("strides", 1)], ties(det(16, 2, 9, 2)),
    lambda x: pool(x, "max", (3,), (1,), "valid"))

for mode, cls in (("max", "max"), ("average", "average")):
    add("on (7, 3)", f"global_{cls}_pooling1d", [], det(21, 2, 7, 3), lambda x: global_pool(x, mode, False))
    add("on (5, 7, 3)", f"global_{cls}_pooling2d", [], det(22, 2, 5, 7, 3), lambda x: global_pool(x, mode, False))
    add("keepdims batch 1", f"global_{cls}_pooling2d", [("keepdims", True)], det(23, 1, 4, 5, 2),
        lambda x: global_pool(x, mode, True))
    add("keepdims", f"global_{cls}_pooling1d", [("keepdims", True)], det(24, 2, 5, 2),
        lambda x: global_pool(x, mode, True))

for name, p, x in [
    ("default", None, det(31, 2, 3, 4, 2)),
    ("int 2", 2, det(32, 1, 2, 3, 1)),
    ("symmetric (1, 2)", [1, 2], det(33, 1, 3, 3, 2)),
    ("((0, 2), (1, 3))", [[0, 2], [1, 3]], det(34, 2, 2, 3, 2)),
]:
    args = [] if p is None else [("padding", p)]
    add(name, "zero_padding2d", args, x, lambda x: zero_padding2d(x, pairs(1 if p is None else p)))

for name, target, x in [
    ("(3, 4) to (4, 3)", [4, 3], det(41, 2, 3, 4)),
    ("(12,) to (2, -1, 3) batch 1", [2, -1, 3], det(42, 1, 12)),
    ("(2, 3, 2) to (-1,)", [-1], det(43, 2, 2, 3, 2)),
]:
    add(name, "reshape", [("target_shape", target)], x, lambda x: x.reshape(x.shape[0], *target))

# SpatialDropout2D outside training is the identity (torch's dropout2d with
# training=False); its training behaviour is random and tested in Go.
add("inference", "spatial_dropout2d", [("rate", 0.5)], det(51, 2, 3, 4, 5),
    lambda x: to_channels_last(F.dropout2d(to_channels_first(x), 0.5, training=False)))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pool_reference.json")
with open(out, "w") as fh:
    json.dump({"generator": "layers/testdata/gen_pool_reference.py", "torch": torch.__version__, "cases": cases}, fh)
print("wrote", out, len(cases), "cases")
