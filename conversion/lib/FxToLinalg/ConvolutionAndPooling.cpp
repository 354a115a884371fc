//===- ConvolutionAndPooling.cpp - Lowerings of conv2d and 2-D pooling ----===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

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

//===----------------------------------------------------------------------===//
// conv2d
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

/// conv2d as linalg.conv_2d_nchw_fchw (grouped: conv_2d_ngchw_gfchw) accumulating into the
/// bias.
static Value lowerConv2dAsLinalgConv(LoweringContext &c, Value x, Value w, Value bias,
                                     const Conv2dParams &params,
                                     mlir::RankedTensorType outType) {
  Value init = c.filled(outType, 0);
  if (bias)
    init = identityMap(c, c.alongDim(c.castTensor(bias, outType.getElementType()), 1, 4),
                       outType);
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

/// conv2d on a zero-padded input: through im2col and matmuls (groups=1, small batches), else
/// as a linalg convolution.
static Lowered lowerConv2d(LoweringContext &c, const LoweredArgs &a) {
  Conv2dParams params = conv2dParams(a.literal("stride"), a.literal("padding"),
                                     a.literal("dilation"), a.literal("groups"));
  mlir::Type t = c.resultElementType();
  Value x = c.castTensor(a.tensor("input"), t), w = c.castTensor(a.tensor("weight"), t);
  if (rankOf(x) != 4 || rankOf(w) != 4)
    throw OpError("conv2d: only 4-D (N, C, H, W) inputs can be compiled");
  Value bias = a.optionalTensor("bias");
  mlir::RankedTensorType outType = tensorType(
      conv2dOutputShape(shapeOf(x).vec(), shapeOf(w).vec(), shapeIfAny(bias), params), t);
  const std::vector<int64_t> &padding = params.padding;
  x = c.pad(x, {0, 0, padding[0], padding[1]}, {0, 0, padding[0], padding[1]}, 0);
  if (params.groups != 1 || shapeOf(x)[0] > kIm2colMaxBatch)
    return lowerConv2dAsLinalgConv(c, x, w, bias, params, outType);
  Value y = lowerConv2dAsMatmuls(c, x, w, params.stride, params.dilation, outType);
  if (!bias)
    return y;
  return c.map({Lowered(y), Lowered(c.alongDim(c.castTensor(bias, t), 1, 4))}, outType,
               [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                 return ElementBuilder{b, l, t}.add(v[0], v[1]);
               });
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// The input of max_pool2d or avg_pool2d as (N, C, H, W): an unbatched (C, H, W) input is a
/// batch of one (the result is reshaped back to the node's type).
static Value poolingInput(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  if (rankOf(x) == 3)
    return c.reshape(x, {1, shapeOf(x)[0], shapeOf(x)[1], shapeOf(x)[2]});
  if (rankOf(x) != 4)
    throw OpError("pooling: only 3-D (C, H, W) and 4-D (N, C, H, W) inputs can be compiled");
  return x;
}

/// Padding so that every window of the output fits: torch's padding, plus what ceil_mode's
/// last window needs at the end.
static Value padForPooling(LoweringContext &c, Value x, const Pool2dWindow &window,
                           llvm::ArrayRef<int64_t> out, double value) {
  const std::vector<int64_t> &k = window.kernel, &s = window.stride, &p = window.padding,
                             &d = window.dilation;
  auto in = shapeOf(x);
  std::vector<int64_t> high(2);
  for (int i = 0; i < 2; ++i) {
    int64_t need = (out[2 + i] - 1) * s[i] + d[i] * (k[i] - 1) + 1;
    high[i] = std::max(p[i], need - in[2 + i] - p[i]);
  }
  return c.pad(x, {0, 0, p[0], p[1]}, {0, 0, high[0], high[1]}, value);
}

/// The linalg pooling op `PoolOp` over `x` padded with `value`, accumulating into a tensor
/// filled with `value`.
template <typename PoolOp>
static Value linalgPool(LoweringContext &c, Value x, const Pool2dWindow &window,
                  mlir::RankedTensorType outType, double value) {
  const std::vector<int64_t> &k = window.kernel;
  Value windowShape = c.empty(tensorType({k[0], k[1]}, outType.getElementType()));
  auto strides = c.b.getI64VectorAttr(window.stride);
  auto dilations = c.b.getI64VectorAttr(window.dilation);
  Value padded = padForPooling(c, x, window, outType.getShape(), value);
  return PoolOp::create(c.b, c.loc, mlir::TypeRange{outType},
                        mlir::ValueRange{padded, windowShape},
                        mlir::ValueRange{c.filled(outType, value)}, strides, dilations)
      .getResult(0);
}

static Lowered lowerMaxPool2d(LoweringContext &c, const LoweredArgs &a) {
  checkMaxPoolReturnIndices(a.toBool("return_indices"));
  Value x = poolingInput(c, a);
  Pool2dWindow window = pool2dWindow(a.literal("kernel_size"), a.literal("stride"),
                                     a.literal("padding"), a.literal("dilation"),
                                     a.toBool("ceil_mode"));
  mlir::Type t = c.resultElementType();
  auto outType = tensorType(pool2dOutputShape("max_pool2d", shapeOf(x).vec(), window), t);
  Value y = linalgPool<mlir::linalg::PoolingNchwMaxOp>(c, x, window, outType, lowestOf(t));
  return c.reshape(y, c.result().getShape());
}

/// The divisor of each output position of avg_pool2d, by the kernel's rule, as a constant.
static Value avgPoolDivisors(LoweringContext &c, const LoweredArgs &a, llvm::ArrayRef<int64_t> in,
                             const Pool2dWindow &window, mlir::RankedTensorType outType) {
  bool countIncludePad = a.toBool("count_include_pad");
  const PyValue &divisorOverride = a.literal("divisor_override");
  int64_t oh = outType.getShape()[2], ow = outType.getShape()[3];
  std::vector<double> divisors;
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x)
      divisors.push_back(avgPoolDivisor(avgPoolWindow(window, 0, y, in[2]),
                                        avgPoolWindow(window, 1, x, in[3]), countIncludePad,
                                        divisorOverride));
  return c.constant(tensorType({oh, ow}, outType.getElementType()), divisors);
}

static Lowered lowerAvgPool2d(LoweringContext &c, const LoweredArgs &a) {
  Value x = poolingInput(c, a);
  Pool2dWindow window = pool2dWindow(a.literal("kernel_size"), a.literal("stride"),
                                     a.literal("padding"), /*dilation=*/PyValue::integer(1),
                                     a.toBool("ceil_mode"));
  mlir::Type t = c.resultElementType();
  auto outType = tensorType(pool2dOutputShape("avg_pool2d", shapeOf(x).vec(), window), t);
  Value sum = linalgPool<mlir::linalg::PoolingNchwSumOp>(c, x, window, outType, 0);
  Value divisor = avgPoolDivisors(c, a, shapeOf(x), window, outType);
  Value mean = c.map({Lowered(sum), Lowered(divisor)}, outType,
                     [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                       return ElementBuilder{b, l, t}.div(v[0], v[1]);
                     });
  return c.reshape(mean, c.result().getShape());
}

/// The constant [out, in] matrix that averages each adaptive pooling bin along a dimension.
static Value averagingMatrix(LoweringContext &c, int64_t out, int64_t in, mlir::Type t) {
  std::vector<double> m(out * in, 0.0);
  for (int64_t i = 0; i < out; ++i) {
    PoolSpan bin = adaptivePoolSpan(i, out, in);
    for (int64_t j = bin.begin; j < bin.end; ++j)
      m[i * in + j] = 1.0 / double(bin.size());
  }
  return c.constant(tensorType({out, in}, t), m);
}

/// adaptive_avg_pool2d as out[.., i, j] = sum_{h,w} Ph[i, h] * Pw[j, w] * x[.., h, w], with
/// constant averaging matrices: the bins' bounds are not affine in i and j.
static Lowered lowerAdaptiveAvgPool2d(LoweringContext &c, const LoweredArgs &a) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = c.castTensor(a.tensor("input"), t);
  int64_t rank = rankOf(x), h = shapeOf(x)[rank - 2], w = shapeOf(x)[rank - 1];
  int64_t oh = outType.getShape()[rank - 2], ow = outType.getShape()[rank - 1];
  if (oh == h && ow == w)
    return x;
  Value ph = averagingMatrix(c, oh, h, t), pw = averagingMatrix(c, ow, w, t);
  int64_t lead = rank - 2, loops = rank + 2;
  mlir::MLIRContext *ctx = c.b.getContext();
  auto dim = [&](int64_t i) { return c.b.getAffineDimExpr(i); };
  llvm::SmallVector<mlir::AffineExpr> xe, oe;
  for (int64_t i = 0; i < lead; ++i) {
    xe.push_back(dim(i));
    oe.push_back(dim(i));
  }
  // Loops: lead..., i, j, h, w.
  xe.append({dim(lead + 2), dim(lead + 3)});
  oe.append({dim(lead), dim(lead + 1)});
  llvm::SmallVector<mlir::AffineMap> maps{
      mlir::AffineMap::get(loops, 0, xe, ctx),
      mlir::AffineMap::get(loops, 0, {dim(lead), dim(lead + 2)}, ctx),
      mlir::AffineMap::get(loops, 0, {dim(lead + 1), dim(lead + 3)}, ctx),
      mlir::AffineMap::get(loops, 0, oe, ctx)};
  llvm::SmallVector<mlir::utils::IteratorType> iterators(lead + 2,
                                                         mlir::utils::IteratorType::parallel);
  iterators.append(2, mlir::utils::IteratorType::reduction);
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{outType}, mlir::ValueRange{x, ph, pw},
             mlir::ValueRange{c.filled(outType, 0)}, maps, iterators,
             [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
               ElementBuilder e{b, l, t};
               mlir::linalg::YieldOp::create(b, l, e.add(v[3], e.mul(v[0], e.mul(v[1], v[2]))));
             })
      .getResult(0);
}

void populateConvolutionAndPoolingLowerings(LoweringTable &table) {
  table.add("conv2d", lowerConv2d);
  table.add("max_pool2d", lowerMaxPool2d);
  table.add("avg_pool2d", lowerAvgPool2d);
  table.add("adaptive_avg_pool2d", lowerAdaptiveAvgPool2d);
}

} // namespace fxmlir
