"""Optimizers against PyTorch: the same small model and data, the same initial weights, 30 steps;
the parameter trajectories must agree (float64 to ~1e-10 relative)."""

import numpy as np

import ember

__all__ = ["run_trajectory", "assert_same_trajectory"]


def _model(lib, dtype):
    class TwoLayer(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.first, self.second = lib.nn.Linear(4, 8), lib.nn.Linear(8, 2)

        def forward(self, x):
            return self.second(self.first(x).tanh())

    lib.manual_seed(0)
    model = TwoLayer()
    rng = np.random.default_rng(0)
    with lib.no_grad():
        for param in model.parameters():
            param.copy_(lib.from_numpy(rng.standard_normal(tuple(param.shape)) * 0.5))
    return model.to(getattr(lib, dtype))


def run_trajectory(lib, make_optimizer, steps=30, dtype="float64", closure=False,
                   groups=False):
    """Parameters after each step of ``make_optimizer(lib, params)`` on a fixed regression."""
    model = _model(lib, dtype)
    rng = np.random.default_rng(1)
    inputs = lib.from_numpy(rng.standard_normal((16, 4)).astype(dtype))
    targets = lib.from_numpy(rng.standard_normal((16, 2)).astype(dtype))
    params = ([{"params": model.first.parameters()},
               {"params": model.second.parameters(), "lr": 0.05}] if groups
              else model.parameters())
    optimizer = make_optimizer(lib, params)
    history = []

    def compute_loss():
        optimizer.zero_grad()
        loss = ((model(inputs) - targets) ** 2).mean()
        loss.backward()
        return loss

    for _ in range(steps):
        if closure:
            optimizer.step(compute_loss)
        else:
            compute_loss()
            optimizer.step()
        history.append(np.concatenate([p.detach().numpy().ravel()
                                       for p in model.parameters()]))
    return np.array(history), optimizer, model


def assert_same_trajectory(make_optimizer, torch, rtol=1e-10, atol=1e-12, **kwargs):
    ember_history, _, _ = run_trajectory(ember, make_optimizer, **kwargs)
    torch_history, _, _ = run_trajectory(torch, make_optimizer, **kwargs)
    np.testing.assert_allclose(ember_history, torch_history, rtol=rtol, atol=atol)
