//===- nn.h - The torch.nn module library in C++ ----------------*- C++ -*-===//
//
// torch's names, constructor arguments (order and defaults) and attributes, parameters and
// buffers registered in torch's order with torch's shapes, initialised as torch initialises them
// (from fx::manualSeed). Under the default tracer these are leaves (one call_module each); where
// torch's forward is one function call, the C++ forward (used by a tracer that traces through
// them) records the same call; the others are leaves only and say so when traced through.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FRONTEND_NN_H
#define FXMLIR_FRONTEND_NN_H

#include "fxmlir/Frontend/Module.h"

#include <functional>
#include <optional>

namespace fx::nn {

/// An int-or-tuple argument (torch's `_size_N_t`): one int, one per spatial dimension, or
/// (default-constructed) None. Kept as given: pools record it so, convolutions expand it.
struct Ints {
  Ints() = default;
  Ints(int v) : values{v}, scalar(true) {}
  Ints(int64_t v) : values{v}, scalar(true) {}
  Ints(std::initializer_list<int64_t> v) : values(v) {}
  bool isNone() const { return values.empty(); }
  /// One value per dimension of an N-d module (an int repeated, as torch's _ntuple).
  std::vector<int64_t> expand(size_t n, const char *what) const;
  /// The value as torch keeps it when it does not expand it: an int, a tuple or None.
  Obj given() const;
  std::vector<int64_t> values;
  bool scalar = false;
};

/// A convolution's padding: Ints, or the string "same" / "valid".
struct Padding : Ints {
  using Ints::Ints;
  Padding(Ints v) : Ints(std::move(v)) {}
  Padding(const char *word) : word(word) {}
  std::string word;
};

struct Linear : Module {
  Linear(int64_t inFeatures, int64_t outFeatures, bool bias = true)
      : Linear("torch.nn.Linear", inFeatures, outFeatures, bias) {}
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  int64_t inFeatures, outFeatures;
  bool hasBias;

protected:
  Linear(std::string type, int64_t inFeatures, int64_t outFeatures, bool bias);
};

/// MultiheadAttention's out_proj (torch.nn.modules.linear.NonDynamicallyQuantizableLinear).
struct NonDynamicallyQuantizableLinear : Linear {
  NonDynamicallyQuantizableLinear(int64_t in, int64_t out, bool bias = true)
      : Linear("torch.nn.modules.linear.NonDynamicallyQuantizableLinear", in, out, bias) {}
};

/// torch's _ConvNd: ConvNd and ConvTransposeNd, N = 1, 2, 3.
struct ConvBase : Module {
  ConvBase(size_t n, bool transposed, int64_t in, int64_t out, const Ints &kernel,
           const Ints &stride, const Padding &padding, const Ints &outputPadding,
           const Ints &dilation, int64_t groups, bool bias, std::string paddingMode);
  /// One torch.convNd / torch.conv_transposeNd call (padding_mode "zeros"); leaf otherwise.
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  size_t n;
  bool transposed;
  int64_t in, out, groups;
  std::vector<int64_t> kernel, stride, padding, outputPadding, dilation;
  std::string paddingWord; // "same" / "valid" instead of `padding`
  bool hasBias;
  std::string paddingMode;
};

template <size_t N> struct Conv : ConvBase {
  Conv(int64_t in, int64_t out, Ints kernel, Ints stride = 1, Padding padding = 0,
       Ints dilation = 1, int64_t groups = 1, bool bias = true, std::string paddingMode = "zeros")
      : ConvBase(N, false, in, out, kernel, stride, padding, 0, dilation, groups, bias,
                 std::move(paddingMode)) {}
};
template <size_t N> struct ConvTranspose : ConvBase {
  ConvTranspose(int64_t in, int64_t out, Ints kernel, Ints stride = 1, Ints padding = 0,
                Ints outputPadding = 0, int64_t groups = 1, bool bias = true, Ints dilation = 1,
                std::string paddingMode = "zeros")
      : ConvBase(N, true, in, out, kernel, stride, padding, outputPadding, dilation, groups, bias,
                 std::move(paddingMode)) {}
};
using Conv1d = Conv<1>;
using Conv2d = Conv<2>;
using Conv3d = Conv<3>;
using ConvTranspose1d = ConvTranspose<1>;
using ConvTranspose2d = ConvTranspose<2>;
using ConvTranspose3d = ConvTranspose<3>;

/// torch's _NormBase: the parameters and buffers of BatchNormNd and InstanceNormNd.
struct NormBase : Module {
  NormBase(std::string type, int64_t numFeatures, double eps, std::optional<double> momentum,
           bool affine, bool trackRunningStats);
  Kwargs hyperparameters() const override;
  int64_t numFeatures;
  double eps;
  std::optional<double> momentum; // None: a cumulative moving average
  bool affine, trackRunningStats;

protected:
  /// torch.nn.functional.batch_norm on the running statistics (eval mode).
  Obj batchNorm(const Obj &x);
};

template <size_t N> struct BatchNorm : NormBase {
  explicit BatchNorm(int64_t numFeatures, double eps = 1e-5, std::optional<double> momentum = 0.1,
                     bool affine = true, bool trackRunningStats = true)
      : NormBase("torch.nn.BatchNorm" + std::to_string(N) + "d", numFeatures, eps, momentum, affine,
                 trackRunningStats) {}
  Obj forward(const Obj &x) override { return batchNorm(x); }
};
/// Leaves only: torch's forward branches on the input's rank.
template <size_t N> struct InstanceNorm : NormBase {
  explicit InstanceNorm(int64_t numFeatures, double eps = 1e-5,
                        std::optional<double> momentum = 0.1, bool affine = false,
                        bool trackRunningStats = false)
      : NormBase("torch.nn.InstanceNorm" + std::to_string(N) + "d", numFeatures, eps, momentum,
                 affine, trackRunningStats) {}
};
using BatchNorm1d = BatchNorm<1>;
using BatchNorm2d = BatchNorm<2>;
using BatchNorm3d = BatchNorm<3>;
using InstanceNorm1d = InstanceNorm<1>;
using InstanceNorm2d = InstanceNorm<2>;
using InstanceNorm3d = InstanceNorm<3>;

struct GroupNorm : Module {
  GroupNorm(int64_t numGroups, int64_t numChannels, double eps = 1e-5, bool affine = true);
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  int64_t numGroups, numChannels;
  double eps;
  bool affine;
};

struct LayerNorm : Module {
  explicit LayerNorm(std::vector<int64_t> normalizedShape, double eps = 1e-5,
                     bool elementwiseAffine = true);
  explicit LayerNorm(int64_t size, double eps = 1e-5)
      : LayerNorm(std::vector<int64_t>{size}, eps) {}
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  std::vector<int64_t> normalizedShape;
  double eps;
  bool elementwiseAffine;
};

struct Embedding : Module {
  Embedding(int64_t num, int64_t dim, std::optional<int64_t> paddingIdx = std::nullopt,
            std::optional<double> maxNorm = std::nullopt, double normType = 2.0,
            bool scaleGradByFreq = false, bool sparse = false);
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override;
  int64_t num, dim;
  std::optional<int64_t> paddingIdx; // normalised to [0, num)
  std::optional<double> maxNorm;
  double normType;
  bool scaleGradByFreq, sparse;
};

/// torch.nn.PReLU: one learnable slope, or one per channel.
struct PReLU : Module {
  explicit PReLU(int64_t numParameters = 1, double init = 0.25);
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override { return {{"num_parameters", numParameters}}; }
  int64_t numParameters;
};

/// Modules whose forward is one function of the input and of literal hyper-parameters:
/// function(x, *callArgs, **callKwargs).
struct Elementwise : Module {
  Elementwise(std::string type, std::string function, Kwargs hyper, Kwargs call = {},
              std::vector<Obj> callArgs = {})
      : Module(std::move(type)), function(std::move(function)), hyper(std::move(hyper)),
        callKwargs(std::move(call)), callArgs(std::move(callArgs)) {}
  Obj forward(const Obj &x) override;
  Kwargs hyperparameters() const override { return hyper; }
  std::string function;
  Kwargs hyper, callKwargs;
  std::vector<Obj> callArgs;
};

// Activations.
std::shared_ptr<Module> ReLU(bool inplace = false);
std::shared_ptr<Module> ReLU6(bool inplace = false);
std::shared_ptr<Module> LeakyReLU(double negativeSlope = 0.01, bool inplace = false);
std::shared_ptr<Module> ELU(double alpha = 1.0, bool inplace = false);
std::shared_ptr<Module> CELU(double alpha = 1.0, bool inplace = false);
std::shared_ptr<Module> SELU(bool inplace = false);
std::shared_ptr<Module> GELU(std::string approximate = "none");
std::shared_ptr<Module> SiLU(bool inplace = false);
std::shared_ptr<Module> Mish(bool inplace = false);
/// beta and threshold are ints by default in torch 1.13 (and recorded so).
std::shared_ptr<Module> Softplus(Obj beta = 1, Obj threshold = 20);
std::shared_ptr<Module> Sigmoid();
std::shared_ptr<Module> Tanh();
std::shared_ptr<Module> LogSigmoid();
std::shared_ptr<Module> Softsign();
std::shared_ptr<Module> Tanhshrink();
std::shared_ptr<Module> Softshrink(double lambd = 0.5);
std::shared_ptr<Module> Hardshrink(double lambd = 0.5);
std::shared_ptr<Module> Hardtanh(double minVal = -1.0, double maxVal = 1.0, bool inplace = false);
std::shared_ptr<Module> Threshold(double threshold, double value, bool inplace = false);
std::shared_ptr<Module> Hardswish(bool inplace = false);
std::shared_ptr<Module> Hardsigmoid(bool inplace = false);
std::shared_ptr<Module> GLU(int64_t dim = -1);
std::shared_ptr<Module> Softmax(int64_t dim);
std::shared_ptr<Module> LogSoftmax(int64_t dim);

// Dropouts (the identity in eval mode).
std::shared_ptr<Module> Dropout(double p = 0.5, bool inplace = false);
std::shared_ptr<Module> Dropout1d(double p = 0.5, bool inplace = false);
std::shared_ptr<Module> Dropout2d(double p = 0.5, bool inplace = false);
std::shared_ptr<Module> Dropout3d(double p = 0.5, bool inplace = false);
std::shared_ptr<Module> AlphaDropout(double p = 0.5, bool inplace = false);
std::shared_ptr<Module> FeatureAlphaDropout(double p = 0.5, bool inplace = false);

std::shared_ptr<Module> Identity();
std::shared_ptr<Module> Flatten(int64_t startDim = 1, int64_t endDim = -1);
std::shared_ptr<Module> PixelShuffle(int64_t upscaleFactor);
std::shared_ptr<Module> PixelUnshuffle(int64_t downscaleFactor);
/// size and scale_factor: an int/float or a tuple of them, or None; align_corners: a bool or None.
std::shared_ptr<Module> Upsample(Obj size = Obj(), Obj scaleFactor = Obj(),
                                 std::string mode = "nearest", Obj alignCorners = Obj(),
                                 Obj recomputeScaleFactor = Obj());

// Pools; a None (default) stride is the kernel size.
std::shared_ptr<Module> MaxPool1d(Ints kernel, Ints stride = {}, Ints padding = 0,
                                  Ints dilation = 1, bool returnIndices = false,
                                  bool ceilMode = false);
std::shared_ptr<Module> MaxPool2d(Ints kernel, Ints stride = {}, Ints padding = 0,
                                  Ints dilation = 1, bool returnIndices = false,
                                  bool ceilMode = false);
std::shared_ptr<Module> MaxPool3d(Ints kernel, Ints stride = {}, Ints padding = 0,
                                  Ints dilation = 1, bool returnIndices = false,
                                  bool ceilMode = false);
std::shared_ptr<Module> AvgPool1d(Ints kernel, Ints stride = {}, Ints padding = 0,
                                  bool ceilMode = false, bool countIncludePad = true);
std::shared_ptr<Module> AvgPool2d(Ints kernel, Ints stride = {}, Ints padding = 0,
                                  bool ceilMode = false, bool countIncludePad = true,
                                  std::optional<int64_t> divisorOverride = std::nullopt);
std::shared_ptr<Module> AvgPool3d(Ints kernel, Ints stride = {}, Ints padding = 0,
                                  bool ceilMode = false, bool countIncludePad = true,
                                  std::optional<int64_t> divisorOverride = std::nullopt);
std::shared_ptr<Module> AdaptiveAvgPool1d(Ints outputSize);
std::shared_ptr<Module> AdaptiveAvgPool2d(Ints outputSize);
std::shared_ptr<Module> AdaptiveAvgPool3d(Ints outputSize);

/// torch.nn.MultiheadAttention: a leaf with its parameters (forward(query, key, value, ...)).
struct MultiheadAttention : Module {
  MultiheadAttention(int64_t embedDim, int64_t numHeads, double dropout = 0.0, bool bias = true,
                     bool addBiasKV = false, bool addZeroAttn = false,
                     std::optional<int64_t> kdim = std::nullopt,
                     std::optional<int64_t> vdim = std::nullopt, bool batchFirst = false);
  std::vector<ForwardParam> signature() const override;
  Obj forwardArgs(const std::vector<Obj> &args) override;
  Kwargs hyperparameters() const override;
  int64_t embedDim, numHeads, kdim, vdim;
  double dropout;
  bool addZeroAttn, batchFirst;
};

/// torch's RNNBase: RNN, GRU and LSTM, leaves only. Parameters as torch names them
/// (`weight_ih_l0`, `bias_hh_l1_reverse`, `weight_hr_l0` with a projection).
struct RNNBase : Module {
  RNNBase(std::string mode, int64_t inputSize, int64_t hiddenSize, int64_t numLayers, bool bias,
          bool batchFirst, double dropout, bool bidirectional, int64_t projSize);
  std::vector<ForwardParam> signature() const override;
  Obj forwardArgs(const std::vector<Obj> &args) override;
  Kwargs hyperparameters() const override;
  std::string mode;
  int64_t inputSize, hiddenSize, numLayers, projSize;
  bool bias, batchFirst, bidirectional;
  double dropout;
};
struct RNN : RNNBase {
  RNN(int64_t inputSize, int64_t hiddenSize, int64_t numLayers = 1, bool bias = true,
      bool batchFirst = false, double dropout = 0.0, bool bidirectional = false,
      std::string nonlinearity = "tanh");
  Kwargs hyperparameters() const override;
  std::string nonlinearity;
};
struct GRU : RNNBase {
  GRU(int64_t inputSize, int64_t hiddenSize, int64_t numLayers = 1, bool bias = true,
      bool batchFirst = false, double dropout = 0.0, bool bidirectional = false)
      : RNNBase("GRU", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional,
                0) {}
};
struct LSTM : RNNBase {
  LSTM(int64_t inputSize, int64_t hiddenSize, int64_t numLayers = 1, bool bias = true,
       bool batchFirst = false, double dropout = 0.0, bool bidirectional = false,
       int64_t projSize = 0)
      : RNNBase("LSTM", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional,
                projSize) {}
};

/// torch.nn.TransformerEncoderLayer, a leaf only. activation: "relu" or "gelu".
struct TransformerEncoderLayer : Module {
  TransformerEncoderLayer(int64_t dModel, int64_t nhead, int64_t dimFeedforward = 2048,
                          double dropout = 0.1, std::string activation = "relu",
                          double layerNormEps = 1e-5, bool batchFirst = false,
                          bool normFirst = false);
  std::vector<ForwardParam> signature() const override;
  Obj forwardArgs(const std::vector<Obj> &args) override;
  Kwargs hyperparameters() const override;
  /// A new layer with this one's arguments and parameter values (torch's copy.deepcopy).
  std::shared_ptr<TransformerEncoderLayer> clone() const;
  int64_t dModel, nhead, dimFeedforward;
  double dropout, layerNormEps;
  std::string activation;
  bool batchFirst, normFirst;
};

/// torch.nn.TransformerEncoder, a leaf only: `numLayers` copies of `layer` (equal parameters,
/// as torch's deep copies), then the optional `norm`.
struct TransformerEncoder : Module {
  TransformerEncoder(const TransformerEncoderLayer &layer, int64_t numLayers,
                     std::shared_ptr<Module> norm = nullptr, bool enableNestedTensor = true,
                     bool maskCheck = true);
  std::vector<ForwardParam> signature() const override;
  Obj forwardArgs(const std::vector<Obj> &args) override;
  Kwargs hyperparameters() const override;
  int64_t numLayers;
  bool hasNorm, enableNestedTensor, maskCheck;
};

} // namespace fx::nn

#endif
