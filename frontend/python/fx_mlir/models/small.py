"""Small sequence and generative models of issue 15, for importing through real torch.fx and
running on every backend: an nn.Transformer encoder-decoder with a causal target mask, a GRU
sequence classifier and a ConvTranspose2d image decoder. Each factory builds the model with
torch's default initialisation (the importer seeds it)."""
import torch
import torch.nn as nn


class TinyTransformer(nn.Module):
    """nn.Transformer (d_model 16, 2 heads, one encoder and one decoder layer, batch_first) and a
    linear head. The causal target mask comes from nn.Transformer.generate_square_subsequent_mask
    inside forward; torch 1.13 cannot pass a traced size to torch.full, so the target length is
    fixed at construction and torch.fx records the mask as a tensor constant."""

    def __init__(self, tgt_len=6, d_model=16, nhead=2, dim_feedforward=32, out_features=10):
        super().__init__()
        self.tgt_len = tgt_len
        self.transformer = nn.Transformer(d_model, nhead, num_encoder_layers=1,
                                          num_decoder_layers=1, dim_feedforward=dim_feedforward,
                                          batch_first=True)
        self.head = nn.Linear(d_model, out_features)

    def forward(self, src, tgt):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(self.tgt_len)
        return self.head(self.transformer(src, tgt, tgt_mask=tgt_mask))


class GRUClassifier(nn.Module):
    """Token ids -> embedding -> 2-layer GRU -> linear over the last step. The vocabulary covers
    the importer's generated ids ([0, 100))."""

    def __init__(self, vocab=100, embed=16, hidden=32, classes=10):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.gru = nn.GRU(embed, hidden, num_layers=2, batch_first=True)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, tokens):
        out, _ = self.gru(self.embedding(tokens))
        return self.fc(out[:, -1])


class ConvTransposeDecoder(nn.Module):
    """A latent vector -> linear -> 32x4x4 -> two stride-2 ConvTranspose2d (BatchNorm and ReLU
    after the first) -> sigmoid: a 3x16x16 image. The batch norm's running statistics are drawn
    at random so that eval mode does not reduce it to the identity."""

    def __init__(self, latent=8):
        super().__init__()
        self.fc = nn.Linear(latent, 32 * 4 * 4)
        self.deconv1 = nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.deconv2 = nn.ConvTranspose2d(16, 3, 4, stride=2, padding=1)
        with torch.no_grad():
            self.bn1.running_mean.uniform_(-0.5, 0.5)
            self.bn1.running_var.uniform_(0.5, 1.5)

    def forward(self, z):
        x = self.fc(z).view(z.size(0), 32, 4, 4)
        x = self.relu(self.bn1(self.deconv1(x)))
        return torch.sigmoid(self.deconv2(x))


def transformer():
    return TinyTransformer()


def gru():
    return GRUClassifier()


def deconv():
    return ConvTransposeDecoder()
