//===- ConvolutionAndPooling.cpp - conv2d and 2-D pooling -----------------===//
#include "KernelUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <algorithm>
#include <limits>

namespace fxmlir {

using mlir::Value;

static void requireRank4(const Tensor &t, const char *op) {
  if (t.dim() != 4)
    throw OpError(std::string(op) + ": expected a 4-D (N, C, H, W) input, got shape " +
                  shapeToString(t.shape()));
}

static Tensor conv2d(const Tensor &x, const Tensor &w, const PyValue &bias,
                     std::vector<int64_t> stride, std::vector<int64_t> padding,
                     std::vector<int64_t> dilation, int64_t groups) {
  requireRank4(x, "conv2d");
  int64_t n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
  int64_t oc = w.size(0), icg = w.size(1), kh = w.size(2), kw = w.size(3);
  if (c != icg * groups || oc % groups != 0)
    throw OpError("conv2d: weight of shape " + shapeToString(w.shape()) + " with groups=" +
                  std::to_string(groups) + " does not fit an input with " + std::to_string(c) +
                  " channels");
  if (w.dim() != 4)
    throw OpError("conv2d: weight must be 4-D, got shape " + shapeToString(w.shape()));
  if (groups <= 0 || stride[0] <= 0 || stride[1] <= 0 || dilation[0] <= 0 || dilation[1] <= 0 ||
      padding[0] < 0 || padding[1] < 0)
    throw OpError("conv2d: groups, stride and dilation must be positive, padding non-negative");
  if (!bias.isNone() && bias.tensor().numel() != w.size(0))
    throw OpError("conv2d: bias has " + std::to_string(bias.tensor().numel()) +
                  " elements for " + std::to_string(w.size(0)) + " output channels");
  int64_t oh = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
  int64_t ow = (wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
  if (oh <= 0 || ow <= 0)
    throw OpError("conv2d: input of shape " + shapeToString(x.shape()) + " is too small");
  Tensor out({n, oc, oh, ow}, promoteTypes(x.dtype(), w.dtype()));
  int64_t ocg = oc / groups;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < oc; ++o) {
      int64_t g = o / ocg;
      double bv = bias.isNone() ? 0.0 : bias.tensor()[o];
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xo = 0; xo < ow; ++xo) {
          double s = bv;
          for (int64_t ic = 0; ic < icg; ++ic) {
            const double *xin = x.data() + ((b * c) + g * icg + ic) * h * wd;
            const double *wk = w.data() + ((o * icg) + ic) * kh * kw;
            for (int64_t i = 0; i < kh; ++i) {
              int64_t iy = y * stride[0] - padding[0] + i * dilation[0];
              if (iy < 0 || iy >= h)
                continue;
              for (int64_t j = 0; j < kw; ++j) {
                int64_t ix = xo * stride[1] - padding[1] + j * dilation[1];
                if (ix >= 0 && ix < wd)
                  s += xin[iy * wd + ix] * wk[i * kw + j];
              }
            }
          }
          out[((b * oc + o) * oh + y) * ow + xo] = s;
        }
    }
  return out.round();
}

/// Output size of a pooling window, with ceil_mode's rule that the last window must start
/// inside the input or its left padding.
static int64_t poolOutSize(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil) {
  int64_t span = in + 2 * p - d * (k - 1) - 1;
  int64_t out = (ceil ? (span + s - 1) / s : span / s) + 1;
  if (ceil && (out - 1) * s >= in + p)
    --out;
  return out;
}

enum class PoolKind { Max, Avg };

/// A pooling stride of None (or []) means the kernel size.
static std::vector<int64_t> poolStride(const PyValue &stride, const std::vector<int64_t> &kernel) {
  if (stride.isNone() || (stride.isSequence() && stride.items().empty()))
    return kernel;
  return stride.toIntList(2);
}

