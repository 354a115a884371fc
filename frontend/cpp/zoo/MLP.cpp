//===- MLP.cpp - MLP and LeNet (twins: frontend/python/fx_mlir/models/zoo.py) -===//
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Zoo.h"
#include "fxmlir/Frontend/nn.h"

namespace fx::zoo {

struct MLP : Module {
  MLP() : Module("fx_mlir.models.zoo.MLP") {
    fc1 = registerModule("fc1", std::make_shared<nn::Linear>(784, 1024));
    relu = registerModule("relu", nn::ReLU());
    fc2 = registerModule("fc2", std::make_shared<nn::Linear>(1024, 1024));
    fc3 = registerModule("fc3", std::make_shared<nn::Linear>(1024, 10));
  }
  Obj forward(const Obj &input) override {
    Obj x = torch::flatten(input, 1);
    x = (*relu)((*fc1)(x));
    x = (*relu)((*fc2)(x));
    return (*fc3)(x);
  }
  std::shared_ptr<Module> fc1, relu, fc2, fc3;
};

struct LeNet : Module {
  LeNet() : Module("fx_mlir.models.zoo.LeNet") {
    conv1 = registerModule("conv1", std::make_shared<nn::Conv2d>(1, 6, 5));
    pool = registerModule("pool", nn::MaxPool2d(2));
    conv2 = registerModule("conv2", std::make_shared<nn::Conv2d>(6, 16, 5));
    fc1 = registerModule("fc1", std::make_shared<nn::Linear>(16 * 4 * 4, 120));
    fc2 = registerModule("fc2", std::make_shared<nn::Linear>(120, 84));
    fc3 = registerModule("fc3", std::make_shared<nn::Linear>(84, 10));
  }
  Obj forward(const Obj &input) override {
    Obj x = (*pool)(F::relu((*conv1)(input)));
    x = (*pool)(F::relu((*conv2)(x)));
    x = torch::flatten(x, 1);
    x = F::relu((*fc1)(x));
    x = F::relu((*fc2)(x));
    return (*fc3)(x);
  }
  std::shared_ptr<Module> conv1, pool, conv2, fc1, fc2, fc3;
};

} // namespace fx::zoo

FX_REGISTER_MODEL(mlp, [] { return std::make_shared<fx::zoo::MLP>(); })
FX_REGISTER_MODEL(lenet, [] { return std::make_shared<fx::zoo::LeNet>(); })
