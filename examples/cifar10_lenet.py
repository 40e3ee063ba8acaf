"""Seed 002 (section 6): CIFAR10 with a LeNet-style CNN: load and normalize the data, train
with SGD + momentum, save and reload the weights, then the accuracy overall and per class
(the seed reports 53 % after 2 epochs).

    python examples/cifar10_lenet.py                  # downloads CIFAR10 into ./data
    python examples/cifar10_lenet.py --fake-data --epochs 1 --limit 400   # offline smoke run
"""

import argparse

import numpy as np

import ember as torch
import ember.nn as nn
import ember.nn.functional as F
import ember.optim as optim
import ember.vision as torchvision
import ember.vision.transforms as transforms

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--epochs", type=int, default=2, help="default: 2, as in the seed")
parser.add_argument("--limit", type=int, help="use only the first LIMIT images of each split")
parser.add_argument("--fake-data", action="store_true",
                    help="random 32x32 images instead of CIFAR10 (no download)")
parser.add_argument("--show", action="store_true", help="show a batch of training images")
args = parser.parse_args()
torch.manual_seed(0)

# 6-1 加载数据
transform = transforms.Compose(
    [transforms.ToTensor(),
     transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])

if args.fake_data:
    trainset = torchvision.datasets.FakeData(50000, (3, 32, 32), 10, transform=transform)
    testset = torchvision.datasets.FakeData(10000, (3, 32, 32), 10, transform=transform,
                                            random_offset=50000)
else:
    trainset = torchvision.datasets.CIFAR10(root='./data', train=True,
                                            download=True, transform=transform)
    testset = torchvision.datasets.CIFAR10(root='./data', train=False,
                                           download=True, transform=transform)
if args.limit:
    trainset = torch.utils.data.Subset(trainset, range(args.limit))
    testset = torch.utils.data.Subset(testset, range(args.limit))

trainloader = torch.utils.data.DataLoader(trainset, batch_size=4,
                                          shuffle=True, num_workers=2)
testloader = torch.utils.data.DataLoader(testset, batch_size=4,
                                         shuffle=False, num_workers=2)
classes = ('plane', 'car', 'bird', 'cat',
           'deer', 'dog', 'frog', 'horse', 'ship', 'truck')


# 6-2 展示部分图像
def imshow(img):
    import matplotlib.pyplot as plt  # optional: only --show needs it

    img = img / 2 + 0.5     # unnormalize
    npimg = img.numpy()
    plt.imshow(np.transpose(npimg, (1, 2, 0)))
    plt.show()


# get some random training images
dataiter = iter(trainloader)
images, labels = next(dataiter)
if args.show:
    imshow(torchvision.utils.make_grid(images))
# print labels
print(' '.join('%5s' % classes[labels[j]] for j in range(4)))


# 6-3 定义卷积神经网络、损失函数以及优化器
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

# 6-4 训练网络
report_every = min(2000, len(trainloader))
for epoch in range(args.epochs):  # loop over the dataset multiple times
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        # get the inputs; data is a list of [inputs, labels]
        inputs, labels = data
        # zero the parameter gradients
        optimizer.zero_grad()
        # forward + backward + optimize
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        # print statistics
        running_loss += loss.item()
        if i % report_every == report_every - 1:    # print every 2000 mini-batches
            print('[%d, %5d] loss: %.3f' %
                  (epoch + 1, i + 1, running_loss / report_every))
            running_loss = 0.0
print('Finished Training')

# 6-5 保存训练过的模型
PATH = './cifar_net.pth'
torch.save(net.state_dict(), PATH)

# 6-6 加载模型
net = Net()
net.load_state_dict(torch.load(PATH))

# 6-7 网络在整个数据集上的表现
correct = 0
total = 0
with torch.no_grad():
    for data in testloader:
        images, labels = data
        outputs = net(images)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
print('Accuracy of the network on the %d test images: %d %%' % (
    total, 100 * correct / total))

# 6-8 在哪些类的表现良好,哪些类的表现不佳
class_correct = list(0. for i in range(10))
class_total = list(0. for i in range(10))
with torch.no_grad():
    for data in testloader:
        images, labels = data
        outputs = net(images)
        _, predicted = torch.max(outputs, 1)
        c = (predicted == labels).squeeze()
        for i in range(labels.size(0)):  # the seed's range(4): the last batch may be smaller
            label = labels[i]
            class_correct[label] += c[i].item()
            class_total[label] += 1
for i in range(10):
    print('Accuracy of %5s : %2d %%' % (
        classes[i], 100 * class_correct[i] / max(class_total[i], 1)))
