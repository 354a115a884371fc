//===- nn.h - The torch.nn module library in C++ ----------------*- C++ -*-===//
//
// torch's names, constructor arguments and defaults, parameters initialised as torch
// initialises them (from fx::manualSeed). Under the default tracer these are leaves (one
// call_module each); their forwards, used when a tracer traces through them, call the same
// functions torch's do.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FRONTEND_NN_H
#define FXMLIR_FRONTEND_NN_H

#include "fxmlir/Frontend/Module.h"

namespace fx::nn {

using Size2 = std::pair<int64_t, int64_t>;

struct Linear : Module {
  Linear(int64_t inFeatures, int64_t outFeatures, bool bias = true);
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  int64_t inFeatures, outFeatures;
  bool hasBias;
};

struct Conv2d : Module {
  Conv2d(int64_t in, int64_t out, Size2 kernel, Size2 stride = {1, 1}, Size2 padding = {0, 0},
         Size2 dilation = {1, 1}, int64_t groups = 1, bool bias = true);
  Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0,
         int64_t dilation = 1, int64_t groups = 1, bool bias = true)
      : Conv2d(in, out, {kernel, kernel}, {stride, stride}, {padding, padding},
               {dilation, dilation}, groups, bias) {}
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  int64_t in, out, groups;
  Size2 kernel, stride, padding, dilation;
  bool hasBias;
};

struct BatchNorm2d : Module {
  explicit BatchNorm2d(int64_t numFeatures, double eps = 1e-5, double momentum = 0.1,
                       bool affine = true, bool trackRunningStats = true);
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  int64_t numFeatures;
  double eps, momentum;
  bool affine, trackRunningStats;
};

struct LayerNorm : Module {
  explicit LayerNorm(std::vector<int64_t> normalizedShape, double eps = 1e-5,
                     bool elementwiseAffine = true);
  explicit LayerNorm(int64_t size, double eps = 1e-5) : LayerNorm(std::vector<int64_t>{size}, eps) {}
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  std::vector<int64_t> normalizedShape;
  double eps;
  bool elementwiseAffine;
};

struct Embedding : Module {
  Embedding(int64_t num, int64_t dim);
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  int64_t num, dim;
};

/// Modules whose forward is one function of the input and of literal hyper-parameters.
struct Elementwise : Module {
  Elementwise(std::string type, std::string function, Kwargs hyper, Kwargs call = {})
      : Module(std::move(type)), function(std::move(function)), hyper(std::move(hyper)),
        callKwargs(std::move(call)) {}
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override { return hyper; }
  std::string function;
  Kwargs hyper, callKwargs;
};

std::shared_ptr<Module> ReLU(bool inplace = false);
std::shared_ptr<Module> ReLU6(bool inplace = false);
std::shared_ptr<Module> GELU();
std::shared_ptr<Module> SiLU(bool inplace = false);
std::shared_ptr<Module> Sigmoid();
std::shared_ptr<Module> Tanh();
std::shared_ptr<Module> Hardswish(bool inplace = false);
std::shared_ptr<Module> Hardsigmoid(bool inplace = false);
std::shared_ptr<Module> Softmax(int64_t dim);
std::shared_ptr<Module> Dropout(double p = 0.5, bool inplace = false);
std::shared_ptr<Module> Identity();
std::shared_ptr<Module> Flatten(int64_t startDim = 1, int64_t endDim = -1);
std::shared_ptr<Module> MaxPool2d(int64_t kernel, int64_t stride = -1, int64_t padding = 0,
                                  int64_t dilation = 1, bool ceilMode = false);
std::shared_ptr<Module> AvgPool2d(int64_t kernel, int64_t stride = -1, int64_t padding = 0,
                                  bool ceilMode = false, bool countIncludePad = true);
std::shared_ptr<Module> AdaptiveAvgPool2d(Size2 outputSize);

/// torch.nn.MultiheadAttention: a leaf with its parameters (forward(query, key, value, ...)).
struct MultiheadAttention : Module {
  MultiheadAttention(int64_t embedDim, int64_t numHeads, double dropout = 0.0, bool bias = true,
                     bool batchFirst = false);
  std::vector<ForwardParam> signature() const override;
  Obj forwardArgs(const std::vector<Obj> &args) override;
  Kwargs hyperparameters() const override;
  int64_t embedDim, numHeads;
  double dropout;
  bool bias, batchFirst;
};

} // namespace fx::nn

#endif
