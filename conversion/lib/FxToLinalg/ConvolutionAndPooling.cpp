//===- ConvolutionAndPooling.cpp - Lowerings of convolution, pooling, pad -===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <algorithm>

namespace fxmlir {

using mlir::Value;

/// The shape of an optional tensor argument, none where it is absent.
static std::optional<Shape> shapeIfAny(Value tensor) {
  if (!tensor)
    return std::nullopt;
  return shapeOf(tensor).vec();
}

static Value identityMap(LoweringContext &c, Value v, mlir::RankedTensorType type) {
  return c.map({Lowered(v)}, type, [](mlir::OpBuilder &, mlir::Location, mlir::ValueRange x) {
    return x[0];
  });
}

/// Affine dims d(0), d(1), ... of `c`'s builder.
struct Dims {
  mlir::OpBuilder &b;
  mlir::AffineExpr operator()(int64_t i) const { return b.getAffineDimExpr((unsigned)i); }
};

/// `shape` with `spatial` appended.
static llvm::SmallVector<int64_t> withSpatial(llvm::SmallVector<int64_t> shape,
                                              llvm::ArrayRef<int64_t> spatial) {
  shape.append(spatial.begin(), spatial.end());
  return shape;
}

/// A linalg.generic over `loops` loops, the first `parallel` of them parallel, the rest
/// reductions.
static Value generic(LoweringContext &c, mlir::RankedTensorType type, mlir::ValueRange inputs,
                     Value init, llvm::ArrayRef<llvm::SmallVector<mlir::AffineExpr>> exprs,
                     int64_t loops, int64_t parallel,
                     llvm::function_ref<void(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>
                         body) {
  llvm::SmallVector<mlir::AffineMap> maps;
  for (const auto &e : exprs)
    maps.push_back(mlir::AffineMap::get(loops, 0, e, c.b.getContext()));
  llvm::SmallVector<mlir::utils::IteratorType> iterators(parallel,
                                                         mlir::utils::IteratorType::parallel);
  iterators.append(loops - parallel, mlir::utils::IteratorType::reduction);
  return mlir::linalg::GenericOp::create(c.b, c.loc, mlir::TypeRange{type}, inputs,
                                         mlir::ValueRange{init}, maps, iterators, body)
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// Batch sizes up to which conv2d is lowered through im2col (one matmul per image).
static constexpr int64_t kIm2colMaxBatch = 16;

/// conv2d as matmuls: for each image, the patches as columns ([C*KH*KW, OH*OW], a plain
/// reshape for 1x1 stride-1 convolutions) multiplied by the weight as a [F, C*KH*KW] matrix.
/// The matmuls take the tiled and vectorized path; the bias is added after.
static Value lowerConv2dAsMatmuls(LoweringContext &c, Value x, Value w,
                                  const std::vector<int64_t> &stride,
                                  const std::vector<int64_t> &dilation,
                                  mlir::RankedTensorType outType) {
  auto xs = shapeOf(x), ws = shapeOf(w), os = outType.getShape();
  int64_t n = xs[0], ch = xs[1], h = xs[2], wd = xs[3];
  int64_t f = ws[0], kh = ws[2], kw = ws[3], oh = os[2], ow = os[3];
  int64_t k = ch * kh * kw, p = oh * ow;
  mlir::Type t = outType.getElementType();
  Value weights = c.reshape(w, {f, k});
  bool pointwise = kh == 1 && kw == 1 && stride[0] == 1 && stride[1] == 1 && oh == h && ow == wd;
  mlir::MLIRContext *ctx = c.b.getContext();
  auto d = [&](unsigned i) { return c.b.getAffineDimExpr(i); };
  std::vector<Value> images;
  for (int64_t i = 0; i < n; ++i) {
    Value image = c.reshape(c.slice(x, {i, 0, 0, 0}, {1, ch, h, wd}, {1, 1, 1, 1}), {ch, h, wd});
    Value columns;
    if (pointwise) {
      columns = c.reshape(image, {ch, p});
    } else {
      // patches[c, i, j, y, x] = image[c, y * stride + i * dilation, x * stride + j * dilation]
      auto patchType = tensorType({ch, kh, kw, oh, ow}, t);
      llvm::SmallVector<mlir::AffineMap> maps{
          mlir::AffineMap::get(5, 0,
                               {d(0), d(3) * stride[0] + d(1) * dilation[0],
                                d(4) * stride[1] + d(2) * dilation[1]},
                               ctx),
          c.b.getMultiDimIdentityMap(5)};
      llvm::SmallVector<mlir::utils::IteratorType> iterators(5,
                                                             mlir::utils::IteratorType::parallel);
      Value patches = mlir::linalg::GenericOp::create(
                          c.b, c.loc, mlir::TypeRange{patchType}, mlir::ValueRange{image},
                          mlir::ValueRange{c.empty(patchType)}, maps, iterators,
                          [](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                            mlir::linalg::YieldOp::create(b, l, v[0]);
                          })
                          .getResult(0);
      columns = c.reshape(patches, {k, p});
    }
    images.push_back(c.reshape(c.matmul(weights, columns, /*transposeB=*/false), {1, f, oh, ow}));
  }
  return c.concat(images, 0);
}

/// conv2d as linalg.conv_2d_nchw_fchw (grouped: conv_2d_ngchw_gfchw) accumulating into
/// `init` (the bias).
static Value lowerConv2dAsLinalgConv(LoweringContext &c, Value x, Value w, Value init,
                                     const ConvParams &params,
                                     mlir::RankedTensorType outType) {
  auto strides = c.b.getI64VectorAttr(params.stride);
  auto dilations = c.b.getI64VectorAttr(params.dilation);
  int64_t groups = params.groups;
  if (groups == 1)
    return mlir::linalg::Conv2DNchwFchwOp::create(c.b, c.loc, mlir::TypeRange{outType},
                                                  mlir::ValueRange{x, w}, mlir::ValueRange{init},
                                                  strides, dilations)
        .getResult(0);
  auto xs = shapeOf(x), ws = shapeOf(w), os = outType.getShape();
  Value xg = c.reshape(x, {xs[0], groups, xs[1] / groups, xs[2], xs[3]});
  Value wg = c.reshape(w, {groups, ws[0] / groups, ws[1], ws[2], ws[3]});
  Value ig = c.reshape(init, {os[0], groups, os[1] / groups, os[2], os[3]});
  Value y = mlir::linalg::Conv2DNgchwGfchwOp::create(c.b, c.loc, mlir::TypeRange{ig.getType()},
                                                    mlir::ValueRange{xg, wg}, mlir::ValueRange{ig},
                                                    strides, dilations)
                .getResult(0);
  return c.reshape(y, os);
}

/// An N-d convolution (any groups) as one linalg.generic on grouped views: input
/// [N, G, C/G, in...], weight [G, F/G, C/G, k...], accumulator [N, G, F/G, out...]; loops n, g,
/// f, out..., c, k....
static Value lowerConvAsGeneric(LoweringContext &c, Value x, Value w, Value init,
                                const ConvParams &params, mlir::RankedTensorType outType) {
  int64_t n = params.stride.size(), g = params.groups;
  auto xs = shapeOf(x), ws = shapeOf(w), os = outType.getShape();
  Value xg = c.reshape(x, withSpatial({xs[0], g, xs[1] / g}, xs.drop_front(2)));
  Value wg = c.reshape(w, withSpatial({g, ws[0] / g, ws[1]}, ws.drop_front(2)));
  Value ig = c.reshape(init, withSpatial({os[0], g, os[1] / g}, os.drop_front(2)));
  Dims d{c.b};
  int64_t out0 = 3, ch = 3 + n, k0 = 4 + n;
  llvm::SmallVector<mlir::AffineExpr> xe{d(0), d(1), d(ch)}, we{d(1), d(2), d(ch)},
      oe{d(0), d(1), d(2)};
  for (int64_t i = 0; i < n; ++i) {
    xe.push_back(d(out0 + i) * params.stride[i] + d(k0 + i) * params.dilation[i]);
    we.push_back(d(k0 + i));
    oe.push_back(d(out0 + i));
  }
  mlir::Type t = outType.getElementType();
  Value y = generic(c, mlir::cast<mlir::RankedTensorType>(ig.getType()), {xg, wg}, ig,
                    {xe, we, oe}, 4 + 2 * n, 3 + n,
                    [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                      ElementBuilder e{b, l, t};
                      mlir::linalg::YieldOp::create(b, l, e.add(v[2], e.mul(v[0], v[1])));
                    });
  return c.reshape(y, os);
}

/// The bias along the channels of `outType`, or zeros.
static Value biasInit(LoweringContext &c, Value bias, mlir::RankedTensorType outType) {
  if (!bias)
    return c.filled(outType, 0);
  return identityMap(c, c.alongDim(c.castTensor(bias, outType.getElementType()), 1,
                                   outType.getRank()),
                     outType);
}

/// A convolution of `x` (padded here) by `w`, plus `bias` (null: none), into `outType`. conv2d
/// goes through im2col and matmuls (groups=1, small batches) or linalg's 2-D convolutions;
/// other ranks through a generic.
static Value convolve(LoweringContext &c, Value x, Value w, Value bias, const ConvParams &params,
                      mlir::RankedTensorType outType) {
  int64_t n = params.stride.size();
  mlir::Type t = outType.getElementType();
  std::vector<int64_t> low{0, 0}, high{0, 0};
  for (int64_t d = 0; d < n; ++d) {
    low.push_back(params.padding[d]);
    high.push_back(params.paddingAfter(d));
  }
  x = c.pad(x, low, high, 0);
  if (n != 2)
    return lowerConvAsGeneric(c, x, w, biasInit(c, bias, outType), params, outType);
  if (params.groups != 1 || shapeOf(x)[0] > kIm2colMaxBatch)
    return lowerConv2dAsLinalgConv(c, x, w, biasInit(c, bias, outType), params, outType);
  Value y = lowerConv2dAsMatmuls(c, x, w, params.stride, params.dilation, outType);
  if (!bias)
    return y;
  return c.map({Lowered(y), Lowered(c.alongDim(c.castTensor(bias, t), 1, 4))}, outType,
               [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                 return ElementBuilder{b, l, t}.add(v[0], v[1]);
               });
}

/// The input of the convolution a transposed one equals: `x`'s spatial elements `stride` apart
/// (zeros between, inserted with a strided tensor.insert_slice), with dilation * (kernel - 1) -
/// padding zeros before and that plus output_padding after; a negative amount crops. Padding
/// comes first, so that a crop never exceeds what is there.
static Value spreadInput(LoweringContext &c, Value x, llvm::ArrayRef<int64_t> kernel,
                         const ConvParams &params) {
  auto xs = shapeOf(x);
  size_t n = params.stride.size();
  llvm::SmallVector<int64_t> size(xs.take_front(2)), offsets(2 + n, 0), strides(2 + n, 1),
      cropBefore(2 + n, 0), cropped(xs.take_front(2));
  for (size_t i = 0; i < n; ++i) {
    int64_t before = params.dilation[i] * (kernel[i] - 1) - params.padding[i],
            after = before + params.outputPadding[i];
    int64_t spread = (xs[2 + i] - 1) * params.stride[i] + 1;
    size.push_back(spread + std::max<int64_t>(before, 0) + std::max<int64_t>(after, 0));
    offsets[2 + i] = std::max<int64_t>(before, 0);
    strides[2 + i] = params.stride[i];
    cropBefore[2 + i] = std::max<int64_t>(-before, 0);
    cropped.push_back(spread + before + after);
  }
  Value spread = x;
  if (llvm::ArrayRef<int64_t>(size) != xs)
    spread = mlir::tensor::InsertSliceOp::create(
        c.b, c.loc, x, c.filled(tensorType(size, elementTypeOf(x)), 0), mlir::ValueRange{},
        mlir::ValueRange{}, mlir::ValueRange{}, c.b.getDenseI64ArrayAttr(offsets),
        c.b.getDenseI64ArrayAttr(xs), c.b.getDenseI64ArrayAttr(strides));
  return c.slice(spread, cropBefore, cropped, llvm::SmallVector<int64_t>(2 + n, 1));
}

/// A transposed convolution's weight (C, F / groups, k...) as the weight of the convolution it
/// equals (F, C / groups, k...): input and output channels swapped within each group, and the
/// kernel flipped along every spatial dim.
static Value flippedWeight(LoweringContext &c, Value w, int64_t groups) {
  auto ws = shapeOf(w);
  int64_t n = (int64_t)ws.size() - 2, cg = ws[0] / groups, fg = ws[1];
  llvm::ArrayRef<int64_t> kernel = ws.drop_front(2);
  Value wg = c.reshape(w, withSpatial({groups, cg, fg}, kernel));
  auto flippedType = tensorType(withSpatial({groups, fg, cg}, kernel), elementTypeOf(w));
  // Loops g, f, c, k...: flipped[g, f, c, k...] = wg[g, c, f, kernel - 1 - k...].
  Dims d{c.b};
  llvm::SmallVector<mlir::AffineExpr> in{d(0), d(2), d(1)}, out{d(0), d(1), d(2)};
  for (int64_t i = 0; i < n; ++i) {
    in.push_back(c.b.getAffineConstantExpr(kernel[i] - 1) - d(3 + i));
    out.push_back(d(3 + i));
  }
  Value flipped = generic(c, flippedType, {wg}, c.empty(flippedType), {in, out}, 3 + n, 3 + n,
                          [](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                            mlir::linalg::YieldOp::create(b, l, v[0]);
                          });
  return c.reshape(flipped, withSpatial({groups * fg, cg}, kernel));
}

/// A transposed convolution as the stride-1 convolution it equals: over the spread input
/// (`spreadInput`), by the flipped weight (`flippedWeight`), with the same dilation and groups.
static Value convolveTransposed(LoweringContext &c, Value x, Value w, Value bias,
                                const ConvParams &params, mlir::RankedTensorType outType) {
  size_t n = params.stride.size();
  ConvParams direct{std::vector<int64_t>(n, 1), std::vector<int64_t>(n, 0), params.dilation,
                    params.groups};
  return convolve(c, spreadInput(c, x, shapeOf(w).drop_front(2), params),
                  flippedWeight(c, w, params.groups), bias, direct, outType);
}

/// A convolution over `n` spatial dims, or a transposed one (which reads output_padding).
static Lowered lowerConvWith(LoweringContext &c, const LoweredArgs &a, int64_t n, const char *op,
                             bool transposed) {
  mlir::Type t = c.resultElementType();
  Value x = c.castTensor(a.tensor("input"), t), w = c.castTensor(a.tensor("weight"), t);
  Value bias = a.optionalTensor("bias");
  Shape xs = shapeOf(x).vec(), ws = shapeOf(w).vec();
  ConvParams params = convParams(n, a.literal("stride"), a.literal("padding"),
                                 a.literal("dilation"), a.literal("groups"),
                                 transposed ? a.literal("output_padding") : PyValue::none(), ws);
  if (transposed)
    return convolveTransposed(
        c, x, w, bias, params,
        tensorType(convTransposeOutputShape(op, xs, ws, shapeIfAny(bias), params), t));
  return convolve(c, x, w, bias, params,
                  tensorType(convOutputShape(op, xs, ws, shapeIfAny(bias), params), t));
}

static const char *const kConvNames[] = {"", "conv1d", "conv2d", "conv3d"};
static const char *const kConvTransposeNames[] = {"", "conv_transpose1d", "conv_transpose2d",
                                                  "conv_transpose3d"};

template <int N>
static Lowered lowerConv(LoweringContext &c, const LoweredArgs &a) {
  return lowerConvWith(c, a, N, kConvNames[N], /*transposed=*/false);
}

template <int N> static Lowered lowerConvTranspose(LoweringContext &c, const LoweredArgs &a) {
  return lowerConvWith(c, a, N, kConvTransposeNames[N], /*transposed=*/true);
}

/// torch.convolution and aten._convolution.
static Lowered lowerConvolution(LoweringContext &c, const LoweredArgs &a) {
  int64_t n = convolutionSpatialDims(shapeOf(a.tensor("weight")).vec());
  return lowerConvWith(c, a, n, "convolution", a.toBool("transposed"));
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// The input of max_pool or avg_pool over `n` dims as (N, C, spatial...): an unbatched input is
/// a batch of one (the result is reshaped back to the node's type).
static Value poolingInput(LoweringContext &c, const LoweredArgs &a, const char *op, int64_t n) {
  Value x = a.tensor("input");
  checkPoolInputRank(op, shapeOf(x).vec(), n);
  if (rankOf(x) == n + 1)
    return c.reshape(x, withSpatial({1}, shapeOf(x)));
  return x;
}

/// Padding so that every window of the output fits: torch's padding, plus what ceil_mode's
/// last window needs at the end.
static Value padForPooling(LoweringContext &c, Value x, const PoolWindow &window,
                           llvm::ArrayRef<int64_t> out, double value) {
  const std::vector<int64_t> &k = window.kernel, &s = window.stride, &p = window.padding,
                             &d = window.dilation;
  auto in = shapeOf(x);
  std::vector<int64_t> low{0, 0}, high{0, 0};
  for (size_t i = 0; i < k.size(); ++i) {
    int64_t need = (out[2 + i] - 1) * s[i] + d[i] * (k[i] - 1) + 1;
    low.push_back(p[i]);
    high.push_back(std::max(p[i], need - in[2 + i] - p[i]));
  }
  return c.pad(x, low, high, value);
}

/// Pooling over `n` dims as a linalg.generic (loops n, c, out..., k...) combining into `init`.
static Value genericPool(LoweringContext &c, Value padded, Value windowShape,
                         const PoolWindow &window, Value init, ReduceKind kind) {
  int64_t n = window.kernel.size();
  Dims d{c.b};
  llvm::SmallVector<mlir::AffineExpr> xe{d(0), d(1)}, ke, oe{d(0), d(1)};
  for (int64_t i = 0; i < n; ++i) {
    xe.push_back(d(2 + i) * window.stride[i] + d(2 + n + i) * window.dilation[i]);
    ke.push_back(d(2 + n + i));
    oe.push_back(d(2 + i));
  }
  auto type = mlir::cast<mlir::RankedTensorType>(init.getType());
  mlir::Type t = type.getElementType();
  return generic(c, type, {padded, windowShape}, init, {xe, ke, oe}, 2 + 2 * n, 2 + n,
                 [t, kind](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                   ElementBuilder e{b, l, t};
                   Value r = kind == ReduceKind::Max ? e.max(v[2], v[0]) : e.add(v[2], v[0]);
                   mlir::linalg::YieldOp::create(b, l, r);
                 });
}

/// Max or sum pooling of `x` padded with `value`, accumulating into a tensor filled with
/// `value`: linalg's 2-D pooling ops for two dims, else a generic.
static Value linalgPool(LoweringContext &c, Value x, const PoolWindow &window,
                        mlir::RankedTensorType outType, double value, ReduceKind kind) {
  Value windowShape = c.empty(tensorType(window.kernel, outType.getElementType()));
  Value padded = padForPooling(c, x, window, outType.getShape(), value);
  Value init = c.filled(outType, value);
  if (window.kernel.size() != 2)
    return genericPool(c, padded, windowShape, window, init, kind);
  auto strides = c.b.getI64VectorAttr(window.stride);
  auto dilations = c.b.getI64VectorAttr(window.dilation);
  if (kind == ReduceKind::Max)
    return mlir::linalg::PoolingNchwMaxOp::create(c.b, c.loc, mlir::TypeRange{outType},
                                                  mlir::ValueRange{padded, windowShape},
                                                  mlir::ValueRange{init}, strides, dilations)
        .getResult(0);
  return mlir::linalg::PoolingNchwSumOp::create(c.b, c.loc, mlir::TypeRange{outType},
                                                mlir::ValueRange{padded, windowShape},
                                                mlir::ValueRange{init}, strides, dilations)
      .getResult(0);
}

static const char *const kMaxPoolNames[] = {"", "max_pool1d", "max_pool2d", "max_pool3d"};
static const char *const kAvgPoolNames[] = {"", "avg_pool1d", "avg_pool2d", "avg_pool3d"};
static const char *const kAdaptiveNames[] = {"", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
                                             "adaptive_avg_pool3d"};

/// Max pooling with indices as one linalg.generic over loops (n, c, out..., k...): output
/// position o reads input positions taps[d][o].begin + k * step along spatial dim d (through
/// tensor.extract; a tap beyond its count or outside the input is skipped), keeping the first,
/// then any greater or NaN (PoolTaps), and its flat position in the (N, C) plane. `taps` has a
/// list per spatial dim, one entry per output position, all with the same step.
static std::pair<Value, Value> maxPoolWithIndices(LoweringContext &c, Value x,
                                                  llvm::ArrayRef<int64_t> outShape,
                                                  const std::vector<std::vector<PoolTaps>> &taps) {
  int64_t n = (int64_t)taps.size();
  auto in = shapeOf(x);
  mlir::Type t = elementTypeOf(x), i64 = c.b.getI64Type();
  Dims d{c.b};
  // Operands: a window of the largest count per dim (it sets the k loops), then each dim's
  // tap starts and counts along its output positions.
  Shape extent;
  std::vector<Value> operands;
  llvm::SmallVector<llvm::SmallVector<mlir::AffineExpr>> exprs(1);
  for (int64_t i = 0; i < n; ++i) {
    std::vector<fxmlir::Element> begins, counts;
    for (const PoolTaps &tap : taps[i]) {
      begins.push_back(tap.begin);
      counts.push_back(tap.count);
    }
    extent.push_back((int64_t)*std::max_element(counts.begin(), counts.end()));
    exprs[0].push_back(d(2 + n + i));
    for (const auto &values : {begins, counts}) {
      operands.push_back(c.constant(tensorType({(int64_t)values.size()}, i64), values));
      exprs.push_back({d(2 + i)});
    }
  }
  operands.insert(operands.begin(), c.empty(tensorType(extent, t)));
  llvm::SmallVector<mlir::AffineExpr> outExprs;
  for (int64_t i = 0; i < 2 + n; ++i)
    outExprs.push_back(d(i));
  exprs.push_back(outExprs);
  exprs.push_back(outExprs);
  llvm::SmallVector<mlir::AffineMap> maps;
  for (const auto &e : exprs)
    maps.push_back(mlir::AffineMap::get(2 + 2 * n, 0, e, c.b.getContext()));
  llvm::SmallVector<mlir::utils::IteratorType> iterators(2 + n,
                                                         mlir::utils::IteratorType::parallel);
  iterators.append(n, mlir::utils::IteratorType::reduction);
  auto valuesType = tensorType(outShape, t), indicesType = tensorType(outShape, i64);
  auto pool = mlir::linalg::GenericOp::create(
      c.b, c.loc, mlir::TypeRange{valuesType, indicesType}, operands,
      mlir::ValueRange{c.filled(valuesType, lowestOf(t)), c.filled(indicesType, -1)}, maps,
      iterators, [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
        using mlir::arith::CmpIPredicate;
        auto constant = [&](int64_t value) {
          return mlir::arith::ConstantIntOp::create(b, l, i64, value).getResult();
        };
        auto cmp = [&](CmpIPredicate p, Value x, Value y) {
          return mlir::arith::CmpIOp::create(b, l, p, x, y).getResult();
        };
        auto both = [&](Value x, Value y) {
          return mlir::arith::AndIOp::create(b, l, x, y).getResult();
        };
        llvm::SmallVector<Value> at{mlir::linalg::IndexOp::create(b, l, 0),
                                    mlir::linalg::IndexOp::create(b, l, 1)};
        Value valid = mlir::arith::ConstantIntOp::create(b, l, 1, 1), flat = constant(0);
        for (int64_t i = 0; i < n; ++i) {
          Value k = mlir::arith::IndexCastOp::create(
              b, l, i64, mlir::linalg::IndexOp::create(b, l, 2 + n + i));
          Value pos = mlir::arith::AddIOp::create(
              b, l, v[1 + 2 * i],
              mlir::arith::MulIOp::create(b, l, k, constant(taps[i].front().step)));
          valid = both(valid, cmp(CmpIPredicate::slt, k, v[2 + 2 * i]));
          valid = both(valid, cmp(CmpIPredicate::sge, pos, constant(0)));
          valid = both(valid, cmp(CmpIPredicate::slt, pos, constant(in[2 + i])));
          flat = mlir::arith::AddIOp::create(
              b, l, mlir::arith::MulIOp::create(b, l, flat, constant(in[2 + i])), pos);
          // Clamped into the input, so that a skipped tap still reads inside it.
          Value inside = mlir::arith::MinSIOp::create(
              b, l, mlir::arith::MaxSIOp::create(b, l, pos, constant(0)), constant(in[2 + i] - 1));
          at.push_back(mlir::arith::IndexCastOp::create(b, l, b.getIndexType(), inside));
        }
        Value value = mlir::tensor::ExtractOp::create(b, l, x, at);
        Value acc = v[v.size() - 2], accIndex = v.back();
        Value better =
            llvm::isa<mlir::FloatType>(t)
                ? mlir::arith::OrIOp::create(
                      b, l,
                      mlir::arith::CmpFOp::create(b, l, mlir::arith::CmpFPredicate::OGT, value,
                                                  acc),
                      mlir::arith::CmpFOp::create(b, l, mlir::arith::CmpFPredicate::UNO, value,
                                                  value))
                      .getResult()
                : cmp(CmpIPredicate::sgt, value, acc);
        Value first = cmp(CmpIPredicate::eq, accIndex, constant(-1));
        Value take = both(valid, mlir::arith::OrIOp::create(b, l, first, better));
        mlir::linalg::YieldOp::create(
            b, l,
            mlir::ValueRange{mlir::arith::SelectOp::create(b, l, take, value, acc),
                             mlir::arith::SelectOp::create(b, l, take, flat, accIndex)});
      });
  return {pool.getResult(0), pool.getResult(1)};
}

/// The values, or (values, indices) where `withIndices`, each shaped as the node's result.
static Lowered maxPoolResult(LoweringContext &c, std::pair<Value, Value> pooled,
                             bool withIndices) {
  if (!withIndices)
    return c.reshape(pooled.first, c.result().getShape());
  if (c.resultTypes.size() != 2)
    throw OpError("max pooling with indices: expected (values, indices) result types");
  return Lowered::sequence({Lowered(c.reshape(pooled.first, c.resultTypes[0].getShape())),
                            Lowered(c.reshape(pooled.second, c.resultTypes[1].getShape()))});
}

/// Whether a max pooling entry returns indices: `_with_indices` spellings always do.
static bool returnsIndices(const LoweredArgs &a, bool always) {
  return always || (a.getSchema().find("return_indices") >= 0 && a.toBool("return_indices"));
}

template <int N, bool AlwaysIndices>
static Lowered lowerMaxPool(LoweringContext &c, const LoweredArgs &a) {
  Value x = poolingInput(c, a, kMaxPoolNames[N], N);
  PoolWindow window = poolWindow(N, a.literal("kernel_size"), a.literal("stride"),
                                 a.literal("padding"), a.literal("dilation"),
                                 a.toBool("ceil_mode"));
  // The values' element type (a tuple's first).
  mlir::Type t = c.resultTypes.empty() ? c.resultElementType() : c.resultTypes[0].getElementType();
  Shape outShape = poolOutputShape(kMaxPoolNames[N], shapeOf(x).vec(), window);
  if (!returnsIndices(a, AlwaysIndices)) {
    Value y = linalgPool(c, x, window, tensorType(outShape, t), lowestOf(t), ReduceKind::Max);
    return c.reshape(y, c.result().getShape());
  }
  std::vector<std::vector<PoolTaps>> taps(N);
  for (int d = 0; d < N; ++d)
    for (int64_t i = 0; i < outShape[2 + d]; ++i)
      taps[d].push_back(maxPoolTaps(window, d, i));
  return maxPoolResult(c, maxPoolWithIndices(c, c.castTensor(x, t), outShape, taps), true);
}

static const char *const kAdaptiveMaxNames[] = {"", "adaptive_max_pool1d", "adaptive_max_pool2d",
                                                "adaptive_max_pool3d"};

/// adaptive_max_pool: max pooling over each output position's bin (adaptivePoolTaps).
template <int N, bool AlwaysIndices>
static Lowered lowerAdaptiveMaxPool(LoweringContext &c, const LoweredArgs &a) {
  const char *op = kAdaptiveMaxNames[N];
  Shape outShape =
      adaptivePoolOutputShape(op, N, shapeOf(a.tensor("input")).vec(), a.literal("output_size"));
  Value x = c.castTensor(poolingInput(c, a, op, N), c.resultTypes[0].getElementType());
  auto in = shapeOf(x);
  Shape batchedOut{in[0], in[1]};
  batchedOut.insert(batchedOut.end(), outShape.end() - N, outShape.end());
  std::vector<std::vector<PoolTaps>> taps(N);
  for (int d = 0; d < N; ++d)
    for (int64_t i = 0; i < batchedOut[2 + d]; ++i)
      taps[d].push_back(adaptivePoolTaps(i, batchedOut[2 + d], in[2 + d]));
  return maxPoolResult(c, maxPoolWithIndices(c, x, batchedOut, taps),
                       returnsIndices(a, AlwaysIndices));
}

/// max_unpool as a gather: output position p of each (N, C) plane takes the last input
/// element whose index is p (torch's CPU kernel writes them in order), else 0. Loops (n, c,
/// out..., in...), the input's reductions: quadratic in the plane, fine for the small maps
/// unpooling sees in models.
template <int N>
static Lowered lowerMaxUnpool(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input"), indices = a.tensor("indices");
  PoolWindow window = poolWindow(N, a.literal("kernel_size"), a.literal("stride"),
                                 a.literal("padding"), PyValue::integer(1), false);
  Shape outShape = maxUnpoolOutputShape(N, shapeOf(x).vec(), shapeOf(indices).vec(), window,
                                        a.literal("output_size"));
  if (rankOf(x) == N + 1) {
    x = c.reshape(x, withSpatial({1}, shapeOf(x)));
    indices = c.reshape(indices, withSpatial({1}, shapeOf(indices)));
    outShape.insert(outShape.begin(), 1);
  }
  mlir::Type t = c.resultElementType();
  x = c.castTensor(x, t);
  Dims d{c.b};
  llvm::SmallVector<mlir::AffineExpr> inExprs{d(0), d(1)}, outExprs{d(0), d(1)};
  for (int64_t i = 0; i < N; ++i) {
    outExprs.push_back(d(2 + i));
    inExprs.push_back(d(2 + N + i));
  }
  auto outType = tensorType(outShape, t);
  mlir::Type indexType = elementTypeOf(indices);
  Value y = generic(
      c, outType, {x, indices}, c.filled(outType, 0), {inExprs, inExprs, outExprs}, 2 + 2 * N,
      2 + N, [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
        Value flat = mlir::arith::ConstantIndexOp::create(b, l, 0);
        for (int64_t i = 0; i < N; ++i)
          flat = mlir::arith::AddIOp::create(
              b, l,
              mlir::arith::MulIOp::create(
                  b, l, flat, mlir::arith::ConstantIndexOp::create(b, l, outShape[2 + i])),
              mlir::linalg::IndexOp::create(b, l, 2 + i));
        Value at = mlir::arith::IndexCastOp::create(b, l, indexType, flat);
        Value hit = mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::eq, v[1], at);
        mlir::linalg::YieldOp::create(b, l,
                                      mlir::ValueRange{mlir::arith::SelectOp::create(
                                          b, l, hit, v[0], v[2])});
      });
  return c.reshape(y, c.result().getShape());
}

/// The divisor of each output position of avg_pool, by the kernel's rule, as a constant over
/// the spatial dims.
static Value avgPoolDivisors(LoweringContext &c, const LoweredArgs &a, llvm::ArrayRef<int64_t> in,
                             const PoolWindow &window, mlir::RankedTensorType outType) {
  bool countIncludePad = a.toBool("count_include_pad");
  PyValue divisorOverride = a.getSchema().find("divisor_override") < 0
                                ? PyValue::none()
                                : a.literal("divisor_override");
  llvm::ArrayRef<int64_t> out = outType.getShape().drop_front(2);
  int64_t count = 1;
  for (int64_t s : out)
    count *= s;
  std::vector<fxmlir::Element> divisors;
  for (int64_t flat = 0; flat < count; ++flat) {
    std::vector<AvgPoolWindow> windows(out.size());
    for (int64_t d = (int64_t)out.size() - 1, rest = flat; d >= 0; rest /= out[d], --d)
      windows[d] = avgPoolWindow(window, (int)d, rest % out[d], in[2 + d]);
    divisors.push_back(avgPoolDivisor(windows, countIncludePad, divisorOverride));
  }
  return c.constant(tensorType(out, outType.getElementType()), divisors);
}

template <int N>
static Lowered lowerAvgPool(LoweringContext &c, const LoweredArgs &a) {
  Value x = poolingInput(c, a, kAvgPoolNames[N], N);
  PoolWindow window = poolWindow(N, a.literal("kernel_size"), a.literal("stride"),
                                 a.literal("padding"), /*dilation=*/PyValue::integer(1),
                                 a.toBool("ceil_mode"));
  mlir::Type t = c.resultElementType();
  auto outType = tensorType(poolOutputShape(kAvgPoolNames[N], shapeOf(x).vec(), window), t);
  Value sum = linalgPool(c, x, window, outType, 0, ReduceKind::Sum);
  Value divisor = avgPoolDivisors(c, a, shapeOf(x), window, outType);
  Value mean = c.map({Lowered(sum), Lowered(divisor)}, outType,
                     [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                       return ElementBuilder{b, l, t}.div(v[0], v[1]);
                     });
  return c.reshape(mean, c.result().getShape());
}

/// The constant [out, in] matrix that averages each adaptive pooling bin along a dimension.
static Value averagingMatrix(LoweringContext &c, int64_t out, int64_t in, mlir::Type t) {
  std::vector<fxmlir::Element> m(out * in, 0.0);
  for (int64_t i = 0; i < out; ++i) {
    PoolSpan bin = adaptivePoolSpan(i, out, in);
    for (int64_t j = bin.begin; j < bin.end; ++j)
      m[i * in + j] = 1.0 / double(bin.size());
  }
  return c.constant(tensorType({out, in}, t), m);
}

/// adaptive_avg_pool over `n` dims as out[.., o...] = sum_{i...} P1[o1, i1] * ... * x[.., i...],
/// with constant averaging matrices: the bins' bounds are not affine in the output position.
template <int N>
static Lowered lowerAdaptiveAvgPool(LoweringContext &c, const LoweredArgs &a) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = c.castTensor(a.tensor("input"), t);
  adaptivePoolOutputShape(kAdaptiveNames[N], N, shapeOf(x).vec(), a.literal("output_size"));
  int64_t rank = rankOf(x), lead = rank - N;
  auto in = shapeOf(x).drop_front(lead), out = outType.getShape().drop_front(lead);
  if (in == out)
    return x;
  // Loops: lead..., o..., i....
  Dims d{c.b};
  llvm::SmallVector<mlir::AffineExpr> xe, oe;
  for (int64_t i = 0; i < lead; ++i) {
    xe.push_back(d(i));
    oe.push_back(d(i));
  }
  std::vector<Value> operands{x};
  std::vector<llvm::SmallVector<mlir::AffineExpr>> exprs;
  for (int64_t i = 0; i < N; ++i) {
    xe.push_back(d(lead + N + i));
    oe.push_back(d(lead + i));
    operands.push_back(averagingMatrix(c, out[i], in[i], t));
    exprs.push_back({d(lead + i), d(lead + N + i)});
  }
  exprs.insert(exprs.begin(), xe);
  exprs.push_back(oe);
  return generic(c, outType, operands, c.filled(outType, 0), exprs, rank + N, rank,
                 [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                   ElementBuilder e{b, l, t};
                   Value product = v[0];
                   for (size_t i = 1; i + 1 < v.size(); ++i)
                     product = e.mul(product, v[i]);
                   mlir::linalg::YieldOp::create(b, l, e.add(v.back(), product));
                 });
}

//===----------------------------------------------------------------------===//
// Sliding blocks (unfold, fold)
//===----------------------------------------------------------------------===//

static BlockParams blockParamsOf(const LoweredArgs &a) {
  return blockParams(a.literal("kernel_size"), a.literal("dilation"), a.literal("padding"),
                     a.literal("stride"));
}

/// unfold (im2col): the padded image read at [n, c, by * s0 + i * d0, bx * s1 + j * d1] into
/// [n, c, i, j, by, bx], which is the result's (N, C * kh * kw, blocks) layout.
static Lowered lowerUnfold(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  BlockParams p = blockParamsOf(a);
  unfoldShape(shapeOf(x).vec(), p);
  if (rankOf(x) == 3)
    x = c.reshape(x, withSpatial({1}, shapeOf(x)));
  auto xs = shapeOf(x);
  std::vector<int64_t> blocks = blockCounts({xs[2], xs[3]}, p);
  mlir::Type t = c.resultElementType();
  x = c.pad(c.castTensor(x, t), {0, 0, p.padding[0], p.padding[1]},
            {0, 0, p.padding[0], p.padding[1]}, 0);
  Dims d{c.b};
  auto type = tensorType({xs[0], xs[1], p.kernel[0], p.kernel[1], blocks[0], blocks[1]}, t);
  Value columns = generic(
      c, type, {x}, c.empty(type),
      {{d(0), d(1), d(4) * p.stride[0] + d(2) * p.dilation[0],
        d(5) * p.stride[1] + d(3) * p.dilation[1]},
       {d(0), d(1), d(2), d(3), d(4), d(5)}},
      6, 6, [](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
        mlir::linalg::YieldOp::create(b, l, v[0]);
      });
  return c.reshape(columns, c.result().getShape());
}

/// For each image position y along spatial `dim` (of `size`) and kernel element k: the block
/// whose element k lands on y (at most one), or -1; fold reads its columns through this table.
static Value blockOfPosition(LoweringContext &c, const BlockParams &p, int dim, int64_t size,
                             int64_t blocks) {
  int64_t kernel = p.kernel[dim];
  std::vector<fxmlir::Element> table(size * kernel, -1.0);
  for (int64_t b = 0; b < blocks; ++b)
    for (int64_t k = 0; k < kernel; ++k)
      if (int64_t y = blockSource(p, dim, b, k, size); y >= 0)
        table[y * kernel + k] = (double)b;
  return c.constant(tensorType({size, kernel}, c.b.getI64Type()), table);
}

/// fold (col2im) as a gather: out[n, c, y, x] sums, over the kernel elements (i, j), the column
/// element of the block that puts (i, j) on (y, x) (blockOfPosition), loops (n, c, y, x, i, j).
static Lowered lowerFold(LoweringContext &c, const LoweredArgs &a) {
  Value cols = a.tensor("input");
  BlockParams p = blockParamsOf(a);
  Shape outShape = foldShape(shapeOf(cols).vec(), a.literal("output_size"), p);
  if (outShape.size() == 3)
    outShape.insert(outShape.begin(), 1);
  int64_t h = outShape[2], w = outShape[3];
  std::vector<int64_t> blocks = blockCounts({h, w}, p);
  mlir::Type t = c.resultElementType();
  cols = c.reshape(c.castTensor(cols, t),
                   {outShape[0], outShape[1], p.kernel[0], p.kernel[1], blocks[0], blocks[1]});
  Dims d{c.b};
  auto outType = tensorType(outShape, t);
  Value y = generic(
      c, outType, {blockOfPosition(c, p, 0, h, blocks[0]), blockOfPosition(c, p, 1, w, blocks[1])},
      c.filled(outType, 0), {{d(2), d(4)}, {d(3), d(5)}, {d(0), d(1), d(2), d(3)}}, 6, 4,
      [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
        mlir::Type i64 = b.getI64Type();
        Value zero = mlir::arith::ConstantIntOp::create(b, l, i64, 0);
        auto index = [&](Value i) {
          return mlir::arith::IndexCastOp::create(
                     b, l, b.getIndexType(), mlir::arith::MaxSIOp::create(b, l, i, zero))
              .getResult();
        };
        Value hit = mlir::arith::AndIOp::create(
            b, l, mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::sge, v[0], zero),
            mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::sge, v[1], zero));
        llvm::SmallVector<Value> at; // (n, c, i, j, by, bx)
        for (int64_t i : {0, 1, 4, 5})
          at.push_back(mlir::linalg::IndexOp::create(b, l, i));
        at.insert(at.end(), {index(v[0]), index(v[1])});
        Value element = mlir::tensor::ExtractOp::create(b, l, cols, at);
        ElementBuilder e{b, l, t};
        mlir::linalg::YieldOp::create(
            b, l, e.add(v[2], e.select(hit, element, e.constant(0))));
      });
  return c.reshape(y, c.result().getShape());
}

