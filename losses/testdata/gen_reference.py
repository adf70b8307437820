#!/usr/bin/python3
"""Regenerates losses/testdata/torch_reference.json: loss values and their
gradients computed by PyTorch in float64.

Run with Debian's python3-torch:  /usr/bin/python3 losses/testdata/gen_reference.py

Each case records the input the gradient is taken with respect to ("x": logits
or probabilities), how the Go side turns it into predictions ("pre":
"none", "softmax" or "sigmoid", the op in front of the loss), the targets,
the loss (Keras reduction: sum over samples / batch size) and d loss / d x.
Keras's cross-entropy on probabilities clips them to [1e-7, 1 - 1e-7]; that
formula is written out in torch below, since torch has no such loss.
"""
import json, math, os
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
EPS = 1e-7

def det(seed, *shape, scale=1.5):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor([math.sin(seed * 131 + i * 17 + 0.3) * scale for i in range(n)]).reshape(*shape)

def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]

cases = []

def add(name, loss, args, x, pre, y, fn, sample_weight=None):
    x = x.clone().requires_grad_()
    per_sample = fn(x, y)
    if sample_weight is not None:
        per_sample = per_sample * sample_weight
    l = per_sample.sum() / per_sample.shape[0]
    l.backward()
    c = {"name": name, "loss": loss, "args": args, "pre": pre, "x": flat(x), "x_shape": list(x.shape),
         "y": flat(y), "y_shape": list(y.shape), "value": float(l), "grad": flat(x.grad)}
    if sample_weight is not None:
        c["sample_weight"] = flat(sample_weight)
    cases.append(c)

logits = det(1, 4, 5, scale=3)
labels = torch.tensor([1., 4., 0., 2.])
onehot = F.one_hot(labels.long(), 5).double()
soft = torch.softmax(det(2, 4, 5), -1)
probs = torch.softmax(det(3, 4, 5), -1)
huge = torch.tensor([[1e4, -1e4, 0., 5e3, -3e3], [-1e4, 1e4, 2., 0., 1.], [0., 0., 0., 0., 0.], [3e3, 1e4, -1e4, 1e4, 0.]])

def scce_logits(x, y):
    return F.cross_entropy(x, y.long(), reduction="none")

def scce_probs(x, y):
    return -torch.log(torch.clamp(x, EPS, 1 - EPS)).gather(1, y.long()[:, None])[:, 0]

def cce_logits(x, y):
    return -(y * torch.log_softmax(x, -1)).sum(-1)

def cce_probs(x, y):
    p = x / x.sum(-1, keepdim=True)
    return -(y * torch.log(torch.clamp(p, EPS, 1 - EPS))).sum(-1)

add("scce from_logits", "sparse_categorical_crossentropy", {"from_logits": True}, logits, "none", labels, scce_logits)
add("scce softmax output", "sparse_categorical_crossentropy", {}, logits, "softmax", labels, scce_logits)
add("scce probabilities", "sparse_categorical_crossentropy", {}, probs, "none", labels, scce_probs)
add("scce huge logits", "sparse_categorical_crossentropy", {"from_logits": True}, huge, "none", labels, scce_logits)
add("scce huge logits softmax output", "sparse_categorical_crossentropy", {}, huge, "softmax", labels, scce_logits)
add("scce weighted", "sparse_categorical_crossentropy", {"from_logits": True}, logits, "none", labels, scce_logits,
    sample_weight=torch.tensor([1., 2., 0.5, 3.]))
add("cce from_logits one-hot", "categorical_crossentropy", {"from_logits": True}, logits, "none", onehot, cce_logits)
add("cce from_logits soft", "categorical_crossentropy", {"from_logits": True}, logits, "none", soft, cce_logits)
add("cce softmax output", "categorical_crossentropy", {}, logits, "softmax", onehot, cce_logits)
add("cce probabilities", "categorical_crossentropy", {}, probs, "none", soft, cce_probs)
add("cce huge logits softmax output", "categorical_crossentropy", {}, huge, "softmax", onehot, cce_logits)
ls = 0.1
add("cce label smoothing", "categorical_crossentropy", {"from_logits": True, "label_smoothing": ls}, logits, "none", onehot,
    lambda x, y: F.cross_entropy(x, y.argmax(-1), reduction="none", label_smoothing=ls))

blogits = det(4, 4, 3, scale=3)
btargets = (det(5, 4, 3) > 0).double()
bprobs = torch.sigmoid(det(6, 4, 3))
bhuge = torch.tensor([[1e4, -1e4, 0.], [-1e4, 1e4, 5e3], [0., 1., -1.], [3e3, -3e3, 1e4]])

def bce_logits(x, y):
    return F.binary_cross_entropy_with_logits(x, y, reduction="none").mean(-1)

def bce_probs(x, y):
    p = torch.clamp(x, EPS, 1 - EPS)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean(-1)

add("bce from_logits", "binary_crossentropy", {"from_logits": True}, blogits, "none", btargets, bce_logits)
add("bce sigmoid output", "binary_crossentropy", {}, blogits, "sigmoid", btargets, bce_logits)
add("bce probabilities", "binary_crossentropy", {}, bprobs, "none", btargets, bce_probs)
add("bce huge logits", "binary_crossentropy", {"from_logits": True}, bhuge, "none", btargets, bce_logits)
add("bce huge logits sigmoid output", "binary_crossentropy", {}, bhuge, "sigmoid", btargets, bce_logits)
add("bce label smoothing", "binary_crossentropy", {"from_logits": True, "label_smoothing": 0.2}, blogits, "none", btargets,
    lambda x, y: bce_logits(x, y * 0.8 + 0.1))

pred = det(7, 4, 3)
target = det(8, 4, 3, scale=2)
add("mse", "mean_squared_error", {}, pred, "none", target, lambda x, y: ((x - y) ** 2).mean(-1))
add("mae", "mean_absolute_error", {}, pred, "none", target, lambda x, y: (x - y).abs().mean(-1))
add("huber", "huber", {}, pred, "none", target, lambda x, y: F.huber_loss(x, y, reduction="none", delta=1.0).mean(-1))
add("huber delta 0.5", "huber", {"delta": 0.5}, pred, "none", target, lambda x, y: F.huber_loss(x, y, reduction="none", delta=0.5).mean(-1))
add("mse (n,) targets for (n,1) predictions", "mean_squared_error", {}, det(9, 4, 1), "none", det(10, 4), lambda x, y: ((x[:, 0] - y) ** 2))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_reference.json")
with open(out, "w") as fh:
    json.dump({"generator": "losses/testdata/gen_reference.py", "torch": torch.__version__, "cases": cases}, fh, indent=1)
print("wrote", out, len(cases), "cases")
