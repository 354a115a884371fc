//===- Modules.cpp - torch.nn modules as function calls -------------------===//
//
// Each leaf module of the library, described by its constructor signature (with torch's
// defaults) and what its forward computes in eval mode, in terms of registered functions.
//
//===----------------------------------------------------------------------===//
#include "KernelUtils.h"

namespace fxmlir {

using H = ModuleBuilder::Handle;
using A = ModuleBuilder::Arg;

static A optionalParam(ModuleBuilder &m, const std::string &name, bool present) {
  return present ? A(m.param(name)) : A(PyValue::none());
}

/// A module whose forward is one function of the input and some hyper-parameters.
static void addActivation(Registry &r, const std::string &type, const std::string &ctor,
                          const std::string &fn, std::vector<std::string> hypers = {}) {
  r.addModule(type, ctor, "forward(Tensor input)", [fn, hypers](ModuleBuilder &m) {
    std::vector<std::pair<std::string, A>> kwargs;
    for (const std::string &h : hypers)
      kwargs.emplace_back(h, A(m.hyper(h)));
    return m.call(fn, {A(m.input(0))}, kwargs);
  });
}

void registerModules(Registry &r) {
  r.addModule("torch.nn.Conv2d",
              "Conv2d(int in_channels, int out_channels, int[2] kernel_size, int[2] stride=1, "
              "Any padding=0, int[2] dilation=1, int groups=1, bool bias=True, "
              "str padding_mode=\"zeros\")",
              "forward(Tensor input)", [](ModuleBuilder &m) {
                if (m.hyper("padding_mode").toStr() != "zeros")
                  throw OpError("Conv2d with padding_mode='" + m.hyper("padding_mode").toStr() +
                                "' is not supported yet");
                return m.call("torch.conv2d",
                              {A(m.input(0)), A(m.param("weight")),
                               optionalParam(m, "bias", m.hasParam("bias")), A(m.hyper("stride")),
                               A(m.hyper("padding")), A(m.hyper("dilation")), A(m.hyper("groups"))});
              });
  r.addModule("torch.nn.Linear", "Linear(int in_features, int out_features, bool bias=True)",
              "forward(Tensor input)", [](ModuleBuilder &m) {
                return m.call("torch.nn.functional.linear",
                              {A(m.input(0)), A(m.param("weight")),
                               optionalParam(m, "bias", m.hasParam("bias"))});
              });
  r.addModule("torch.nn.BatchNorm2d",
              "BatchNorm2d(int num_features, float eps=1e-05, float? momentum=0.1, "
              "bool affine=True, bool track_running_stats=True)",
              "forward(Tensor input)", [](ModuleBuilder &m) {
                if (!m.hasParam("running_mean"))
                  throw OpError("BatchNorm2d without running statistics normalises with batch "
                                "statistics; only eval mode with running stats is supported");
                return m.call("torch.nn.functional.batch_norm",
                              {A(m.input(0)), A(m.param("running_mean")), A(m.param("running_var")),
                               optionalParam(m, "weight", m.hasParam("weight")),
                               optionalParam(m, "bias", m.hasParam("bias")),
                               A(PyValue::boolean(false)), A(m.hyper("momentum")), A(m.hyper("eps"))});
              });
  r.addModule("torch.nn.LayerNorm",
              "LayerNorm(int[] normalized_shape, float eps=1e-05, bool elementwise_affine=True, "
              "bool bias=True)",
              "forward(Tensor input)", [](ModuleBuilder &m) {
                return m.call("torch.nn.functional.layer_norm",
                              {A(m.input(0)), A(m.hyper("normalized_shape")),
                               optionalParam(m, "weight", m.hasParam("weight")),
                               optionalParam(m, "bias", m.hasParam("bias")), A(m.hyper("eps"))});
              });
  r.addModule("torch.nn.Embedding",
              "Embedding(int num_embeddings, int embedding_dim, int? padding_idx=None, "
              "float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, "
              "bool sparse=False)",
              "forward(Tensor input)", [](ModuleBuilder &m) {
                return m.call("torch.nn.functional.embedding",
                              {A(m.input(0)), A(m.param("weight")), A(m.hyper("padding_idx")),
                               A(m.hyper("max_norm"))});
              });
  addActivation(r, "torch.nn.ReLU", "ReLU(bool inplace=False)", "torch.nn.functional.relu");
  addActivation(r, "torch.nn.ReLU6", "ReLU6(bool inplace=False)", "torch.nn.functional.relu6");
  addActivation(r, "torch.nn.GELU", "GELU(str approximate=\"none\")", "torch.nn.functional.gelu",
                {"approximate"});
  addActivation(r, "torch.nn.SiLU", "SiLU(bool inplace=False)", "torch.nn.functional.silu");
  addActivation(r, "torch.nn.Sigmoid", "Sigmoid()", "torch.sigmoid");
  addActivation(r, "torch.nn.Tanh", "Tanh()", "torch.tanh");
  addActivation(r, "torch.nn.Hardswish", "Hardswish(bool inplace=False)",
                "torch.nn.functional.hardswish");
  addActivation(r, "torch.nn.Hardsigmoid", "Hardsigmoid(bool inplace=False)",
                "torch.nn.functional.hardsigmoid");
  addActivation(r, "torch.nn.Softmax", "Softmax(int? dim=None)", "torch.nn.functional.softmax",
                {"dim"});
  addActivation(r, "torch.nn.Flatten", "Flatten(int start_dim=1, int end_dim=-1)", "torch.flatten",
                {"start_dim", "end_dim"});
  addActivation(r, "torch.nn.AdaptiveAvgPool2d", "AdaptiveAvgPool2d(Any output_size)",
                "torch.nn.functional.adaptive_avg_pool2d", {"output_size"});
  addActivation(r, "torch.nn.MaxPool2d",
                "MaxPool2d(int[2] kernel_size, int[2]? stride=None, int[2] padding=0, "
                "int[2] dilation=1, bool return_indices=False, bool ceil_mode=False)",
                "torch.nn.functional.max_pool2d",
                {"kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"});
  addActivation(r, "torch.nn.AvgPool2d",
                "AvgPool2d(int[2] kernel_size, int[2]? stride=None, int[2] padding=0, "
                "bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None)",
                "torch.nn.functional.avg_pool2d",
                {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                 "divisor_override"});
  // Eval mode: dropout is the identity.
  for (const char *type : {"torch.nn.Dropout", "torch.nn.Dropout2d"})
    r.addModule(type, std::string(type + 9) + "(float p=0.5, bool inplace=False)",
                "forward(Tensor input)", [](ModuleBuilder &m) { return m.input(0); });
  r.addModule("torch.nn.Identity", "Identity(*Any args)", "forward(Tensor input)",
              [](ModuleBuilder &m) { return m.input(0); });
}

} // namespace fxmlir
