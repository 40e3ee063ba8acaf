"""Seed 002 (3-1, 3-3): leaf tensors and retain_grad, backward() on a scalar, backward() with a
``gradient`` on a non-scalar, and first and second derivatives with autograd.grad.

    python examples/autograd_basics.py
"""

import ember as torch

# 3-1 叶子节点 / 案例一: backward方法在一个标量张量上调用
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
a.retain_grad()  # a is not a leaf: keep its gradient too
b = torch.add(w, 1)
y = torch.mul(a, b)
y.backward()
print(a.requires_grad, b.requires_grad, y.requires_grad)
# True True True
print("is_leaf:", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
# 计算w的梯度
print("w.grad:", w.grad)
# tensor([5.])
print("a.grad:", a.grad)  # retained; b.grad stays None (b is not a leaf)

# 案例二: backward方法在非标量的反向传播
# f(x) = a*x**2 + b*x + c
x = torch.tensor([[0.0, 0.0], [1.0, 2.0]], requires_grad=True)  # x需要被求导
a = torch.tensor(1.0)
b = torch.tensor(-2.0)
c = torch.tensor(1.0)
y = a * torch.pow(x, 2) + b * x + c
gradient = torch.tensor([[1.0, 1.0], [1.0, 1.0]])
print("x:", x)
print("y:", y)
y.backward(gradient=gradient)
x_grad = x.grad
print("x_grad:", x_grad)

# 案例三: 使用autograd.grad方法来求导数
# f(x) = a*x**2 + b*x + c的导数
x = torch.tensor(0.0, requires_grad=True)  # x需要被求导
a = torch.tensor(1.0)
b = torch.tensor(-2.0)
c = torch.tensor(1.0)
y = a * torch.pow(x, 2) + b * x + c
# create_graph 设置为 True 将允许创建更高阶的导数
dy_dx = torch.autograd.grad(y, x, create_graph=True)[0]
print(dy_dx.data)
# 求二阶导数
dy2_dx2 = torch.autograd.grad(dy_dx, x)[0]
print(dy2_dx2.data)