//===----------------------------------------------------------------------===//
// Padding
//===----------------------------------------------------------------------===//

/// `x` read along `dim` at positions `sources` through a constant table: one linalg.generic
/// whatever the pad's width.
static Value gatherThroughTable(LoweringContext &c, Value x, int64_t dim,
                                const std::vector<int64_t> &sources) {
  int64_t rank = rankOf(x), n = (int64_t)sources.size();
  Shape outShape = shapeOf(x).vec();
  outShape[dim] = n;
  Value table = c.constant(tensorType({n}, c.b.getI64Type()),
                           std::vector<Element>(sources.begin(), sources.end()));
  mlir::MLIRContext *ctx = c.b.getContext();
  llvm::SmallVector<mlir::AffineMap> maps{
      mlir::AffineMap::get(rank, 0, {c.b.getAffineDimExpr(dim)}, ctx),
      c.b.getMultiDimIdentityMap(rank)};
  llvm::SmallVector<mlir::utils::IteratorType> iterators(rank, mlir::utils::IteratorType::parallel);
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{tensorType(outShape, elementTypeOf(x))},
             mlir::ValueRange{table},
             mlir::ValueRange{c.empty(tensorType(outShape, elementTypeOf(x)))}, maps, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
               llvm::SmallVector<Value> at;
               for (int64_t d = 0; d < rank; ++d)
                 at.push_back(d == dim
                                  ? mlir::arith::IndexCastOp::create(b, l, b.getIndexType(), v[0])
                                        .getResult()
                                  : mlir::linalg::IndexOp::create(b, l, d).getResult());
               mlir::linalg::YieldOp::create(
                   b, l, mlir::tensor::ExtractOp::create(b, l, x, at).getResult());
             })
      .getResult(0);
}

