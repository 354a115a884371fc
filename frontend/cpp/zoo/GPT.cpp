//===- GPT.cpp - A GPT-style decoder (twin: frontend/python/fx_mlir/models/gpt.py) -===//
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Zoo.h"
#include "fxmlir/Frontend/nn.h"

#include <limits>

namespace fx::zoo {

struct CausalSelfAttention : Module {
  CausalSelfAttention(int64_t nEmbd, int64_t nHead)
      : Module("fx_mlir.models.gpt.CausalSelfAttention"), nHead(nHead) {
    registerModule("c_attn", std::make_shared<nn::Linear>(nEmbd, 3 * nEmbd));
    registerModule("c_proj", std::make_shared<nn::Linear>(nEmbd, nEmbd));
  }
  Obj forward(const Obj &x) override {
    const Proxy &xp = x.proxy();
    Obj B = xp.size(0), T = xp.size(1), C = xp.size(2);
    Obj qkv = (*child("c_attn"))(x).proxy().split(C, 2);
    Obj hs = floordiv(C, Obj(nHead));
    Proxy q = qkv[0].proxy().view({B, T, nHead, hs}).transpose(1, 2);
    Proxy k = qkv[1].proxy().view({B, T, nHead, hs}).transpose(1, 2);
    Proxy v = qkv[2].proxy().view({B, T, nHead, hs}).transpose(1, 2);
    Obj att = matmul(q, k.transpose(-2, -1)) * (Obj(1.0) / math::sqrt(hs));
    Obj mask = torch::tril(torch::onesLike(att)).proxy() == Obj(0);
    att = att.proxy().maskedFill(mask, -std::numeric_limits<double>::infinity());
    att = F::softmax(att, -1);
    Proxy y = matmul(att, v);
    y = y.transpose(1, 2).contiguous().view({B, T, C});
    return (*child("c_proj"))(y);
  }
  int64_t nHead;
};

struct Mlp : Module {
  explicit Mlp(int64_t nEmbd) : Module("fx_mlir.models.gpt.MLP") {
    registerModule("c_fc", std::make_shared<nn::Linear>(nEmbd, 4 * nEmbd));
    registerModule("gelu", nn::GELU());
    registerModule("c_proj", std::make_shared<nn::Linear>(4 * nEmbd, nEmbd));
  }
  Obj forward(const Obj &x) override {
    return (*child("c_proj"))((*child("gelu"))((*child("c_fc"))(x)));
  }
};

struct Block : Module {
  Block(int64_t nEmbd, int64_t nHead) : Module("fx_mlir.models.gpt.Block") {
    registerModule("ln_1", std::make_shared<nn::LayerNorm>(nEmbd));
    registerModule("attn", std::make_shared<CausalSelfAttention>(nEmbd, nHead));
    registerModule("ln_2", std::make_shared<nn::LayerNorm>(nEmbd));
    registerModule("mlp", std::make_shared<Mlp>(nEmbd));
  }
  Obj forward(const Obj &input) override {
    Obj x = input + (*child("attn"))((*child("ln_1"))(input));
    return x + (*child("mlp"))((*child("ln_2"))(x));
  }
};

struct GPT : Module {
  GPT(int64_t vocab = 256, int64_t blockSize = 32, int64_t nEmbd = 64, int64_t nHead = 4,
      int64_t nLayer = 2, bool tieWeights = true)
      : Module("fx_mlir.models.gpt.GPT") {
    auto wte = registerModule("wte", std::make_shared<nn::Embedding>(vocab, nEmbd));
    registerModule("wpe", std::make_shared<nn::Embedding>(blockSize, nEmbd));
    registerModule("drop", nn::Dropout(0.1));
    auto h = registerModule("h", std::make_shared<ModuleList>());
    for (int64_t i = 0; i < nLayer; ++i)
      h->append(std::make_shared<Block>(nEmbd, nHead));
    registerModule("ln_f", std::make_shared<nn::LayerNorm>(nEmbd));
    auto head = registerModule("lm_head", std::make_shared<nn::Linear>(nEmbd, vocab, false));
    if (tieWeights)
      head->tieParameter("weight", *wte, "weight");
  }
  std::vector<ForwardParam> signature() const override { return {{"idx", std::nullopt}}; }
  Obj forward(const Obj &idx) override {
    Obj pos = torch::cumsum(torch::onesLike(idx), 1) - Obj(1);
    Obj x = (*child("drop"))((*child("wte"))(idx) + (*child("wpe"))(pos));
    auto &h = static_cast<ModuleList &>(*child("h"));
    for (size_t i = 0; i < h.size(); ++i)
      x = h[i](x);
    return (*child("lm_head"))((*child("ln_f"))(x));
  }
};

} // namespace fx::zoo

FX_REGISTER_MODEL(gpt, [] { return std::make_shared<fx::zoo::GPT>(); })
