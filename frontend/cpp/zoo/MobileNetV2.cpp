//===- MobileNetV2.cpp - torchvision's mobilenet_v2 -----------------------===//
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Zoo.h"
#include "fxmlir/Frontend/nn.h"

#include <cmath>

namespace fx::zoo {

/// torchvision.ops.misc.Conv2dNormActivation: a Sequential of conv, batch norm, ReLU6.
struct Conv2dNormActivation : Sequential {
  Conv2dNormActivation(int64_t in, int64_t out, int64_t kernel = 3, int64_t stride = 1,
                       int64_t groups = 1)
      : Sequential() {
    append(std::make_shared<nn::Conv2d>(in, out, kernel, stride, (kernel - 1) / 2, 1, groups,
                                        false));
    append(std::make_shared<nn::BatchNorm2d>(out));
    append(nn::ReLU6(true));
  }
};

static int64_t makeDivisible(double v, int64_t divisor) {
  int64_t newV = std::max<int64_t>(divisor, (int64_t)(v + divisor / 2.0) / divisor * divisor);
  if (newV < 0.9 * v)
    newV += divisor;
  return newV;
}

struct InvertedResidual : Module {
  InvertedResidual(int64_t inp, int64_t oup, int64_t stride, int64_t expandRatio)
      : Module("torchvision.models.mobilenetv2.InvertedResidual") {
    int64_t hidden = (int64_t)std::llround((double)inp * expandRatio);
    useResConnect = stride == 1 && inp == oup;
    auto conv = std::make_shared<Sequential>();
    if (expandRatio != 1)
      conv->append(std::make_shared<Conv2dNormActivation>(inp, hidden, 1));
    conv->append(std::make_shared<Conv2dNormActivation>(hidden, hidden, 3, stride, hidden));
    conv->append(std::make_shared<nn::Conv2d>(hidden, oup, 1, 1, 0, 1, 1, false));
    conv->append(std::make_shared<nn::BatchNorm2d>(oup));
    addModule("conv", conv);
  }
  Obj forward(const Obj &x) override {
    if (useResConnect)
      return x + (*child("conv"))(x);
    return (*child("conv"))(x);
  }
  bool useResConnect;
};

struct MobileNetV2 : Module {
  MobileNetV2() : Module("torchvision.models.mobilenetv2.MobileNetV2") {
    const int64_t settings[][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                                   {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    int64_t input = makeDivisible(32, 8), last = makeDivisible(1280, 8);
    auto features = std::make_shared<Sequential>();
    features->append(std::make_shared<Conv2dNormActivation>(3, input, 3, 2));
    for (const auto &s : settings) {
      int64_t out = makeDivisible((double)s[1], 8);
      for (int64_t i = 0; i < s[2]; ++i) {
        features->append(std::make_shared<InvertedResidual>(input, out, i == 0 ? s[3] : 1, s[0]));
        input = out;
      }
    }
    features->append(std::make_shared<Conv2dNormActivation>(input, last, 1));
    addModule("features", features);
    addModule("classifier", std::make_shared<Sequential>(std::vector<std::shared_ptr<Module>>{
                                nn::Dropout(0.2), std::make_shared<nn::Linear>(last, 1000)}));
  }
  std::vector<ForwardParam> signature() const override {
    return {{"x", std::nullopt, "torch.Tensor"}};
  }
  std::string returnAnnotation() const override { return "torch.Tensor"; }
  Obj forward(const Obj &input) override {
    Obj x = (*child("features"))(input);
    x = F::adaptiveAvgPool2d(x, Obj::tuple({Obj(1), Obj(1)}));
    x = torch::flatten(x, 1);
    return (*child("classifier"))(x);
  }
};

} // namespace fx::zoo

FX_REGISTER_MODEL(mobilenet_v2, [] { return std::make_shared<fx::zoo::MobileNetV2>(); })
