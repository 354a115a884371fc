"""A small GPT-style decoder: token and position embeddings, pre-norm blocks with causal
self-attention written with view/transpose/matmul/masked_fill/softmax, a GELU MLP, a final layer
norm and an LM head tied to the token embedding. Written so that torch.fx 1.13 traces it: sizes
through x.size(i), no unpacking of proxies, and positions and the causal mask computed from
tensors rather than from sizes (torch 1.13 cannot pass a proxy as an int to a torch function, nor
index a real tensor with one)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B = x.size(0)
        T = x.size(1)
        C = x.size(2)
        qkv = self.c_attn(x).split(C, dim=2)
        hs = C // self.n_head
        q = qkv[0].view(B, T, self.n_head, hs).transpose(1, 2)
        k = qkv[1].view(B, T, self.n_head, hs).transpose(1, 2)
        v = qkv[2].view(B, T, self.n_head, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
        att = att.masked_fill(torch.tril(torch.ones_like(att)) == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, n_embd):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = MLP(n_embd)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, vocab_size=256, block_size=32, n_embd=64, n_head=4, n_layer=2,
                 tie_weights=True):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.drop = nn.Dropout(0.1)
        self.h = nn.ModuleList([Block(n_embd, n_head, block_size) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        if tie_weights:
            self.lm_head.weight = self.wte.weight

    def forward(self, idx):
        pos = torch.cumsum(torch.ones_like(idx), dim=1) - 1
        x = self.drop(self.wte(idx) + self.wpe(pos))
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def gpt():
    return GPT()
