#!/usr/bin/python3
"""Generates reference.json, the reference values for metrics_reference_test.go.

Keras itself is not installed here, so this script re-implements the Keras 3
metric algorithms in NumPy, transcribing the source line by line (from
keras/src/metrics/accuracy_metrics.py, confusion_metrics.py, metrics_utils.py,
reduction_metrics.py, regression_metrics.py and the backends' in_top_k),
including the float32 arithmetic of Keras's float32 metric variables. It is an
implementation independent of the Go one (bucketing by segment sums and
cumulative sums, thresholds by tiling, top-k by sorting), so agreement is a
real check.

For every case it draws random data, computes the metric over the whole set,
and checks in Python that accumulating over uneven batches gives the same
value; the Go test then feeds the same batches.

Run from the repository root:  /usr/bin/python3 metrics/testdata/gen_reference.py
"""

import json
import os

import numpy as np

F32 = np.float32
EPSILON = 1e-7  # keras.backend.epsilon()
NEG_INF = -1e10  # metrics_utils.NEG_INF


def divide_no_nan(x, y):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    safe = np.where(y == 0, 1, y)
    return np.where(y == 0, 0.0, x / safe)


def squeeze_or_expand(x1, x2):
    """keras/src/losses/loss.py squeeze_or_expand_to_same_rank."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1:
            x2 = np.expand_dims(x2, -1)
        else:
            x1 = np.squeeze(x1, -1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1:
            x1 = np.expand_dims(x1, -1)
        else:
            x2 = np.squeeze(x2, -1)
    return x1, x2


def as_samples(yt, yp):
    """deepgo treats rank-1 targets (n,) as n samples of one value (Keras
    would average the whole batch into one value)."""
    if yt.ndim == 1 and yp.ndim == 1:
        return yt[:, None], yp[:, None]
    return yt, yp


# ----- per-sample value functions (MeanMetricWrapper fns) -----


def binary_accuracy(yt, yp, threshold=0.5):
    yt, yp = as_samples(*squeeze_or_expand(yt, yp))
    pred = (yp > yp.dtype.type(threshold)).astype(yt.dtype)
    return np.mean((yt == pred).astype(np.float64), axis=-1)


def categorical_accuracy(yt, yp):
    return (np.argmax(yt, -1) == np.argmax(yp, -1)).astype(np.float64)


def sparse_categorical_accuracy(yt, yp):
    if yt.ndim == yp.ndim and yt.shape[-1] == 1:
        yt = np.squeeze(yt, -1)
    return (yt == np.argmax(yp, -1).astype(yt.dtype)).astype(np.float64)


def in_top_k(targets, predictions, k):
    """The JAX/PyTorch backends: target score >= every one of the top k."""
    topk_values = -np.sort(-predictions, axis=-1)[:, :k]
    ok = (targets >= 0) & (targets < predictions.shape[-1])
    t = np.where(ok, targets, 0)
    target_values = np.take_along_axis(predictions, t[:, None], axis=-1)
    return np.any(target_values >= topk_values, axis=-1) & ok


def top_k_categorical_accuracy(yt, yp, k=5):
    labels = np.argmax(yt, -1)
    shape = labels.shape
    m = in_top_k(labels.reshape(-1), yp.reshape(-1, yp.shape[-1]), k)
    return m.reshape(shape).astype(np.float64)


def sparse_top_k_categorical_accuracy(yt, yp, k=5):
    shape = yt.shape
    m = in_top_k(yt.reshape(-1).astype(np.int32), yp.reshape(-1, yp.shape[-1]), k)
    return m.reshape(shape).astype(np.float64)


def mean_squared_error(yt, yp):
    yt, yp = as_samples(*squeeze_or_expand(yt.astype(np.float64), yp.astype(np.float64)))
    return np.mean(np.square(yt - yp), axis=-1)


def mean_absolute_error(yt, yp):
    yt, yp = as_samples(*squeeze_or_expand(yt.astype(np.float64), yp.astype(np.float64)))
    return np.mean(np.abs(yt - yp), axis=-1)


class MeanState:
    """reduction_metrics.Mean: total of per-sample means and a sample count."""

    def __init__(self, fn, **kw):
        self.fn, self.kw, self.total, self.count = fn, kw, 0.0, 0.0

    def update(self, yt, yp):
        v = self.fn(yt, yp, **self.kw)
        if v.ndim > 1:
            v = np.mean(v, axis=tuple(range(1, v.ndim)))
        self.total += float(np.sum(v))
        self.count += v.shape[0] if v.ndim >= 1 else 1

    def result(self):
        return float(divide_no_nan(self.total, self.count))


# ----- confusion-matrix metrics -----


def filter_top_k(x, k):
    idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    mask = np.zeros_like(x)
    np.put_along_axis(mask, idx, 1, axis=-1)
    return x * mask + F32(NEG_INF) * (1 - mask)


def standard_counts(yt, yp, thresholds, top_k=None, class_id=None, multi_label=False, label_weights=None):
    """update_confusion_matrix_variables, general (tiled) path."""
    yt = yt.astype(F32)
    yp = yp.astype(F32)
    yp, yt = squeeze_or_expand(yp, yt)
    if top_k is not None:
        yp = filter_top_k(yp, top_k)
    if class_id is not None:
        yt = yt[..., class_id, None]
        yp = yp[..., class_id, None]
    thr = np.asarray(thresholds, dtype=F32)
    w = None
    if label_weights is not None and not multi_label:
        w = np.broadcast_to(np.asarray(label_weights, dtype=np.float64)[None], yp.shape).reshape(-1)
    if multi_label:
        pred = yp[None] > thr[:, None, None]  # (T, n, L)
        lab = (yt != 0)[None]
        s = lambda a: np.sum(a, axis=1)  # noqa: E731
    else:
        pred = yp.reshape(1, -1) > thr[:, None]  # (T, N)
        lab = (yt != 0).reshape(1, -1)
        s = lambda a: np.sum(a * (1.0 if w is None else w[None]), axis=1)  # noqa: E731
    return {
        "tp": s((lab & pred).astype(np.float64)),
        "fp": s((~lab & pred).astype(np.float64)),
        "fn": s((lab & ~pred).astype(np.float64)),
        "tn": s((~lab & ~pred).astype(np.float64)),
    }


def optimized_counts(yt, yp, num_thresholds, multi_label=False, label_weights=None):
    """_update_confusion_matrix_variables_optimized, thresholds_with_epsilon."""
    yt = yt.astype(F32)
    yp = yp.astype(F32)
    yp, yt = squeeze_or_expand(yp, yt)
    weights = np.float64(1.0)
    if label_weights is not None and not multi_label:
        weights = np.broadcast_to(np.asarray(label_weights, dtype=np.float64)[None], yp.shape).reshape(-1)
    yp = np.clip(yp, F32(0.0), F32(1.0))
    ytb = (yt != 0).astype(np.float64)
    if not multi_label:
        ytb, yp = ytb.reshape(-1), yp.reshape(-1)
    true_labels = ytb * weights
    false_labels = (1.0 - ytb) * weights
    bucket = np.ceil(yp * (F32(num_thresholds) - F32(1))) - F32(1)
    bucket = np.maximum(bucket, F32(0)).astype(np.int64)

    def seg(data, ids):
        return np.bincount(ids, weights=data, minlength=num_thresholds)

    if multi_label:
        tp_b = np.stack([seg(true_labels[:, j], bucket[:, j]) for j in range(yp.shape[1])], 1)
        fp_b = np.stack([seg(false_labels[:, j], bucket[:, j]) for j in range(yp.shape[1])], 1)
        tp = np.flip(np.cumsum(np.flip(tp_b, 0), 0), 0)
        fp = np.flip(np.cumsum(np.flip(fp_b, 0), 0), 0)
        tot_t, tot_f = true_labels.sum(0), false_labels.sum(0)
    else:
        tp = np.flip(np.cumsum(np.flip(seg(true_labels, bucket))))
        fp = np.flip(np.cumsum(np.flip(seg(false_labels, bucket))))
        tot_t, tot_f = true_labels.sum(), false_labels.sum()
    return {"tp": tp, "fp": fp, "fn": tot_t - tp, "tn": tot_f - fp}


class ConfusionState:
    def __init__(self, kind, threshold=None, top_k=None, class_id=None):
        self.kind, self.top_k, self.class_id = kind, top_k, class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = [default if threshold is None else threshold]
        self.c = None

    def update(self, yt, yp):
        c = standard_counts(yt, yp, self.thresholds, self.top_k, self.class_id)
        self.c = c if self.c is None else {k: self.c[k] + c[k] for k in c}

    def result(self):
        tp, fp, fn = self.c["tp"][0], self.c["fp"][0], self.c["fn"][0]
        other = fp if self.kind == "precision" else fn
        return float(divide_no_nan(tp, tp + other))


def is_evenly_distributed(thresholds):
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=EPSILON))


class AUCState:
    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 thresholds=None, multi_label=False, label_weights=None, from_logits=False):
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(thresholds)
            self.even = is_evenly_distributed(np.array([0.0] + thresholds + [1.0]))
        else:
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.even = True
        self.thresholds = np.array([0.0 - EPSILON] + thresholds + [1.0 + EPSILON])
        self.curve, self.summation, self.multi_label = curve, summation_method, multi_label
        self.label_weights, self.from_logits = label_weights, from_logits
        self.c = None

    def update(self, yt, yp):
        if self.from_logits:
            yp = (1 / (1 + np.exp(-yp.astype(np.float64)))).astype(F32)
        lw = None if self.multi_label else self.label_weights
        if self.even:
            c = optimized_counts(yt, yp, self.num_thresholds, self.multi_label, lw)
        else:
            c = standard_counts(yt, yp, self.thresholds, multi_label=self.multi_label, label_weights=lw)
        self.c = c if self.c is None else {k: self.c[k] + c[k] for k in c}

    def average(self, by_label):
        if not self.multi_label:
            return float(np.sum(by_label))
        if self.label_weights is None:
            return float(np.mean(by_label))
        lw = np.asarray(self.label_weights, dtype=np.float64)
        return float(divide_no_nan(np.sum(by_label * lw), np.sum(lw)))

    def interpolate_pr_auc(self):
        tp, fp, fn = self.c["tp"], self.c["fp"], self.c["fn"]
        n = self.num_thresholds
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        prec_slope = divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = np.where(
            (p[: n - 1] > 0) & (p[1:] > 0),
            divide_no_nan(p[: n - 1], np.maximum(p[1:], 0)),
            np.ones_like(p[1:]),
        )
        inc = divide_no_nan(prec_slope * (dtp + intercept * np.log(safe_p_ratio)),
                            np.maximum(tp[1:] + fn[1:], 0))
        return self.average(np.sum(inc, axis=0))

    def result(self):
        if self.curve == "PR" and self.summation == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = self.c["tp"], self.c["fp"], self.c["tn"], self.c["fn"]
        n = self.num_thresholds
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, divide_no_nan(tp, tp + fp)
        if self.summation == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation == "minoring":
            heights = np.minimum(y[: n - 1], y[1:])
        else:
            heights = np.maximum(y[: n - 1], y[1:])
        return self.average(np.sum((x[: n - 1] - x[1:]) * heights, axis=0))


# ----- cases -----

rng = np.random.default_rng(20240607)
N = 37
BATCHES = [7, 1, 13, 16]  # uneven on purpose, sums to N


def onehot(labels, c):
    return np.eye(c, dtype=F32)[labels]


def ties(x, step):
    """Rounds scores to a grid so that rows contain ties."""
    return (np.round(x / step) * step).astype(F32)


def bucket_edges(shape):
    """Scores on AUC bucket edges k/199 (as float32), 0 and 1, mixed with
    uniform scores: the float32 ceil() boundaries that decide buckets."""
    u = rng.random(shape).astype(F32)
    edges = (rng.integers(0, 200, shape) / F32(199)).astype(F32)
    pick = rng.random(shape)
    out = np.where(pick < 0.35, edges, u)
    out = np.where(pick > 0.92, F32(1.0), out)
    out = np.where((pick > 0.88) & (pick <= 0.92), F32(0.0), out)
    return out.astype(F32)


cls = rng.integers(0, 5, N)
probs5 = ties(rng.random((N, 5)), 0.1)
bin_labels = rng.integers(0, 2, (N, 1)).astype(F32)
bin_scores = ties(rng.random((N, 1)), 0.05)  # includes exact 0.5
multi_labels = rng.integers(0, 2, (N, 3)).astype(F32)
multi_scores = bucket_edges((N, 3))
reg_true = rng.normal(size=(N, 3)).astype(F32)
reg_pred = rng.normal(size=(N, 3)).astype(F32)

cases = []


def add(name, ident, args, yt, yp, state, dtype="float32", context=None):
    full = state()
    full.update(yt, yp)
    want = full.result()
    acc, start = state(), 0
    for b in BATCHES:
        acc.update(yt[start:start + b], yp[start:start + b])
        start += b
    assert start == len(yt)
    assert abs(acc.result() - want) < 1e-9, (name, acc.result(), want)
    case = {
        "name": name, "id": ident, "args": args, "dtype": dtype, "batches": BATCHES,
        "y_true": {"shape": list(yt.shape), "data": yt.reshape(-1).astype(np.float64).tolist()},
        "y_pred": {"shape": list(yp.shape), "data": yp.reshape(-1).astype(np.float64).tolist()},
        "want": want,
    }
    if context:
        case["context"] = context
    cases.append(case)


add("binary_accuracy", "binary_accuracy", {}, bin_labels, bin_scores,
    lambda: MeanState(binary_accuracy))
add("binary_accuracy_threshold_0.3_multi", "binary_accuracy", {"threshold": 0.3}, multi_labels, multi_scores,
    lambda: MeanState(binary_accuracy, threshold=0.3))
add("binary_accuracy_float64", "binary_accuracy", {}, bin_labels.astype(np.float64),
    bin_scores.astype(np.float64), lambda: MeanState(binary_accuracy), dtype="float64")
add("binary_accuracy_labels_rank1", "binary_accuracy", {}, bin_labels[:, 0], bin_scores,
    lambda: MeanState(binary_accuracy))
add("categorical_accuracy_ties", "categorical_accuracy", {}, onehot(cls, 5), probs5,
    lambda: MeanState(categorical_accuracy))
add("sparse_categorical_accuracy", "sparse_categorical_accuracy", {}, cls.astype(F32), probs5,
    lambda: MeanState(sparse_categorical_accuracy))
add("sparse_categorical_accuracy_n1", "sparse_categorical_accuracy", {}, cls.astype(F32)[:, None], probs5,
    lambda: MeanState(sparse_categorical_accuracy))
seq_pred = ties(rng.random((N, 4, 5)), 0.25)
seq_cls = rng.integers(0, 5, (N, 4))
add("sparse_categorical_accuracy_sequence", "sparse_categorical_accuracy", {}, seq_cls.astype(F32), seq_pred,
    lambda: MeanState(sparse_categorical_accuracy))
add("accuracy_sparse_context", "accuracy", {}, cls.astype(F32), probs5,
    lambda: MeanState(sparse_categorical_accuracy),
    context={"loss": "sparse_categorical_crossentropy", "output_shape": [5]})
add("accuracy_categorical_no_context", "accuracy", {}, onehot(cls, 5), probs5,
    lambda: MeanState(categorical_accuracy))
add("acc_binary", "acc", {}, bin_labels, bin_scores, lambda: MeanState(binary_accuracy),
    context={"loss": "binary_crossentropy", "output_shape": [1]})
add("top_k_categorical_accuracy_k2_ties", "top_k_categorical_accuracy", {"k": 2}, onehot(cls, 5), probs5,
    lambda: MeanState(top_k_categorical_accuracy, k=2))
add("top_k_categorical_accuracy_default_k", "top_k_categorical_accuracy", {},
    onehot(rng.integers(0, 8, N), 8), ties(rng.random((N, 8)), 0.2),
    lambda: MeanState(top_k_categorical_accuracy, k=5))
add("sparse_top_k_categorical_accuracy_k3", "sparse_top_k_categorical_accuracy", {"k": 3}, cls.astype(F32),
    probs5, lambda: MeanState(sparse_top_k_categorical_accuracy, k=3))
add("mse", "mse", {}, reg_true, reg_pred, lambda: MeanState(mean_squared_error))
add("mean_absolute_error", "mean_absolute_error", {}, reg_true, reg_pred, lambda: MeanState(mean_absolute_error))
add("mse_rank1", "mse", {}, reg_true[:, 0], reg_pred[:, 0], lambda: MeanState(mean_squared_error))
add("mae_rank3", "mae", {}, rng.normal(size=(N, 2, 3)).astype(F32), rng.normal(size=(N, 2, 3)).astype(F32),
    lambda: MeanState(mean_absolute_error))
add("mse_float64", "mean_squared_error", {}, reg_true.astype(np.float64), reg_pred.astype(np.float64),
    lambda: MeanState(mean_squared_error), dtype="float64")
add("precision", "precision", {}, bin_labels, bin_scores, lambda: ConfusionState("precision"))
add("recall", "recall", {}, bin_labels, bin_scores, lambda: ConfusionState("recall"))
add("precision_threshold_0.3_multi", "precision", {"thresholds": 0.3}, multi_labels, multi_scores,
    lambda: ConfusionState("precision", threshold=0.3))
add("recall_top_k_2", "recall", {"top_k": 2}, onehot(cls, 5), probs5,
    lambda: ConfusionState("recall", top_k=2))
add("precision_top_k_2", "precision", {"top_k": 2}, onehot(cls, 5), probs5,
    lambda: ConfusionState("precision", top_k=2))
add("precision_class_id_1", "precision", {"class_id": 1}, onehot(cls, 5), probs5,
    lambda: ConfusionState("precision", class_id=1))
add("auc", "auc", {}, multi_labels[:, :1], multi_scores[:, :1], lambda: AUCState())
add("auc_flattened_multi", "auc", {}, multi_labels, multi_scores, lambda: AUCState())
add("auc_float64", "auc", {}, multi_labels.astype(np.float64), multi_scores.astype(np.float64),
    lambda: AUCState(), dtype="float64")
add("auc_num_thresholds_7", "auc", {"num_thresholds": 7}, multi_labels, multi_scores,
    lambda: AUCState(num_thresholds=7))
add("auc_pr", "auc", {"curve": "PR"}, multi_labels, multi_scores, lambda: AUCState(curve="PR"))
add("auc_pr_minoring", "auc", {"curve": "PR", "summation_method": "minoring"}, multi_labels, multi_scores,
    lambda: AUCState(curve="PR", summation_method="minoring"))
add("auc_roc_majoring", "auc", {"summation_method": "majoring"}, multi_labels, multi_scores,
    lambda: AUCState(summation_method="majoring"))
add("auc_uneven_thresholds", "auc", {"thresholds": [0.8, 0.1, 0.35]}, multi_labels, multi_scores,
    lambda: AUCState(thresholds=[0.8, 0.1, 0.35]))
add("auc_even_thresholds", "auc", {"thresholds": [0.25, 0.5, 0.75]}, multi_labels, multi_scores,
    lambda: AUCState(thresholds=[0.25, 0.5, 0.75]))
add("auc_multi_label", "auc", {"multi_label": True}, multi_labels, multi_scores,
    lambda: AUCState(multi_label=True))
add("auc_multi_label_pr_weighted", "auc", {"multi_label": True, "curve": "PR", "label_weights": [0.5, 2, 1]},
    multi_labels, multi_scores, lambda: AUCState(multi_label=True, curve="PR", label_weights=[0.5, 2, 1]))
add("auc_label_weights", "auc", {"label_weights": [0.5, 2, 1]}, multi_labels, multi_scores,
    lambda: AUCState(label_weights=[0.5, 2, 1]))
add("auc_from_logits", "auc", {"from_logits": True}, multi_labels, rng.normal(size=(N, 3)).astype(F32) * 2,
    lambda: AUCState(from_logits=True))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
with open(out, "w") as f:
    json.dump({"generator": "metrics/testdata/gen_reference.py", "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {out}")
