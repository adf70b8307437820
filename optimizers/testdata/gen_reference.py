#!/usr/bin/python3
"""Generates optimizers/testdata/reference.json, the step-by-step reference
trajectories that optimizers/reference_test.go replays.

Run it with Debian's Python, which has torch and numpy (it writes
reference.json next to itself, whatever the working directory):

    /usr/bin/python3 optimizers/testdata/gen_reference.py

The problem: two variables, "dense.kernel" (3x4) and "dense.bias" (4,), with
fixed initial values and a fixed gradient sequence that does not depend on the
weights (an optimizer's update is a function of the gradient it is given, so no
model is needed):

    g_t[v][k] = sin(0.9*k + 1.7*t + 0.3*v) + 0.5*cos(1.1*t*k + v) + 0.05

for step t = 1..5, variable index v and flat element index k. The gradients
are written into the JSON too, so the Go test never recomputes them.

Every case is run twice, in float64:
  * "keras formula in numpy": a direct transcription of Keras 3's update_step
    (keras/src/optimizers/{sgd,adam,rmsprop,adagrad}.py), its base optimizer's
    clipping and decoupled weight decay (base_optimizer.py) and its schedules
    (schedules/learning_rate_schedule.py);
  * torch.optim with matching arguments, where torch has the same update.
Where the two are the same algebra (SGD, momentum, Nesterov, and every
eps-dependent optimizer run with epsilon=0), the script asserts they agree to
1e-12 and records torch's trajectory as the reference. Where they differ
(Keras adds epsilon inside the square root for RMSprop and Adagrad, and to
sqrt(v) instead of sqrt(v_hat) for Adam), the reference is the numpy Keras
formula, and torch's trajectory is kept as "torch_steps" together with the
largest difference seen, which the Go test checks at "torch_tolerance".
Two settings have no torch equivalent and are checked against the numpy
Keras formula only, with the reason in "torch_note": Keras's decoupled
weight_decay with momentum or an adaptive optimizer (torch's weight_decay
argument is coupled L2), and SGD momentum under a schedule (torch's buffer
sums raw gradients and scales by the current lr; Keras's sums lr*g).
"""

import json
import math
import os

import numpy as np
import torch

STEPS = 5
SHAPES = [("dense.kernel", (3, 4)), ("dense.bias", (4,))]


def initial_values():
    out = []
    for v, (_, shape) in enumerate(SHAPES):
        n = int(np.prod(shape))
        k = np.arange(n, dtype=np.float64)
        out.append((0.5 * np.sin(k + 1.0 + v) + 0.1 * k - 0.3).reshape(shape))
    return out


def gradient(t, v, shape):
    n = int(np.prod(shape))
    k = np.arange(n, dtype=np.float64)
    g = np.sin(0.9 * k + 1.7 * t + 0.3 * v) + 0.5 * np.cos(1.1 * t * k + v) + 0.05
    return g.reshape(shape)


GRADS = [[gradient(t, v, s) for v, (_, s) in enumerate(SHAPES)] for t in range(1, STEPS + 1)]


# ---------------------------------------------------------------- schedules (Keras formulas)

def schedule_lr(spec, step):
    """Keras 3 LearningRateSchedule.__call__ for the serialized spec."""
    if not isinstance(spec, dict):
        return float(spec)
    c = spec["config"]
    name = spec["class_name"]
    if name == "ExponentialDecay":
        p = step / c["decay_steps"]
        if c.get("staircase"):
            p = math.floor(p)
        return c["initial_learning_rate"] * c["decay_rate"] ** p
    if name == "InverseTimeDecay":
        p = step / c["decay_steps"]
        if c.get("staircase"):
            p = math.floor(p)
        return c["initial_learning_rate"] / (1 + c["decay_rate"] * p)
    if name == "PiecewiseConstantDecay":
        b, vals = c["boundaries"], c["values"]
        for i, x in enumerate(b):
            if step <= x:
                return vals[i]
        return vals[-1]
    if name == "CosineDecay":
        alpha = c.get("alpha", 0.0)
        target = c.get("warmup_target")
        wsteps = c.get("warmup_steps", 0)

        def decay(s, frm):
            cos = 0.5 * (1.0 + math.cos(math.pi * s / c["decay_steps"]))
            return frm * ((1 - alpha) * cos + alpha)

        if target is None:
            return decay(min(step, c["decay_steps"]), c["initial_learning_rate"])
        s = min(step, c["decay_steps"] + wsteps)
        if s < wsteps:
            return (target - c["initial_learning_rate"]) * (s / wsteps) + c["initial_learning_rate"]
        return decay(s - wsteps, target)
    raise ValueError(name)


