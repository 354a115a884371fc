//===- MyModel.cpp - A user's model, traced without writing a driver ------===//
//
//   fx-trace --load-models libFxExampleMyModel.so my_model --input 2x8xf32
//
// One macro registers the model; fx-trace loads the library and traces it.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Zoo.h"
#include "fxmlir/Frontend/nn.h"

namespace {
struct MyModel : fx::Module {
  MyModel() : Module("my_models.MyModel") {
    registerModule("proj", std::make_shared<fx::nn::Linear>(8, 4));
    registerModule("act", fx::nn::GELU());
  }
  fx::Obj forward(const fx::Obj &x) override {
    fx::Obj h = (*child("act"))((*child("proj"))(x));
    return fx::F::softmax(h * 2.0, -1);
  }
};
} // namespace

FX_REGISTER_MODEL(my_model, [] { return std::make_shared<MyModel>(); })
