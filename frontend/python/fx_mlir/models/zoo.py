"""Python twins of the C++ zoo models that have no torchvision original (MLP, LeNet, SignalNet,
NNGallery): the same structure and qualified names, so that the C++ tracer's graph and module tree
can be compared with torch.fx's and the importer's.
Plus an elementwise chain, the case where one fused kernel does what eager does in five."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 1024)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(1024, 1024)
        self.fc3 = nn.Linear(1024, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        return self.fc3(x)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class ElementwiseChain(nn.Module):
    def forward(self, y):
        return torch.relu(y * 2 + 1).sigmoid() * y


def mlp():
    return MLP()


def lenet():
    return LeNet()


def chain():
    return ElementwiseChain()


class SignalNet(nn.Module):
    """A 1-d encoder (conv, norms, pools, GRU, transformer encoder, LSTM) and a 2-d/3-d
    transposed-conv decoder: a sample of torch.nn's leaves beyond the classic CNN ones, with a
    C++ twin (frontend/cpp/zoo/SignalNet.cpp). Input: (N, 4, 16)."""

    def __init__(self):
        super().__init__()
        self.conv1d = nn.Conv1d(4, 8, 3, padding=1)
        self.bn1d = nn.BatchNorm1d(8)
        self.act = nn.LeakyReLU(0.1)
        self.drop1d = nn.Dropout1d(0.2)
        self.pool1d = nn.MaxPool1d(2)
        self.avg1d = nn.AvgPool1d(3, stride=1, padding=1)
        self.inorm = nn.InstanceNorm1d(8, affine=True)
        self.gru = nn.GRU(8, 16, batch_first=True)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(16, 2, 32, dropout=0.0, batch_first=True), 2,
            nn.LayerNorm(16))
        self.lstm = nn.LSTM(16, 8, num_layers=2, bidirectional=True)
        self.deconv1d = nn.ConvTranspose1d(16, 8, 4, stride=2, padding=1)
        self.elu = nn.ELU()
        self.summary = nn.AdaptiveAvgPool1d(2)
        self.deconv2d = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1)
        self.gn = nn.GroupNorm(2, 4)
        self.prelu = nn.PReLU(4)
        self.up = nn.Upsample(scale_factor=2)
        self.shuffle = nn.PixelShuffle(2)
        self.conv3d = nn.Conv3d(2, 4, 3, padding=1)
        self.bn3d = nn.BatchNorm3d(4)
        self.softplus = nn.Softplus()
        self.drop3d = nn.Dropout3d()
        self.pool3d = nn.MaxPool3d(2)
        self.deconv3d = nn.ConvTranspose3d(4, 2, 2, stride=2)
        self.avg3d = nn.AvgPool3d(2)
        self.gap3d = nn.AdaptiveAvgPool3d(1)

    def forward(self, x):
        n = x.size(0)
        h = self.pool1d(self.drop1d(self.act(self.bn1d(self.conv1d(x)))))
        h = self.inorm(self.avg1d(h))
        h = self.gru(h.transpose(1, 2))[0]
        h = self.encoder(h)
        h = self.lstm(h)[0]
        h = self.elu(self.deconv1d(h.transpose(1, 2)))
        summary = torch.flatten(self.summary(h), 1)
        g = self.prelu(self.gn(self.deconv2d(h.view(n, 8, 4, 4))))
        g = self.shuffle(self.up(g))
        v = self.softplus(self.bn3d(self.conv3d(g.view(n, 2, 8, 8, 8))))
        v = self.avg3d(self.deconv3d(self.pool3d(self.drop3d(v))))
        return torch.cat([torch.flatten(self.gap3d(v), 1), summary], 1)


def signal_net():
    return SignalNet()


class NNGallery(nn.Module):
    """torch.nn leaves with their non-default arguments (int-or-tuple sizes, 'same' padding,
    kdim/vdim and bias_kv attention, projected and bidirectional RNNs, padding_idx), each
    applied once, to check the C++ twins' attributes (frontend/cpp/zoo/NNGallery.cpp).
    Input: (N, 8, 6)."""

    def __init__(self):
        super().__init__()
        self.activations = nn.ModuleList([
            nn.ReLU6(), nn.LeakyReLU(), nn.ELU(alpha=0.5), nn.CELU(0.7), nn.SELU(),
            nn.GELU(approximate="tanh"), nn.SiLU(), nn.Mish(), nn.Softplus(beta=2, threshold=3),
            nn.LogSigmoid(), nn.Softsign(), nn.Tanhshrink(), nn.Softshrink(0.3), nn.Hardshrink(),
            nn.Hardtanh(-2.0, 1.5), nn.Threshold(0.5, -2.0), nn.Hardswish(), nn.Hardsigmoid(),
            nn.Sigmoid(), nn.Tanh(), nn.Softmax(-1), nn.LogSoftmax(1),
            nn.PReLU(), nn.Identity(), nn.AlphaDropout(0.1), nn.FeatureAlphaDropout()])
        self.glu = nn.GLU(1)
        self.same = nn.Conv1d(8, 4, 3, padding="same", dilation=2, bias=False)
        self.valid = nn.Conv1d(8, 4, (2,), padding="valid", groups=2)
        self.attn = nn.MultiheadAttention(8, 2, bias=False, add_bias_kv=True, kdim=4, vdim=6)
        self.rnn = nn.RNN(8, 5, 2, nonlinearity="relu", batch_first=True)
        self.lstm = nn.LSTM(8, 5, proj_size=3, batch_first=True)
        self.gru = nn.GRU(8, 4, bias=False, bidirectional=True, batch_first=True)
        self.embedding = nn.Embedding(8, 3, padding_idx=-1)
        self.maxpool = nn.MaxPool2d((2, 1), stride=(1, 1), padding=(1, 0), ceil_mode=True)
        self.avgpool = nn.AvgPool2d(2, padding=1, count_include_pad=False, divisor_override=3)
        self.adaptive = nn.AdaptiveAvgPool2d((2, 3))
        self.bn = nn.BatchNorm2d(1, eps=1e-3, momentum=None, affine=False)
        self.inorm = nn.InstanceNorm2d(1)
        self.inorm3d = nn.InstanceNorm3d(1, track_running_stats=True)
        self.unshuffle = nn.PixelUnshuffle(2)
        self.up = nn.Upsample(size=(5, 7), mode="bilinear", align_corners=False)
        self.drop2d = nn.Dropout2d(0.1)
        self.flatten = nn.Flatten()

    def forward(self, x):
        outs = [self.flatten(a(x)) for a in self.activations]
        outs.append(self.flatten(self.glu(x)))
        outs.append(self.flatten(self.same(x)))
        outs.append(self.flatten(self.valid(x)))
        q = x.permute(2, 0, 1)
        outs.append(self.flatten(self.attn(q, q[:, :, :4], q[:, :, :6])[0].transpose(0, 1)))
        s = x.transpose(1, 2)
        outs.append(self.flatten(self.rnn(s)[0]))
        outs.append(self.flatten(self.lstm(s)[0]))
        outs.append(self.flatten(self.gru(s)[0]))
        outs.append(self.flatten(self.embedding(torch.argmax(x, 1))))
        img = x.unsqueeze(1)
        outs.append(self.flatten(self.maxpool(img)))
        outs.append(self.flatten(self.avgpool(img)))
        outs.append(self.flatten(self.adaptive(img)))
        outs.append(self.flatten(self.bn(img)))
        outs.append(self.flatten(self.inorm(img)))
        outs.append(self.flatten(self.inorm3d(img.unsqueeze(1))))
        outs.append(self.flatten(self.unshuffle(img)))
        outs.append(self.flatten(self.up(self.drop2d(img))))
        return torch.cat(outs, 1)


def nn_gallery():
    return NNGallery()
