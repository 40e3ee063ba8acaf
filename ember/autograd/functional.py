"""Higher-level autograd helpers: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``hvp``."""

from ember.autograd.grad_mode import enable_grad

__all__ = ["vjp", "jacobian", "hessian"]


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)


def _prepare(inputs):
    return tuple(x.detach().requires_grad_(True) for x in _as_tuple(inputs))


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """Returns ``(func(inputs), vᵀ·J)``."""
    from ember.autograd import grad

    is_tuple = isinstance(inputs, tuple)
    with enable_grad():
        inputs = _prepare(inputs)
        outputs = func(*inputs)
        grads = grad(outputs, inputs, v, create_graph=create_graph, allow_unused=True,
                     materialize_grads=True)
    return outputs.detach(), grads if is_tuple else grads[0]


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False):
    """The Jacobian of ``func`` at ``inputs``: shape ``output.shape + input.shape``."""
    import ember
    from ember.autograd import grad

    is_tuple = isinstance(inputs, tuple)
    with enable_grad():
        inputs = _prepare(inputs)
        output = func(*inputs)
        flat = output.reshape(-1)
        rows = [[] for _ in inputs]
        for index in range(flat.numel()):
            grads = grad(flat[index], inputs, retain_graph=True, create_graph=create_graph,
                         allow_unused=True, materialize_grads=True)
            for row, g in zip(rows, grads):
                row.append(g)
    jacobians = tuple(ember.stack(row).reshape(output.shape + x.shape)
                      for row, x in zip(rows, inputs))
    return jacobians if is_tuple else jacobians[0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False):
    """The Hessian of scalar ``func`` at ``inputs``."""
    from ember.autograd import grad

    def gradient(*xs):
        (output,) = (func(*xs),)
        return grad(output, xs, create_graph=True)[0]

    return jacobian(gradient, inputs, create_graph=create_graph)
