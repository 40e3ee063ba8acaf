"""``ember.Tensor``: an n-dimensional array with autograd bookkeeping.

A tensor holds an array (``_data``) of its device's namespace. Math methods are bound from the
``ember._ops`` families; this file holds attributes, conversions, the Python protocols and the
in-place machinery that lets in-place ops and ``__setitem__`` rewrite autograd history.
"""

import numpy as np

from ember import _device, _dtype
from ember._device import CPU, to_device
from ember._size import size_of
from ember.autograd.grad_mode import enable_grad, state
from ember.autograd.graph import Node
from ember.backends import _NAMESPACE_BY_ARRAY_TYPE, device_of

__all__ = ["Tensor"]

_new = object.__new__


def _make(array, requires_grad=False, grad_fn=None, output_nr=0):
    """Wraps an array in a Tensor without copying or checking (ember's internal constructor)."""
    tensor = _new(Tensor)
    tensor._data = array
    tensor._version_counter = [0]
    if requires_grad:
        tensor._requires_grad = True
        tensor._grad_fn = grad_fn
        tensor._output_nr = output_nr
    return tensor


def _type_name(array):
    prefix = "ember." if type(array) is np.ndarray else "ember.cuda."
    return prefix + _scalar_type_name(array.dtype) + "Tensor"


def _dtype_of_type_name(name):
    """The dtype of a legacy type name such as ``'ember.cuda.DoubleTensor'``."""
    for dtype_name, scalar_name in _dtype._SCALAR_TYPE_NAMES.items():
        if name.rsplit(".", 1)[-1] == scalar_name + "Tensor":
            return _dtype.to_dtype(dtype_name)
    raise ValueError(f"invalid type: '{name}'")


