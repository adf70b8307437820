#!/usr/bin/python3
"""Writes golden.safetensors, the reference for saving's golden test.

The safetensors package is not installed here, so this script follows the
reference implementation (huggingface/safetensors, safetensors/src/tensor.rs,
`prepare` and `serialize`) step by step with the standard library and NumPy:

  * tensors sorted by dtype, larger alignment first (F64 before F32), then
    by name;
  * the header is serde_json's compact output: "__metadata__" first, then
    each tensor as {"dtype", "shape", "data_offsets"}; json.dumps with
    separators=(",", ":") and ensure_ascii=False escapes strings the same way;
  * the header is padded with spaces to a multiple of 8 bytes;
  * 8-byte little-endian header length, header, then each tensor's raw
    little-endian bytes in order.

The values exercise what a bit-exact round trip must keep: -0, infinities,
quiet and signalling NaNs with payloads, subnormals, a scalar, an empty
tensor, and a name that needs JSON escaping and is not ASCII.

Run from saving/testdata: /usr/bin/python3 make_golden.py
"""
import json
import struct

import numpy as np


def f32_bits(*bits):
    return np.array(bits, dtype="<u4").view("<f4")


def f64_bits(*bits):
    return np.array(bits, dtype="<u8").view("<f8")


tensors = {
    "dense_1.kernel": f32_bits(
        0x3F800000,  # 1
        0xC0200000,  # -2.5
        0x7FC00000,  # quiet NaN
        0x7FA00001,  # signalling NaN with a payload
        0xFF800000,  # -Inf
        0x00000001,  # smallest subnormal
    ).reshape(2, 3),
    "dense_1.bias": f32_bits(0x80000000, 0x7F800000),  # -0, +Inf
    "empty": np.zeros((0, 4), dtype="<f4"),
    'name "quoted"\t\x01 café': f32_bits(0x3DCCCCCD),  # 0.1
    "bn.moving_mean": f64_bits(
        0x3FF8000000000000,  # 1.5
        0x8000000000000000,  # -0
        0xFFF8000000000123,  # negative quiet NaN with a payload
    ),
    "bn.scalar": np.array(np.pi, dtype="<f8"),  # rank 0
}
metadata = {"format": "pt"}

# Reference order: F64 (alignment 8) before F32 (alignment 4), then by name
# (Rust compares the UTF-8 bytes, as Python compares code points).
order = sorted(tensors, key=lambda n: (-tensors[n].dtype.itemsize, n))

header = {"__metadata__": metadata}
offset = 0
for name in order:
    t = tensors[name]
    n = t.nbytes
    header[name] = {
        "dtype": {4: "F32", 8: "F64"}[t.dtype.itemsize],
        "shape": list(t.shape),
        "data_offsets": [offset, offset + n],
    }
    offset += n

h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
h += b" " * ((8 - len(h) % 8) % 8)
with open("golden.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for name in order:
        f.write(tensors[name].tobytes())
