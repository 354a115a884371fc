//===- ConvolutionAndPooling.cpp - conv2d and 2-D pooling -----------------===//
#include "KernelUtils.h"

#include <algorithm>
#include <limits>

namespace fxmlir {

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
          });
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
          });
}

} // namespace fxmlir