/// `x` read along `dim` at positions `sources`: each run of consecutive positions one slice
/// (copies that vectorize) when there are few runs, a gather through a table otherwise.
static Value gatherRuns(LoweringContext &c, Value x, int64_t dim,
                        const std::vector<int64_t> &sources) {
  constexpr size_t kMaxSlices = 16;
  std::vector<std::pair<int64_t, int64_t>> runs; // (first source, length)
  for (size_t i = 0; i < sources.size(); ++i) {
    if (i && sources[i] == sources[i - 1] + 1)
      ++runs.back().second;
    else
      runs.emplace_back(sources[i], 1);
  }
  if (runs.size() > kMaxSlices)
    return gatherThroughTable(c, x, dim, sources);
  int64_t rank = rankOf(x);
  std::vector<Value> parts;
  for (auto [first, length] : runs) {
    std::vector<int64_t> offsets(rank, 0), sizes = shapeOf(x).vec(), strides(rank, 1);
    offsets[dim] = first;
    sizes[dim] = length;
    parts.push_back(c.slice(x, offsets, sizes, strides));
  }
  return parts.size() == 1 ? parts.front() : c.concat(parts, dim);
}

/// Constant padding as a crop (negative pads) then tensor.pad.
static Value constantPad(LoweringContext &c, Value x, const std::vector<int64_t> &pad,
                         double value) {
  int64_t rank = rankOf(x);
  std::vector<int64_t> offsets(rank, 0), sizes = shapeOf(x).vec(), strides(rank, 1),
                                         low(rank, 0), high(rank, 0);
  for (size_t i = 0; i < pad.size(); i += 2) {
    int64_t d = rank - 1 - (int64_t)i / 2;
    offsets[d] = std::max<int64_t>(0, -pad[i]);
    sizes[d] -= offsets[d] + std::max<int64_t>(0, -pad[i + 1]);
    low[d] = std::max<int64_t>(0, pad[i]);
    high[d] = std::max<int64_t>(0, pad[i + 1]);
  }
  return c.pad(c.slice(x, offsets, sizes, strides), low, high, value);
}