# ---------------------------------------------------------------- Keras 3 in numpy

def keras_clip(grads, a):
    if a.get("clipnorm"):
        c = a["clipnorm"]
        return [g * c / max(math.sqrt(float(np.sum(g * g))), c) for g in grads]
    if a.get("global_clipnorm"):
        c = a["global_clipnorm"]
        norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        return [g * (c * min(1.0 / norm, 1.0 / c)) for g in grads]
    if a.get("clipvalue"):
        c = a["clipvalue"]
        return [np.clip(g, -c, c) for g in grads]
    return grads


def keras_run(opt, a):
    w = [x.copy() for x in initial_values()]
    z = [np.zeros_like(x) for x in w]
    slots = {
        "m": [x.copy() for x in z], "v": [x.copy() for x in z],
        "vhat": [x.copy() for x in z], "ag": [x.copy() for x in z],
        "acc": [np.full_like(x, a.get("initial_accumulator_value", 0.1)) for x in z],
    }
    traj = []
    for it in range(STEPS):
        lr = schedule_lr(a.get("learning_rate", 0.01), it)
        grads = keras_clip(GRADS[it], a)
        wd = a.get("weight_decay", 0.004 if opt == "adamw" else None)  # AdamW's default
        if wd:
            w = [x - x * wd * lr for x in w]
        for i, g in enumerate(grads):
            if opt == "sgd":
                mom = a.get("momentum", 0.0)
                if mom != 0:
                    slots["m"][i] = mom * slots["m"][i] - lr * g
                    if a.get("nesterov"):
                        w[i] = w[i] + (mom * slots["m"][i] - lr * g)
                    else:
                        w[i] = w[i] + slots["m"][i]
                else:
                    w[i] = w[i] - lr * g
            elif opt in ("adam", "adamw"):
                b1, b2 = a.get("beta_1", 0.9), a.get("beta_2", 0.999)
                eps = a.get("epsilon", 1e-7)
                t = it + 1
                alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                slots["m"][i] = slots["m"][i] + (g - slots["m"][i]) * (1 - b1)
                slots["v"][i] = slots["v"][i] + (g * g - slots["v"][i]) * (1 - b2)
                v = slots["v"][i]
                if a.get("amsgrad"):
                    slots["vhat"][i] = np.maximum(slots["vhat"][i], v)
                    v = slots["vhat"][i]
                w[i] = w[i] - slots["m"][i] * alpha / (np.sqrt(v) + eps)
            elif opt == "rmsprop":
                rho, mom = a.get("rho", 0.9), a.get("momentum", 0.0)
                eps = a.get("epsilon", 1e-7)
                slots["v"][i] = rho * slots["v"][i] + (1 - rho) * g * g
                if a.get("centered"):
                    slots["ag"][i] = rho * slots["ag"][i] + (1 - rho) * g
                    den = slots["v"][i] - slots["ag"][i] ** 2 + eps
                else:
                    den = slots["v"][i] + eps
                inc = lr * g / np.sqrt(den)
                if mom > 0:
                    slots["m"][i] = mom * slots["m"][i] + inc
                    w[i] = w[i] - slots["m"][i]
                else:
                    w[i] = w[i] - inc
            elif opt == "adagrad":
                eps = a.get("epsilon", 1e-7)
                slots["acc"][i] = slots["acc"][i] + g * g
                w[i] = w[i] - lr * g / np.sqrt(slots["acc"][i] + eps)
            else:
                raise ValueError(opt)
        traj.append([x.copy() for x in w])
    return traj


# ---------------------------------------------------------------- torch.optim

