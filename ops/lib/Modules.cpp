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

/// A module whose forward is one function of its inputs and some hyper-parameters, passed as
/// keywords: `hypers` entries are a hyper-parameter's name or "keyword=name" where the function
/// calls it otherwise; `fixed` are literal keywords.
static ModuleInfo &addActivation(Registry &r, const std::string &type, const std::string &ctor,
                                 const std::string &fn, std::vector<std::string> hypers = {},
                                 std::vector<std::pair<std::string, PyValue>> fixed = {},
                                 const std::string &forward = "forward(Tensor input)") {
  size_t inputs = Schema::parse(forward).params.size();
  return r.addModule(type, ctor, forward, [=](ModuleBuilder &m) {
    std::vector<A> args;
    for (size_t i = 0; i < inputs; ++i)
      args.push_back(A(m.input(i)));
    std::vector<std::pair<std::string, A>> kwargs;
    for (const std::string &h : hypers) {
      size_t eq = h.find('=');
      std::string name = eq == std::string::npos ? h : h.substr(eq + 1);
      kwargs.emplace_back(h.substr(0, eq), A(m.hyper(name)));
    }
    for (const auto &[keyword, value] : fixed)
      kwargs.emplace_back(keyword, A(value));
    return m.call(fn, args, kwargs);
  });
}

/// ConvNd and ConvTransposeNd pad with zeros only.
static void checkZerosPaddingMode(ModuleBuilder &m) {
  const std::string &mode = m.hyper("padding_mode").toStr();
  if (mode != "zeros")
    throw OpError("Conv with padding_mode='" + mode + "' is not supported yet");
}

/// ", size" `n` times: the spatial dims of a sample input.
static std::string spatial(int n, int size) {
  std::string dims;
  for (int i = 0; i < n; ++i)
    dims += ", " + std::to_string(size);
  return dims;
}

/// torch.nn.ConvNd: torch.convNd of the input and the module's weight and bias.
static void addConv(Registry &r, int n) {
  std::string d = std::to_string(n), list = "int[" + d + "] ";
  r.addModule("torch.nn.Conv" + d + "d",
              "Conv" + d + "d(int in_channels, int out_channels, " + list + "kernel_size, " + list +
                  "stride=1, Any padding=0, " + list +
                  "dilation=1, int groups=1, bool bias=True, str padding_mode=\"zeros\")",
              "forward(Tensor input)",
              [fn = "torch.conv" + d + "d"](ModuleBuilder &m) {
                checkZerosPaddingMode(m);
                return m.call(fn, {A(m.input(0)), A(m.param("weight")),
                                   optionalParam(m, "bias", m.hasParam("bias")),
                                   A(m.hyper("stride")), A(m.hyper("padding")),
                                   A(m.hyper("dilation")), A(m.hyper("groups"))});
              })
      .withSamples(
          {{"3, 4, 3", "T(2, 3" + spatial(n, 6) + ")"},
           {"4, 6, 2, stride=2, padding=1, groups=2, bias=False", "T(1, 4" + spatial(n, 7) + ")"},
           {"2, 3, 3, padding=2, dilation=2", "T(1, 2" + spatial(n, 6) + ")"},
           {"2, 3, 4, padding='same', dilation=2", "T(1, 2" + spatial(n, 6) + ")"},
           {"2, 4, 4, padding='same', bias=False", "T(2, 2" + spatial(n, 5) + ")"},
           {"2, 3, 2, padding='valid'", "T(1, 2" + spatial(n, 4) + ")"}});
}

/// ConvTransposeNd's output padding: the constructor's, or what forward's `output_size` asks
/// for (torch's `_output_padding`), which must then be known before running.
static PyValue convTransposeOutputPaddingOf(ModuleBuilder &m, int n, H input, H outputSize) {
  if (m.isNone(outputSize))
    return m.hyper("output_padding");
  std::optional<PyValue> size = m.literal(outputSize);
  if (!size)
    throw OpError("ConvTranspose" + std::to_string(n) +
                  "d: an output_size computed at run "
                  "time is not supported; pass it as a literal");
  ConvParams params =
      convParams(n, m.hyper("stride"), m.hyper("padding"), m.hyper("dilation"), m.hyper("groups"));
  std::vector<PyValue> padding;
  for (int64_t p : convTransposeOutputPadding(m.spec(input).shape, *size,
                                              m.hyper("kernel_size").toIntList(n), params))
    padding.push_back(PyValue::integer(p));
  return PyValue::list(padding);
}