static Tensor pool2d(const Tensor &x, PoolKind kind, std::vector<int64_t> k,
                     std::vector<int64_t> s, std::vector<int64_t> p, std::vector<int64_t> d,
                     bool ceil, bool countIncludePad, const PyValue &divisorOverride) {
  requireRank4(x, kind == PoolKind::Max ? "max_pool2d" : "avg_pool2d");
  if (k[0] <= 0 || k[1] <= 0 || s[0] <= 0 || s[1] <= 0 || d[0] <= 0 || d[1] <= 0 || p[0] < 0 ||
      p[1] < 0)
    throw OpError("pooling: kernel size, stride and dilation must be positive");
  if (p[0] * 2 > k[0] || p[1] * 2 > k[1])
    throw OpError("pad should be at most half of effective kernel size");
  int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  int64_t oh = poolOutSize(h, k[0], s[0], p[0], d[0], ceil);
  int64_t ow = poolOutSize(w, k[1], s[1], p[1], d[1], ceil);
  Tensor out({n, c, oh, ow}, x.dtype());
  for (int64_t nc = 0; nc < n * c; ++nc) {
    const double *in = x.data() + nc * h * w;
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo) {
        int64_t y0 = y * s[0] - p[0], x0 = xo * s[1] - p[1];
        if (kind == PoolKind::Max) {
          double m = -std::numeric_limits<double>::infinity();
          for (int64_t i = 0; i < k[0]; ++i)
            for (int64_t j = 0; j < k[1]; ++j) {
              int64_t iy = y0 + i * d[0], ix = x0 + j * d[1];
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                double v = in[iy * w + ix];
                if (v > m || std::isnan(v))
                  m = v;
              }
            }
          out[(nc * oh + y) * ow + xo] = m;
        } else {
          // The window clipped to the padded input, and to the input itself.
          int64_t y1 = std::min(y0 + k[0], h + p[0]), x1 = std::min(x0 + k[1], w + p[1]);
          int64_t padded = (y1 - y0) * (x1 - x0);
          int64_t ys = std::max<int64_t>(y0, 0), xs = std::max<int64_t>(x0, 0);
          int64_t ye = std::min(y1, h), xe = std::min(x1, w);
          double sum = 0;
          for (int64_t iy = ys; iy < ye; ++iy)
            for (int64_t ix = xs; ix < xe; ++ix)
              sum += in[iy * w + ix];
          double div = !divisorOverride.isNone() ? (double)divisorOverride.toInt()
                       : countIncludePad         ? (double)padded
                                                 : (double)((ye - ys) * (xe - xs));
          out[(nc * oh + y) * ow + xo] = sum / div;
        }
      }
  }
  return out.round();
}

static Tensor adaptiveAvgPool2d(const Tensor &x, std::vector<int64_t> size) {
  if (x.dim() != 3 && x.dim() != 4)
    throw OpError("adaptive_avg_pool2d: expected a 3-D or 4-D input, got shape " +
                  shapeToString(x.shape()));
  int64_t h = x.size(-2), w = x.size(-1), planes = x.numel() / (h * w);
  int64_t oh = size[0], ow = size[1];
  if (oh <= 0 || ow <= 0)
    throw OpError("adaptive_avg_pool2d: output size must be positive");
  Shape outShape = x.shape();
  outShape[outShape.size() - 2] = oh;
  outShape[outShape.size() - 1] = ow;
  Tensor out(outShape, x.dtype());
  for (int64_t pl = 0; pl < planes; ++pl)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        int64_t y0 = i * h / oh, y1 = ((i + 1) * h + oh - 1) / oh;
        int64_t x0 = j * w / ow, x1 = ((j + 1) * w + ow - 1) / ow;
        double s = 0;
        for (int64_t y = y0; y < y1; ++y)
          for (int64_t xx = x0; xx < x1; ++xx)
            s += x[pl * h * w + y * w + xx];
        out[(pl * oh + i) * ow + j] = s / double((y1 - y0) * (x1 - x0));
      }
  return out.round();
}

static Value identityMap(LoweringContext &c, Value v, mlir::RankedTensorType type) {
  return c.map({Lowered(v)}, type, [](mlir::OpBuilder &, mlir::Location, mlir::ValueRange x) {
    return x[0];
  });
}

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