def torch_clip(params, a):
    """Applies Keras's clipping to the .grad fields. torch's own
    clip_grad_norm_ divides by (norm + 1e-6), which is not Keras's formula, so
    the norm cases apply Keras's formula with torch ops; clipvalue is the same
    in both and uses torch's own clip_grad_value_."""
    if a.get("clipnorm"):
        c = a["clipnorm"]
        for p in params:
            p.grad.mul_(c / max(p.grad.norm().item(), c))
        return "keras clipnorm formula on torch grads"
    if a.get("global_clipnorm"):
        c = a["global_clipnorm"]
        norm = math.sqrt(sum(p.grad.pow(2).sum().item() for p in params))
        for p in params:
            p.grad.mul_(c * min(1.0 / norm, 1.0 / c))
        return "keras global_clipnorm formula on torch grads"
    if a.get("clipvalue"):
        torch.nn.utils.clip_grad_value_(params, a["clipvalue"])
        return "torch.nn.utils.clip_grad_value_"
    return None


def torch_run(opt, a):
    """Runs torch.optim; returns (trajectory, description) or (None, why)."""
    params = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in initial_values()]
    lr_spec = a.get("learning_rate", 0.01)
    base_lr = 1.0 if isinstance(lr_spec, dict) else lr_spec
    wd = a.get("weight_decay") or 0.0
    if opt == "sgd":
        mom = a.get("momentum", 0.0)
        if wd and mom:
            return None, "torch SGD weight_decay is coupled (L2), Keras's is decoupled; equal only without momentum"
        o = torch.optim.SGD(params, lr=base_lr, momentum=mom, nesterov=a.get("nesterov", False), weight_decay=wd)
        desc = "torch.optim.SGD"
    elif opt == "adam":
        if wd:
            return None, "Keras Adam weight_decay is decoupled; torch Adam's is coupled"
        o = torch.optim.Adam(params, lr=base_lr, betas=(a.get("beta_1", 0.9), a.get("beta_2", 0.999)),
                             eps=a.get("epsilon", 1e-7), amsgrad=a.get("amsgrad", False))
        desc = "torch.optim.Adam"
    elif opt == "adamw":
        o = torch.optim.AdamW(params, lr=base_lr, betas=(a.get("beta_1", 0.9), a.get("beta_2", 0.999)),
                              eps=a.get("epsilon", 1e-7), amsgrad=a.get("amsgrad", False),
                              weight_decay=a.get("weight_decay", 0.004))
        desc = "torch.optim.AdamW"
    elif opt == "rmsprop":
        if wd:
            return None, "Keras RMSprop weight_decay is decoupled; torch RMSprop's is coupled"
        o = torch.optim.RMSprop(params, lr=base_lr, alpha=a.get("rho", 0.9), eps=a.get("epsilon", 1e-7),
                                momentum=a.get("momentum", 0.0), centered=a.get("centered", False))
        desc = "torch.optim.RMSprop"
    elif opt == "adagrad":
        if wd:
            return None, "Keras Adagrad weight_decay is decoupled; torch Adagrad's is coupled"
        o = torch.optim.Adagrad(params, lr=base_lr, eps=a.get("epsilon", 1e-7),
                                initial_accumulator_value=a.get("initial_accumulator_value", 0.1))
        desc = "torch.optim.Adagrad"
    else:
        raise ValueError(opt)

    sched = None
    if isinstance(lr_spec, dict):
        c = lr_spec["config"]
        if lr_spec["class_name"] == "CosineDecay" and c.get("warmup_target") is None:
            # CosineAnnealingLR with eta_min = alpha*lr0 is Keras's CosineDecay for step <= T_max.
            for g in o.param_groups:
                g["lr"] = c["initial_learning_rate"]
                g["initial_lr"] = c["initial_learning_rate"]
            sched = torch.optim.lr_scheduler.CosineAnnealingLR(
                o, T_max=c["decay_steps"], eta_min=c.get("alpha", 0.0) * c["initial_learning_rate"])
            desc += " + lr_scheduler.CosineAnnealingLR"
        elif lr_spec["class_name"] == "ExponentialDecay" and not c.get("staircase"):
            # lr0 * rate^(step/decay_steps) = lr0 * gamma^step with gamma = rate^(1/decay_steps).
            for g in o.param_groups:
                g["lr"] = c["initial_learning_rate"]
                g["initial_lr"] = c["initial_learning_rate"]
            sched = torch.optim.lr_scheduler.ExponentialLR(o, gamma=c["decay_rate"] ** (1.0 / c["decay_steps"]))
            desc += " + lr_scheduler.ExponentialLR"
        else:
            # No torch scheduler has this shape; LambdaLR evaluates Keras's formula
            # (base lr 1.0, so the factor is the learning rate itself).
            sched = torch.optim.lr_scheduler.LambdaLR(o, lambda step: schedule_lr(lr_spec, step))
            desc += " + lr_scheduler.LambdaLR(keras %s formula)" % lr_spec["class_name"]

    traj = []
    for it in range(STEPS):
        o.zero_grad()
        for p, g in zip(params, GRADS[it]):
            p.grad = torch.tensor(g, dtype=torch.float64)
        clip = torch_clip(params, a)
        o.step()
        if sched is not None:
            sched.step()
        traj.append([p.detach().numpy().copy() for p in params])
    if clip:
        desc += " + " + clip
    return traj, desc


