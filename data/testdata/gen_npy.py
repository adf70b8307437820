#!/usr/bin/python3
"""Writes the .npy files that npy_test.go reads back, with NumPy itself.

Run from this folder with Debian's python3 (NumPy 1.24): /usr/bin/python3 gen_npy.py
expected.json records, for each file, the shape and the values as float64
(what ReadNPY must return, up to float32 rounding).
"""
import json

import numpy as np

arrays = {
    "f4_2x3.npy": np.array([[0.5, -1.25, 3.0], [1e-3, 2.5e6, -0.0]], dtype="<f4"),
    "f8_3.npy": np.array([1.0 / 3.0, -2.75, 1e10], dtype="<f8"),
    "f2_4.npy": np.array([1.0, -0.5, 65504.0, 6e-8], dtype="<f2"),
    "i1_4.npy": np.array([-128, -1, 0, 127], dtype="i1"),
    "u1_2x2.npy": np.array([[0, 1], [200, 255]], dtype="u1"),
    "i2_3.npy": np.array([-32768, 7, 32767], dtype="<i2"),
    "u2_2.npy": np.array([0, 65535], dtype="<u2"),
    "i4_be_3.npy": np.array([-5, 0, 123456], dtype=">i4"),
    "u4_2.npy": np.array([1, 4000000000], dtype="<u4"),
    "i8_2x1x2.npy": np.arange(-2, 2, dtype="<i8").reshape(2, 1, 2),
    "u8_2.npy": np.array([3, 2**40], dtype="<u8"),
    "b1_3.npy": np.array([True, False, True]),
    "f8_be_2.npy": np.array([1.5, -4.0], dtype=">f8"),
    "scalar_f4.npy": np.array(7.0, dtype="<f4"),
    "empty_0x3.npy": np.zeros((0, 3), dtype="<f4"),
}

expected = {}
for name, a in arrays.items():
    np.save(name, a)
    expected[name] = {"shape": list(a.shape), "values": a.astype("f8").ravel().tolist()}

# Format version 2.0 (4-byte header length), written explicitly.
v2 = np.arange(6, dtype="<f4").reshape(3, 2)
with open("v2_3x2.npy", "wb") as f:
    np.lib.format.write_array(f, v2, version=(2, 0))
expected["v2_3x2.npy"] = {"shape": [3, 2], "values": v2.astype("f8").ravel().tolist()}

# A Fortran-order 2-D array, which ReadNPY must refuse with a clear error.
np.save("fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
