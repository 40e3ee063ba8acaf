"""Seed 004: linear regression y = 2x + 3 with nn.Linear, SGD and MSELoss on a device, then
save and load the state_dict.

    python examples/linear_regression.py
"""

import numpy as np

import ember as torch
import ember.nn as nn

torch.manual_seed(0)

# torch里要求数据类型必须是float
x = np.arange(1, 12, dtype=np.float32).reshape(-1, 1)
y = 2 * x + 3


# 继承nn.module,实现前向传播,线性回归直接可以看做是全连接层
class LinearRegressionModel(nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()  # 继承父类方法
        self.linear = nn.Linear(input_dim, output_dim)  # 定义全连接层

    # 定义前向传播算法
    def forward(self, inp):
        out = self.linear(inp)  # 输入x后,通过全连接层得到输入出结果out
        return out  # 返回被全连接层处理后的结果


# 定义线性回归模型
regression_model = LinearRegressionModel(1, 1)  # x和y都是一维的

# 可以通过to()或者cuda()使用GPU进行模型的训练 (the seed uses "cuda:0"; fall back to the CPU)
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
regression_model.to(device)

epochs = 1000  # 训练次数
learning_rate = 0.01  # 学习速率
optimizer = torch.optim.SGD(regression_model.parameters(), learning_rate)  # 随机梯度下降
criterion = nn.MSELoss()  # 使用均方误差定义损失函数
criterion.to(device)

for epoch in range(epochs):
    # 数据类型转换
    inputs = torch.from_numpy(x).to(device)
    labels = torch.from_numpy(y).to(device)

    # 训练
    optimizer.zero_grad()  # 每次求偏导都会清零,否则会进行叠加
    outputs = regression_model(inputs)  # 前向传播
    loss = criterion(outputs, labels)  # 通过均方误差评估预测误差
    loss.backward()  # 反向传播
    optimizer.step()  # 更新权重参数

    # 每50次循环打印一次结果
    if epoch % 50 == 0:
        print("epoch:", epoch, "loss:", loss.item())

# 通过训练好的模型预测结果
predict = regression_model(torch.from_numpy(x).to(device).requires_grad_()).cpu().data.numpy()
print("predict:", " ".join(f"{value:.2f}" for value in predict.ravel()))
print(f"w = {regression_model.linear.weight.item():.4f}, "
      f"b = {regression_model.linear.bias.item():.4f}")

torch.save(regression_model.state_dict(), "model.pkl")  # 保存模型
result = regression_model.load_state_dict(torch.load("model.pkl"))  # 加载模型
print("load_state_dict:", result)
