"""Seed 000: the whole training pipeline: a Dataset subclass, the Conv2d/BatchNorm2d/ReLU/
MaxPool2d + Linear ``Classifier``, a DataLoader, SGD, and the model.train() / model.eval()
loops.

The seed's Classifier has 11 outputs (Food-11) and, as its Linear(512*4*4) shows, takes
32x32 images; here it learns CIFAR10's (10 of the 11 classes are used).

    python examples/classifier_pipeline.py            # downloads CIFAR10 into ./data
    python examples/classifier_pipeline.py --fake-data --epochs 1 --limit 256   # offline
"""

import argparse

import numpy as np

import ember as torch
from ember import nn
from ember.utils.data import DataLoader, Dataset
from ember.vision.datasets import CIFAR10

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--epochs", type=int, default=5, help="default: 5")
parser.add_argument("--batch-size", type=int, default=64, help="default: 64")
parser.add_argument("--limit", type=int, help="use only the first LIMIT images of each split")
parser.add_argument("--fake-data", action="store_true",
                    help="random 32x32 images in 11 classes instead of CIFAR10 (no download)")
args = parser.parse_args()
torch.manual_seed(0)


# 数据载入
class MyDataset(Dataset):
    def __init__(self, data, labels):
        self.data = data
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        # preprocessing: an HWC uint8 image becomes a CHW float tensor in [-1, 1]
        image = torch.from_numpy(self.data[idx]).permute(2, 0, 1).float() / 127.5 - 1
        return image, self.labels[idx]


def load(train):
    """Images (N, 32, 32, 3) uint8 and their labels."""
    if args.fake_data:
        rng = np.random.default_rng(0 if train else 1)
        size = args.limit or (50000 if train else 10000)
        return rng.integers(0, 256, (size, 32, 32, 3), dtype=np.uint8), \
            rng.integers(0, 11, size).tolist()
    dataset = CIFAR10(root='./data', train=train, download=True)
    return dataset.data, dataset.targets


def subset(data, labels):
    return (data[:args.limit], labels[:args.limit]) if args.limit else (data, labels)


# 网络架构
class Classifier(nn.Module):
    def __init__(self):
        super(Classifier, self).__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(3, 64, 3, 1, 1),  # [64, 32, 32]
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.MaxPool2d(2, 2, 0),  # [64, 16, 16]
            nn.Conv2d(64, 128, 3, 1, 1),  # [128, 16, 16]
            nn.BatchNorm2d(128),
            nn.ReLU(),
            nn.MaxPool2d(2, 2, 0),  # [128, 8, 8]
            nn.Conv2d(128, 512, 3, 1, 1),  # [512, 8, 8]
            nn.BatchNorm2d(512),
            nn.ReLU(),
            nn.MaxPool2d(2, 2, 0),  # [512, 4, 4]
        )
        self.fc = nn.Sequential(
            nn.Linear(512*4*4, 1024),
            nn.ReLU(),
            nn.Linear(1024, 32),
            nn.ReLU(),
            nn.Linear(32, 11)
        )

    def forward(self, x):
        out = self.cnn(x)
        out = out.view(out.size()[0], -1)
        return self.fc(out)


# 开练! Dataloader
train_loader = DataLoader(MyDataset(*subset(*load(train=True))), batch_size=args.batch_size,
                          shuffle=True)
eval_loader = DataLoader(MyDataset(*subset(*load(train=False))), batch_size=args.batch_size)

# Optimizer
model = Classifier()
loss_function = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001)

# train
for epoch in range(args.epochs):
    model.train()
    total_loss = 0.0
    for data, target in train_loader:
        optimizer.zero_grad()  # 清除梯度
        output = model(data)  # 前向传播
        loss = loss_function(output, target)  # 计算损失
        loss.backward()  # 反向传播
        optimizer.step()  # 更新参数
        total_loss += loss.item() * target.size(0)

    model.eval()
    correct = 0
    with torch.no_grad():
        # 评估循环
        for data, target in eval_loader:
            output = model(data)  # 前向传播
            # 计算评估指标,如准确率
            correct += (output.argmax(1) == target).sum().item()
    print(f"epoch {epoch + 1}: train loss {total_loss / len(train_loader.dataset):.4f}, "
          f"eval accuracy {100 * correct / len(eval_loader.dataset):.1f} %")
