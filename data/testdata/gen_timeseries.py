"""Expected windows for data.TimeseriesDatasetFromArray (timeseries_test.go).

Keras is not installed here, so this transcribes the NumPy code path of
keras.utils.timeseries_dataset_from_array line for line: the grain branch,
_timeseries_dataset_grain, of keras/src/utils/timeseries_dataset_utils.py
(keras-team/keras at commit 90dacbca23057e10181ec9857bc3f223b86cc951), without
the batching and shuffling. The tf branch gathers the same rows.

Run with /usr/bin/python3 (numpy) from data/testdata:
    /usr/bin/python3 gen_timeseries.py > timeseries.json
"""
import json

import numpy as np


def keras_windows(data, targets, sequence_length, sequence_stride=1,
                  sampling_rate=1, start_index=None, end_index=None):
    # Argument checks of timeseries_dataset_from_array that these cases meet.
    if start_index:
        assert 0 <= start_index < len(data)
    if end_index:
        assert not (start_index and end_index <= start_index)
        assert 0 < end_index < len(data)
    assert 0 < sampling_rate < len(data)
    assert 0 < sequence_stride < len(data)
    # _timeseries_dataset_grain:
    if start_index is None:
        start_index = 0
    if end_index is None:
        end_index = len(data)
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    start_positions = np.arange(0, num_seqs, sequence_stride)
    data_slice = np.array(data[start_index:end_index])
    sequences = []
    for pos in start_positions:
        indices = np.arange(pos, pos + sequence_length * sampling_rate,
                            sampling_rate)
        sequences.append(data_slice[indices])
    target_values = None
    if targets is not None:
        target_slice = np.array(targets[start_index:])
        target_values = [target_slice[pos] for pos in start_positions]
    return np.array(sequences), (None if targets is None else np.array(target_values))


def arr(a):
    if a is None:
        return None
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": a.ravel().tolist()}


rng = np.random.default_rng(5)
cases = []


def add(name, data, targets, sequence_length, **kw):
    x, y = keras_windows(data, targets, sequence_length, **kw)
    cases.append({
        "name": name, "data": arr(data), "targets": arr(targets),
        "sequence_length": sequence_length,
        "sequence_stride": kw.get("sequence_stride", 1),
        "sampling_rate": kw.get("sampling_rate", 1),
        "start_index": kw.get("start_index") or 0,
        "end_index": kw.get("end_index") or 0,
        "x": arr(x), "y": arr(y),
    })


# Example 1 of the Keras docstring: indices 0..98, sequence_length=10,
# sampling_rate=2, sequence_stride=3 (first window 0,2,…,18, last 78,…,96).
idx = np.arange(99)
add("docstring_example1", idx, idx * 10, 10, sampling_rate=2, sequence_stride=3)
# Example 2: predict the next step from the past 10.
series = rng.normal(size=40).round(3)
add("docstring_example2_forecast", series[:-10], series[10:], 10)
# Two features, a start and an end index, a stride.
feat = rng.normal(size=(25, 2)).round(3)
add("features_start_end", feat, np.arange(25) + 100.0, 4,
    sequence_stride=2, start_index=3, end_index=20)
# Targets shorter than the windows: num_seqs = min(…, len(targets)).
add("short_targets", rng.normal(size=(20, 3)).round(3), np.arange(7.0), 3)
# No targets; sampling rate and stride together with an end index.
add("no_targets", np.arange(30.0), None, 5, sampling_rate=3,
    sequence_stride=4, end_index=29)
# Targets with a feature axis.
add("targets_2d", np.arange(12.0), np.arange(24.0).reshape(12, 2), 2,
    sequence_stride=5)

print(json.dumps({"generator": "data/testdata/gen_timeseries.py", "cases": cases}))
