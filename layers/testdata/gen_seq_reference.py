#!/usr/bin/python3
"""Regenerates layers/testdata/seq_reference.json: masked SimpleRNN, LSTM and
GRU (both directions, with and without return_sequences), Bidirectional
(every merge mode), Embedding and masked GlobalAveragePooling1D, computed by
PyTorch in float64 on fixed weights given in Keras's layouts.

Run with Debian's python3-torch:  /usr/bin/python3 layers/testdata/gen_seq_reference.py

Inputs, weights and the loss L = sum(y * R) are those of refutil.py, as is
the mapping of Keras's layouts to torch.nn.RNN/LSTM/GRU (described in
gen_rnn_reference.py).

Masks are right-padded sequences (lengths per sample, 1 = real step), which
torch runs with pack_padded_sequence. One bidirectional torch module holds
the forward layer's weights (weight_*_l0) and the backward layer's
(weight_*_l0_reverse); with packing, its forward half stops at each
sample's last real step and its reverse half starts there. Keras's outputs
are then, with out_f/out_b the padded halves (zeros at padding) and
h_f/h_b their final states (the state at the last real step):
  forward layer, last state:           h_f
  forward layer, return_sequences:     out_f at real steps; at padding the
                                       carried h, i.e. h_f (Keras's
                                       zero_output_for_mask=False)
  go_backwards layer, last state:      h_b
  go_backwards layer, sequences:       out_b flipped in time: Keras reads
                                       the padding first (its state stays
                                       zero, so its outputs are zero), then
                                       the real steps from the last, and
                                       returns the outputs in that order
  Bidirectional, last state:           merge(h_f, h_b)
  Bidirectional, return_sequences:     merge(out_f, out_b), zeros at
                                       padding in both halves (Keras forces
                                       zero_output_for_mask there)
with merge one of concat (forward first), sum, mul, ave.
"""
import json, os
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from refutil import det, flat, load_rnn, rnn_grads, rnn_module, rnn_weights, rweights  # and float64 as torch's default dtype

BATCH, STEPS, FEATURES, UNITS = 3, 4, 3, 4
LENGTHS = [4, 2, 1]  # right padding: sample b is real for t < LENGTHS[b]


def merge(mode, a, b):
    if mode == "concat":
        return torch.cat([a, b], dim=-1)
    if mode == "sum":
        return a + b
    if mode == "mul":
        return a * b
    return (a + b) / 2


def rnn_case(kind, wrapper, go_backwards, return_sequences, merge_mode, lengths, seed):
    x = det(seed, BATCH, STEPS, FEATURES)
    wf, wb = rnn_weights(kind, seed + 1, FEATURES, UNITS), rnn_weights(kind, seed + 4, FEATURES, UNITS)
    m = rnn_module(kind, input_size=FEATURES, hidden_size=UNITS, batch_first=True, bidirectional=True)
    load_rnn(m, kind, UNITS, *wf)
    load_rnn(m, kind, UNITS, *wb, suffix="_reverse")
    xv = x.clone().requires_grad_()
    packed = pack_padded_sequence(xv, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    out, state = m(packed)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=STEPS)
    h = state[0] if kind == "lstm" else state  # (2, batch, units)
    out_f, out_b, h_f, h_b = out[..., :UNITS], out[..., UNITS:], h[0], h[1]
    real = torch.tensor([[1.0 if t < n else 0.0 for t in range(STEPS)] for n in lengths]).unsqueeze(-1)
    if wrapper == "bidirectional":
        y = merge(merge_mode, out_f, out_b) if return_sequences else merge(merge_mode, h_f, h_b)
    elif not go_backwards:
        y = out_f * real + h_f.unsqueeze(1) * (1 - real) if return_sequences else h_f
    else:
        y = out_b.flip(1) if return_sequences else h_b
    (y * rweights(y.shape)).sum().backward()
    c = {"layer": kind, "wrapper": wrapper, "go_backwards": go_backwards,
         "return_sequences": return_sequences, "merge_mode": merge_mode, "units": UNITS,
         "lengths": lengths, "x": flat(x), "x_shape": list(x.shape),
         "y": flat(y), "y_shape": list(y.shape), "dx": flat(xv.grad)}
    # The weights the Keras layer under test holds: the forward layer's,
    # or the go_backwards layer's, or both (forward first) for Bidirectional.
    used = [("", wf)] if wrapper == "none" and not go_backwards else \
        [("_reverse", wb)] if wrapper == "none" else [("", wf), ("_reverse", wb)]
    c["weights"] = [{"kernel": flat(w[0]), "recurrent_kernel": flat(w[1]), "bias": flat(w[2]), **rnn_grads(m, kind, UNITS, s)}
                    for s, w in used]
    return c


def embedding_case():
    vocab, dim = 7, 3
    table = det(50, vocab, dim, scale=0.8)
    ids = torch.tensor([[3, 0, 6, 3], [1, 1, 0, 5]])
    m = torch.nn.Embedding(vocab, dim)
    with torch.no_grad():
        m.weight.copy_(table)
    y = m(ids)
    (y * rweights(y.shape)).sum().backward()
    return {"input_dim": vocab, "output_dim": dim, "ids": [float(v) for v in ids.reshape(-1)],
            "ids_shape": list(ids.shape), "embeddings": flat(table), "y": flat(y),
            "y_shape": list(y.shape), "dembeddings": flat(m.weight.grad)}


def pooling_case():
    x = det(60, BATCH, STEPS, FEATURES)
    real = torch.tensor([[1.0 if t < n else 0.0 for t in range(STEPS)] for n in LENGTHS])
    xv = x.clone().requires_grad_()
    # Keras's masked GlobalAveragePooling1D: sum over real steps / their count.
    y = (xv * real.unsqueeze(-1)).sum(1) / real.sum(1, keepdim=True)
    (y * rweights(y.shape)).sum().backward()
    return {"lengths": LENGTHS, "x": flat(x), "x_shape": list(x.shape), "y": flat(y),
            "y_shape": list(y.shape), "dx": flat(xv.grad)}


def main():
    cases, seed = [], 1
    for kind in ["simple_rnn", "lstm", "gru"]:
        for go_backwards in [False, True]:
            for return_sequences in [False, True]:
                cases.append(rnn_case(kind, "none", go_backwards, return_sequences, "", LENGTHS, seed))
                seed += 7
        for return_sequences in [False, True]:
            for mode in ["concat", "sum", "mul", "ave"]:
                cases.append(rnn_case(kind, "bidirectional", False, return_sequences, mode, LENGTHS, seed))
                seed += 7
        # Bidirectional without a mask: every sample real to the end.
        cases.append(rnn_case(kind, "bidirectional", False, True, "concat", [STEPS] * BATCH, seed))
        seed += 7
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seq_reference.json")
    with open(path, "w") as f:
        json.dump({"generator": "gen_seq_reference.py", "torch": torch.__version__, "rnn": cases,
                   "embedding": embedding_case(), "pooling": pooling_case()}, f)
    print(f"wrote {len(cases)} recurrent cases, an embedding and a pooling case to {path}")


if __name__ == "__main__":
    main()
