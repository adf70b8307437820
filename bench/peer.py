"""The PyTorch side of `deepgo bench` (see bench/doc.go).

Usage: python3 -u peer.py THREADS

On start it prints one JSON line describing itself (torch version, the BLAS
it loaded, its own sgemm GFLOP/s at n = 1024), or {"error": ...} when torch
cannot be used. Then, for each line "run ROW SECONDS [ARG...]" on stdin, it
sets the row up on first use (and warms it up for SECONDS/2, at least one
call, as the Go side does), times calls of the row's step for SECONDS (one
call for rows in seconds) and prints one JSON line:
{"row": ROW, "unit": UNIT, "value": FIGURE, "calls": N}, or {"error": ...}.
"quit" or the end of stdin ends it.

Each workload is written the way a PyTorch user at their best would write
it: logits with F.cross_entropy (log-softmax fused into the loss) rather
than a softmax layer, Adam's default per-parameter loop (foreach=True was
no faster on 1.13's CPU build: medians of 98,000 against 95,000 samples/s
at batch 128 on 2 cores, alternating runs), zero_grad(set_to_none=True),
index gathering rather than a DataLoader for the epoch, and out= for the
matrix product. The CNN is NCHW, as torch's layers define it, trained in the
channels_last memory format that PyTorch's CPU tuning guide recommends for
convolutions with oneDNN (5,500 against 4,400 samples/s contiguous at batch
128 on 2 cores), and served through TorchScript's optimize_for_inference,
which freezes the weights and fuses conv+ReLU into oneDNN kernels (15,000
against 7,000 samples/s for eager channels_last at batch 1000). glibc's
malloc is told to keep freed memory (tune_malloc), as PyTorch's tuning guide
advises with jemalloc or tcmalloc.
"""

import ctypes
import json
import os
import platform
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def measure(step, work, seconds, once):
    """Calls step until seconds have passed (at least once; exactly once when
    once) and returns (figure, calls): work per second, or seconds per call
    when once."""
    start = time.perf_counter()
    calls = 0
    while True:
        step()
        calls += 1
        elapsed = time.perf_counter() - start
        if once or elapsed >= seconds:
            break
    if once:
        return elapsed / calls, calls
    return work * calls / elapsed, calls


# ---- the workloads: name -> (unit, setup(args) -> (step, work)) ----------

def sgemm(n):
    def setup(args):
        torch.manual_seed(n)
        a, b, c = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)
        return (lambda: torch.mm(a, b, out=c)), 2 * n**3 / 1e9
    return "GFLOP/s", setup


def course_mlp():
    """The course's MLP (examples/specs/mnist-mlp.yaml) without its final
    softmax, which F.cross_entropy and the inference step apply."""
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256), nn.ReLU(),
        nn.Linear(256, 128), nn.ReLU(),
        nn.Linear(128, 10))


def adam(model):
    # Keras's Adam defaults: learning_rate 1e-3, epsilon 1e-7.
    return torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=False)


def random_batch(n):
    torch.manual_seed(2)
    return torch.rand(n, 28, 28), torch.randint(0, 10, (n,))


def train_step(model, opt):
    def step(x, y):
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def predict_step(model, x):
    """One inference step without autograd: the forward pass and the
    softmax that the course models leave out and the deepgo specs end with."""
    def step():
        with torch.no_grad():
            torch.softmax(model(x), dim=1)
    return step


def mlp_train(batch):
    def setup(args):
        model = course_mlp()
        step = train_step(model, adam(model))
        x, y = random_batch(batch)
        return (lambda: step(x, y)), batch
    return "samples/s", setup


def mlp_predict(batch):
    def setup(args):
        model = course_mlp().eval()
        x, _ = random_batch(batch)
        return predict_step(model, x), batch
    return "samples/s", setup


def course_cnn():
    """The mnist-cnn example (examples/specs/mnist-cnn.yaml), Keras's simple
    MNIST convnet, without its final softmax, which F.cross_entropy and the
    inference step apply. 28×28 → conv 26×26 → pool 13×13 → conv 11×11 →
    pool 5×5, so Flatten gives 64·5·5 features; 34,826 parameters, as
    deepgo summary counts them."""
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5),
        nn.Linear(64 * 5 * 5, 10))


def random_images(n):
    """n random MNIST-shaped images in NCHW (one channel) and labels 0-9."""
    x, y = random_batch(n)
    return x.unsqueeze(1), y


def cnn_train(batch):
    def setup(args):
        model = course_cnn().to(memory_format=torch.channels_last)
        step = train_step(model, adam(model))
        x, y = random_images(batch)
        x = x.contiguous(memory_format=torch.channels_last)
        return (lambda: step(x, y)), batch
    return "samples/s", setup


def cnn_predict(batch):
    def setup(args):
        with torch.no_grad():
            model = torch.jit.optimize_for_inference(torch.jit.script(course_cnn().eval()))
        x, _ = random_images(batch)
        return predict_step(model, x), batch
    return "samples/s", setup


def course_lstm():
    """The mnist-lstm example (examples/specs/mnist-lstm.yaml): each image
    as 28 timesteps of 28 pixels, nn.LSTM(28, 128) read to its last state,
    then Linear(128, 10) without the softmax, which F.cross_entropy and the
    inference step apply. torch's LSTM has a second bias vector (bias_hh),
    so it counts 82,186 parameters where deepgo and Keras count 81,674; the
    work per step is the same. The gate order i, f, g, o is Keras's."""
    torch.manual_seed(1)

    class LSTMClassifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(28, 128, batch_first=True)
            self.fc = nn.Linear(128, 10)

        def forward(self, x):
            _, (h, _) = self.lstm(x)
            return self.fc(h[-1])
    return LSTMClassifier()