/// torch.nn.ConvTransposeNd: torch.conv_transposeNd of the input and the module's weight and
/// bias.
static void addConvTranspose(Registry &r, int n) {
  std::string d = std::to_string(n), list = "int[" + d + "] ", name = "ConvTranspose" + d + "d";
  static const std::vector<ModuleSample> samples[] = {
      {{"4, 2, 3, stride=2, padding=1, output_padding=1", "T(2, 4, 5)"},
       {"4, 6, 3, groups=2, bias=False, dilation=2", "T(1, 4, 6)"},
       {"2, 3, 3, stride=2", "T(1, 2, 4), output_size=[10]"}},
      {{"4, 2, 3, stride=2, padding=1, output_padding=1", "T(1, 4, 5, 5)"},
       {"2, 4, (2, 3), stride=(1, 2), groups=2, bias=False", "T(2, 2, 3, 4)"},
       {"3, 2, 3, stride=2, padding=1", "T(1, 3, 4, 4), output_size=[1, 2, 8, 7]"}},
      {{"2, 3, 2, stride=2, output_padding=1", "T(1, 2, 3, 3, 3)"},
       {"2, 2, 3, padding=1, bias=False, dilation=2", "T(1, 2, 3, 4, 3)"}},
  };
  r.addModule("torch.nn." + name,
              name + "(int in_channels, int out_channels, " + list + "kernel_size, " + list +
                  "stride=1, " + list + "padding=0, " + list +
                  "output_padding=0, int groups=1, bool bias=True, " + list +
                  "dilation=1, str padding_mode=\"zeros\", Any device=None, Any dtype=None)",
              "forward(Tensor input, int[]? output_size=None)",
              [n, fn = "torch.conv_transpose" + d + "d"](ModuleBuilder &m) {
                checkZerosPaddingMode(m);
                H input = m.input(0);
                return m.call(fn, {A(input), A(m.param("weight")),
                                   optionalParam(m, "bias", m.hasParam("bias")),
                                   A(m.hyper("stride")), A(m.hyper("padding")),
                                   A(convTransposeOutputPaddingOf(m, n, input, m.input(1))),
                                   A(m.hyper("groups")), A(m.hyper("dilation"))});
              })
      .withSamples(samples[n - 1]);
}

/// torch.nn's padding modules: F.pad over `dims` dims in `mode`, an int `padding` meaning the
/// same on every side.
static void addPad(Registry &r, const std::string &type, int dims, const std::string &mode,
                   bool takesValue) {
  std::string ctor = type.substr(9) + "(Any padding" + (takesValue ? ", float value)" : ")");
  std::string input = dims == 1 ? "T(2, 3, 5)" : dims == 2 ? "T(2, 3, 4, 5)" : "T(1, 2, 3, 4, 5)";
  std::string sides = "(1, 2";
  for (int i = 1; i < dims; ++i)
    sides += ", 2, 1";
  sides += ")";
  std::string value = takesValue ? ", 0.5" : "";
  r.addModule(type, ctor, "forward(Tensor input)", [dims, mode, takesValue](ModuleBuilder &m) {
     std::vector<PyValue> pad;
     for (int64_t p : m.hyper("padding").toIntList(2 * dims))
       pad.push_back(PyValue::integer(p));
     PyValue value = takesValue ? m.hyper("value") : PyValue::floating(0.0);
     return m.call("torch.nn.functional.pad",
                   {A(m.input(0)), A(PyValue::list(pad)), A(PyValue::str(mode)), A(value)});
   }).withSamples({{"2" + value, input}, {sides + value, input}});
}

