//===- nn.cpp - The torch.nn module library in C++ ------------------------===//
#include "fxmlir/Frontend/nn.h"
#include "fxmlir/Frontend/Functional.h"

#include <cmath>

namespace fx::nn {

static Obj intTuple(const std::vector<int64_t> &v) {
  std::vector<Obj> items(v.begin(), v.end());
  return Obj::tuple(items);
}
static fxmlir::Tensor filled(fxmlir::Shape shape, double v, fxmlir::DType d = fxmlir::DType::F32) {
  return fxmlir::Tensor(std::move(shape), d, v);
}
static Obj optional(const std::optional<int64_t> &v) { return v ? Obj(*v) : Obj(); }
static Obj optional(const std::optional<double> &v) { return v ? Obj(*v) : Obj(); }
static std::string dims(size_t n) { return std::to_string(n) + "d"; }
/// A module that is a leaf under every tracer: tracing through its forward is an error.
[[noreturn]] static void leafOnly(const Module &m) {
  throw TraceError(m.getTypeName() + " is traced as a leaf (call_module); tracing through its "
                                     "forward is not supported");
}

std::vector<int64_t> Ints::expand(size_t n, const char *what) const {
  if (scalar)
    return std::vector<int64_t>(n, values[0]);
  if (values.size() != n)
    throw TraceError(std::string(what) + " must have " + std::to_string(n) + " values, not " +
                     std::to_string(values.size()));
  return values;
}
Obj Ints::given() const {
  if (isNone())
    return Obj();
  return scalar ? Obj(values[0]) : intTuple(values);
}

Linear::Linear(std::string type, int64_t in, int64_t out, bool bias)
    : Module(std::move(type)), inFeatures(in), outFeatures(out), hasBias(bias) {
  // kaiming_uniform_(a=sqrt(5)) and the bias bound, as torch's reset_parameters.
  double bound = 1.0 / std::sqrt((double)in);
  registerParameter("weight", uniformTensor({out, in}, bound));
  if (bias)
    registerParameter("bias", uniformTensor({out}, bound));
  else
    setParameterNone("bias");
}
Obj Linear::forward(const Obj &x) { return F::linear(x, param("weight"), param("bias")); }
Kwargs Linear::hyperparameters() const {
  return {{"in_features", inFeatures}, {"out_features", outFeatures}, {"bias", hasBias}};
}

ConvBase::ConvBase(size_t n, bool transposed, int64_t in, int64_t out, const Ints &kernel,
                   const Ints &stride, const Padding &padding, const Ints &outputPadding,
                   const Ints &dilation, int64_t groups, bool bias, std::string paddingMode)
    : Module((transposed ? "torch.nn.ConvTranspose" : "torch.nn.Conv") + dims(n)), n(n),
      transposed(transposed), in(in), out(out), groups(groups),
      kernel(kernel.expand(n, "kernel_size")), stride(stride.expand(n, "stride")),
      outputPadding(outputPadding.expand(n, "output_padding")),
      dilation(dilation.expand(n, "dilation")), paddingWord(padding.word), hasBias(bias),
      paddingMode(std::move(paddingMode)) {
  // torch's _ConvNd checks, with its messages.
  if (groups <= 0)
    throw TraceError("groups must be a positive integer");
  if (in % groups != 0)
    throw TraceError("in_channels must be divisible by groups");
  if (out % groups != 0)
    throw TraceError("out_channels must be divisible by groups");
  if (paddingWord.empty())
    this->padding = padding.expand(n, "padding");
  else if (paddingWord != "same" && paddingWord != "valid")
    throw TraceError("Invalid padding string '" + paddingWord +
                     "', should be one of {'valid', 'same'}");
  else if (transposed)
    throw TraceError("padding must be an int or a tuple of ints for " + getTypeName());
  if (paddingWord == "same")
    for (int64_t s : this->stride)
      if (s != 1)
        throw TraceError("padding='same' is not supported for strided convolutions");
  const std::string &mode = this->paddingMode;
  if (mode != "zeros" &&
      (transposed || (mode != "reflect" && mode != "replicate" && mode != "circular")))
    throw TraceError("padding_mode '" + mode + "' is not supported for " + getTypeName());
  fxmlir::Shape shape =
      transposed ? fxmlir::Shape{in, out / groups} : fxmlir::Shape{out, in / groups};
  shape.insert(shape.end(), this->kernel.begin(), this->kernel.end());
  // kaiming_uniform_(a=sqrt(5)): bound 1/sqrt(fan_in), fan_in = weight.size(1) * kernel volume.
  int64_t fanIn = shape[1];
  for (int64_t k : this->kernel)
    fanIn *= k;
  double bound = 1.0 / std::sqrt((double)fanIn);
  registerParameter("weight", uniformTensor(shape, bound));
  if (bias)
    registerParameter("bias", uniformTensor({out}, bound));
  else
    setParameterNone("bias");
}
static Obj paddingArg(const ConvBase &c) {
  return c.paddingWord.empty() ? intTuple(c.padding) : Obj(c.paddingWord);
}
Obj ConvBase::forward(const Obj &x) {
  if (paddingMode != "zeros")
    leafOnly(*this); // torch pads first (F.pad), then convolves
  if (transposed)
    return call("torch.conv_transpose" + dims(n),
                {x, param("weight"), param("bias"), intTuple(stride), intTuple(padding),
                 intTuple(outputPadding), Obj(groups), intTuple(dilation)});
  return call("torch.conv" + dims(n), {x, param("weight"), param("bias"), intTuple(stride),
                                       paddingArg(*this), intTuple(dilation), Obj(groups)});
}
Kwargs ConvBase::hyperparameters() const {
  Kwargs hp = {{"in_channels", in},
               {"out_channels", out},
               {"kernel_size", intTuple(kernel)},
               {"stride", intTuple(stride)},
               {"padding", paddingArg(*this)}};
  if (transposed)
    hp.emplace_back("output_padding", intTuple(outputPadding));
  else
    hp.emplace_back("dilation", intTuple(dilation));
  hp.emplace_back("groups", groups);
  hp.emplace_back("bias", hasBias);
  if (transposed)
    hp.emplace_back("dilation", intTuple(dilation));
  hp.emplace_back("padding_mode", paddingMode);
  return hp;
}

/// A norm's elementwise affine `weight` (ones) and `bias` (zeros), or None for both.
static void registerAffine(Module &m, const fxmlir::Shape &shape, bool affine) {
  if (!affine) {
    m.setParameterNone("weight");
    m.setParameterNone("bias");
    return;
  }
  m.registerParameter("weight", filled(shape, 1.0));
  m.registerParameter("bias", filled(shape, 0.0));
}

NormBase::NormBase(std::string type, int64_t n, double eps, std::optional<double> momentum,
                   bool affine, bool track)
    : Module(std::move(type)), numFeatures(n), eps(eps), momentum(momentum), affine(affine),
      trackRunningStats(track) {
  registerAffine(*this, {n}, affine);
  if (track) {
    registerBuffer("running_mean", filled({n}, 0.0));
    registerBuffer("running_var", filled({n}, 1.0));
    registerBuffer("num_batches_tracked", filled({}, 0.0, fxmlir::DType::I64));
  }
}
Obj NormBase::batchNorm(const Obj &x) {
  // torch's BatchNorm forward in eval mode: running statistics when it tracks them, batch
  // statistics (training=True) otherwise; a None momentum becomes 0.0.
  Obj runningMean = trackRunningStats ? param("running_mean") : Obj();
  Obj runningVar = trackRunningStats ? param("running_var") : Obj();
  return call("torch.nn.functional.batch_norm", {x, runningMean, runningVar},
              {{"weight", param("weight")},
               {"bias", param("bias")},
               {"training", Obj(!trackRunningStats)},
               {"momentum", Obj(momentum.value_or(0.0))},
               {"eps", Obj(eps)}});
}
Kwargs NormBase::hyperparameters() const {
  return {{"num_features", numFeatures},
          {"eps", eps},
          {"momentum", optional(momentum)},
          {"affine", affine},
          {"track_running_stats", trackRunningStats}};
}

GroupNorm::GroupNorm(int64_t groups, int64_t channels, double eps, bool affine)
    : Module("torch.nn.GroupNorm"), numGroups(groups), numChannels(channels), eps(eps),
      affine(affine) {
  if (groups <= 0 || channels % groups != 0)
    throw TraceError("num_channels must be divisible by num_groups");
  registerAffine(*this, {channels}, affine);
}
Obj GroupNorm::forward(const Obj &x) {
  return call("torch.nn.functional.group_norm", {x, Obj(numGroups)},
              {{"weight", param("weight")}, {"bias", param("bias")}, {"eps", Obj(eps)}});
}
Kwargs GroupNorm::hyperparameters() const {
  return {
      {"num_groups", numGroups}, {"num_channels", numChannels}, {"eps", eps}, {"affine", affine}};
}

LayerNorm::LayerNorm(std::vector<int64_t> shape, double eps, bool affine)
    : Module("torch.nn.LayerNorm"), normalizedShape(shape), eps(eps), elementwiseAffine(affine) {
  registerAffine(*this, shape, affine);
}
Obj LayerNorm::forward(const Obj &x) {
  return call("torch.nn.functional.layer_norm", {x, intTuple(normalizedShape)},
              {{"weight", param("weight")}, {"bias", param("bias")}, {"eps", Obj(eps)}});
}
Kwargs LayerNorm::hyperparameters() const {
  return {{"normalized_shape", intTuple(normalizedShape)},
          {"eps", eps},
          {"elementwise_affine", elementwiseAffine}};
}

Embedding::Embedding(int64_t num, int64_t dim, std::optional<int64_t> paddingIdx,
                     std::optional<double> maxNorm, double normType, bool scaleGradByFreq,
                     bool sparse)
    : Module("torch.nn.Embedding"), num(num), dim(dim), paddingIdx(paddingIdx), maxNorm(maxNorm),
      normType(normType), scaleGradByFreq(scaleGradByFreq), sparse(sparse) {
  if (paddingIdx) {
    if (*paddingIdx >= num || *paddingIdx < -num)
      throw TraceError("Padding_idx must be within num_embeddings");
    if (*paddingIdx < 0)
      *this->paddingIdx += num;
  }
  // normal_(0, 1), and the padding row zeroed.
  fxmlir::Tensor &weight = registerParameter("weight", normalTensor({num, dim}, 1.0));
  if (this->paddingIdx)
    for (int64_t j = 0; j < dim; ++j)
      weight[*this->paddingIdx * dim + j] = 0.0;
}
Obj Embedding::forward(const Obj &x) {
  return call("torch.nn.functional.embedding", {x, param("weight")},
              {{"padding_idx", optional(paddingIdx)},
               {"max_norm", optional(maxNorm)},
               {"norm_type", Obj(normType)},
               {"scale_grad_by_freq", Obj(scaleGradByFreq)},
               {"sparse", Obj(sparse)}});
}
Kwargs Embedding::hyperparameters() const {
  return {{"num_embeddings", num},
          {"embedding_dim", dim},
          {"padding_idx", optional(paddingIdx)},
          {"max_norm", optional(maxNorm)},
          {"norm_type", normType},
          {"scale_grad_by_freq", scaleGradByFreq},
          {"sparse", sparse}};
}

PReLU::PReLU(int64_t numParameters, double init)
    : Module("torch.nn.PReLU"), numParameters(numParameters) {
  registerParameter("weight", filled({numParameters}, init).round());
}
Obj PReLU::forward(const Obj &x) { return call("torch.prelu", {x, param("weight")}); }

Obj Elementwise::forward(const Obj &x) {
  std::vector<Obj> args{x};
  args.insert(args.end(), callArgs.begin(), callArgs.end());
  return call(function, args, callKwargs);
}

static std::shared_ptr<Module> act(const std::string &type, const std::string &fn, Kwargs hyper,
                                   Kwargs kw = {}, std::vector<Obj> args = {}) {
  return std::make_shared<Elementwise>(type, fn, std::move(hyper), std::move(kw), std::move(args));
}
/// Modules whose only argument is `inplace`, passed on to the function.
static std::shared_ptr<Module> inplaceAct(const char *name, const char *fn, bool inplace) {
  return act(std::string("torch.nn.") + name, fn, {{"inplace", inplace}}, {{"inplace", inplace}});
}
std::shared_ptr<Module> ReLU(bool inplace) {
  return inplaceAct("ReLU", "torch.nn.functional.relu", inplace);
}
std::shared_ptr<Module> ReLU6(bool inplace) {
  return inplaceAct("ReLU6", "torch.nn.functional.relu6", inplace);
}
std::shared_ptr<Module> SELU(bool inplace) {
  return inplaceAct("SELU", "torch.nn.functional.selu", inplace);
}
std::shared_ptr<Module> SiLU(bool inplace) {
  return inplaceAct("SiLU", "torch.nn.functional.silu", inplace);
}
std::shared_ptr<Module> Mish(bool inplace) {
  return inplaceAct("Mish", "torch.nn.functional.mish", inplace);
}
std::shared_ptr<Module> Hardswish(bool inplace) {
  return inplaceAct("Hardswish", "torch.nn.functional.hardswish", inplace);
}
std::shared_ptr<Module> Hardsigmoid(bool inplace) {
  return inplaceAct("Hardsigmoid", "torch.nn.functional.hardsigmoid", inplace);
}
std::shared_ptr<Module> LeakyReLU(double slope, bool inplace) {
  Kwargs hp = {{"negative_slope", slope}, {"inplace", inplace}};
  return act("torch.nn.LeakyReLU", "torch.nn.functional.leaky_relu", hp, hp);
}
std::shared_ptr<Module> ELU(double alpha, bool inplace) {
  Kwargs hp = {{"alpha", alpha}, {"inplace", inplace}};
  return act("torch.nn.ELU", "torch.nn.functional.elu", hp, hp);
}
std::shared_ptr<Module> CELU(double alpha, bool inplace) {
  Kwargs hp = {{"alpha", alpha}, {"inplace", inplace}};
  return act("torch.nn.CELU", "torch.nn.functional.celu", hp, hp);
}
std::shared_ptr<Module> Hardtanh(double minVal, double maxVal, bool inplace) {
  Kwargs hp = {{"min_val", minVal}, {"max_val", maxVal}, {"inplace", inplace}};
  return act("torch.nn.Hardtanh", "torch.nn.functional.hardtanh", hp, hp);
}
std::shared_ptr<Module> GELU(std::string approximate) {
  Kwargs hp = {{"approximate", approximate}};
  return act("torch.nn.GELU", "torch._C._nn.gelu", hp, hp);
}
std::shared_ptr<Module> Softplus(Obj beta, Obj threshold) {
  return act("torch.nn.Softplus", "torch._C._nn.softplus",
             {{"beta", beta}, {"threshold", threshold}}, {}, {beta, threshold});
}
std::shared_ptr<Module> Sigmoid() { return act("torch.nn.Sigmoid", "torch.sigmoid", {}); }
std::shared_ptr<Module> Tanh() { return act("torch.nn.Tanh", "torch.tanh", {}); }
std::shared_ptr<Module> LogSigmoid() {
  return act("torch.nn.LogSigmoid", "torch._C._nn.log_sigmoid", {});
}
std::shared_ptr<Module> Softsign() {
  return act("torch.nn.Softsign", "torch.nn.functional.softsign", {});
}
std::shared_ptr<Module> Tanhshrink() {
  return act("torch.nn.Tanhshrink", "torch.nn.functional.tanhshrink", {});
}
std::shared_ptr<Module> Softshrink(double lambd) {
  return act("torch.nn.Softshrink", "torch._C._nn.softshrink", {{"lambd", lambd}}, {}, {lambd});
}
std::shared_ptr<Module> Hardshrink(double lambd) {
  return act("torch.nn.Hardshrink", "torch.hardshrink", {{"lambd", lambd}}, {}, {lambd});
}
std::shared_ptr<Module> Threshold(double threshold, double value, bool inplace) {
  return act("torch.nn.Threshold", "torch.nn.functional._threshold",
             {{"threshold", threshold}, {"value", value}, {"inplace", inplace}},
             {{"inplace", inplace}}, {threshold, value});
}
std::shared_ptr<Module> GLU(int64_t dim) {
  return act("torch.nn.GLU", "torch.nn.functional.glu", {{"dim", dim}}, {{"dim", dim}});
}
/// Softmax, LogSoftmax: torch.nn.functional.<fn>(x, dim=, _stacklevel=5, dtype=None).
static std::shared_ptr<Module> softmaxLike(const char *name, const char *fn, int64_t dim) {
  return act(std::string("torch.nn.") + name, std::string("torch.nn.functional.") + fn,
             {{"dim", dim}}, {{"dim", dim}, {"_stacklevel", 5}, {"dtype", Obj()}});
}
std::shared_ptr<Module> Softmax(int64_t dim) { return softmaxLike("Softmax", "softmax", dim); }
std::shared_ptr<Module> LogSoftmax(int64_t dim) {
  return softmaxLike("LogSoftmax", "log_softmax", dim);
}

/// The dropouts: torch.nn.functional.<fn>(x, p=, training=False, inplace=).
static std::shared_ptr<Module> dropoutLike(const char *name, const char *fn, double p,
                                           bool inplace) {
  if (p < 0 || p > 1)
    throw TraceError("dropout probability has to be between 0 and 1, but got " + std::to_string(p));
  return act(std::string("torch.nn.") + name, std::string("torch.nn.functional.") + fn,
             {{"p", p}, {"inplace", inplace}},
             {{"p", p}, {"training", false}, {"inplace", inplace}});
}
std::shared_ptr<Module> Dropout(double p, bool inplace) {
  return dropoutLike("Dropout", "dropout", p, inplace);
}
std::shared_ptr<Module> Dropout1d(double p, bool inplace) {
  return dropoutLike("Dropout1d", "dropout1d", p, inplace);
}
std::shared_ptr<Module> Dropout2d(double p, bool inplace) {
  return dropoutLike("Dropout2d", "dropout2d", p, inplace);
}
std::shared_ptr<Module> Dropout3d(double p, bool inplace) {
  return dropoutLike("Dropout3d", "dropout3d", p, inplace);
}
std::shared_ptr<Module> AlphaDropout(double p, bool inplace) {
  return dropoutLike("AlphaDropout", "alpha_dropout", p, inplace);
}
std::shared_ptr<Module> FeatureAlphaDropout(double p, bool inplace) {
  return dropoutLike("FeatureAlphaDropout", "feature_alpha_dropout", p, inplace);
}

std::shared_ptr<Module> Identity() {
  struct IdentityModule : Module {
    IdentityModule() : Module("torch.nn.Identity") {}
    Obj forward(const Obj &x) override { return x; }
  };
  return std::make_shared<IdentityModule>();
}
std::shared_ptr<Module> Flatten(int64_t start, int64_t end) {
  struct FlattenModule : Elementwise {
    FlattenModule(int64_t s, int64_t e)
        : Elementwise("torch.nn.Flatten", "", {{"start_dim", s}, {"end_dim", e}}), s(s), e(e) {}
    Obj forward(const Obj &x) override { return x.proxy().method("flatten", {Obj(s), Obj(e)}); }
    int64_t s, e;
  };
  return std::make_shared<FlattenModule>(start, end);
}
std::shared_ptr<Module> PixelShuffle(int64_t factor) {
  return act("torch.nn.PixelShuffle", "torch.pixel_shuffle", {{"upscale_factor", factor}}, {},
             {factor});
}
std::shared_ptr<Module> PixelUnshuffle(int64_t factor) {
  return act("torch.nn.PixelUnshuffle", "torch.pixel_unshuffle", {{"downscale_factor", factor}}, {},
             {factor});
}

/// Upsample keeps scale_factor as a float (or a tuple of floats), as torch's constructor.
static Obj asFloats(const Obj &v) {
  if (v.getKind() == Obj::Kind::Tuple) {
    std::vector<Obj> items;
    for (const Obj &i : v.getItems())
      items.push_back(Obj(i.toDouble()));
    return Obj::tuple(items);
  }
  return v.isNone() || v.toDouble() == 0 ? Obj() : Obj(v.toDouble());
}
std::shared_ptr<Module> Upsample(Obj size, Obj scaleFactor, std::string mode, Obj alignCorners,
                                 Obj recomputeScaleFactor) {
  Kwargs hp = {{"size", size},
               {"scale_factor", asFloats(scaleFactor)},
               {"mode", mode},
               {"align_corners", alignCorners},
               {"recompute_scale_factor", recomputeScaleFactor}};
  Kwargs kw = hp;
  kw.emplace_back("antialias", false);
  return act("torch.nn.Upsample", "torch.nn.functional.interpolate", hp, kw);
}

static std::shared_ptr<Module> maxPool(size_t n, const Ints &kernel, const Ints &s,
                                       const Ints &padding, const Ints &dilation, bool indices,
                                       bool ceil) {
  Obj stride = (s.isNone() ? kernel : s).given();
  return act("torch.nn.MaxPool" + dims(n), "torch.nn.functional.max_pool" + dims(n),
             {{"kernel_size", kernel.given()},
              {"stride", stride},
              {"padding", padding.given()},
              {"dilation", dilation.given()},
              {"return_indices", indices},
              {"ceil_mode", ceil}},
             {{"stride", stride},
              {"padding", padding.given()},
              {"dilation", dilation.given()},
              {"ceil_mode", ceil},
              {"return_indices", indices}},
             {kernel.given()});
}
std::shared_ptr<Module> MaxPool1d(Ints k, Ints s, Ints p, Ints d, bool indices, bool ceil) {
  return maxPool(1, k, s, p, d, indices, ceil);
}
std::shared_ptr<Module> MaxPool2d(Ints k, Ints s, Ints p, Ints d, bool indices, bool ceil) {
  return maxPool(2, k, s, p, d, indices, ceil);
}
std::shared_ptr<Module> MaxPool3d(Ints k, Ints s, Ints p, Ints d, bool indices, bool ceil) {
  return maxPool(3, k, s, p, d, indices, ceil);
}

std::shared_ptr<Module> AvgPool1d(Ints k, Ints s, Ints p, bool ceil, bool countPad) {
  // AvgPool1d alone keeps its sizes as 1-tuples (torch's _single) and has no divisor_override.
  Obj kernel = intTuple(k.expand(1, "kernel_size"));
  Obj stride = intTuple((s.isNone() ? k : s).expand(1, "stride"));
  Obj padding = intTuple(p.expand(1, "padding"));
  return act("torch.nn.AvgPool1d", "torch.avg_pool1d",
             {{"kernel_size", kernel},
              {"stride", stride},
              {"padding", padding},
              {"ceil_mode", ceil},
              {"count_include_pad", countPad}},
             {}, {kernel, stride, padding, ceil, countPad});
}
static std::shared_ptr<Module> avgPool(size_t n, const Ints &k, const Ints &s, const Ints &p,
                                       bool ceil, bool countPad, std::optional<int64_t> divisor) {
  Obj stride = (s.isNone() ? k : s).given();
  return act("torch.nn.AvgPool" + dims(n), "torch._C._nn.avg_pool" + dims(n),
             {{"kernel_size", k.given()},
              {"stride", stride},
              {"padding", p.given()},
              {"ceil_mode", ceil},
              {"count_include_pad", countPad},
              {"divisor_override", optional(divisor)}},
             {}, {k.given(), stride, p.given(), ceil, countPad, optional(divisor)});
}
std::shared_ptr<Module> AvgPool2d(Ints k, Ints s, Ints p, bool ceil, bool countPad,
                                  std::optional<int64_t> divisor) {
  return avgPool(2, k, s, p, ceil, countPad, divisor);
}
std::shared_ptr<Module> AvgPool3d(Ints k, Ints s, Ints p, bool ceil, bool countPad,
                                  std::optional<int64_t> divisor) {
  return avgPool(3, k, s, p, ceil, countPad, divisor);
}

static std::shared_ptr<Module> adaptiveAvgPool(size_t n, const char *fn, const Ints &size) {
  return act("torch.nn.AdaptiveAvgPool" + dims(n), fn, {{"output_size", size.given()}}, {},
             {size.given()});
}
std::shared_ptr<Module> AdaptiveAvgPool1d(Ints size) {
  return adaptiveAvgPool(1, "torch.adaptive_avg_pool1d", size);
}
std::shared_ptr<Module> AdaptiveAvgPool2d(Ints size) {
  return adaptiveAvgPool(2, "torch.nn.functional.adaptive_avg_pool2d", size);
}
std::shared_ptr<Module> AdaptiveAvgPool3d(Ints size) {
  return adaptiveAvgPool(3, "torch.nn.functional.adaptive_avg_pool3d", size);
}

/// xavier_uniform_ (gain 1) of a 2-d weight.
static fxmlir::Tensor xavierUniform(int64_t fanOut, int64_t fanIn) {
  return uniformTensor({fanOut, fanIn}, std::sqrt(6.0 / (double)(fanIn + fanOut)));
}

MultiheadAttention::MultiheadAttention(int64_t e, int64_t h, double dropout, bool bias,
                                       bool addBiasKV, bool addZeroAttn,
                                       std::optional<int64_t> kdim, std::optional<int64_t> vdim,
                                       bool batchFirst)
    : Module("torch.nn.MultiheadAttention"), embedDim(e), numHeads(h), kdim(kdim.value_or(e)),
      vdim(vdim.value_or(e)), dropout(dropout), addZeroAttn(addZeroAttn), batchFirst(batchFirst) {
  if (h <= 0 || e % h != 0)
    throw TraceError("embed_dim must be divisible by num_heads");
  // torch's registration order; the initialisation of _reset_parameters.
  if (this->kdim == e && this->vdim == e) {
    registerParameter("in_proj_weight", xavierUniform(3 * e, e));
    for (const char *name : {"q_proj_weight", "k_proj_weight", "v_proj_weight"})
      setParameterNone(name);
  } else {
    registerParameter("q_proj_weight", xavierUniform(e, e));
    registerParameter("k_proj_weight", xavierUniform(e, this->kdim));
    registerParameter("v_proj_weight", xavierUniform(e, this->vdim));
    setParameterNone("in_proj_weight");
  }
  if (bias)
    registerParameter("in_proj_bias", filled({3 * e}, 0.0));
  else
    setParameterNone("in_proj_bias");
  auto outProj =
      registerModule("out_proj", std::make_shared<NonDynamicallyQuantizableLinear>(e, e, bias));
  if (bias)
    for (const Module::Tensor &t : outProj->tensors())
      if (t.name == "bias")
        *t.value = filled({e}, 0.0);
  if (addBiasKV) {
    // xavier_normal_ of a (1, 1, E) tensor: fan_in = fan_out = E.
    registerParameter("bias_k", normalTensor({1, 1, e}, std::sqrt(1.0 / (double)e)));
    registerParameter("bias_v", normalTensor({1, 1, e}, std::sqrt(1.0 / (double)e)));
  }
}
std::vector<ForwardParam> MultiheadAttention::signature() const {
  return {{"query", std::nullopt},
          {"key", std::nullopt},
          {"value", std::nullopt},
          {"key_padding_mask", Obj()},
          {"need_weights", Obj(true)},
          {"attn_mask", Obj()},
          {"average_attn_weights", Obj(true)}};
}
Obj MultiheadAttention::forwardArgs(const std::vector<Obj> &) { leafOnly(*this); }
Kwargs MultiheadAttention::hyperparameters() const {
  return {{"embed_dim", embedDim},        {"num_heads", numHeads}, {"dropout", dropout},
          {"add_zero_attn", addZeroAttn}, {"kdim", kdim},          {"vdim", vdim},
          {"batch_first", batchFirst}};
}

RNNBase::RNNBase(std::string mode, int64_t inputSize, int64_t hiddenSize, int64_t numLayers,
                 bool bias, bool batchFirst, double dropout, bool bidirectional, int64_t projSize)
    : Module(mode == "LSTM"  ? "torch.nn.LSTM"
             : mode == "GRU" ? "torch.nn.GRU"
                             : "torch.nn.RNN"),
      mode(mode), inputSize(inputSize), hiddenSize(hiddenSize), numLayers(numLayers),
      projSize(projSize), bias(bias), batchFirst(batchFirst), bidirectional(bidirectional),
      dropout(dropout) {
  // torch's RNNBase checks, with its messages.
  if (dropout < 0 || dropout > 1)
    throw TraceError("dropout should be a number in range [0, 1] representing the probability "
                     "of an element being zeroed");
  if (hiddenSize <= 0 || numLayers <= 0)
    throw TraceError("hidden_size and num_layers must be greater than zero");
  if (projSize < 0)
    throw TraceError("proj_size should be a positive integer or zero to disable projections");
  if (projSize >= hiddenSize)
    throw TraceError("proj_size has to be smaller than hidden_size");
  int64_t gates = mode == "LSTM" ? 4 : mode == "GRU" ? 3 : 1;
  int64_t gateSize = gates * hiddenSize;
  int64_t realHidden = projSize > 0 ? projSize : hiddenSize;
  int64_t directions = bidirectional ? 2 : 1;
  // reset_parameters: every weight uniform in +-1/sqrt(hidden_size), in registration order.
  double bound = 1.0 / std::sqrt((double)hiddenSize);
  for (int64_t layer = 0; layer < numLayers; ++layer)
    for (int64_t direction = 0; direction < directions; ++direction) {
      int64_t layerInput = layer == 0 ? inputSize : realHidden * directions;
      std::string suffix = "_l" + std::to_string(layer) + (direction ? "_reverse" : "");
      registerParameter("weight_ih" + suffix, uniformTensor({gateSize, layerInput}, bound));
      registerParameter("weight_hh" + suffix, uniformTensor({gateSize, realHidden}, bound));
      if (bias) {
        registerParameter("bias_ih" + suffix, uniformTensor({gateSize}, bound));
        registerParameter("bias_hh" + suffix, uniformTensor({gateSize}, bound));
      }
      if (projSize > 0)
        registerParameter("weight_hr" + suffix, uniformTensor({projSize, hiddenSize}, bound));
    }
}
std::vector<ForwardParam> RNNBase::signature() const {
  return {{"input", std::nullopt}, {"hx", Obj()}};
}
Obj RNNBase::forwardArgs(const std::vector<Obj> &) { leafOnly(*this); }
Kwargs RNNBase::hyperparameters() const {
  return {{"mode", mode},
          {"input_size", inputSize},
          {"hidden_size", hiddenSize},
          {"num_layers", numLayers},
          {"bias", bias},
          {"batch_first", batchFirst},
          {"dropout", dropout},
          {"bidirectional", bidirectional},
          {"proj_size", projSize}};
}

static std::string rnnMode(const std::string &nonlinearity) {
  if (nonlinearity == "tanh")
    return "RNN_TANH";
  if (nonlinearity == "relu")
    return "RNN_RELU";
  throw TraceError("Unknown nonlinearity '" + nonlinearity + "'");
}
RNN::RNN(int64_t inputSize, int64_t hiddenSize, int64_t numLayers, bool bias, bool batchFirst,
         double dropout, bool bidirectional, std::string nonlinearity)
    : RNNBase(rnnMode(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout,
              bidirectional, 0),
      nonlinearity(std::move(nonlinearity)) {}
Kwargs RNN::hyperparameters() const {
  Kwargs hp = RNNBase::hyperparameters();
  hp.emplace_back("nonlinearity", nonlinearity);
  return hp;
}

TransformerEncoderLayer::TransformerEncoderLayer(int64_t dModel, int64_t nhead,
                                                 int64_t dimFeedforward, double dropout,
                                                 std::string activation, double layerNormEps,
                                                 bool batchFirst, bool normFirst)
    : Module("torch.nn.TransformerEncoderLayer"), dModel(dModel), nhead(nhead),
      dimFeedforward(dimFeedforward), dropout(dropout), layerNormEps(layerNormEps),
      activation(std::move(activation)), batchFirst(batchFirst), normFirst(normFirst) {
  if (this->activation != "relu" && this->activation != "gelu")
    throw TraceError("activation should be relu/gelu, not " + this->activation);
  registerModule("self_attn",
                 std::make_shared<MultiheadAttention>(dModel, nhead, dropout, true, false, false,
                                                      std::nullopt, std::nullopt, batchFirst));
  registerModule("linear1", std::make_shared<Linear>(dModel, dimFeedforward));
  registerModule("dropout", Dropout(dropout));
  registerModule("linear2", std::make_shared<Linear>(dimFeedforward, dModel));
  registerModule("norm1", std::make_shared<LayerNorm>(dModel, layerNormEps));
  registerModule("norm2", std::make_shared<LayerNorm>(dModel, layerNormEps));
  registerModule("dropout1", Dropout(dropout));
  registerModule("dropout2", Dropout(dropout));
}
std::vector<ForwardParam> TransformerEncoderLayer::signature() const {
  return {{"src", std::nullopt}, {"src_mask", Obj()}, {"src_key_padding_mask", Obj()}};
}
Obj TransformerEncoderLayer::forwardArgs(const std::vector<Obj> &) { leafOnly(*this); }
Kwargs TransformerEncoderLayer::hyperparameters() const {
  return {{"activation", "torch.nn.functional." + activation}, {"norm_first", normFirst}};
}

/// Gives `to` the parameter and buffer values of `from`, a module of the same structure.
static void copyTensorValues(const Module &from, Module &to) {
  for (size_t i = 0; i < from.tensors().size(); ++i)
    if (from.tensors()[i].value)
      *to.tensors()[i].value = *from.tensors()[i].value;
  for (size_t i = 0; i < from.children().size(); ++i)
    copyTensorValues(*from.children()[i].second, *to.children()[i].second);
}
std::shared_ptr<TransformerEncoderLayer> TransformerEncoderLayer::clone() const {
  auto copy = std::make_shared<TransformerEncoderLayer>(
      dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst);
  copyTensorValues(*this, *copy);
  return copy;
}

TransformerEncoder::TransformerEncoder(const TransformerEncoderLayer &layer, int64_t numLayers,
                                       std::shared_ptr<Module> norm, bool enableNestedTensor,
                                       bool maskCheck)
    : Module("torch.nn.TransformerEncoder"), numLayers(numLayers), hasNorm(norm != nullptr),
      enableNestedTensor(enableNestedTensor), maskCheck(maskCheck) {
  auto layers = registerModule("layers", std::make_shared<ModuleList>());
  for (int64_t i = 0; i < numLayers; ++i)
    layers->append(layer.clone());
  if (norm)
    registerModule("norm", norm);
}
std::vector<ForwardParam> TransformerEncoder::signature() const {
  return {{"src", std::nullopt}, {"mask", Obj()}, {"src_key_padding_mask", Obj()}};
}
Obj TransformerEncoder::forwardArgs(const std::vector<Obj> &) { leafOnly(*this); }
Kwargs TransformerEncoder::hyperparameters() const {
  Kwargs hp = {{"num_layers", numLayers}};
  if (!hasNorm)
    hp.emplace_back("norm", Obj());
  hp.emplace_back("enable_nested_tensor", enableNestedTensor);
  hp.emplace_back("mask_check", maskCheck);
  return hp;
}

} // namespace fx::nn
