//===- SignalNet.cpp - twin of frontend/python/fx_mlir/models/zoo.py's SignalNet -===//
//
// A 1-d encoder (conv, norms, pools, GRU, transformer encoder, LSTM) and a 2-d/3-d
// transposed-conv decoder: torch.nn leaves beyond the classic CNN ones.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Zoo.h"
#include "fxmlir/Frontend/nn.h"

namespace fx::zoo {

struct SignalNet : Module {
  SignalNet() : Module("fx_mlir.models.zoo.SignalNet") {
    registerModule("conv1d", std::make_shared<nn::Conv1d>(4, 8, 3, 1, 1));
    registerModule("bn1d", std::make_shared<nn::BatchNorm1d>(8));
    registerModule("act", nn::LeakyReLU(0.1));
    registerModule("drop1d", nn::Dropout1d(0.2));
    registerModule("pool1d", nn::MaxPool1d(2));
    registerModule("avg1d", nn::AvgPool1d(3, 1, 1));
    registerModule("inorm", std::make_shared<nn::InstanceNorm1d>(8, 1e-5, 0.1, true));
    registerModule("gru", std::make_shared<nn::GRU>(8, 16, 1, true, true));
    nn::TransformerEncoderLayer layer(16, 2, 32, 0.0, "relu", 1e-5, true);
    registerModule("encoder", std::make_shared<nn::TransformerEncoder>(
                                  layer, 2, std::make_shared<nn::LayerNorm>(16)));
    registerModule("lstm", std::make_shared<nn::LSTM>(16, 8, 2, true, false, 0.0, true));
    registerModule("deconv1d", std::make_shared<nn::ConvTranspose1d>(16, 8, 4, 2, 1));
    registerModule("elu", nn::ELU());
    registerModule("summary", nn::AdaptiveAvgPool1d(2));
    registerModule("deconv2d", std::make_shared<nn::ConvTranspose2d>(8, 4, 3, 2, 1, 1));
    registerModule("gn", std::make_shared<nn::GroupNorm>(2, 4));
    registerModule("prelu", std::make_shared<nn::PReLU>(4));
    registerModule("up", nn::Upsample(Obj(), 2));
    registerModule("shuffle", nn::PixelShuffle(2));
    registerModule("conv3d", std::make_shared<nn::Conv3d>(2, 4, 3, 1, 1));
    registerModule("bn3d", std::make_shared<nn::BatchNorm3d>(4));
    registerModule("softplus", nn::Softplus());
    registerModule("drop3d", nn::Dropout3d());
    registerModule("pool3d", nn::MaxPool3d(2));
    registerModule("deconv3d", std::make_shared<nn::ConvTranspose3d>(4, 2, 2, 2));
    registerModule("avg3d", nn::AvgPool3d(2));
    registerModule("gap3d", nn::AdaptiveAvgPool3d(1));
  }
  Module &m(const char *name) const { return *child(name); }
  Obj forward(const Obj &x) override {
    Obj n = x.proxy().size(0);
    Obj h = m("pool1d")(m("drop1d")(m("act")(m("bn1d")(m("conv1d")(x)))));
    h = m("inorm")(m("avg1d")(h));
    h = m("gru")(h.proxy().transpose(1, 2))[0];
    h = m("encoder")(h);
    h = m("lstm")(h)[0];
    h = m("elu")(m("deconv1d")(h.proxy().transpose(1, 2)));
    Obj summary = torch::flatten(m("summary")(h), 1);
    Obj g = m("prelu")(m("gn")(m("deconv2d")(h.proxy().view({n, 8, 4, 4}))));
    g = m("shuffle")(m("up")(g));
    Obj v = m("softplus")(m("bn3d")(m("conv3d")(g.proxy().view({n, 2, 8, 8, 8}))));
    v = m("avg3d")(m("deconv3d")(m("pool3d")(m("drop3d")(v))));
    return torch::cat({torch::flatten(m("gap3d")(v), 1), summary}, 1);
  }
};

} // namespace fx::zoo

FX_REGISTER_MODEL(signal_net, [] { return std::make_shared<fx::zoo::SignalNet>(); })