def lstm_train(batch):
    def setup(args):
        model = course_lstm()
        step = train_step(model, adam(model))
        x, y = random_batch(batch)
        return (lambda: step(x, y)), batch
    return "samples/s", setup


def lstm_predict(batch):
    """Eager, as TorchScript's optimize_for_inference was no faster for the
    LSTM (13,100 against 13,000 samples/s at batch 1000 on 2 cores)."""
    def setup(args):
        model = course_lstm().eval()
        x, _ = random_batch(batch)
        return predict_step(model, x), batch
    return "samples/s", setup


def mnist_epoch(args):
    import numpy as np
    if len(args) != 2:
        raise ValueError("mnist-epoch wants the images' and labels' .npy paths")
    x = torch.from_numpy(np.load(args[0])).float().div_(255)  # as deepgo's IDX loader
    y = torch.from_numpy(np.load(args[1]).astype(np.int64))
    model = course_mlp()
    step = train_step(model, adam(model))
    n, batch = len(y), 128

    def epoch():
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            step(x[idx], y[idx])
    return epoch, 1


ROWS = {
    "sgemm-256": sgemm(256),
    "sgemm-512": sgemm(512),
    "sgemm-1024": sgemm(1024),
    "mlp-train-b128": mlp_train(128),
    "mlp-train-b32": mlp_train(32),
    "mlp-predict-b1000": mlp_predict(1000),
    "cnn-train-b128": cnn_train(128),
    "cnn-predict-b1000": cnn_predict(1000),
    "lstm-train-b128": lstm_train(128),
    "lstm-predict-b1000": lstm_predict(1000),
    "mnist-epoch": ("s", mnist_epoch),
}


def tune_malloc():
    """Keeps the memory torch frees in glibc's heap for the next step.

    torch frees its activations after every step and allocates them again
    on the next; with glibc's defaults the large ones are mapped and
    unmapped each time and fault their pages in anew. PyTorch's CPU
    performance tuning guide answers this with jemalloc or tcmalloc;
    mallopt does the same for glibc in-process: M_MMAP_THRESHOLD at 32 MiB
    (the most glibc accepts) and M_TRIM_THRESHOLD at 1 GiB. It took the
    CNN's training at batch 128 from 3,800-4,900 to 5,500-6,600 samples/s
    on 2 cores (fresh processes, alternating); the MLP rows' buffers are
    small enough for glibc's adaptive threshold once the start-up sgemm has
    run, and they did not change. Returns whether it worked."""
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc.mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 and libc.mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1
    except (OSError, AttributeError):
        return False


# ---- what the peer reports about itself ----------------------------------

def loaded_blas():
    """The BLAS-like libraries mapped into this process, and OpenBLAS's own
    description of itself when one of them is OpenBLAS."""
    paths = []
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            base = os.path.basename(path)
            if path.startswith("/") and ("blas" in base or "mkl" in base) and path not in paths:
                paths.append(path)
    config = ""
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            parallel = {0: "sequential", 1: "pthreads", 2: "openmp"}.get(lib.openblas_get_parallel(), "?")
            config = "%s, %s threading, %d threads" % (
                lib.openblas_get_config().decode(), parallel, lib.openblas_get_num_threads())
            break
        except (OSError, AttributeError):
            continue
    return paths, config


def torch_blas():
    """The BLAS entries of torch's build configuration."""
    words = []
    for item in torch.__config__.show().replace("\n", ",").split(","):
        item = item.split(":")[-1].strip()  # "- Build settings: BLAS_INFO=generic"
        if item.startswith(("BLAS_INFO=", "LAPACK_INFO=", "USE_MKLDNN=", "USE_OPENMP=")):
            words.append(item)
    return ", ".join(words)


def main():
    global torch, nn, F
    threads = int(sys.argv[1])
    try:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
    except Exception as e:  # report, so deepgo bench can say why
        reply({"error": "cannot import torch in %s: %s" % (sys.executable, e)})
        return 1
    torch.set_num_threads(threads)
    malloc_tuned = tune_malloc()
    step, work = sgemm(1024)[1]([])
    measure(step, work, 0.25, False)  # warm-up, as for every row
    gflops, _ = measure(step, work, 0.5, False)
    paths, config = loaded_blas()
    reply({
        "python_version": platform.python_version(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": paths,
        "blas_config": config,
        "torch_blas": torch_blas(),
        "sgemm_1024": gflops,
        "reference_blas": not config and not any("mkl" in p for p in paths),
        "malloc_tuned": malloc_tuned,
    })

    state = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] != "run" or len(words) < 3:
            reply({"error": "bad request %r (want: run ROW SECONDS [ARG...])" % line.strip()})
            continue
        name, args = words[1], words[3:]
        try:
            seconds = float(words[2])
            if name not in ROWS:
                raise KeyError("peer.py has no row %r (rows: %s)" % (name, ", ".join(ROWS)))
            unit, setup = ROWS[name]
            once = unit == "s"
            if name not in state:
                step, work = setup(args)
                measure(step, work, seconds / 2, once)
                state[name] = step, work
            step, work = state[name]
            value, calls = measure(step, work, seconds, once)
            reply({"row": name, "unit": unit, "value": value, "calls": calls})
        except Exception as e:
            reply({"error": "%s: %s" % (type(e).__name__, e)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
