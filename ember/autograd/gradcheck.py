"""``gradcheck`` / ``gradgradcheck``: compare autograd's gradients with finite differences."""

import numpy as np

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` when analytical and numerical gradients differ."""


def _as_tuple(value):
    return value if isinstance(value, (tuple, list)) else (value,)


def _differentiable(inputs):
    from ember._tensor import Tensor

    return [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]


def _outputs(func, inputs):
    from ember._tensor import Tensor

    return [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor) and
            o.is_floating_point()]


def _numerical_jacobian(func, inputs, wrt, eps):
    """Central differences: one column per element of ``wrt``."""
    outputs = _outputs(func, inputs)
    columns = [np.zeros((wrt.numel(), o.numel())) for o in outputs]
    flat = wrt._data.reshape(-1) if wrt._data.flags.c_contiguous else None
    if flat is None:
        raise ValueError("gradcheck needs contiguous inputs")
    # Perturbs the array directly: no version bump, no graph; grad stays on for functions
    # (like gradgradcheck's) that differentiate internally.
    for index in range(wrt.numel()):
        original = flat[index].item()
        flat[index] = original + eps
        plus = [o._data.astype(np.float64).reshape(-1) for o in _outputs(func, inputs)]
        flat[index] = original - eps
        minus = [o._data.astype(np.float64).reshape(-1) for o in _outputs(func, inputs)]
        flat[index] = original
        for column, p, m in zip(columns, plus, minus):
            column[index] = (p - m) / (2 * eps)
    return columns


def _analytical_jacobian(func, inputs, wrt_list):
    from ember.autograd import grad

    outputs = _outputs(func, inputs)
    jacobians = [[np.zeros((w.numel(), o.numel())) for o in outputs] for w in wrt_list]
    for out_index, output in enumerate(outputs):
        if not output.requires_grad:
            continue
        flat_size = output.numel()
        for element in range(flat_size):
            seed = output.new_zeros(output.shape)
            seed._data.reshape(-1)[element] = 1
            grads = grad(output, wrt_list, seed, retain_graph=True, allow_unused=True)
            for wrt_index, g in enumerate(grads):
                if g is not None:
                    jacobians[wrt_index][out_index][:, element] = g._data.reshape(-1)
    return jacobians


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, fast_mode=False, **kwargs):
    """Checks gradients of ``func`` at ``inputs`` (float64 tensors that require grad) against
    central finite differences; returns True, or raises :class:`GradcheckError`."""
    inputs = tuple(_as_tuple(inputs))
    wrt_list = _differentiable(inputs)
    if not wrt_list:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of the them have requires_grad=True.")
    analytical = _analytical_jacobian(func, inputs, wrt_list)
    for wrt_index, wrt in enumerate(wrt_list):
        numerical = _numerical_jacobian(func, inputs, wrt, eps)
        for out_index, (a, n) in enumerate(zip(analytical[wrt_index], numerical)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {out_index} with respect to input "
                    f"{wrt_index},\nnumerical:{n}\nanalytical:{a}\n")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, **kwargs):
    """Checks second derivatives: :func:`gradcheck` of the function mapping inputs (and output
    gradients) to ``autograd.grad(func(inputs), inputs, grad_outputs, create_graph=True)``."""
    import ember
    from ember.autograd import grad

    inputs = tuple(_as_tuple(inputs))
    outputs = _outputs(func, inputs)
    if grad_outputs is None:
        generator = ember.Generator().manual_seed(0)
        grad_outputs = tuple(ember.randn(o.shape, dtype=o.dtype, generator=generator)
                             .requires_grad_(True) for o in outputs)
    grad_outputs = tuple(_as_tuple(grad_outputs))
    count = len(inputs)

    def first_derivatives(*args):
        xs, seeds = args[:count], args[count:]
        wrt = _differentiable(xs)
        outs = _outputs(func, xs)
        grads = grad(outs, wrt, seeds, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivatives, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