static Lowered lowerPadding(LoweringContext &c, Value x, const std::vector<int64_t> &pad,
                            PadMode mode, double value) {
  paddedShape(shapeOf(x).vec(), pad, mode);
  if (mode == PadMode::Constant)
    return constantPad(c, x, pad, value);
  int64_t rank = rankOf(x);
  for (size_t i = 0; i < pad.size(); i += 2) {
    int64_t d = rank - 1 - (int64_t)i / 2, in = shapeOf(x)[d];
    std::vector<int64_t> sources;
    for (int64_t j = 0; j < in + pad[i] + pad[i + 1]; ++j)
      sources.push_back(padSource(mode, j, in, pad[i]));
    x = gatherRuns(c, x, d, sources);
  }
  return x;
}

static Lowered lowerPad(LoweringContext &c, const LoweredArgs &a) {
  const std::string &mode = a.literal("mode").toStr();
  return lowerPadding(c, a.tensor("input"), a.literal("pad").toIntList(), padMode(mode),
                      padFillValue(mode, a.literal("value")));
}

static Lowered lowerConstantPadNd(LoweringContext &c, const LoweredArgs &a) {
  return lowerPadding(c, a.tensor("input"), a.literal("pad").toIntList(), PadMode::Constant,
                      a.toDouble("value"));
}

