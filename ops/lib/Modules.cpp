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

/// GroupNorm and LayerNorm: `fn(input, <shape hyper-parameter>, weight, bias, eps)`, the
/// affine parameters None where the module has none.
static H affineNorm(ModuleBuilder &m, const std::string &fn, const std::string &shapeHyper) {
  return m.call(fn, {A(m.input(0)), A(m.hyper(shapeHyper)),
                     optionalParam(m, "weight", m.hasParam("weight")),
                     optionalParam(m, "bias", m.hasParam("bias")), A(m.hyper("eps"))});
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

/// torch.nn.ConvNd: torch.convNd of the input and the module's weight and bias.
static void addConv(Registry &r, int n) {
  std::string d = std::to_string(n), list = "int[" + d + "] ";
  r.addModule("torch.nn.Conv" + d + "d",
              "Conv" + d + "d(int in_channels, int out_channels, " + list + "kernel_size, " + list +
                  "stride=1, Any padding=0, " + list +
                  "dilation=1, int groups=1, bool bias=True, str padding_mode=\"zeros\")",
              "forward(Tensor input)", [fn = "torch.conv" + d + "d"](ModuleBuilder &m) {
                if (m.hyper("padding_mode").toStr() != "zeros")
                  throw OpError("Conv with padding_mode='" + m.hyper("padding_mode").toStr() +
                                "' is not supported yet");
                return m.call(fn, {A(m.input(0)), A(m.param("weight")),
                                   optionalParam(m, "bias", m.hasParam("bias")),
                                   A(m.hyper("stride")), A(m.hyper("padding")),
                                   A(m.hyper("dilation")), A(m.hyper("groups"))});
              });
}

/// torch.nn's padding modules: F.pad over `dims` dims in `mode`, an int `padding` meaning the
/// same on every side.
static void addPad(Registry &r, const std::string &type, int dims, const std::string &mode,
                   bool takesValue) {
  std::string ctor = type.substr(9) + "(Any padding" + (takesValue ? ", float value)" : ")");
  r.addModule(type, ctor, "forward(Tensor input)", [dims, mode, takesValue](ModuleBuilder &m) {
    std::vector<PyValue> pad;
    for (int64_t p : m.hyper("padding").toIntList(2 * dims))
      pad.push_back(PyValue::integer(p));
    PyValue value = takesValue ? m.hyper("value") : PyValue::floating(0.0);
    return m.call("torch.nn.functional.pad", {A(m.input(0)), A(PyValue::list(pad)),
                                              A(PyValue::str(mode)), A(value)});
  });
}

/// Pooling modules of every rank: torch.nn.<Name><N>d calls F.<name><N>d with `hypers`.
static void addPools(Registry &r) {
  struct Pool {
    const char *type, *fn, *ctor;
    std::vector<std::string> hypers;
  };
  const Pool pools[] = {
      {"MaxPool", "max_pool",
       "(int[N] kernel_size, int[N]? stride=None, int[N] padding=0, int[N] dilation=1, "
       "bool return_indices=False, bool ceil_mode=False)",
       {"kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"}},
      {"AvgPool", "avg_pool",
       "(int[N] kernel_size, int[N]? stride=None, int[N] padding=0, bool ceil_mode=False, "
       "bool count_include_pad=True, int? divisor_override=None)",
       {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
        "divisor_override"}},
      {"AdaptiveAvgPool", "adaptive_avg_pool", "(Any output_size)", {"output_size"}},
  };
  for (const Pool &p : pools)
    for (int n = 1; n <= 3; ++n) {
      std::string d = std::to_string(n), ctor = p.ctor;
      for (size_t i; (i = ctor.find("[N]")) != std::string::npos;)
        ctor.replace(i, 3, "[" + d + "]");
      std::vector<std::string> hypers = p.hypers;
      if (n == 1 && std::string(p.type) == "AvgPool") { // AvgPool1d has no divisor_override
        ctor = ctor.substr(0, ctor.find(", int? divisor_override")) + ")";
        hypers.pop_back();
      }
      std::string name = std::string(p.type) + d + "d";
      addActivation(r, "torch.nn." + name, name + ctor,
                    "torch.nn.functional." + std::string(p.fn) + d + "d", hypers);
    }
}

/// A loss module: `fn(input, target)` with the hyper-parameters `hypers` as keywords (torch
/// keeps `reduction` with size_average and reduce already folded in) and its buffers
/// `buffers` (weight, pos_weight), None where the module has none.
static void addLoss(Registry &r, const std::string &type, const std::string &ctor,
                    const std::string &fn, std::vector<std::string> hypers,
                    std::vector<std::string> buffers = {}) {
  r.addModule(type, ctor, "forward(Tensor input, Tensor target)",
              [fn, hypers, buffers](ModuleBuilder &m) {
                std::vector<std::pair<std::string, A>> kwargs;
                for (const std::string &h : hypers)
                  kwargs.emplace_back(h, A(m.hyper(h)));
                for (const std::string &b : buffers)
                  kwargs.emplace_back(b, optionalParam(m, b, m.hasParam(b)));
                return m.call(fn, {A(m.input(0)), A(m.input(1))}, kwargs);
              });
}

/// GroupNorm, InstanceNorm1d/2d/3d (eval mode: instance statistics unless running ones are
/// tracked) and the loss modules.
static void addNormsAndLosses(Registry &r) {
  r.addModule("torch.nn.GroupNorm",
              "GroupNorm(int num_groups, int num_channels, float eps=1e-05, bool affine=True, "
              "Any device=None, Any dtype=None)",
              "forward(Tensor input)", [](ModuleBuilder &m) {
                return affineNorm(m, "torch.nn.functional.group_norm", "num_groups");
              });
  for (const char *type :
       {"torch.nn.InstanceNorm1d", "torch.nn.InstanceNorm2d", "torch.nn.InstanceNorm3d"})
    r.addModule(type,
                std::string(type + 9) +
                    "(int num_features, float eps=1e-05, float momentum=0.1, bool affine=False, "
                    "bool track_running_stats=False, Any device=None, Any dtype=None)",
                "forward(Tensor input)", [](ModuleBuilder &m) {
                  bool running = m.hyper("track_running_stats").toBool();
                  return m.call(
                      "torch.nn.functional.instance_norm",
                      {A(m.input(0)), optionalParam(m, "running_mean", running),
                       optionalParam(m, "running_var", running),
                       optionalParam(m, "weight", m.hasParam("weight")),
                       optionalParam(m, "bias", m.hasParam("bias")),
                       A(PyValue::boolean(!running)), A(m.hyper("momentum")),
                       A(m.hyper("eps"))});
                });
  const std::string legacy = "Any size_average=None, Any reduce=None, str reduction=\"mean\"";
  const std::string F = "torch.nn.functional.";
  addLoss(r, "torch.nn.MSELoss", "MSELoss(" + legacy + ")", F + "mse_loss", {"reduction"});
  addLoss(r, "torch.nn.L1Loss", "L1Loss(" + legacy + ")", F + "l1_loss", {"reduction"});
  addLoss(r, "torch.nn.SmoothL1Loss", "SmoothL1Loss(" + legacy + ", float beta=1.0)",
          F + "smooth_l1_loss", {"reduction", "beta"});
  addLoss(r, "torch.nn.HuberLoss", "HuberLoss(str reduction=\"mean\", float delta=1.0)",
          F + "huber_loss", {"reduction", "delta"});
  addLoss(r, "torch.nn.NLLLoss",
          "NLLLoss(Any weight=None, Any size_average=None, int ignore_index=-100, "
          "Any reduce=None, str reduction=\"mean\")",
          F + "nll_loss", {"ignore_index", "reduction"}, {"weight"});
  addLoss(r, "torch.nn.CrossEntropyLoss",
          "CrossEntropyLoss(Any weight=None, Any size_average=None, int ignore_index=-100, "
          "Any reduce=None, str reduction=\"mean\", float label_smoothing=0.0)",
          F + "cross_entropy", {"ignore_index", "reduction", "label_smoothing"}, {"weight"});
  addLoss(r, "torch.nn.BCELoss", "BCELoss(Any weight=None, " + legacy + ")",
          F + "binary_cross_entropy", {"reduction"}, {"weight"});
  addLoss(r, "torch.nn.BCEWithLogitsLoss",
          "BCEWithLogitsLoss(Any weight=None, " + legacy + ", Any pos_weight=None)",
          F + "binary_cross_entropy_with_logits", {"reduction"}, {"weight", "pos_weight"});
  addLoss(r, "torch.nn.KLDivLoss", "KLDivLoss(" + legacy + ", bool log_target=False)",
          F + "kl_div", {"reduction", "log_target"});
}

void registerModules(Registry &r) {
  for (int n = 1; n <= 3; ++n)
    addConv(r, n);
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
                return affineNorm(m, "torch.nn.functional.layer_norm", "normalized_shape");
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
  addPools(r);
  addPad(r, "torch.nn.ZeroPad2d", 2, "constant", false);
  addPad(r, "torch.nn.ConstantPad1d", 1, "constant", true);
  addPad(r, "torch.nn.ConstantPad2d", 2, "constant", true);
  addPad(r, "torch.nn.ConstantPad3d", 3, "constant", true);
  addPad(r, "torch.nn.ReflectionPad1d", 1, "reflect", false);
  addPad(r, "torch.nn.ReflectionPad2d", 2, "reflect", false);
  addPad(r, "torch.nn.ReplicationPad1d", 1, "replicate", false);
  addPad(r, "torch.nn.ReplicationPad2d", 2, "replicate", false);
  // Eval mode: dropout is the identity.
  for (const char *type : {"torch.nn.Dropout", "torch.nn.Dropout2d"})
    r.addModule(type, std::string(type + 9) + "(float p=0.5, bool inplace=False)",
                "forward(Tensor input)", [](ModuleBuilder &m) { return m.input(0); });
  r.addModule("torch.nn.Identity", "Identity(*Any args)", "forward(Tensor input)",
              [](ModuleBuilder &m) { return m.input(0); });
  addNormsAndLosses(r);
}

} // namespace fxmlir