/// Pooling modules of every rank: torch.nn.<Name><N>d calls F.<name><N>d with `hypers`.
static void addPools(Registry &r) {
  struct Pool {
    const char *type, *fn, *ctor;
    std::vector<std::string> hypers;
    std::vector<std::string> samples; // constructor arguments; forward gets T(2, 3, <N 7s>)
  };
  const Pool pools[] = {
      {"MaxPool",
       "max_pool",
       "(int[N] kernel_size, int[N]? stride=None, int[N] padding=0, int[N] dilation=1, "
       "bool return_indices=False, bool ceil_mode=False)",
       {"kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"},
       {"3", "2, stride=1, padding=1, ceil_mode=True", "3, 2, 1, return_indices=True"}},
      {"AvgPool",
       "avg_pool",
       "(int[N] kernel_size, int[N]? stride=None, int[N] padding=0, bool ceil_mode=False, "
       "bool count_include_pad=True, int? divisor_override=None)",
       {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"},
       {"3, stride=2", "2, padding=1, count_include_pad=False"}},
      {"AdaptiveAvgPool", "adaptive_avg_pool", "(Any output_size)", {"output_size"}, {"1", "3"}},
      {"AdaptiveMaxPool",
       "adaptive_max_pool",
       "(Any output_size, bool return_indices=False)",
       {"output_size", "return_indices"},
       {"2", "3, return_indices=True"}},
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
      std::string name = std::string(p.type) + d + "d", input = "T(2, 3";
      for (int i = 0; i < n; ++i)
        input += ", 7";
      input += ")";
      std::vector<ModuleSample> samples;
      for (const std::string &ctorArgs : p.samples)
        samples.push_back({ctorArgs, input});
      addActivation(r, "torch.nn." + name, name + ctor,
                    "torch.nn.functional." + std::string(p.fn) + d + "d", hypers)
          .withSamples(samples);
    }
}

/// MaxUnpool1d/2d/3d: F.max_unpoolNd(input, indices, ...) with forward's output_size.
static void addMaxUnpools(Registry &r) {
  const ModuleSample samples[] = {
      {"2", "T(2, 3, 4), T(2, 3, 4, dtype='i64', high=8)"},
      {"(2, 3), stride=2, padding=(0, 1)", "T(1, 2, 3, 3), T(1, 2, 3, 3, dtype='i64', high=20), "
                                           "output_size=[5, 4]"},
      {"2", "T(2, 2, 2, 2), T(2, 2, 2, 2, dtype='i64', high=64)"}};
  for (int n = 1; n <= 3; ++n) {
    std::string d = std::to_string(n), list = "int[" + d + "] ", name = "MaxUnpool" + d + "d";
    r.addModule("torch.nn." + name,
                name + "(" + list + "kernel_size, int[" + d + "]? stride=None, " + list +
                    "padding=0)",
                "forward(Tensor input, Tensor indices, int[]? output_size=None)",
                [fn = "torch.nn.functional.max_unpool" + d + "d"](ModuleBuilder &m) {
                  return m.call(fn, {A(m.input(0)), A(m.input(1))},
                                {{"kernel_size", A(m.hyper("kernel_size"))},
                                 {"stride", A(m.hyper("stride"))},
                                 {"padding", A(m.hyper("padding"))},
                                 {"output_size", A(m.input(2))}});
                })
        .withSamples({samples[n - 1]});
  }
}

/// torch.nn layers with parameters that are one functional call: PReLU, Bilinear, EmbeddingBag.
static void addParametricLayers(Registry &r) {
  r.addModule("torch.nn.PReLU",
              "PReLU(int num_parameters=1, float init=0.25, Any device=None, Any dtype=None)",
              "forward(Tensor input)",
              [](ModuleBuilder &m) {
                return m.call("torch.nn.functional.prelu", {A(m.input(0)), A(m.param("weight"))});
              })
      .withSamples({{"", "T(2, 3, 4)"}, {"3, init=0.1", "T(2, 3, 4, 2)"}});
  r.addModule("torch.nn.Bilinear",
              "Bilinear(int in1_features, int in2_features, int out_features, bool bias=True, "
              "Any device=None, Any dtype=None)",
              "forward(Tensor input1, Tensor input2)",
              [](ModuleBuilder &m) {
                return m.call("torch.nn.functional.bilinear",
                              {A(m.input(0)), A(m.input(1)), A(m.param("weight")),
                               optionalParam(m, "bias", m.hasParam("bias"))});
              })
      .withSamples({{"3, 4, 2", "T(5, 3), T(5, 4)"}, {"2, 3, 4, bias=False", "T(2, 3, 2), T(2, 3, 3)"}});
  r.addModule("torch.nn.EmbeddingBag",
              "EmbeddingBag(int num_embeddings, int embedding_dim, float? max_norm=None, "
              "float norm_type=2.0, bool scale_grad_by_freq=False, str mode=\"mean\", "
              "bool sparse=False, Any _weight=None, bool include_last_offset=False, "
              "int? padding_idx=None, Any device=None, Any dtype=None)",
              "forward(Tensor input, Tensor? offsets=None, Tensor? per_sample_weights=None)",
              [](ModuleBuilder &m) {
                std::vector<std::pair<std::string, A>> kwargs{
                    {"offsets", A(m.input(1))}, {"per_sample_weights", A(m.input(2))}};
                for (const char *h : {"max_norm", "norm_type", "scale_grad_by_freq", "mode",
                                      "sparse", "include_last_offset", "padding_idx"})
                  kwargs.emplace_back(h, A(m.hyper(h)));
                return m.call("torch.nn.functional.embedding_bag",
                              {A(m.input(0)), A(m.param("weight"))}, kwargs);
              })
      .withSamples({{"10, 3", "T(2, 4, dtype='i64', high=10)"},
                    {"6, 2, mode='max', padding_idx=1", "T(3, 2, dtype='i64', high=6)"},
                    {"8, 3, mode='sum'", "T(5, dtype='i64', high=8), T(2, dtype='i64', high=1), "
                                         "per_sample_weights=T(5)"}});
}

/// A loss module: `fn(input, target)` with the hyper-parameters `hypers` as keywords (torch
/// keeps `reduction` with size_average and reduce already folded in) and its buffers
/// `buffers` (weight, pos_weight), None where the module has none.
static ModuleInfo &addLoss(Registry &r, const std::string &type, const std::string &ctor,
                           const std::string &fn, std::vector<std::string> hypers,
                           std::vector<std::string> buffers = {}) {
  return r.addModule(type, ctor, "forward(Tensor input, Tensor target)",
                     [fn, hypers, buffers](ModuleBuilder &m) {
                       std::vector<std::pair<std::string, A>> kwargs;
                       for (const std::string &h : hypers)
                         kwargs.emplace_back(h, A(m.hyper(h)));
                       for (const std::string &b : buffers)
                         kwargs.emplace_back(b, optionalParam(m, b, m.hasParam(b)));
                       return m.call(fn, {A(m.input(0)), A(m.input(1))}, kwargs);
                     });
}

/// BatchNorm1d/2d/3d in eval mode: the running statistics.
static void addBatchNorms(Registry &r) {
  const char *inputs[] = {"T(4, 3)", "T(2, 3, 4, 4)", "T(1, 3, 2, 3, 4)"};
  for (int n = 1; n <= 3; ++n) {
    std::string name = "BatchNorm" + std::to_string(n) + "d";
    r.addModule("torch.nn." + name,
                name + "(int num_features, float eps=1e-05, float? momentum=0.1, "
                       "bool affine=True, bool track_running_stats=True, Any device=None, "
                       "Any dtype=None)",
                "forward(Tensor input)",
                [name](ModuleBuilder &m) {
                  if (!m.hasParam("running_mean"))
                    throw OpError(name + " without running statistics normalises with batch "
                                         "statistics; only eval mode with running stats is "
                                         "supported");
                  return m.call(
                      "torch.nn.functional.batch_norm",
                      {A(m.input(0)), A(m.param("running_mean")), A(m.param("running_var")),
                       optionalParam(m, "weight", m.hasParam("weight")),
                       optionalParam(m, "bias", m.hasParam("bias")), A(PyValue::boolean(false)),
                       A(m.hyper("momentum")), A(m.hyper("eps"))});
                })
        .withSamples({{"3", inputs[n - 1]}, {"3, eps=1e-3, affine=False", inputs[n - 1]}});
  }
}

/// GroupNorm, InstanceNorm1d/2d/3d (eval mode: instance statistics unless running ones are
/// tracked) and the loss modules.
static void addNormsAndLosses(Registry &r) {
  r.addModule("torch.nn.GroupNorm",
              "GroupNorm(int num_groups, int num_channels, float eps=1e-05, bool affine=True, "
              "Any device=None, Any dtype=None)",
              "forward(Tensor input)",
              [](ModuleBuilder &m) {
                return affineNorm(m, "torch.nn.functional.group_norm", "num_groups");
              })
      .withSamples({{"2, 4", "T(2, 4, 3, 3)"}, {"3, 6, eps=1e-3, affine=False", "T(2, 6, 5)"}});
  const char *instanceInputs[] = {"T(2, 3, 6)", "T(2, 3, 4, 5)", "T(1, 3, 2, 3, 4)"};
  for (int n = 1; n <= 3; ++n) {
    std::string type = "torch.nn.InstanceNorm" + std::to_string(n) + "d";
    r.addModule(type,
                type.substr(9) +
                    "(int num_features, float eps=1e-05, float momentum=0.1, bool affine=False, "
                    "bool track_running_stats=False, Any device=None, Any dtype=None)",
                "forward(Tensor input)",
                [](ModuleBuilder &m) {
                  bool running = m.hyper("track_running_stats").toBool();
                  return m.call(
                      "torch.nn.functional.instance_norm",
                      {A(m.input(0)), optionalParam(m, "running_mean", running),
                       optionalParam(m, "running_var", running),
                       optionalParam(m, "weight", m.hasParam("weight")),
                       optionalParam(m, "bias", m.hasParam("bias")),
                       A(PyValue::boolean(!running)), A(m.hyper("momentum")),
                       A(m.hyper("eps"))});
                })
        .withSamples({{"3", instanceInputs[n - 1]},
                      {"3, affine=True, track_running_stats=True", instanceInputs[n - 1]}});
  }
  const std::string legacy = "Any size_average=None, Any reduce=None, str reduction=\"mean\"";
  const std::string F = "torch.nn.functional.";
  addLoss(r, "torch.nn.MSELoss", "MSELoss(" + legacy + ")", F + "mse_loss", {"reduction"})
      .withSamples({{"", "T(2, 3), T(2, 3)"}, {"reduction='sum'", "T(4), T(4)"}});
  addLoss(r, "torch.nn.L1Loss", "L1Loss(" + legacy + ")", F + "l1_loss", {"reduction"})
      .withSamples({{"", "T(2, 3), T(2, 3)"}, {"reduction='none'", "T(4), T(4)"}});
  addLoss(r, "torch.nn.SmoothL1Loss", "SmoothL1Loss(" + legacy + ", float beta=1.0)",
          F + "smooth_l1_loss", {"reduction", "beta"})
      .withSamples({{"beta=0.5", "T(2, 3), T(2, 3)"}});
  addLoss(r, "torch.nn.HuberLoss", "HuberLoss(str reduction=\"mean\", float delta=1.0)",
          F + "huber_loss", {"reduction", "delta"})
      .withSamples({{"delta=0.5", "T(2, 3), T(2, 3)"}});
  addLoss(r, "torch.nn.NLLLoss",
          "NLLLoss(Any weight=None, Any size_average=None, int ignore_index=-100, "
          "Any reduce=None, str reduction=\"mean\")",
          F + "nll_loss", {"ignore_index", "reduction"}, {"weight"})
      .withSamples(
          {{"", "T(3, 5), T(3, dtype='i64', high=5)"},
           {"weight=torch.rand(5), ignore_index=1", "T(4, 5), T(4, dtype='i64', high=5)"}});
  addLoss(r, "torch.nn.CrossEntropyLoss",
          "CrossEntropyLoss(Any weight=None, Any size_average=None, int ignore_index=-100, "
          "Any reduce=None, str reduction=\"mean\", float label_smoothing=0.0)",
          F + "cross_entropy", {"ignore_index", "reduction", "label_smoothing"}, {"weight"})
      .withSamples(
          {{"", "T(3, 5), T(3, dtype='i64', high=5)"},
           {"label_smoothing=0.1, reduction='sum'", "T(2, 4, 3), T(2, 3, dtype='i64', high=4)"}});
  addLoss(r, "torch.nn.BCELoss", "BCELoss(Any weight=None, " + legacy + ")",
          F + "binary_cross_entropy", {"reduction"}, {"weight"})
      .withSamples({{"", "T(2, 3, low=0.1, high=0.9), T(2, 3, low=0, high=1)"}});
  addLoss(r, "torch.nn.BCEWithLogitsLoss",
          "BCEWithLogitsLoss(Any weight=None, " + legacy + ", Any pos_weight=None)",
          F + "binary_cross_entropy_with_logits", {"reduction"}, {"weight", "pos_weight"})
      .withSamples({{"pos_weight=torch.rand(3) + 0.5", "T(2, 3), T(2, 3, low=0, high=1)"}});
  addLoss(r, "torch.nn.KLDivLoss", "KLDivLoss(" + legacy + ", bool log_target=False)", F + "kl_div",
          {"reduction", "log_target"})
      .withSamples({{"reduction='batchmean'", "T(2, 3), T(2, 3, low=0.1, high=1)"}});
}

/// Activations and layout modules that are one functional call.
static void addFunctionalModules(Registry &r) {
  const std::string F = "torch.nn.functional.";
  const std::string input = "T(2, 5, low=-4, high=4)";
  struct Activation {
    const char *name, *ctor, *fn;
    std::vector<std::string> hypers;
    const char *sample; // constructor arguments
  };
  const Activation activations[] = {
      {"LeakyReLU",
       "(float negative_slope=0.01, bool inplace=False)",
       "leaky_relu",
       {"negative_slope"},
       "0.2"},
      {"ELU", "(float alpha=1.0, bool inplace=False)", "elu", {"alpha"}, "alpha=0.5"},
      {"SELU", "(bool inplace=False)", "selu", {}, ""},
      {"CELU", "(float alpha=1.0, bool inplace=False)", "celu", {"alpha"}, "0.7"},
      {"Softplus",
       "(float beta=1, float threshold=20)",
       "softplus",
       {"beta", "threshold"},
       "beta=2, threshold=3"},
      {"Mish", "(bool inplace=False)", "mish", {}, ""},
      {"Softsign", "()", "softsign", {}, ""},
      {"LogSigmoid", "()", "logsigmoid", {}, ""},
      {"Tanhshrink", "()", "tanhshrink", {}, ""},
      {"Hardshrink", "(float lambd=0.5)", "hardshrink", {"lambd"}, "1.0"},
      {"Softshrink", "(float lambd=0.5)", "softshrink", {"lambd"}, "1.0"},
      {"Threshold",
       "(float threshold, float value, bool inplace=False)",
       "threshold",
       {"threshold", "value"},
       "0.5, -2.0"},
      {"Hardtanh",
       "(float min_val=-1.0, float max_val=1.0, bool inplace=False, Any min_value=None, "
       "Any max_value=None)",
       "hardtanh",
       {"min_val", "max_val"},
       "-2.0, 1.5"},
      {"GLU", "(int dim=-1)", "glu", {"dim"}, "0"},
      {"LogSoftmax", "(int? dim=None)", "log_softmax", {"dim"}, "1"},
  };
  for (const Activation &a : activations)
    addActivation(r, std::string("torch.nn.") + a.name, a.name + std::string(a.ctor), F + a.fn,
                  a.hypers)
        .withSamples({{a.sample, std::string(a.name) == "GLU" ? "T(4, 3)" : input}});

  std::string interpolate = F + "interpolate";
  addActivation(r, "torch.nn.Upsample",
                "Upsample(Any size=None, Any scale_factor=None, str mode=\"nearest\", "
                "bool? align_corners=None, bool? recompute_scale_factor=None)",
                interpolate,
                {"size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"})
      .withSamples({{"scale_factor=2", "T(1, 2, 3, 4)"},
                    {"size=(5, 7), mode='bilinear', align_corners=False", "T(1, 2, 3, 4)"}});
  addActivation(r, "torch.nn.UpsamplingNearest2d",
                "UpsamplingNearest2d(Any size=None, Any scale_factor=None)", interpolate,
                {"size", "scale_factor"}, {{"mode", PyValue::str("nearest")}})
      .withSamples({{"scale_factor=2", "T(1, 2, 3, 4)"}});
  addActivation(r, "torch.nn.UpsamplingBilinear2d",
                "UpsamplingBilinear2d(Any size=None, Any scale_factor=None)", interpolate,
                {"size", "scale_factor"},
                {{"mode", PyValue::str("bilinear")}, {"align_corners", PyValue::boolean(true)}})
      .withSamples({{"size=(4, 6)", "T(1, 2, 3, 4)"}});
  addActivation(r, "torch.nn.PixelShuffle", "PixelShuffle(int upscale_factor)",
                "torch.pixel_shuffle", {"upscale_factor"})
      .withSamples({{"2", "T(1, 8, 2, 3)"}});
  addActivation(r, "torch.nn.PixelUnshuffle", "PixelUnshuffle(int downscale_factor)",
                "torch.pixel_unshuffle", {"downscale_factor"})
      .withSamples({{"2", "T(1, 2, 4, 6)"}});
  addActivation(r, "torch.nn.ChannelShuffle", "ChannelShuffle(int groups)", "torch.channel_shuffle",
                {"groups"})
      .withSamples({{"3", "T(1, 6, 2, 2)"}});
  addActivation(r, "torch.nn.Unflatten", "Unflatten(int dim, int[] unflattened_size)",
                "torch.unflatten", {"dim", "sizes=unflattened_size"})
      .withSamples({{"1, (2, 3)", "T(2, 6, 4)"}, {"-1, [2, -1]", "T(3, 8)"}});
  addActivation(r, "torch.nn.Softmax2d", "Softmax2d()", F + "softmax", {},
                {{"dim", PyValue::integer(-3)}})
      .withSamples({{"", "T(2, 3, 4, 5)"}});
  addActivation(r, "torch.nn.CosineSimilarity", "CosineSimilarity(int dim=1, float eps=1e-08)",
                "torch.cosine_similarity", {"dim", "eps"}, {}, "forward(Tensor x1, Tensor x2)")
      .withSamples({{"", "T(3, 4), T(3, 4)"}, {"dim=0", "T(3, 4), T(1, 4)"}});
  addActivation(r, "torch.nn.PairwiseDistance",
                "PairwiseDistance(float p=2.0, float eps=1e-06, bool keepdim=False)",
                "torch.pairwise_distance", {"p", "eps", "keepdim"}, {},
                "forward(Tensor x1, Tensor x2)")
      .withSamples({{"", "T(3, 4), T(3, 4)"}, {"p=1.0, keepdim=True", "T(3, 4), T(4)"}});
}

void registerModules(Registry &r) {
  for (int n = 1; n <= 3; ++n) {
    addConv(r, n);
    addConvTranspose(r, n);
  }
  r.addModule("torch.nn.Linear", "Linear(int in_features, int out_features, bool bias=True)",
              "forward(Tensor input)",
              [](ModuleBuilder &m) {
                return m.call("torch.nn.functional.linear",
                              {A(m.input(0)), A(m.param("weight")),
                               optionalParam(m, "bias", m.hasParam("bias"))});
              })
      .withSamples({{"4, 3", "T(2, 4)"}, {"5, 2, bias=False", "T(2, 3, 5)"}});
  addBatchNorms(r);
  r.addModule("torch.nn.LayerNorm",
              "LayerNorm(int[] normalized_shape, float eps=1e-05, bool elementwise_affine=True, "
              "bool bias=True)",
              "forward(Tensor input)",
              [](ModuleBuilder &m) {
                return affineNorm(m, "torch.nn.functional.layer_norm", "normalized_shape");
              })
      .withSamples({{"4", "T(2, 3, 4)"}, {"[3, 4], elementwise_affine=False", "T(2, 3, 4)"}});
  r.addModule("torch.nn.Embedding",
              "Embedding(int num_embeddings, int embedding_dim, int? padding_idx=None, "
              "float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, "
              "bool sparse=False, Any _weight=None, Any device=None, Any dtype=None)",
              "forward(Tensor input)",
              [](ModuleBuilder &m) {
                return m.call("torch.nn.functional.embedding",
                              {A(m.input(0)), A(m.param("weight")), A(m.hyper("padding_idx")),
                               A(m.hyper("max_norm"))});
              })
      .withSamples(
          {{"10, 3", "T(2, 4, dtype='i64')"}, {"10, 4, padding_idx=0", "T(5, dtype='i64')"}});
  addActivation(r, "torch.nn.ReLU", "ReLU(bool inplace=False)", "torch.nn.functional.relu")
      .withSamples({{"", "T(2, 5, low=-4, high=4)"}});
  addActivation(r, "torch.nn.ReLU6", "ReLU6(bool inplace=False)", "torch.nn.functional.relu6")
      .withSamples({{"", "T(2, 5, low=-4, high=4)"}});
  addActivation(r, "torch.nn.GELU", "GELU(str approximate=\"none\")", "torch.nn.functional.gelu",
                {"approximate"})
      .withSamples({{"", "T(2, 5)"}, {"approximate='tanh'", "T(3, 4)"}});
  addActivation(r, "torch.nn.SiLU", "SiLU(bool inplace=False)", "torch.nn.functional.silu")
      .withSamples({{"", "T(2, 5, low=-4, high=4)"}});
  addActivation(r, "torch.nn.Sigmoid", "Sigmoid()", "torch.sigmoid")
      .withSamples({{"", "T(2, 5, low=-4, high=4)"}});
  addActivation(r, "torch.nn.Tanh", "Tanh()", "torch.tanh")
      .withSamples({{"", "T(2, 5, low=-4, high=4)"}});
  addActivation(r, "torch.nn.Hardswish", "Hardswish(bool inplace=False)",
                "torch.nn.functional.hardswish")
      .withSamples({{"", "T(2, 5, low=-4, high=4)"}});
  addActivation(r, "torch.nn.Hardsigmoid", "Hardsigmoid(bool inplace=False)",
                "torch.nn.functional.hardsigmoid")
      .withSamples({{"", "T(2, 5, low=-4, high=4)"}});
  addActivation(r, "torch.nn.Softmax", "Softmax(int? dim=None)", "torch.nn.functional.softmax",
                {"dim"})
      .withSamples({{"dim=-1", "T(2, 5)"}, {"1", "T(2, 3, 4)"}});
  addActivation(r, "torch.nn.Flatten", "Flatten(int start_dim=1, int end_dim=-1)", "torch.flatten",
                {"start_dim", "end_dim"})
      .withSamples({{"", "T(2, 3, 4)"}, {"0, 1", "T(2, 3, 4)"}});
  addPools(r);
  addMaxUnpools(r);
  addParametricLayers(r);
  addActivation(r, "torch.nn.Unfold",
                "Unfold(int[2] kernel_size, int[2] dilation=1, int[2] padding=0, int[2] stride=1)",
                "torch.nn.functional.unfold", {"kernel_size", "dilation", "padding", "stride"})
      .withSamples({{"2", "T(2, 3, 5, 6)"}, {"(3, 2), 2, 1, (2, 1)", "T(2, 7, 6)"}});
  addActivation(r, "torch.nn.Fold",
                "Fold(int[2] output_size, int[2] kernel_size, int[2] dilation=1, int[2] padding=0, "
                "int[2] stride=1)",
                "torch.nn.functional.fold",
                {"output_size", "kernel_size", "dilation", "padding", "stride"})
      .withSamples({{"(5, 6), 2", "T(2, 12, 20)"}, {"5, 3, padding=1, stride=2", "T(18, 9)"}});
  addPad(r, "torch.nn.ZeroPad2d", 2, "constant", false);
  addPad(r, "torch.nn.ConstantPad1d", 1, "constant", true);
  addPad(r, "torch.nn.ConstantPad2d", 2, "constant", true);
  addPad(r, "torch.nn.ConstantPad3d", 3, "constant", true);
  addPad(r, "torch.nn.ReflectionPad1d", 1, "reflect", false);
  addPad(r, "torch.nn.ReflectionPad2d", 2, "reflect", false);
  addPad(r, "torch.nn.ReplicationPad1d", 1, "replicate", false);
  addPad(r, "torch.nn.ReplicationPad2d", 2, "replicate", false);
  addPad(r, "torch.nn.ReplicationPad3d", 3, "replicate", false);
  addPad(r, "torch.nn.ReflectionPad3d", 3, "reflect", false);
  // Eval mode: dropout is the identity.
  const std::pair<const char *, const char *> dropouts[] = {
      {"Dropout", "T(2, 3, 4)"},      {"Dropout1d", "T(2, 3, 4)"},
      {"Dropout2d", "T(2, 3, 4, 4)"}, {"Dropout3d", "T(1, 2, 3, 4, 4)"},
      {"AlphaDropout", "T(2, 3)"},    {"FeatureAlphaDropout", "T(2, 3, 4)"}};
  for (const auto &[name, input] : dropouts)
    r.addModule(std::string("torch.nn.") + name,
                std::string(name) + "(float p=0.5, bool inplace=False)", "forward(Tensor input)",
                [](ModuleBuilder &m) { return m.input(0); })
        .withSamples({{"0.3", input}});
  r.addModule("torch.nn.Identity", "Identity(*Any args)", "forward(Tensor input)",
              [](ModuleBuilder &m) { return m.input(0); })
      .withSamples({{"", "T(2, 3)"}});
  addNormsAndLosses(r);
  addFunctionalModules(r);
}

} // namespace fxmlir
