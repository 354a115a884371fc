//===- nn.cpp - The torch.nn module library in C++ ------------------------===//
#include "fxmlir/Frontend/nn.h"
#include "fxmlir/Frontend/Functional.h"

#include <cmath>

namespace fx::nn {

static Obj tuple2(Size2 s) { return Obj::tuple({Obj(s.first), Obj(s.second)}); }
static fxmlir::Tensor filled(fxmlir::Shape shape, double v, fxmlir::DType d = fxmlir::DType::F32) {
  return fxmlir::Tensor(std::move(shape), d, v);
}

Linear::Linear(int64_t in, int64_t out, bool bias)
    : Module("torch.nn.Linear"), inFeatures(in), outFeatures(out), hasBias(bias) {
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

Conv2d::Conv2d(int64_t in, int64_t out, Size2 kernel, Size2 stride, Size2 padding,
               Size2 dilation, int64_t groups, bool bias)
    : Module("torch.nn.Conv2d"), in(in), out(out), groups(groups), kernel(kernel),
      stride(stride), padding(padding), dilation(dilation), hasBias(bias) {
  int64_t fanIn = in / groups * kernel.first * kernel.second;
  double bound = 1.0 / std::sqrt((double)fanIn);
  registerParameter("weight", uniformTensor({out, in / groups, kernel.first, kernel.second}, bound));
  if (bias)
    registerParameter("bias", uniformTensor({out}, bound));
  else
    setParameterNone("bias");
}
Obj Conv2d::forward(const Obj &x) {
  return call("torch.conv2d", {x, param("weight"), param("bias"), tuple2(stride), tuple2(padding),
                               tuple2(dilation), Obj(groups)});
}
Kwargs Conv2d::hyperparameters() const {
  return {{"in_channels", in},          {"out_channels", out},       {"kernel_size", tuple2(kernel)},
          {"stride", tuple2(stride)},   {"padding", tuple2(padding)}, {"dilation", tuple2(dilation)},
          {"groups", groups},           {"bias", hasBias},            {"padding_mode", "zeros"}};
}

BatchNorm2d::BatchNorm2d(int64_t n, double eps, double momentum, bool affine, bool track)
    : Module("torch.nn.BatchNorm2d"), numFeatures(n), eps(eps), momentum(momentum),
      affine(affine), trackRunningStats(track) {
  if (affine) {
    registerParameter("weight", filled({n}, 1.0));
    registerParameter("bias", filled({n}, 0.0));
  }
  if (track) {
    registerBuffer("running_mean", filled({n}, 0.0));
    registerBuffer("running_var", filled({n}, 1.0));
    registerBuffer("num_batches_tracked", filled({}, 0.0, fxmlir::DType::I64));
  }
}
Obj BatchNorm2d::forward(const Obj &x) {
  return call("torch.nn.functional.batch_norm",
              {x, param("running_mean"), param("running_var")},
              {{"weight", affine ? param("weight") : Obj()},
               {"bias", affine ? param("bias") : Obj()},
               {"training", Obj(false)},
               {"momentum", Obj(momentum)},
               {"eps", Obj(eps)}});
}
Kwargs BatchNorm2d::hyperparameters() const {
  return {{"num_features", numFeatures}, {"eps", eps}, {"momentum", momentum},
          {"affine", affine}, {"track_running_stats", trackRunningStats}};
}

static Obj intTuple(const std::vector<int64_t> &v) {
  std::vector<Obj> items(v.begin(), v.end());
  return Obj::tuple(items);
}

LayerNorm::LayerNorm(std::vector<int64_t> shape, double eps, bool affine)
    : Module("torch.nn.LayerNorm"), normalizedShape(shape), eps(eps), elementwiseAffine(affine) {
  if (affine) {
    registerParameter("weight", filled(shape, 1.0));
    registerParameter("bias", filled(shape, 0.0));
  }
}
Obj LayerNorm::forward(const Obj &x) {
  return call("torch.nn.functional.layer_norm", {x, intTuple(normalizedShape)},
              {{"weight", param("weight")}, {"bias", param("bias")}, {"eps", Obj(eps)}});
}
Kwargs LayerNorm::hyperparameters() const {
  return {{"normalized_shape", intTuple(normalizedShape)}, {"eps", eps},
          {"elementwise_affine", elementwiseAffine}};
}

Embedding::Embedding(int64_t num, int64_t dim) : Module("torch.nn.Embedding"), num(num), dim(dim) {
  registerParameter("weight", normalTensor({num, dim}, 1.0));
}
Obj Embedding::forward(const Obj &x) {
  return call("torch.nn.functional.embedding", {x, param("weight"), Obj(), Obj(), Obj(2.0),
                                                Obj(false), Obj(false)});
}
Kwargs Embedding::hyperparameters() const {
  return {{"num_embeddings", num}, {"embedding_dim", dim}, {"padding_idx", Obj()},
          {"max_norm", Obj()}, {"norm_type", 2.0}, {"scale_grad_by_freq", false}, {"sparse", false}};
}

Obj Elementwise::forward(const Obj &x) { return call(function, {x}, callKwargs); }

static std::shared_ptr<Module> act(const char *type, const char *fn, Kwargs hyper, Kwargs kw = {}) {
  return std::make_shared<Elementwise>(type, fn, std::move(hyper), std::move(kw));
}
std::shared_ptr<Module> ReLU(bool inplace) {
  return act("torch.nn.ReLU", "torch.nn.functional.relu", {{"inplace", inplace}}, {{"inplace", inplace}});
}
std::shared_ptr<Module> ReLU6(bool inplace) {
  return act("torch.nn.ReLU6", "torch.nn.functional.relu6", {{"inplace", inplace}}, {{"inplace", inplace}});
}
std::shared_ptr<Module> GELU() {
  return act("torch.nn.GELU", "torch._C._nn.gelu", {{"approximate", "none"}}, {{"approximate", "none"}});
}
std::shared_ptr<Module> SiLU(bool inplace) {
  return act("torch.nn.SiLU", "torch.nn.functional.silu", {{"inplace", inplace}}, {{"inplace", inplace}});
}
std::shared_ptr<Module> Sigmoid() { return act("torch.nn.Sigmoid", "torch.sigmoid", {}); }
std::shared_ptr<Module> Tanh() { return act("torch.nn.Tanh", "torch.tanh", {}); }
std::shared_ptr<Module> Hardswish(bool inplace) {
  return act("torch.nn.Hardswish", "torch.nn.functional.hardswish", {{"inplace", inplace}},
             {{"inplace", inplace}});
}
std::shared_ptr<Module> Hardsigmoid(bool inplace) {
  return act("torch.nn.Hardsigmoid", "torch.nn.functional.hardsigmoid", {{"inplace", inplace}},
             {{"inplace", inplace}});
}
std::shared_ptr<Module> Softmax(int64_t dim) {
  return act("torch.nn.Softmax", "torch.nn.functional.softmax", {{"dim", dim}},
             {{"dim", dim}, {"_stacklevel", 5}});
}
std::shared_ptr<Module> Dropout(double p, bool inplace) {
  return act("torch.nn.Dropout", "torch.nn.functional.dropout", {{"p", p}, {"inplace", inplace}},
             {{"p", p}, {"training", false}, {"inplace", inplace}});
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
    Obj forward(const Obj &x) override {
      return x.proxy().method("flatten", {Obj(s), Obj(e)});
    }
    int64_t s, e;
  };
  return std::make_shared<FlattenModule>(start, end);
}
std::shared_ptr<Module> MaxPool2d(int64_t k, int64_t s, int64_t p, int64_t d, bool ceil) {
  Obj stride = s < 0 ? Obj(k) : Obj(s);
  return act("torch.nn.MaxPool2d", "torch.nn.functional.max_pool2d",
             {{"kernel_size", k}, {"stride", stride}, {"padding", p}, {"dilation", d},
              {"return_indices", false}, {"ceil_mode", ceil}},
             {{"kernel_size", k}, {"stride", stride}, {"padding", p}, {"dilation", d},
              {"ceil_mode", ceil}, {"return_indices", false}});
}
std::shared_ptr<Module> AvgPool2d(int64_t k, int64_t s, int64_t p, bool ceil, bool countPad) {
  Obj stride = s < 0 ? Obj(k) : Obj(s);
  return act("torch.nn.AvgPool2d", "torch._C._nn.avg_pool2d",
             {{"kernel_size", k}, {"stride", stride}, {"padding", p}, {"ceil_mode", ceil},
              {"count_include_pad", countPad}, {"divisor_override", Obj()}},
             {{"kernel_size", k}, {"stride", stride}, {"padding", p}, {"ceil_mode", ceil},
              {"count_include_pad", countPad}});
}
std::shared_ptr<Module> AdaptiveAvgPool2d(Size2 size) {
  return act("torch.nn.AdaptiveAvgPool2d", "torch.nn.functional.adaptive_avg_pool2d",
             {{"output_size", tuple2(size)}}, {{"output_size", tuple2(size)}});
}

MultiheadAttention::MultiheadAttention(int64_t e, int64_t h, double dropout, bool bias, bool bf)
    : Module("torch.nn.MultiheadAttention"), embedDim(e), numHeads(h), dropout(dropout),
      bias(bias), batchFirst(bf) {
  if (e % h != 0)
    throw TraceError("embed_dim must be divisible by num_heads");
  double bound = std::sqrt(6.0 / (double)(e + 3 * e)); // xavier_uniform_
  registerParameter("in_proj_weight", uniformTensor({3 * e, e}, bound));
  if (bias)
    registerParameter("in_proj_bias", filled({3 * e}, 0.0));
  auto outProj = std::make_shared<Linear>(e, e, bias);
  addModule("out_proj", outProj);
}
std::vector<ForwardParam> MultiheadAttention::signature() const {
  return {{"query", std::nullopt}, {"key", std::nullopt}, {"value", std::nullopt},
          {"key_padding_mask", Obj()}, {"need_weights", Obj(true)}, {"attn_mask", Obj()},
          {"average_attn_weights", Obj(true)}};
}
Obj MultiheadAttention::forwardArgs(const std::vector<Obj> &) {
  throw TraceError("torch.nn.MultiheadAttention is traced as a leaf (call_module); tracing "
                   "through its forward is not supported");
}
Kwargs MultiheadAttention::hyperparameters() const {
  return {{"embed_dim", embedDim}, {"num_heads", numHeads}, {"dropout", dropout}, {"bias", bias},
          {"batch_first", batchFirst}};
}

} // namespace fx::nn