# ---------------------------------------------------------------- cases

EXP = {"class_name": "ExponentialDecay",
       "config": {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5, "staircase": False}}
COS = {"class_name": "CosineDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 4, "alpha": 0.1}}
COS_WARM = {"class_name": "CosineDecay",
            "config": {"initial_learning_rate": 0.0, "decay_steps": 3, "alpha": 0.0,
                       "warmup_target": 0.1, "warmup_steps": 2}}
PIECE = {"class_name": "PiecewiseConstantDecay", "config": {"boundaries": [1, 3], "values": [0.1, 0.05, 0.01]}}
INV = {"class_name": "InverseTimeDecay",
       "config": {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5, "staircase": True}}
ADAM_COS = {"class_name": "CosineDecay", "config": {"initial_learning_rate": 0.01, "decay_steps": 4, "alpha": 0.0}}

CASES = [
    ("sgd", "sgd", {"learning_rate": 0.1}),
    ("sgd_momentum", "sgd", {"learning_rate": 0.1, "momentum": 0.9}),
    ("sgd_nesterov", "sgd", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    # Without momentum torch's coupled L2 step w -= lr*(g + wd*w) equals Keras's decoupled w -= lr*wd*w; w -= lr*g.
    ("sgd_weight_decay", "sgd", {"learning_rate": 0.1, "weight_decay": 0.05}),
    ("sgd_momentum_weight_decay", "sgd", {"learning_rate": 0.1, "momentum": 0.9, "weight_decay": 0.05}),
    ("sgd_clipnorm", "sgd", {"learning_rate": 0.1, "clipnorm": 1.0}),
    ("sgd_global_clipnorm", "sgd", {"learning_rate": 0.1, "global_clipnorm": 1.5}),
    ("sgd_clipvalue", "sgd", {"learning_rate": 0.1, "clipvalue": 0.5}),
    ("sgd_exponential_decay", "sgd", {"learning_rate": EXP}),
    ("sgd_momentum_cosine_decay", "sgd", {"learning_rate": COS, "momentum": 0.9}),
    ("sgd_cosine_warmup", "sgd", {"learning_rate": COS_WARM}),
    ("sgd_piecewise_constant", "sgd", {"learning_rate": PIECE}),
    ("sgd_inverse_time_staircase", "sgd", {"learning_rate": INV}),
    ("adam_eps0", "adam", {"learning_rate": 0.01, "epsilon": 0.0}),
    ("adam", "adam", {"learning_rate": 0.01}),
    ("adam_amsgrad_eps0", "adam", {"learning_rate": 0.01, "epsilon": 0.0, "amsgrad": True}),
    ("adam_betas_eps0", "adam", {"learning_rate": 0.02, "beta_1": 0.5, "beta_2": 0.8, "epsilon": 0.0}),
    ("adamw_eps0", "adamw", {"learning_rate": 0.01, "weight_decay": 0.1, "epsilon": 0.0}),
    ("adamw", "adamw", {"learning_rate": 0.01}),
    ("adamw_cosine_clipnorm_eps0", "adamw",
     {"learning_rate": ADAM_COS, "weight_decay": 0.2, "epsilon": 0.0, "clipnorm": 1.0}),
    ("rmsprop_eps0", "rmsprop", {"learning_rate": 0.01, "epsilon": 0.0}),
    ("rmsprop", "rmsprop", {"learning_rate": 0.01}),
    ("rmsprop_momentum_eps0", "rmsprop", {"learning_rate": 0.01, "momentum": 0.5, "epsilon": 0.0}),
    ("rmsprop_centered_eps0", "rmsprop", {"learning_rate": 0.01, "rho": 0.8, "centered": True, "epsilon": 0.0}),
    ("rmsprop_centered_momentum", "rmsprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}),
    ("rmsprop_weight_decay", "rmsprop", {"learning_rate": 0.01, "weight_decay": 0.1}),
    ("adagrad_eps0", "adagrad", {"learning_rate": 0.1, "epsilon": 0.0}),
    ("adagrad", "adagrad", {"learning_rate": 0.1}),
    ("adagrad_global_clipnorm_eps0", "adagrad",
     {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "epsilon": 0.0, "global_clipnorm": 1.0}),
]


def exact_in_torch(opt, a):
    """Whether torch.optim runs the same algebra as Keras for these arguments."""
    if opt == "sgd":
        # torch's momentum buffer sums raw gradients and is scaled by the current lr;
        # Keras's sums lr*g. They agree only while lr is constant.
        return not (a.get("momentum") and isinstance(a.get("learning_rate"), dict))
    # Keras puts epsilon inside the square root (RMSprop, Adagrad) or next to
    # sqrt(v) instead of sqrt(v_hat) (Adam); with epsilon = 0 the updates agree.
    return a.get("epsilon", 1e-7) == 0.0


def torch_difference(opt, a):
    if opt == "sgd":
        return "torch's momentum buffer accumulates g and is scaled by the current lr; Keras's accumulates lr*g"
    if opt in ("adam", "adamw"):
        return "Keras adds epsilon to sqrt(v); torch adds it to sqrt(v_hat) = sqrt(v)/sqrt(1-beta_2^t)"
    return "Keras adds epsilon inside the square root; torch adds it to the square root"


def max_diff(a, b):
    return max(float(np.max(np.abs(x - y))) for sa, sb in zip(a, b) for x, y in zip(sa, sb))


def flat(traj):
    return [[x.reshape(-1).tolist() for x in step] for step in traj]


def main():
    out = {
        "generator": "optimizers/testdata/gen_reference.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "steps": STEPS,
        "variables": [{"name": n, "shape": list(s)} for n, s in SHAPES],
        "initial": [x.reshape(-1).tolist() for x in initial_values()],
        "grads": [[g.reshape(-1).tolist() for g in step] for step in GRADS],
        "cases": [],
    }
    for name, opt, args in CASES:
        keras = keras_run(opt, args)
        tr, desc = torch_run(opt, args)
        case = {"name": name, "optimizer": opt, "args": args}
        if tr is None:
            case["reference"] = "keras formula in numpy"
            case["torch_note"] = desc
            case["steps"] = flat(keras)
        else:
            d = max_diff(keras, tr)
            if exact_in_torch(opt, args):
                assert d < 1e-12, (name, d)
                case["reference"] = desc
                case["keras_numpy_max_abs_diff"] = d
                case["steps"] = flat(tr)
            else:
                case["reference"] = "keras formula in numpy"
                case["torch_reference"] = desc
                case["torch_note"] = torch_difference(opt, args)
                case["torch_max_abs_diff"] = d
                if opt != "sgd":
                    # Only epsilon's placement differs: check torch too, at ten
                    # times the difference seen (at least 1e-9). SGD momentum
                    # under a schedule is a different algorithm, not a rounding
                    # of the same one, so torch's numbers are not checked there.
                    case["torch_tolerance"] = max(10 * d, 1e-9)
                    case["torch_steps"] = flat(tr)
                case["steps"] = flat(keras)
        out["cases"].append(case)
        print("%-32s %-60s" % (name, case["reference"]), case.get("torch_max_abs_diff", ""))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
