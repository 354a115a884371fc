//===- ResNet.cpp - torchvision's resnet18 and resnet50 -------------------===//
//
// The structure and qualified names of torchvision.models.resnet, so that the traced graph
// matches torch.fx's node for node.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Zoo.h"
#include "fxmlir/Frontend/nn.h"

namespace fx::zoo {

using nn::BatchNorm2d;
using nn::Conv2d;

static std::shared_ptr<Conv2d> conv3x3(int64_t in, int64_t out, int64_t stride = 1) {
  return std::make_shared<Conv2d>(in, out, 3, stride, 1, 1, 1, false);
}
static std::shared_ptr<Conv2d> conv1x1(int64_t in, int64_t out, int64_t stride = 1) {
  return std::make_shared<Conv2d>(in, out, 1, stride, 0, 1, 1, false);
}

struct BasicBlock : Module {
  static constexpr int64_t expansion = 1;
  BasicBlock(int64_t inplanes, int64_t planes, int64_t stride, std::shared_ptr<Module> downsample)
      : Module("torchvision.models.resnet.BasicBlock") {
    registerModule("conv1", conv3x3(inplanes, planes, stride));
    registerModule("bn1", std::make_shared<BatchNorm2d>(planes));
    registerModule("relu", nn::ReLU(true));
    registerModule("conv2", conv3x3(planes, planes));
    registerModule("bn2", std::make_shared<BatchNorm2d>(planes));
    if (downsample)
      addModule("downsample", downsample);
  }
  Obj forward(const Obj &x) override {
    Obj identity = x;
    Obj out = (*child("conv1"))(x);
    out = (*child("bn1"))(out);
    out = (*child("relu"))(out);
    out = (*child("conv2"))(out);
    out = (*child("bn2"))(out);
    if (Module *d = child("downsample"))
      identity = (*d)(x);
    out = out + identity;
    return (*child("relu"))(out);
  }
};

struct Bottleneck : Module {
  static constexpr int64_t expansion = 4;
  Bottleneck(int64_t inplanes, int64_t planes, int64_t stride, std::shared_ptr<Module> downsample)
      : Module("torchvision.models.resnet.Bottleneck") {
    registerModule("conv1", conv1x1(inplanes, planes));
    registerModule("bn1", std::make_shared<BatchNorm2d>(planes));
    registerModule("conv2", conv3x3(planes, planes, stride));
    registerModule("bn2", std::make_shared<BatchNorm2d>(planes));
    registerModule("conv3", conv1x1(planes, planes * expansion));
    registerModule("bn3", std::make_shared<BatchNorm2d>(planes * expansion));
    registerModule("relu", nn::ReLU(true));
    if (downsample)
      addModule("downsample", downsample);
  }
  Obj forward(const Obj &x) override {
    Obj identity = x;
    Obj out = (*child("relu"))((*child("bn1"))((*child("conv1"))(x)));
    out = (*child("relu"))((*child("bn2"))((*child("conv2"))(out)));
    out = (*child("bn3"))((*child("conv3"))(out));
    if (Module *d = child("downsample"))
      identity = (*d)(x);
    out = out + identity;
    return (*child("relu"))(out);
  }
};

template <typename Block>
struct ResNet : Module {
  explicit ResNet(std::vector<int64_t> layers) : Module("torchvision.models.resnet.ResNet") {
    registerModule("conv1", std::make_shared<Conv2d>(3, 64, 7, 2, 3, 1, 1, false));
    registerModule("bn1", std::make_shared<BatchNorm2d>(64));
    registerModule("relu", nn::ReLU(true));
    registerModule("maxpool", nn::MaxPool2d(3, 2, 1));
    int64_t planes[] = {64, 128, 256, 512};
    for (int i = 0; i < 4; ++i)
      addModule("layer" + std::to_string(i + 1), makeLayer(planes[i], layers[i], i == 0 ? 1 : 2));
    registerModule("avgpool", nn::AdaptiveAvgPool2d({1, 1}));
    registerModule("fc", std::make_shared<nn::Linear>(512 * Block::expansion, 1000));
  }
  std::shared_ptr<Module> makeLayer(int64_t planes, int64_t blocks, int64_t stride) {
    std::shared_ptr<Module> downsample;
    if (stride != 1 || inplanes != planes * Block::expansion)
      downsample = std::make_shared<Sequential>(std::vector<std::shared_ptr<Module>>{
          conv1x1(inplanes, planes * Block::expansion, stride),
          std::make_shared<BatchNorm2d>(planes * Block::expansion)});
    auto layer = std::make_shared<Sequential>();
    layer->append(std::make_shared<Block>(inplanes, planes, stride, downsample));
    inplanes = planes * Block::expansion;
    for (int64_t i = 1; i < blocks; ++i)
      layer->append(std::make_shared<Block>(inplanes, planes, 1, nullptr));
    return layer;
  }
  std::vector<ForwardParam> signature() const override {
    return {{"x", std::nullopt, "torch.Tensor"}};
  }
  std::string returnAnnotation() const override { return "torch.Tensor"; }
  Obj forward(const Obj &input) override {
    Obj x = (*child("conv1"))(input);
    x = (*child("bn1"))(x);
    x = (*child("relu"))(x);
    x = (*child("maxpool"))(x);
    for (int i = 1; i <= 4; ++i)
      x = (*child("layer" + std::to_string(i)))(x);
    x = (*child("avgpool"))(x);
    x = torch::flatten(x, 1);
    return (*child("fc"))(x);
  }
  int64_t inplanes = 64;
};

} // namespace fx::zoo

FX_REGISTER_MODEL(resnet18, [] { return std::make_shared<fx::zoo::ResNet<fx::zoo::BasicBlock>>(std::vector<int64_t>{2, 2, 2, 2}); })
FX_REGISTER_MODEL(resnet50, [] { return std::make_shared<fx::zoo::ResNet<fx::zoo::Bottleneck>>(std::vector<int64_t>{3, 4, 6, 3}); })
