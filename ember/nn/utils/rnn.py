"""Variable-length sequences for the recurrent layers: padding and packing.

A :class:`PackedSequence` holds the steps of a batch of sequences sorted by decreasing length,
time step by time step: ``data`` (N, *) has first the first step of every sequence, then the
second step of the sequences that have one, ...; ``batch_sizes[t]`` is how many sequences have
a step ``t``.
"""

from collections import namedtuple
from collections.abc import Iterable

import numpy as np

import ember

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence",
           "pad_sequence", "unpad_sequence", "pack_sequence", "unpack_sequence"]


class PackedSequence(namedtuple("PackedSequence_", ["data", "batch_sizes", "sorted_indices",
                                                    "unsorted_indices"])):
    """The packed form of a batch of variable-length sequences (see the module docstring).

    Build it with :func:`pack_padded_sequence` or :func:`pack_sequence`; the recurrent layers
    accept it as input and return their output in the same form.
    """

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            data, batch_sizes = data
        elif batch_sizes.device.type != "cpu":
            raise ValueError(
                "batch_sizes should always be on CPU. Instances of PackedSequence should never "
                "be created manually. They should be instantiated by functions like "
                "pack_sequence and pack_padded_sequences in nn.utils.rnn. "
                "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence")
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """Moves/casts ``data`` (the indices follow it to its device)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices, unsorted_indices = (
            None if index is None else index.to(data.device)
            for index in (self.sorted_indices, self.unsorted_indices))
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cuda(self, *args, **kwargs):
        return self.to(*args, device="cuda", **kwargs)

    def cpu(self, *args, **kwargs):
        return self.to(*args, device="cpu", **kwargs)

    def double(self):
        return self.to(dtype=ember.double)

    def float(self):
        return self.to(dtype=ember.float)

    def half(self):
        return self.to(dtype=ember.half)

    def long(self):
        return self.to(dtype=ember.long)

    def int(self):
        return self.to(dtype=ember.int)

    def short(self):
        return self.to(dtype=ember.short)

    def char(self):
        return self.to(dtype=ember.int8)

    def byte(self):
        return self.to(dtype=ember.uint8)

    @property
    def is_cuda(self):
        return self.data.is_cuda


def invert_permutation(permutation):
    """The inverse of a permutation tensor (``None`` stays ``None``)."""
    if permutation is None:
        return None
    inverse = np.empty(len(permutation), dtype=np.int64)
    inverse[permutation.tolist()] = np.arange(len(permutation))
    return ember.as_tensor(inverse, device=permutation.device)


def _steps_index(lengths, padded_length, batch_first):
    """Positions in the flattened padded batch of the packed steps, in packed order."""
    present = np.arange(max(lengths))[:, None] < np.asarray(lengths)[None, :]
    time, sequence = np.nonzero(present)
    if batch_first:
        return sequence * padded_length + time
    return time * len(lengths) + sequence


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Packs a padded batch (T, B, *) (or (B, T, *) with ``batch_first``) of sequences of the
    given ``lengths`` (a list or a 1-D CPU tensor)."""
    if isinstance(lengths, ember.Tensor):
        if lengths.device.type != "cpu":
            raise RuntimeError("'lengths' argument should be a 1D CPU int64 tensor, but got 1D "
                               f"{lengths.device} Long tensor")
        lengths = lengths.tolist()
    lengths = [int(length) for length in lengths]
    batch_dim = 0 if batch_first else 1
    sorted_indices = None
    if enforce_sorted:
        if any(a < b for a, b in zip(lengths, lengths[1:])):
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement if you do not need ONNX "
                "exportability.")
    else:
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        lengths = [lengths[i] for i in order]
        sorted_indices = ember.as_tensor(order, device=input.device)
        input = input.index_select(batch_dim, sorted_indices)
    _check_lengths(input, lengths, batch_dim)
    flat = input.reshape((-1,) + tuple(input.shape[2:]))
    index = _steps_index(lengths, input.shape[1 - batch_dim], batch_first)
    data = flat.index_select(0, ember.as_tensor(index, device=input.device))
    batch_sizes = ember.as_tensor(np.bincount(np.asarray(lengths) - 1)[::-1].cumsum()[::-1]
                                  .copy())
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def _check_lengths(input, lengths, batch_dim):
    if len(lengths) != input.shape[batch_dim]:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{len(lengths)} (batch_size={input.shape[batch_dim]})")
    if lengths and min(lengths) <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element "
                           "in 'lengths' that is <= 0")
    if lengths and max(lengths) > input.shape[1 - batch_dim]:
        raise RuntimeError(f"Expected the longest length ({max(lengths)}) to be at most the "
                           f"padded sequence length ({input.shape[1 - batch_dim]})")


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Unpacks a :class:`PackedSequence` into a padded batch; returns ``(padded, lengths)``."""
    sizes = np.asarray(sequence.batch_sizes.tolist())
    max_length, batch = len(sizes), int(sizes[0])
    if total_length is not None:
        if total_length < max_length:
            raise ValueError("Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {max_length}")
        max_length = total_length
    lengths = (np.arange(batch)[:, None] < sizes[None, :]).sum(1)
    data = sequence.data
    gather = np.full(max_length * batch, len(data))
    gather[_steps_index(lengths, max_length, batch_first)] = np.arange(len(data))
    filler = ember.full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype,
                        device=data.device)
    padded = ember.cat([data, filler]).index_select(0, ember.as_tensor(gather,
                                                                       device=data.device))
    shape = (batch, max_length) if batch_first else (max_length, batch)
    padded = padded.reshape(shape + tuple(data.shape[1:]))
    lengths = ember.as_tensor(lengths.astype(np.int64))
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(0 if batch_first else 1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices.cpu()]
    return padded, lengths


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stacks sequences of shapes (L_i, *) into (L_max, B, *) (or (B, L_max, *) with
    ``batch_first``), filling with ``padding_value`` on ``padding_side``."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError("pad_sequence: Expected iterable for input sequences, but got arg of "
                           f"type: {type(sequences)}")
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError("Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    first = sequences[0]
    trailing = tuple(first.shape[1:])
    for sequence in sequences[1:]:
        for dim, (size, expected) in enumerate(zip(sequence.shape[1:], trailing), 1):
            if size != expected:
                raise RuntimeError(f"The size of tensor a ({expected}) must match the size of "
                                   f"tensor b ({size}) at non-singleton dimension {dim}")
    lengths = np.array([len(sequence) for sequence in sequences])
    max_length = int(lengths.max())
    starts = np.concatenate([[0], lengths.cumsum()[:-1]])
    steps = np.arange(max_length)[None, :]
    if padding_side == "left":
        steps = steps - (max_length - lengths)[:, None]
    present = (steps >= 0) & (steps < lengths[:, None])
    gather = np.where(present, starts[:, None] + steps, lengths.sum())
    if not batch_first:
        gather = gather.T
    filler = ember.full((1,) + trailing, padding_value, dtype=first.dtype, device=first.device)
    rows = ember.cat([sequence.to(first.dtype) for sequence in sequences] + [filler])
    padded = rows.index_select(0, ember.as_tensor(gather.reshape(-1), device=first.device))
    return padded.reshape(gather.shape + trailing)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """Splits a padded batch back into a list of sequences of the given ``lengths``."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [sequence[:int(length)] for sequence, length in zip(padded_sequences, lengths)]


def pack_sequence(sequences, enforce_sorted=True):
    """Packs a list of sequences of shapes (L_i, *)."""
    lengths = [len(sequence) for sequence in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """Unpacks a :class:`PackedSequence` into the list of its sequences."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