class Tensor:
    """A multi-dimensional array with an optional gradient, on a device.

    Create tensors with :func:`ember.tensor`, the factories (:func:`ember.zeros`,
    :func:`ember.randn`, ...) or :func:`ember.from_numpy`. ``ember.Tensor(data)`` and
    ``ember.Tensor(*sizes)`` are the legacy constructors and give ``float32`` tensors.
    """

    # Class-level defaults keep construction cheap: instances only store what differs.
    _requires_grad = False
    _grad = None
    _grad_fn = None
    _output_nr = 0
    _base = None
    _view_replay = None
    _base_grad_fn = None  # the base's grad_fn when this view's history was last derived
    _grad_accumulator = None
    _hooks = None
    _retains_grad = False
    __array_priority__ = 1000  # NumPy defers `ndarray * tensor` to Tensor.__rmul__

    def __new__(cls, *args, device=None, dtype=None):
        from ember._ops.creation import _legacy_tensor

        tensor = _legacy_tensor(args, device, dtype)
        if cls is not Tensor:
            tensor = tensor.as_subclass(cls)
        return tensor

    def as_subclass(self, cls):
        tensor = _new(cls)
        tensor._data = self._data
        tensor._version_counter = self._version_counter
        return tensor

    # ----------------------------------------------------------------- attributes
    @property
    def shape(self):
        return size_of(self._data.shape)

    def size(self, dim=None):
        """Returns the shape, or the size of dimension ``dim``."""
        if dim is None:
            return size_of(self._data.shape)
        return self._data.shape[self._wrap_existing_dim(dim)]

    def _wrap_existing_dim(self, dim):
        """``dim`` made non-negative; unlike reductions, sizes and strides of a 0-d tensor have
        no dim to pick."""
        ndim = self._data.ndim
        if ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        if not -ndim <= dim < ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                             f"{ndim - 1}], but got {dim})")
        return dim % ndim

    @property
    def dtype(self):
        return _dtype._FROM_NUMPY[self._data.dtype]

    @property
    def device(self):
        return device_of(self._data)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def is_cpu(self):
        return self.device.type == "cpu"

    @property
    def layout(self):
        return "strided"

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    def stride(self, dim=None):
        """Element strides of each dimension (PyTorch counts elements, NumPy bytes)."""
        if self._data.size == 0:  # NumPy gives empty arrays zero strides, PyTorch contiguous ones
            strides = [1] * self._data.ndim
            for i in range(self._data.ndim - 2, -1, -1):
                strides[i] = strides[i + 1] * max(self._data.shape[i + 1], 1)
            strides = tuple(strides)
        else:
            itemsize = self._data.itemsize
            strides = tuple(s // itemsize for s in self._data.strides)
        return strides if dim is None else strides[self._wrap_existing_dim(dim)]

    def storage_offset(self):
        """Offset, in elements, of this tensor's first element within its base's storage."""
        if self._base is None:
            return 0
        return (_address(self._data) - _address(self._base._data)) // self._data.itemsize

    def data_ptr(self):
        return _address(self._data)

    def is_contiguous(self, memory_format=None):
        return self._data.flags.c_contiguous

    def contiguous(self, memory_format=None):
        """This tensor if its memory is contiguous, else a contiguous copy (``clone``)."""
        if self._data.flags.c_contiguous:
            return self
        return self.clone(memory_format=_device.contiguous_format)

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return self._data.dtype.kind == "c"

    @property
    def is_leaf(self):
        return self._grad_fn is None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self._set_requires_grad(value, "only Tensors of floating point and complex dtype can "
                                       "require gradients")

    def requires_grad_(self, requires_grad=True):
        """Sets whether autograd records operations on this (leaf) tensor; returns it."""
        return self._set_requires_grad(requires_grad, "only Tensors of floating point dtype "
                                                      "can require gradients")

    def _set_requires_grad(self, requires_grad, dtype_message):
        if self._grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach().")
            return self
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError(dtype_message)
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad_fn(self):
        return self._grad_fn

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad:
            import warnings

            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad "
                                f"of type {type(value).__name__}")
            if value.dtype is not self.dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if value.shape != self.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @property
    def retains_grad(self):
        return self._retains_grad

    def retain_grad(self):
        """Makes this non-leaf tensor keep its ``.grad`` after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        import weakref

        node = self._grad_fn
        if node._retained is None:
            node._retained = {}
        node._retained[self._output_nr] = weakref.ref(self)
        self._retains_grad = True

    def register_hook(self, hook):
        """Registers ``hook(grad)`` to run when this tensor's gradient is computed; it may return
        a replacement gradient. Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            return self._grad_fn._add_tensor_hook(self._output_nr, hook)
        from ember.autograd.graph import _RemovableHandle

        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _RemovableHandle(self._hooks, hook)

    @property
    def _version(self):
        return self._version_counter[0]

    @property
    def data(self):
        """This tensor's values as a new leaf that shares memory but not history."""
        return _make(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data

    @property
    def T(self):
        return self.permute(*reversed(range(self._data.ndim)))

    @property
    def mT(self):
        return self.transpose(-2, -1)

    @property
    def H(self):
        return self.T.conj() if self.is_complex() else self.T

    @property
    def mH(self):
        return self.mT.conj() if self.is_complex() else self.mT

    # ----------------------------------------------------------------- autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Computes the gradient of this tensor with respect to graph leaves.

        A non-scalar tensor needs ``gradient``, the vector of the vector-Jacobian product.
        Gradients accumulate into the leaves' ``.grad``.
        """
        from ember.autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        """A new tensor sharing this one's memory and version counter, outside the graph."""
        tensor = _make(self._data)
        tensor._version_counter = self._version_counter
        return tensor

    def detach_(self):
        if self._base is not None and self._base._requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn, self._requires_grad, self._output_nr = None, False, 0
        return self

    # ----------------------------------------------------------------- conversions
    def numpy(self, *, force=False):
        """The values as a NumPy array sharing memory (CPU tensors that don't require grad)."""
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if type(self._data) is not np.ndarray:
            if not force:
                raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                                "Tensor.cpu() to copy the tensor to host memory first.")
            return self._data.get()
        return self._data

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype, copy=False)

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        data = self._data if type(self._data) is np.ndarray else self._data.get()
        return data.tolist()

    def to(self, *args, **kwargs):
        """Returns this tensor on another device and/or dtype (itself if nothing changes).

        Accepts ``to(dtype)``, ``to(device, dtype=None)``, ``to(other_tensor)`` and the
        keywords ``device``, ``dtype``, ``non_blocking``, ``copy``.
        """
        device, dtype = kwargs.get("device"), kwargs.get("dtype")
        copy = kwargs.get("copy", False)
        for arg in args:
            if isinstance(arg, Tensor):
                device, dtype = arg.device, arg.dtype
            elif isinstance(arg, (_dtype.dtype, type)) and not isinstance(arg, str):
                dtype = arg
            elif isinstance(arg, bool):
                continue
            else:
                device = arg
        from ember._ops.pointwise import _to

        return _to(self, to_device(device), None if dtype is None else _dtype.to_dtype(dtype),
                   copy)

    def cpu(self):
        return self.to(CPU)

    def cuda(self, device=None, non_blocking=False):
        return self.to("cuda" if device is None else
                       (f"cuda:{device}" if isinstance(device, int) else device))

    def float(self):
        return self.to(_dtype.float32)

    def double(self):
        return self.to(_dtype.float64)

    def half(self):
        return self.to(_dtype.float16)

    def long(self):
        return self.to(_dtype.int64)

    def int(self):
        return self.to(_dtype.int32)

    def short(self):
        return self.to(_dtype.int16)

    def char(self):
        return self.to(_dtype.int8)

    def byte(self):
        return self.to(_dtype.uint8)

    def bool(self):
        return self.to(_dtype.bool)

    def cfloat(self):
        return self.to(_dtype.complex64)

    def cdouble(self):
        return self.to(_dtype.complex128)

    def type(self, dtype=None, non_blocking=False):
        """Without arguments, the type name (``'ember.FloatTensor'``); otherwise a cast."""
        if dtype is None:
            return _type_name(self._data)
        if isinstance(dtype, str):
            device = "cuda" if ".cuda." in dtype else "cpu"
            return self.to(_dtype_of_type_name(dtype), device=device)
        if isinstance(getattr(dtype, "_dtype", None), _dtype.dtype):  # ember.LongTensor...
            return self.to(dtype._dtype, device=dtype._device)
        return self.to(_dtype.to_dtype(dtype))

    def type_as(self, other):
        return self.to(other.dtype)

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        from ember._ops.creation import tensor

        return tensor(data, dtype=dtype or self.dtype, device=device or self.device,
                      requires_grad=requires_grad)

    def _new_factory(self, factory, size, dtype, device, requires_grad, *args):
        if len(size) == 1 and isinstance(size[0], (tuple, list)):
            size = tuple(size[0])
        return factory(*size, *args, dtype=dtype or self.dtype, device=device or self.device,
                       requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        from ember._ops.creation import zeros

        return self._new_factory(zeros, size, dtype, device, requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        from ember._ops.creation import ones

        return self._new_factory(ones, size, dtype, device, requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        from ember._ops.creation import empty

        return self._new_factory(empty, size, dtype, device, requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        from ember._ops.creation import full

        return full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device,
                    requires_grad=requires_grad)

    # ----------------------------------------------------------------- in-place machinery
    def _check_inplace(self):
        if not state.enabled:
            return
        if self._requires_grad and self._grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
        base = self._base
        if base is not None and base._requires_grad and base._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in "
                               "an in-place operation.")

    def _write(self, result):
        """Makes ``self`` hold ``result``, an out-of-place result computed from it: the values go
        into this tensor's memory and autograd history is rebased like PyTorch's in-place ops."""
        self._check_inplace()
        if result._data.dtype != self._data.dtype:
            result_type, own_type = result.dtype, self.dtype
            if not _dtype.can_cast(result_type, own_type):
                raise RuntimeError(f"result type {_scalar_type_name(result_type)} can't be cast "
                                   f"to the desired output type {_scalar_type_name(own_type)}")
        if not self._data.flags.writeable:
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers "
                "to a single memory location. Please clone() the tensor before performing the "
                "operation.")
        recorded = result._requires_grad and state.enabled
        if recorded:
            _protect_saved(result._grad_fn, self)
        xp = _NAMESPACE_BY_ARRAY_TYPE[type(self._data)]
        try:
            xp.copyto(self._data, result._data, casting="unsafe")
        except ValueError:  # the result does not broadcast to this tensor's shape
            raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the "
                               f"broadcast shape {list(result._data.shape)}") from None
        self._version_counter[0] += 1
        if recorded:
            self._rebase_history(result)
        return self

    def _rebase_history(self, result):
        base = self._base
        if base is None:
            self._grad_fn, self._output_nr = result._grad_fn, result._output_nr
            self._requires_grad = True
            return
        from ember.autograd.function import _edge

        node = _CopySlices()
        node._edges = (_edge(base) if base._requires_grad else None, _edge(result))
        node._input_meta = ((base._data.shape, base._data.dtype),
                            (self._data.shape, self._data.dtype))
        node._view_replay = self._view_replay
        base._grad_fn, base._output_nr, base._requires_grad = node, 0, True
        self._refresh_view_history()

    def _refresh_view_history(self):
        """After an in-place write rebased the base's history, this view's history is the view
        op replayed on the base (PyTorch regenerates view grad_fns the same way)."""
        base = self._base
        with enable_grad():
            view = _replay_view(self._view_replay, base)
        self._grad_fn, self._output_nr = view._grad_fn, view._output_nr
        self._requires_grad = view._requires_grad
        self._base_grad_fn = base._grad_fn

    # ----------------------------------------------------------------- Python protocols
    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __contains__(self, element):
        if isinstance(element, (Tensor, int, float, bool)):
            return bool((self == element).any().item())
        raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed "
                           f"in a {type(element)}.")

    def __bool__(self):
        if self._data.size != 1:
            amount = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
        return bool(self._data.reshape(()).item())

    def _python_scalar(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __float__(self):
        return float(self._python_scalar())

    def __int__(self):
        return int(self._python_scalar())

    def __complex__(self):
        return complex(self._python_scalar())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._data.reshape(()).item())

    def __format__(self, format_spec):
        if self._data.ndim == 0:
            return format(self.item(), format_spec)
        return object.__format__(self, format_spec)

    def __hash__(self):
        return id(self)

    def __repr__(self, *, tensor_contents=None):
        from ember._tensor_str import _str

        return _str(self, tensor_contents=tensor_contents)

    def __reduce_ex__(self, protocol):
        array = self.cpu().detach().numpy()
        if not (array.flags.c_contiguous or array.flags.f_contiguous):
            array = np.array(array, copy=True, order="K")  # keeps strides
        return (_rebuild, (array, self._requires_grad, str(self.device)))

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.  If you were "
                               "attempting to deepcopy a module, this may be because of a "
                               "ember.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        if id(self) in memo:
            return memo[id(self)]
        copy = _make(self._data.copy(), self._requires_grad)
        if type(self) is not Tensor:
            copy = _copy_subclass(self, copy)
        if self._grad is not None:
            copy._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = copy
        return copy