/// conv2d on a zero-padded input: through im2col and matmuls (groups=1, small batches), else
/// as linalg.conv_2d_nchw_fchw (grouped: conv_2d_ngchw_gfchw) accumulating into the bias.
static Lowered lowerConv2d(LoweringContext &c, const LoweredArgs &a) {
  if (a.literal("padding").kind() == PyValue::Kind::Str)
    throw OpError("conv2d: string padding ('same', 'valid') is not supported yet");
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = c.castTensor(a.tensor("input"), t), w = c.castTensor(a.tensor("weight"), t);
  if (rankOf(x) != 4 || rankOf(w) != 4)
    throw OpError("conv2d: only 4-D (N, C, H, W) inputs can be compiled");
  auto stride = a.literal("stride").toIntList(2), padding = a.literal("padding").toIntList(2);
  auto dilation = a.literal("dilation").toIntList(2);
  int64_t groups = a.toInt("groups");
  x = c.pad(x, {0, 0, padding[0], padding[1]}, {0, 0, padding[0], padding[1]}, 0);
  if (groups == 1 && shapeOf(x)[0] <= kIm2colMaxBatch) {
    Value y = lowerConv2dAsMatmuls(c, x, w, stride, dilation, outType);
    if (Value bias = a.optionalTensor("bias"))
      y = c.map({Lowered(y), Lowered(c.alongDim(c.castTensor(bias, t), 1, 4))}, outType,
                [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                  return ElementBuilder{b, l, t}.add(v[0], v[1]);
                });
    return y;
  }
  Value init = c.filled(outType, 0);
  if (Value bias = a.optionalTensor("bias"))
    init = identityMap(c, c.alongDim(c.castTensor(bias, t), 1, 4), outType);
  auto strides = c.b.getI64VectorAttr(stride), dilations = c.b.getI64VectorAttr(dilation);
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

/// Padding so that every window of the output fits: torch's padding, plus what ceil_mode's
/// last window needs at the end.
static Value padForPooling(LoweringContext &c, Value x, const std::vector<int64_t> &k,
                           const std::vector<int64_t> &s, const std::vector<int64_t> &p,
                           const std::vector<int64_t> &d, double value) {
  auto in = shapeOf(x), out = c.result().getShape();
  std::vector<int64_t> high(2);
  for (int i = 0; i < 2; ++i) {
    int64_t need = (out[2 + i] - 1) * s[i] + d[i] * (k[i] - 1) + 1;
    high[i] = std::max(p[i], need - in[2 + i] - p[i]);
  }
  return c.pad(x, {0, 0, p[0], p[1]}, {0, 0, high[0], high[1]}, value);
}

static Lowered lowerPool2d(LoweringContext &c, const LoweredArgs &a, PoolKind kind) {
  mlir::RankedTensorType outType = c.result();
  Value x = a.tensor("input");
  if (rankOf(x) != 4)
    throw OpError("pooling: only 4-D (N, C, H, W) inputs can be compiled");
  auto k = a.literal("kernel_size").toIntList(2);
  auto s = poolStride(a.literal("stride"), k), p = a.literal("padding").toIntList(2);
  std::vector<int64_t> d = kind == PoolKind::Max ? a.literal("dilation").toIntList(2)
                                                 : std::vector<int64_t>{1, 1};
  mlir::Type t = outType.getElementType();
  Value window = c.empty(tensorType({k[0], k[1]}, t));
  auto strides = c.b.getI64VectorAttr(s), dilations = c.b.getI64VectorAttr(d);
  if (kind == PoolKind::Max) {
    double lowest = lowestOf(t);
    Value padded = padForPooling(c, x, k, s, p, d, lowest);
    return mlir::linalg::PoolingNchwMaxOp::create(
               c.b, c.loc, mlir::TypeRange{outType}, mlir::ValueRange{padded, window},
               mlir::ValueRange{c.filled(outType, lowest)}, strides, dilations)
        .getResult(0);
  }
  Value padded = padForPooling(c, x, k, s, p, d, 0);
  Value sum = mlir::linalg::PoolingNchwSumOp::create(
                  c.b, c.loc, mlir::TypeRange{outType}, mlir::ValueRange{padded, window},
                  mlir::ValueRange{c.filled(outType, 0)}, strides, dilations)
                  .getResult(0);
  // The divisor of each output position, by the kernel's rule, as a constant.
  int64_t h = shapeOf(x)[2], w = shapeOf(x)[3], oh = outType.getShape()[2],
          ow = outType.getShape()[3];
  bool includePad = a.toBool("count_include_pad");
  const PyValue &overrideDivisor = a.literal("divisor_override");
  std::vector<double> divisors;
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t xo = 0; xo < ow; ++xo) {
      int64_t y0 = y * s[0] - p[0], x0 = xo * s[1] - p[1];
      int64_t y1 = std::min(y0 + k[0], h + p[0]), x1 = std::min(x0 + k[1], w + p[1]);
      int64_t padded = (y1 - y0) * (x1 - x0);
      int64_t inside = (std::min(y1, h) - std::max<int64_t>(y0, 0)) *
                       (std::min(x1, w) - std::max<int64_t>(x0, 0));
      divisors.push_back(!overrideDivisor.isNone() ? (double)overrideDivisor.toInt()
                         : includePad              ? (double)padded
                                                   : (double)inside);
    }
  Value divisor = c.constant(tensorType({oh, ow}, t), divisors);
  return c.map({Lowered(sum), Lowered(divisor)}, outType,
               [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                 return ElementBuilder{b, l, t}.div(v[0], v[1]);
               });
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
  auto bins = [&](int64_t out, int64_t in) {
    std::vector<double> m(out * in, 0.0);
    for (int64_t i = 0; i < out; ++i) {
      int64_t lo = i * in / out, hi = ((i + 1) * in + out - 1) / out;
      for (int64_t j = lo; j < hi; ++j)
        m[i * in + j] = 1.0 / double(hi - lo);
    }
    return c.constant(tensorType({out, in}, t), m);
  };
  Value ph = bins(oh, h), pw = bins(ow, w);
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

void registerConvolutionAndPoolingOps(Registry &r) {
  using K = const BoundArgs &;
  r.addOp("torch.conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, "
          "int[2] padding=0, int[2] dilation=1, int groups=1)",
          {"torch.nn.functional.conv2d"}, [](K a) {
            if (a["padding"].kind() == PyValue::Kind::Str)
              throw OpError("conv2d: string padding ('same', 'valid') is not supported yet");
            return PyValue(conv2d(a.tensor("input"), a.tensor("weight"), a["bias"],
                                  a["stride"].toIntList(2), a["padding"].toIntList(2),
                                  a["dilation"].toIntList(2), a.toInt("groups")));
          }).lowerWith(lowerConv2d);
  r.addOp("torch.nn.functional.max_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, "
          "int[2] padding=0, int[2] dilation=1, bool ceil_mode=False, bool return_indices=False)",
          {"torch.max_pool2d", "torch.nn.functional.max_pool2d_with_indices"}, [](K a) {
            if (a.toBool("return_indices"))
              throw OpError("max_pool2d: return_indices=True is not supported");
            auto k = a["kernel_size"].toIntList(2);
            auto s = poolStride(a["stride"], k);
            return PyValue(pool2d(a.tensor("input"), PoolKind::Max, k, s, a["padding"].toIntList(2),
                                  a["dilation"].toIntList(2), a.toBool("ceil_mode"), true,
                                  PyValue::none()));
          }).lowerWith([](LoweringContext &c, const LoweredArgs &a) {
            if (a.toBool("return_indices"))
              throw OpError("max_pool2d: return_indices=True is not supported");
            return lowerPool2d(c, a, PoolKind::Max);
          });
  r.addOp("torch.nn.functional.avg_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, "
          "int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, "
          "int? divisor_override=None)",
          {"torch._C._nn.avg_pool2d", "torch.avg_pool2d"}, [](K a) {
            auto k = a["kernel_size"].toIntList(2);
            auto s = poolStride(a["stride"], k);
            return PyValue(pool2d(a.tensor("input"), PoolKind::Avg, k, s, a["padding"].toIntList(2),
                                  {1, 1}, a.toBool("ceil_mode"), a.toBool("count_include_pad"),
                                  a["divisor_override"]));
          }).lowerWith([](LoweringContext &c, const LoweredArgs &a) {
            return lowerPool2d(c, a, PoolKind::Avg);
          });
  r.addOp("torch.nn.functional.adaptive_avg_pool2d(Tensor input, int[2] output_size)",
          {"torch._C._nn.adaptive_avg_pool2d", "torch.adaptive_avg_pool2d"}, [](K a) {
            const Tensor &x = a.tensor("input");
            std::vector<int64_t> size;
            if (a["output_size"].isSequence()) {
              const auto &items = a["output_size"].items();
              for (size_t i = 0; i < 2; ++i) // None keeps the input's size
                size.push_back(items[i].isNone() ? x.size(-2 + (int64_t)i) : items[i].toInt());
            } else {
              size = a["output_size"].toIntList(2);
            }
            return PyValue(adaptiveAvgPool2d(x, size));
          }).lowerWith(lowerAdaptiveAvgPool2d);
}

} // namespace fxmlir
