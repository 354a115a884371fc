//===- NNGallery.cpp - twin of frontend/python/fx_mlir/models/zoo.py's NNGallery -===//
//
// torch.nn leaves with non-default arguments, each applied once: the C++ twins' attributes
// and parameters against the Python importer's (test/Frontend/zoo-vs-torch.test).
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Zoo.h"
#include "fxmlir/Frontend/nn.h"

namespace fx::zoo {

struct NNGallery : Module {
  NNGallery() : Module("fx_mlir.models.zoo.NNGallery") {
    // clang-format off
    std::vector<std::shared_ptr<Module>> activations = {
        nn::ReLU6(), nn::LeakyReLU(), nn::ELU(0.5), nn::CELU(0.7), nn::SELU(), nn::GELU("tanh"),
        nn::SiLU(), nn::Mish(), nn::Softplus(2, 3), nn::LogSigmoid(), nn::Softsign(),
        nn::Tanhshrink(), nn::Softshrink(0.3), nn::Hardshrink(), nn::Hardtanh(-2.0, 1.5),
        nn::Threshold(0.5, -2.0), nn::Hardswish(), nn::Hardsigmoid(), nn::Sigmoid(), nn::Tanh(),
        nn::Softmax(-1), nn::LogSoftmax(1), std::make_shared<nn::PReLU>(), nn::Identity(),
        nn::AlphaDropout(0.1), nn::FeatureAlphaDropout()};
    // clang-format on
    registerModule("activations", std::make_shared<ModuleList>(activations));
    registerModule("glu", nn::GLU(1));
    registerModule("same", std::make_shared<nn::Conv1d>(8, 4, 3, 1, "same", 2, 1, false));
    registerModule("valid", std::make_shared<nn::Conv1d>(8, 4, nn::Ints{2}, 1, "valid", 1, 2));
    registerModule("attn",
                   std::make_shared<nn::MultiheadAttention>(8, 2, 0.0, false, true, false, 4, 6));
    registerModule("rnn", std::make_shared<nn::RNN>(8, 5, 2, true, true, 0.0, false, "relu"));
    registerModule("lstm", std::make_shared<nn::LSTM>(8, 5, 1, true, true, 0.0, false, 3));
    registerModule("gru", std::make_shared<nn::GRU>(8, 4, 1, false, true, 0.0, true));
    registerModule("embedding", std::make_shared<nn::Embedding>(8, 3, -1));
    registerModule("maxpool", nn::MaxPool2d({2, 1}, {1, 1}, {1, 0}, 1, false, true));
    registerModule("avgpool", nn::AvgPool2d(2, {}, 1, false, false, 3));
    registerModule("adaptive", nn::AdaptiveAvgPool2d({2, 3}));
    registerModule("bn", std::make_shared<nn::BatchNorm2d>(1, 1e-3, std::nullopt, false));
    registerModule("inorm", std::make_shared<nn::InstanceNorm2d>(1));
    registerModule("inorm3d", std::make_shared<nn::InstanceNorm3d>(1, 1e-5, 0.1, false, true));
    registerModule("unshuffle", nn::PixelUnshuffle(2));
    registerModule("up", nn::Upsample(Obj::tuple({5, 7}), Obj(), "bilinear", false));
    registerModule("drop2d", nn::Dropout2d(0.1));
    registerModule("flatten", nn::Flatten());
  }
  Module &m(const char *name) const { return *child(name); }
  Obj forward(const Obj &x) override {
    Module &flatten = m("flatten");
    std::vector<Obj> outs;
    for (const auto &[name, activation] : m("activations").children())
      outs.push_back(flatten((*activation)(x)));
    outs.push_back(flatten(m("glu")(x)));
    outs.push_back(flatten(m("same")(x)));
    outs.push_back(flatten(m("valid")(x)));
    Proxy q = x.proxy().permute({2, 0, 1});
    Obj all = Obj::slice(Obj(), Obj());
    Obj k = q[Obj::tuple({all, all, Obj::slice(Obj(), 4)})];
    Obj v = q[Obj::tuple({all, all, Obj::slice(Obj(), 6)})];
    outs.push_back(flatten(m("attn")(std::vector<Obj>{q, k, v})[0].proxy().transpose(0, 1)));
    Proxy s = x.proxy().transpose(1, 2);
    for (const char *rnn : {"rnn", "lstm", "gru"})
      outs.push_back(flatten(m(rnn)(s)[0]));
    outs.push_back(flatten(m("embedding")(call("torch.argmax", {x, 1}))));
    Proxy img = x.proxy().unsqueeze(1);
    for (const char *name : {"maxpool", "avgpool", "adaptive", "bn", "inorm"})
      outs.push_back(flatten(m(name)(img)));
    outs.push_back(flatten(m("inorm3d")(img.unsqueeze(1))));
    outs.push_back(flatten(m("unshuffle")(img)));
    outs.push_back(flatten(m("up")(m("drop2d")(img))));
    return torch::cat(outs, 1);
  }
};

} // namespace fx::zoo

FX_REGISTER_MODEL(nn_gallery, [] { return std::make_shared<fx::zoo::NNGallery>(); })