template <PadMode M>
static Lowered lowerFixedPad(LoweringContext &c, const LoweredArgs &a) {
  return lowerPadding(c, a.tensor("input"), a.literal("padding").toIntList(), M, 0.0);
}

void populateConvolutionAndPoolingLowerings(LoweringTable &table) {
  table.add("conv1d", lowerConv<1>);
  table.add("conv2d", lowerConv<2>);
  table.add("conv3d", lowerConv<3>);
  table.add("conv_transpose1d", lowerConvTranspose<1>);
  table.add("conv_transpose2d", lowerConvTranspose<2>);
  table.add("conv_transpose3d", lowerConvTranspose<3>);
  table.add("convolution", lowerConvolution);
  table.add("max_pool1d", lowerMaxPool<1, false>);
  table.add("max_pool2d", lowerMaxPool<2, false>);
  table.add("max_pool3d", lowerMaxPool<3, false>);
  table.add("max_pool1d_with_indices", lowerMaxPool<1, true>);
  table.add("max_pool2d_with_indices", lowerMaxPool<2, true>);
  table.add("max_pool3d_with_indices", lowerMaxPool<3, true>);
  table.add("adaptive_max_pool1d", lowerAdaptiveMaxPool<1, false>);
  table.add("adaptive_max_pool2d", lowerAdaptiveMaxPool<2, false>);
  table.add("adaptive_max_pool3d", lowerAdaptiveMaxPool<3, false>);
  table.add("adaptive_max_pool1d_with_indices", lowerAdaptiveMaxPool<1, true>);
  table.add("adaptive_max_pool2d_with_indices", lowerAdaptiveMaxPool<2, true>);
  table.add("adaptive_max_pool3d_with_indices", lowerAdaptiveMaxPool<3, true>);
  table.add("max_unpool1d", lowerMaxUnpool<1>);
  table.add("max_unpool2d", lowerMaxUnpool<2>);
  table.add("max_unpool3d", lowerMaxUnpool<3>);
  table.add("unfold", lowerUnfold);
  table.add("fold", lowerFold);
  table.add("avg_pool1d", lowerAvgPool<1>);
  table.add("avg_pool2d", lowerAvgPool<2>);
  table.add("avg_pool3d", lowerAvgPool<3>);
  table.add("adaptive_avg_pool1d", lowerAdaptiveAvgPool<1>);
  table.add("adaptive_avg_pool2d", lowerAdaptiveAvgPool<2>);
  table.add("adaptive_avg_pool3d", lowerAdaptiveAvgPool<3>);
  table.add("pad", lowerPad);
  table.add("constant_pad_nd", lowerConstantPadNd);
  table.add("reflection_pad", lowerFixedPad<PadMode::Reflect>);
  table.add("replication_pad", lowerFixedPad<PadMode::Replicate>);
}

} // namespace fxmlir
