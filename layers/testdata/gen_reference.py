#!/usr/bin/python3
"""Regenerates layers/testdata/torch_reference.json: forward values and
gradients of Dense and the activation layers computed by PyTorch in float64.

Run with Debian's python3-torch:  /usr/bin/python3 layers/testdata/gen_reference.py

Inputs, weights and the loss L = sum(y * R) are those of refutil.py.
Kernels are stored in Keras's layout (inputs, units) = torch weight.T.
"""
import json, os
import torch
from refutil import det, flat, rweights  # and float64 as torch's default dtype

acts = {
    "linear": lambda z: z,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softmax": lambda z: torch.softmax(z, dim=-1),
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.2),
    "softplus": torch.nn.functional.softplus,
    "silu": torch.nn.functional.silu,
    "elu": torch.nn.functional.elu,
}

cases = []
for act, f in acts.items():
    for use_bias in (True, False):
        x = det(1, 3, 5).requires_grad_()
        lin = torch.nn.Linear(5, 4, bias=use_bias)
        with torch.no_grad():
            lin.weight.copy_(det(2, 5, 4).T)
            if use_bias:
                lin.bias.copy_(det(3, 4))
        y = f(lin(x))
        (y * rweights(y.shape)).sum().backward()
        c = {"layer": "dense", "activation": act, "use_bias": use_bias,
             "x": flat(x), "x_shape": list(x.shape), "kernel": flat(lin.weight.T), "y": flat(y),
             "y_shape": list(y.shape), "dx": flat(x.grad), "dkernel": flat(lin.weight.grad.T)}
        if use_bias:
            c["bias"] = flat(lin.bias)
            c["dbias"] = flat(lin.bias.grad)
        cases.append(c)

# Dense on a rank-3 input (applied along the last axis, as Keras).
x = det(4, 2, 3, 5).requires_grad_()
lin = torch.nn.Linear(5, 4)
with torch.no_grad():
    lin.weight.copy_(det(2, 5, 4).T)
    lin.bias.copy_(det(3, 4))
y = lin(x)
(y * rweights(y.shape)).sum().backward()
cases.append({"layer": "dense", "activation": "linear", "use_bias": True, "x": flat(x), "x_shape": list(x.shape),
              "kernel": flat(lin.weight.T), "bias": flat(lin.bias), "y": flat(y), "y_shape": list(y.shape),
              "dx": flat(x.grad), "dkernel": flat(lin.weight.grad.T), "dbias": flat(lin.bias.grad)})

# Activation layers on their own.
layer_fns = {
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.3),  # Keras LeakyReLU layer default
    "softmax": lambda z: torch.softmax(z, dim=-1),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
}
for name, f in layer_fns.items():
    x = det(5, 4, 6).requires_grad_()
    y = f(x)
    (y * rweights(y.shape)).sum().backward()
    cases.append({"layer": name, "x": flat(x), "x_shape": list(x.shape), "y": flat(y), "y_shape": list(y.shape),
                  "dx": flat(x.grad)})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_reference.json")
with open(out, "w") as fh:
    json.dump({"generator": "layers/testdata/gen_reference.py", "torch": torch.__version__, "cases": cases}, fh, indent=1)
print("wrote", out, len(cases), "cases")
