//===- ConvolutionAndPooling.cpp - conv2d and 2-D pooling -----------------===//
#include "KernelUtils.h"

#include <limits>

namespace fxmlir {

using K = const BoundArgs &;

static Tensor conv2d(const Tensor &x, const Tensor &w, const PyValue &bias,
                     const Conv2dParams &params) {
  std::optional<Shape> biasShape;
  if (!bias.isNone())
    biasShape = bias.tensor().shape();
  Shape outShape = conv2dOutputShape(x.shape(), w.shape(), biasShape, params);
  const std::vector<int64_t> &stride = params.stride, &padding = params.padding,
                             &dilation = params.dilation;
  int64_t n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
  int64_t oc = w.size(0), icg = w.size(1), kh = w.size(2), kw = w.size(3);
  int64_t oh = outShape[2], ow = outShape[3], ocg = oc / params.groups;
  Tensor out(outShape, promoteTypes(x.dtype(), w.dtype()));
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

/// A pooling result of `outShape`: `pool(plane, y, x)` at each output position (y, x), where
/// `plane` is the input's last two dimensions at the position's leading indices.
template <typename PoolFn>
static Tensor poolPlanes(const Tensor &x, const Shape &outShape, PoolFn pool) {
  int64_t planes = numElements(Shape(outShape.begin(), outShape.end() - 2));
  int64_t oh = outShape[outShape.size() - 2], ow = outShape.back();
  int64_t planeSize = x.size(-2) * x.size(-1);
  Tensor out(outShape, x.dtype());
  for (int64_t plane = 0; plane < planes; ++plane)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo)
        out[(plane * oh + y) * ow + xo] = pool(x.data() + plane * planeSize, y, xo);
  return out.round();
}

/// The sum of `plane` (`width` elements a row) over `rows` x `cols`.
static double sumOver(const double *plane, int64_t width, PoolSpan rows, PoolSpan cols) {
  double sum = 0;
  for (int64_t y = rows.begin; y < rows.end; ++y)
    for (int64_t x = cols.begin; x < cols.end; ++x)
      sum += plane[y * width + x];
  return sum;
}

static Tensor maxPool2d(const Tensor &x, const Pool2dWindow &window) {
  Shape outShape = pool2dOutputShape("max_pool2d", x.shape(), window);
  const std::vector<int64_t> &k = window.kernel, &s = window.stride, &p = window.padding,
                             &d = window.dilation;
  int64_t h = x.size(2), w = x.size(3);
  return poolPlanes(x, outShape, [&](const double *in, int64_t y, int64_t xo) {
    int64_t y0 = y * s[0] - p[0], x0 = xo * s[1] - p[1];
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
    return m;
  });
}

static Tensor avgPool2d(const Tensor &x, const Pool2dWindow &window, bool countIncludePad,
                        const PyValue &divisorOverride) {
  Shape outShape = pool2dOutputShape("avg_pool2d", x.shape(), window);
  int64_t h = x.size(2), w = x.size(3);
  return poolPlanes(x, outShape, [&](const double *in, int64_t y, int64_t xo) {
    AvgPoolWindow rows = avgPoolWindow(window, 0, y, h), cols = avgPoolWindow(window, 1, xo, w);
    return sumOver(in, w, rows.inside, cols.inside) /
           avgPoolDivisor(rows, cols, countIncludePad, divisorOverride);
  });
}

static Tensor adaptiveAvgPool2d(const Tensor &x, const PyValue &outputSize) {
  Shape outShape = adaptiveAvgPool2dOutputShape(x.shape(), outputSize);
  int64_t h = x.size(-2), w = x.size(-1);
  int64_t oh = outShape[outShape.size() - 2], ow = outShape.back();
  return poolPlanes(x, outShape, [&](const double *in, int64_t i, int64_t j) {
    PoolSpan rows = adaptivePoolSpan(i, oh, h), cols = adaptivePoolSpan(j, ow, w);
    return sumOver(in, w, rows, cols) / double(rows.size() * cols.size());
  });
}

static PyValue conv2dKernel(K a) {
  Conv2dParams params = conv2dParams(a["stride"], a["padding"], a["dilation"], a["groups"]);
  return PyValue(conv2d(a.tensor("input"), a.tensor("weight"), a["bias"], params));
}

/// `pool` on an (N, C, H, W) input, or on an unbatched (C, H, W) one as a batch of one.
static PyValue unbatchedOrBatched(const Tensor &x,
                                  const std::function<Tensor(const Tensor &)> &pool) {
  if (x.dim() != 3)
    return PyValue(pool(x));
  Tensor y = pool(x.reshape({1, x.size(0), x.size(1), x.size(2)}));
  return PyValue(y.reshape({y.size(1), y.size(2), y.size(3)}));
}

static PyValue maxPool2dKernel(K a) {
  checkMaxPoolReturnIndices(a.toBool("return_indices"));
  Pool2dWindow window = pool2dWindow(a["kernel_size"], a["stride"], a["padding"], a["dilation"],
                                     a.toBool("ceil_mode"));
  return unbatchedOrBatched(a.tensor("input"),
                            [&](const Tensor &x) { return maxPool2d(x, window); });
}

static PyValue avgPool2dKernel(K a) {
  Pool2dWindow window = pool2dWindow(a["kernel_size"], a["stride"], a["padding"],
                                     /*dilation=*/PyValue::integer(1), a.toBool("ceil_mode"));
  return unbatchedOrBatched(a.tensor("input"), [&](const Tensor &x) {
    return avgPool2d(x, window, a.toBool("count_include_pad"), a["divisor_override"]);
  });
}

static PyValue adaptiveAvgPool2dKernel(K a) {
  return PyValue(adaptiveAvgPool2d(a.tensor("input"), a["output_size"]));
}

void registerConvolutionAndPoolingOps(Registry &r) {
  r.addOp("torch.conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, "
          "int[2] padding=0, int[2] dilation=1, int groups=1)",
          {"torch.nn.functional.conv2d"}, conv2dKernel)
      .lowerWith("conv2d")
      .withSamples({"T(1, 3, 8, 8), T(4, 3, 3, 3), T(4)",
                    "T(2, 2, 7, 7), T(4, 2, 3, 3), None, stride=2, padding=1",
                    "T(1, 4, 8, 8), T(6, 2, 3, 3), T(6), 1, (1, 2), dilation=2, groups=2",
                    "T(1, 3, 8, 6, dtype='f64'), T(2, 3, 3, 1, dtype='f64'), stride=(2, 1)"});
  r.addOp("torch.nn.functional.max_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, "
          "int[2] padding=0, int[2] dilation=1, bool ceil_mode=False, bool return_indices=False)",
          {"torch.max_pool2d"}, maxPool2dKernel)
      .lowerWith("max_pool2d")
      .withSamples({"T(1, 3, 8, 8), 2", "T(2, 2, 7, 7), 3, stride=2, padding=1",
                    "T(1, 2, 9, 9), (3, 2), (2, 1), dilation=2, ceil_mode=True",
                    "T(2, 8, 8, dtype='f64'), kernel_size=2, stride=(2, 1)"});
  r.addOp("torch.nn.functional.avg_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, "
          "int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, "
          "int? divisor_override=None)",
          {"torch._C._nn.avg_pool2d", "torch.avg_pool2d"}, avgPool2dKernel)
      .lowerWith("avg_pool2d")
      .withSamples({"T(1, 3, 8, 8), 2",
                    "T(2, 2, 7, 7), 3, stride=2, padding=1, count_include_pad=False",
                    "T(1, 2, 9, 9), (3, 2), (2, 1), ceil_mode=True, divisor_override=4",
                    "T(2, 6, 6, dtype='f64'), kernel_size=(2, 3)"});
  r.addOp("torch.nn.functional.adaptive_avg_pool2d(Tensor input, int[2] output_size)",
          {"torch._C._nn.adaptive_avg_pool2d", "torch.adaptive_avg_pool2d"},
          adaptiveAvgPool2dKernel)
      .lowerWith("adaptive_avg_pool2d")
      .withSamples({"T(1, 3, 8, 8), 1", "T(2, 2, 7, 9), (3, 4)", "T(3, 6, 5, dtype='f64'), (2, 5)",
                    "T(1, 2, 4, 4), 6"});
}

} // namespace fxmlir