from ember.autograd import function as _function  # noqa: E402 - needs Tensor defined

_function._bind_tensor(Tensor, _make)


def _copy_subclass(original, copy):
    tensor = copy.as_subclass(type(original))
    tensor._requires_grad = original._requires_grad
    return tensor


def _rebuild(array, requires_grad, device):
    tensor = _make(array)
    if device != "cpu":
        tensor = tensor.to(device)
    tensor._requires_grad = requires_grad
    return tensor


def _address(array):
    if type(array) is np.ndarray:
        return array.__array_interface__["data"][0]
    return array.data.ptr


def _scalar_type_name(dtype):
    """PyTorch's C++ name of an (ember or NumPy) dtype: ``Float``, ``Long``..."""
    return _dtype._SCALAR_TYPE_NAMES[dtype.name]


def _replay_view(spec, base):
    """Re-applies the chain of view ops ``spec`` to a tensor shaped like the view's base."""
    if spec is None:
        return base
    parent, op, args = spec
    return op.apply(_replay_view(parent, base), *args)


def _protect_saved(node, target):
    """Before ``target`` is overwritten, gives ``node`` its own copy of arrays it saved from it,
    still tied to ``target``'s old history so double backward flows through it."""
    saved = node._saved
    if not saved or not any(array is target._data for array in saved):
        return
    copy = target._data.copy()
    node._saved = tuple(copy if array is target._data else array for array in saved)
    if node._saved_sources:
        old_value = _make(copy, target._requires_grad, target._grad_fn, target._output_nr)
        node._saved_sources = tuple(
            (-1, old_value._version_counter, 0, old_value)
            if source is not None and source[3] is target else source
            for source in node._saved_sources)


class _CopySlices(Node):
    """The history of a base tensor after an in-place write into one of its views: the view's
    region takes the written value's gradient, the rest flows to the base's old history."""

    def _apply_backward(self, grad_outputs):
        (grad,) = grad_outputs
        grad_tensor = grad if state.create_graph else _make(grad)
        grad_base = grad_tensor.clone()
        region = _replay_view(self._view_replay, grad_base)
        grad_value = region.clone()
        region.zero_()
        if state.create_graph:
            return grad_base, grad_value
        return grad_base._data, grad_value._data

    def name(self):
        return "CopySlices"
