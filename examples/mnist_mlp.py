"""Seed 001: MNIST handwritten digits with a two-layer MLP, CrossEntropyLoss and SGD, end to
end (download, train, test).

    python examples/mnist_mlp.py                 # downloads MNIST into ./data
    python examples/mnist_mlp.py --fake-data --epochs 1 --limit 512   # offline smoke run
"""

import argparse

import ember as torch
import ember.vision.transforms as transforms
from ember import nn, optim
from ember.utils.data import DataLoader, Subset
from ember.vision.datasets import MNIST, FakeData

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--epochs", type=int, default=5, help="default: 5, as in the seed")
parser.add_argument("--limit", type=int, help="use only the first LIMIT images of each split")
parser.add_argument("--fake-data", action="store_true",
                    help="random 28x28 images instead of MNIST (no download)")
args = parser.parse_args()
torch.manual_seed(0)

# 步骤2: 加载和预处理数据
# 定义数据转换
transform = transforms.Compose([
    transforms.ToTensor(),  # 转换为Tensor
    transforms.Normalize((0.5,), (0.5,))  # 归一化
])

# 下载并加载训练集和测试集
if args.fake_data:
    train_dataset = FakeData(60000, (1, 28, 28), 10, transform=transform)
    test_dataset = FakeData(10000, (1, 28, 28), 10, transform=transform, random_offset=60000)
else:
    train_dataset = MNIST(root='./data', train=True, download=True, transform=transform)
    test_dataset = MNIST(root='./data', train=False, download=True, transform=transform)
if args.limit:
    train_dataset = Subset(train_dataset, range(args.limit))
    test_dataset = Subset(test_dataset, range(args.limit))

train_loader = DataLoader(dataset=train_dataset, batch_size=64, shuffle=True)
test_loader = DataLoader(dataset=test_dataset, batch_size=64, shuffle=False)


# 步骤3: 定义神经网络模型
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(28*28, 512)  # 将28*28的图像展平为784,然后连接到512个节点上
        self.fc2 = nn.Linear(512, 10)  # 输出层有10个节点,对应10个类别

    def forward(self, x):
        x = x.view(-1, 28*28)  # 展平图像
        x = torch.relu(self.fc1(x))
        x = self.fc2(x)
        return x


model = Net()

# 步骤4: 定义损失函数和优化器
criterion = nn.CrossEntropyLoss()  # 使用交叉熵损失函数
optimizer = optim.SGD(model.parameters(), lr=0.01)  # 使用SGD优化器

# 步骤5: 训练模型
num_epochs = args.epochs
for epoch in range(num_epochs):
    for images, labels in train_loader:
        # 前向传播
        outputs = model(images)
        loss = criterion(outputs, labels)

        # 反向传播和优化
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    print(f'Epoch [{epoch+1}/{num_epochs}], Loss: {loss.item():.4f}')

# 步骤6: 测试模型
model.eval()  # 设置模型为评估模式
with torch.no_grad():  # 在评估模式下,不计算梯度
    correct = 0
    total = 0
    for images, labels in test_loader:
        outputs = model(images)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()

    print(f'Accuracy of the model on the {total} test images: {100 * correct / total}%')
