#!/usr/bin/python3
"""Regenerates layers/testdata/norm_reference.json: BatchNormalization and
LayerNormalization forward values and gradients computed by PyTorch in
float64, with the moving statistics updated by Keras 3's rule.

Run with Debian's python3-torch:  /usr/bin/python3 layers/testdata/gen_norm_reference.py

Inputs, weights and the loss L = sum(y * R) are those of refutil.py.

Layouts: deepgo (like Keras) is channels-last, torch's batch_norm wants the
channels on axis 1 (NCHW, NCL). A Keras axis a is moved to torch's axis 1 with
movedim(a, 1) and the output moved back; Keras axis=1 needs no move.
torch's layer_norm normalises the trailing axes, so for LayerNormalization
the Keras axis is moved last instead.

Moving statistics: Keras 3 updates
    moving_mean     = moving_mean * momentum + mean(batch) * (1 - momentum)
    moving_variance = moving_variance * momentum + var(batch) * (1 - momentum)
with var the *biased* batch variance (keras.ops.moments divides by the count).
torch.nn.functional.batch_norm normalises with the biased variance too but
updates running_var with the *unbiased* one (divided by count - 1), and its
momentum is Keras's 1 - momentum. The script therefore computes the moving
statistics itself with Keras's rule; torch's own running_var is stored as
torch_running_var_after only to document (and test) the difference.
"""
import json, os
import torch
import torch.nn.functional as F
from refutil import det, flat, rweights  # and float64 as torch's default dtype


def grads(f, x, gamma, beta):
    """Runs y = f(x, gamma, beta) and returns y and the gradients of sum(y * R)."""
    x = x.clone().requires_grad_()
    g = gamma.clone().requires_grad_() if gamma is not None else None
    b = beta.clone().requires_grad_() if beta is not None else None
    y = f(x, g, b)
    (y * rweights(y.shape)).sum().backward()
    out = {"x": flat(x), "x_shape": list(x.shape), "y": flat(y), "dx": flat(x.grad)}
    if g is not None:
        out["dgamma"] = flat(g.grad)
    if b is not None:
        out["dbeta"] = flat(b.grad)
    return out


def batch_case(name, shape, axis=-1, momentum=0.99, eps=1e-3, center=True, scale=True):
    """Three training steps on different batches, then one inference batch."""
    a = axis % len(shape)
    c = shape[a]
    gamma = det(11, c) * 0.5 + 1 if scale else None
    beta = det(12, c) * 0.5 if center else None
    mm, mv = det(13, c) * 0.3, det(14, c).abs() + 0.5  # initial moving statistics
    case = {"layer": "batch_normalization", "name": name, "axis": axis, "momentum": momentum,
            "epsilon": eps, "center": center, "scale": scale,
            "moving_mean": flat(mm), "moving_variance": flat(mv), "steps": []}
    if scale:
        case["gamma"] = flat(gamma)
    if center:
        case["beta"] = flat(beta)
    torch_mm, torch_mv = mm.clone(), mv.clone()
    to_torch = lambda t: t.movedim(a, 1)  # Keras layout -> (N, C, ...)
    for step in range(3):
        # an offset per step so that the batch means are not all near 0
        x = det(20 + step, *shape) + 0.4 * (step + 1)

        def train(x, g, b):
            return F.batch_norm(to_torch(x), None, None, g, b, training=True, eps=eps).movedim(1, a)

        case["steps"].append(grads(train, x, gamma, beta))
        # Keras's update, biased variance
        dims = [d for d in range(len(shape)) if d != a]
        mean = x.mean(dim=dims)
        var = x.var(dim=dims, unbiased=False)
        mm = mm * momentum + mean * (1 - momentum)
        mv = mv * momentum + var * (1 - momentum)
        # torch's own update, for the record (unbiased running_var)
        F.batch_norm(to_torch(x), torch_mm, torch_mv, None, None, training=True, momentum=1 - momentum, eps=eps)
    case["moving_mean_after"] = flat(mm)
    case["moving_variance_after"] = flat(mv)
    case["torch_running_var_after"] = flat(torch_mv)

    def infer(x, g, b):
        return F.batch_norm(to_torch(x), mm, mv, g, b, training=False, eps=eps).movedim(1, a)

    case["inference"] = grads(infer, det(30, *shape) + 0.2, gamma, beta)
    return case


def layer_case(name, shape, axis=-1, eps=1e-3, center=True, scale=True):
    a = axis % len(shape)
    c = shape[a]
    gamma = det(11, c) * 0.5 + 1 if scale else None
    beta = det(12, c) * 0.5 if center else None
    case = {"layer": "layer_normalization", "name": name, "axis": axis, "epsilon": eps,
            "center": center, "scale": scale}
    if scale:
        case["gamma"] = flat(gamma)
    if center:
        case["beta"] = flat(beta)

    def f(x, g, b):
        return F.layer_norm(x.movedim(a, -1), (c,), g, b, eps=eps).movedim(-1, a)

    case["steps"] = [grads(f, det(20, *shape) + 0.4, gamma, beta)]
    return case


cases = [
    batch_case("dense output (N, C)", (4, 3)),
    batch_case("conv1d output (N, W, C), momentum 0.9", (2, 4, 3), momentum=0.9),
    batch_case("conv2d output (N, H, W, C)", (2, 3, 2, 3)),
    batch_case("channels-first axis=1 (N, C, H, W)", (2, 3, 2, 2), axis=1),
    batch_case("no center, no scale, epsilon 1e-5", (5, 2), eps=1e-5, center=False, scale=False),
    batch_case("scale only, batch 2", (2, 4), center=False),
    layer_case("(N, C)", (3, 5)),
    layer_case("(N, C) batch 1", (1, 6)),
    layer_case("(N, H, W, C)", (2, 3, 2, 4)),
    layer_case("(N, H, W, C) batch 1, epsilon 1e-5", (1, 3, 2, 4), eps=1e-5),
    layer_case("axis=1 of (N, C, L)", (2, 4, 3), axis=1),
    layer_case("center only", (3, 5), scale=False),
]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "norm_reference.json")
with open(out, "w") as fh:
    json.dump({"generator": "layers/testdata/gen_norm_reference.py", "torch": torch.__version__, "cases": cases}, fh, indent=1)
print("wrote", out, len(cases), "cases")
