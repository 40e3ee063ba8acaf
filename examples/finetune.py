"""Seed 003: weight initialisation, then fine-tuning: train and save a network, load its
state_dict, keep the keys the new network has, ``update`` and ``load_state_dict``, and
fine-tune with a 10x larger learning rate for the last layer (two parameter groups) and a
StepLR schedule.

    python examples/finetune.py                       # downloads CIFAR10 into ./data
    python examples/finetune.py --fake-data --epochs 1 --limit 256   # offline smoke run
"""

import argparse

import ember as torch
import ember.nn as nn
import ember.nn.functional as F
import ember.optim as optim
import ember.vision.transforms as transforms
from ember.utils.data import DataLoader, Subset
from ember.vision.datasets import CIFAR10, FakeData

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--epochs", type=int, default=2, help="pretraining and fine-tuning epochs")
parser.add_argument("--limit", type=int, help="use only the first LIMIT images of each split")
parser.add_argument("--fake-data", action="store_true",
                    help="random 32x32 images instead of CIFAR10 (no download)")
args = parser.parse_args()
torch.manual_seed(0)

# 数据: 随机裁剪, ToTensor, 数据标准化(减均值,除以标准差)
normMean = [0.4948052, 0.48568845, 0.44682974]
normStd = [0.24580306, 0.24236229, 0.2603115]
trainTransform = transforms.Compose([
    transforms.RandomCrop(32, padding=4),
    transforms.ToTensor(),
    transforms.Normalize(normMean, normStd),
])
validTransform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize(normMean, normStd),
])
if args.fake_data:
    train_data = FakeData(50000, (3, 32, 32), 10, transform=trainTransform)
    valid_data = FakeData(10000, (3, 32, 32), 10, transform=validTransform, random_offset=50000)
else:
    train_data = CIFAR10('./data', train=True, download=True, transform=trainTransform)
    valid_data = CIFAR10('./data', train=False, download=True, transform=validTransform)
if args.limit:
    train_data = Subset(train_data, range(args.limit))
    valid_data = Subset(valid_data, range(args.limit))
train_loader = DataLoader(dataset=train_data, batch_size=16, shuffle=True)
valid_loader = DataLoader(dataset=valid_data, batch_size=16)


# 模型定义: 先继承, 再构建组件, 最后组装
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool1 = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool2 = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

    # 定义权值初始化
    def initialize_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                torch.nn.init.xavier_normal_(m.weight.data)
                if m.bias is not None:
                    m.bias.data.zero_()
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(1)
                m.bias.data.zero_()
            elif isinstance(m, nn.Linear):
                torch.nn.init.normal_(m.weight.data, 0, 0.01)
                m.bias.data.zero_()


def train(net, optimizer, scheduler=None, name="train"):
    criterion = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        net.train()
        loss_sum = 0.0
        for inputs, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(net(inputs), labels)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * labels.size(0)
        lrs = ", ".join(f"{group['lr']:g}" for group in optimizer.param_groups)
        print(f"{name} epoch {epoch + 1}: loss {loss_sum / len(train_data):.4f}, "
              f"valid accuracy {100 * accuracy(net):.1f} %, lr [{lrs}]")
        if scheduler is not None:
            scheduler.step()


def accuracy(net):
    net.eval()
    correct = 0
    with torch.no_grad():
        for inputs, labels in valid_loader:
            correct += (net(inputs).argmax(1) == labels).sum().item()
    return correct / len(valid_data)


# 第一步: 保存模型, 拥有一个预训练模型
net = Net()
net.initialize_weights()
train(net, optim.SGD(net.parameters(), lr=0.01, momentum=0.9), name="pretrain")
torch.save(net.state_dict(), 'net_params.pkl')

# 第二步: 加载模型, 把预训练模型中的权值取出来
pretrained_dict = torch.load('net_params.pkl')

# 第三步: 初始化, 将权值对应的"放"到新模型中
net = Net()  # 创建 net
net_state_dict = net.state_dict()  # 获取已创建 net 的 state_dict
# 将 pretrained_dict 里不属于 net_state_dict 的键剔除掉
pretrained_dict_1 = {k: v for k, v in pretrained_dict.items() if k in net_state_dict}
# 用预训练模型的参数字典 对 新模型的参数字典 net_state_dict 进行更新
net_state_dict.update(pretrained_dict_1)
# 将更新了参数的字典 "放"回到网络中
print("load_state_dict:", net.load_state_dict(net_state_dict),
      f"({len(pretrained_dict_1)} of {len(net_state_dict)} tensors from net_params.pkl)")
print(f"valid accuracy after loading: {100 * accuracy(net):.1f} %")

# 不同层设置不同的学习率: fc3 更新快一些 (10x), 前面的层慢一些
ignored_params = list(map(id, net.fc3.parameters()))
base_params = filter(lambda p: id(p) not in ignored_params, net.parameters())
learning_rate = 0.001
optimizer = optim.SGD([
    {'params': base_params},
    {'params': net.fc3.parameters(), 'lr': learning_rate * 10}],
    learning_rate, momentum=0.9, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.1)
train(net, optimizer, scheduler, name="finetune")
