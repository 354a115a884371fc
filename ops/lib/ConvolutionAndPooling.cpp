//===- ConvolutionAndPooling.cpp - N-d convolution, pooling and padding ---===//
#include "KernelUtils.h"

#include <limits>

namespace fxmlir {

using K = const BoundArgs &;

/// Calls `f(index, flat)` for every multi-index of `sizes` in row-major order.
template <typename F>
static void forEachIndex(const std::vector<int64_t> &sizes, F f) {
  int64_t count = numElements(sizes);
  std::vector<int64_t> index(sizes.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    f(index, flat);
    for (int64_t d = (int64_t)sizes.size() - 1; d >= 0 && ++index[d] == sizes[d]; --d)
      index[d] = 0;
  }
}

/// The row-major offset of `index` in `sizes`, or -1 where it lies outside.
static int64_t offsetOf(const std::vector<int64_t> &index, const std::vector<int64_t> &sizes) {
  int64_t flat = 0;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (index[d] < 0 || index[d] >= sizes[d])
      return -1;
    flat = flat * sizes[d] + index[d];
  }
  return flat;
}

/// The trailing `n` dims of `shape`.
static Shape trailing(const Shape &shape, size_t n) {
  return Shape(shape.end() - n, shape.end());
}

/// `convolution`'s loops over elements of type `T`: floating convolutions run in double (exact
/// enough for float32/64 results, and SSE rather than x87 in the interpreter's hottest loop),
/// integer ones in Element, exactly.
template <typename T>
static void convolveInto(Tensor &out, const T *xd, const T *wd, const Shape &xShape,
                         const Shape &wShape, const PyValue &bias, const ConvParams &params) {
  size_t n = params.stride.size();
  Shape inSp = trailing(xShape, n), kSp = trailing(wShape, n), outSp = trailing(out.shape(), n);
  int64_t inPlane = numElements(inSp), kPlane = numElements(kSp), outPlane = numElements(outSp);
  int64_t c = xShape[1], oc = wShape[0], icg = wShape[1], ocg = oc / params.groups;
  std::vector<int64_t> at(n);
  for (int64_t b = 0; b < xShape[0]; ++b)
    for (int64_t o = 0; o < oc; ++o) {
      int64_t g = o / ocg;
      T bv = bias.isNone() ? 0 : (T)bias.tensor()[o];
      forEachIndex(outSp, [&](const std::vector<int64_t> &pos, int64_t outFlat) {
        T s = bv;
        for (int64_t ic = 0; ic < icg; ++ic) {
          const T *xin = xd + (b * c + g * icg + ic) * inPlane;
          const T *wk = wd + (o * icg + ic) * kPlane;
          forEachIndex(kSp, [&](const std::vector<int64_t> &k, int64_t kFlat) {
            for (size_t d = 0; d < n; ++d)
              at[d] = pos[d] * params.stride[d] - params.padding[d] + k[d] * params.dilation[d];
            int64_t i = offsetOf(at, inSp);
            if (i >= 0)
              s += xin[i] * wk[kFlat];
          });
        }
        out[(b * oc + o) * outPlane + outFlat] = s;
      });
    }
}

static Tensor convolution(const char *op, const Tensor &x, const Tensor &w, const PyValue &bias,
                          const ConvParams &params) {
  std::optional<Shape> biasShape;
  if (!bias.isNone())
    biasShape = bias.tensor().shape();
  Shape outShape = convOutputShape(op, x.shape(), w.shape(), biasShape, params);
  Tensor out(outShape, promoteTypes(x.dtype(), w.dtype()));
  if (isFloating(out.dtype())) {
    std::vector<double> xd(x.data(), x.data() + x.numel()), wd(w.data(), w.data() + w.numel());
    convolveInto(out, xd.data(), wd.data(), x.shape(), w.shape(), bias, params);
  } else {
    convolveInto(out, x.data(), w.data(), x.shape(), w.shape(), bias, params);
  }
  return out.round();
}

/// A transposed convolution in scatter form: each input element adds its products with the
/// kernel into the output window it reaches (the adjoint of `convolution`'s gather).
static Tensor transposedConvolution(const char *op, const Tensor &x, const Tensor &w,
                                    const PyValue &bias, const ConvParams &params) {
  std::optional<Shape> biasShape;
  if (!bias.isNone())
    biasShape = bias.tensor().shape();
  Shape outShape = convTransposeOutputShape(op, x.shape(), w.shape(), biasShape, params);
  size_t n = params.stride.size();
  Shape inSp = trailing(x.shape(), n), kSp = trailing(w.shape(), n), outSp = trailing(outShape, n);
  int64_t inPlane = numElements(inSp), kPlane = numElements(kSp), outPlane = numElements(outSp);
  int64_t c = x.size(1), icg = c / params.groups, ocg = w.size(1), oc = outShape[1];
  Tensor out(outShape, promoteTypes(x.dtype(), w.dtype()));
  std::vector<int64_t> at(n);
  for (int64_t b = 0; b < x.size(0); ++b) {
    for (int64_t o = 0; o < oc; ++o)
      for (int64_t i = 0; i < outPlane; ++i)
        out[(b * oc + o) * outPlane + i] = bias.isNone() ? 0.0 : bias.tensor()[o];
    for (int64_t ic = 0; ic < c; ++ic) {
      int64_t g = ic / icg;
      const Element *xin = x.data() + (b * c + ic) * inPlane;
      forEachIndex(inSp, [&](const std::vector<int64_t> &pos, int64_t inFlat) {
        for (int64_t oj = 0; oj < ocg; ++oj) {
          int64_t o = g * ocg + oj;
          const Element *wk = w.data() + (ic * ocg + oj) * kPlane;
          forEachIndex(kSp, [&](const std::vector<int64_t> &k, int64_t kFlat) {
            for (size_t d = 0; d < n; ++d)
              at[d] = pos[d] * params.stride[d] - params.padding[d] + k[d] * params.dilation[d];
            int64_t i = offsetOf(at, outSp);
            if (i >= 0)
              out[(b * oc + o) * outPlane + i] += xin[inFlat] * wk[kFlat];
          });
        }
      });
    }
  }
  return out.round();
}

/// A pooling result of `outShape` over `n` spatial dims: `pool(plane, pos)` at each output
/// position, where `plane` is the input's spatial dims at the position's leading indices.
template <typename PoolFn>
static Tensor poolPlanes(const Tensor &x, const Shape &outShape, size_t n, PoolFn pool) {
  Shape outSp = trailing(outShape, n);
  int64_t planes = numElements(Shape(outShape.begin(), outShape.end() - n));
  int64_t inPlane = numElements(trailing(x.shape(), n)), outPlane = numElements(outSp);
  Tensor out(outShape, x.dtype());
  for (int64_t plane = 0; plane < planes; ++plane)
    forEachIndex(outSp, [&](const std::vector<int64_t> &pos, int64_t flat) {
      out[plane * outPlane + flat] = pool(x.data() + plane * inPlane, pos);
    });
  return out.round();
}

/// The sum of `plane` (of `sizes`) over the box spans[0] x spans[1] x ...
static Element sumOver(const Element *plane, const Shape &sizes, const std::vector<PoolSpan> &spans) {
  std::vector<int64_t> extent, at(spans.size());
  for (const PoolSpan &s : spans)
    extent.push_back(s.size());
  Element sum = 0;
  forEachIndex(extent, [&](const std::vector<int64_t> &i, int64_t) {
    for (size_t d = 0; d < spans.size(); ++d)
      at[d] = spans[d].begin + i[d];
    sum += plane[offsetOf(at, sizes)];
  });
  return sum;
}

/// Max pooling of `x` (N, C, spatial...) into `outShape`, output position i along spatial dim
/// d reading the input positions `taps(d, i)`: the maxima and their flat positions in each
/// (N, C) plane of the input (int64), taken as torch's kernels take them (PoolTaps).
static std::pair<Tensor, Tensor>
maxPoolWithIndices(const Tensor &x, const Shape &outShape,
                   const std::function<PoolTaps(int, int64_t)> &taps) {
  size_t n = outShape.size() - 2;
  Shape inSp = trailing(x.shape(), n), outSp = trailing(outShape, n);
  int64_t inPlane = numElements(inSp), outPlane = numElements(outSp);
  Tensor values(outShape, x.dtype()), indices(outShape, DType::I64);
  std::vector<PoolTaps> t(n);
  std::vector<int64_t> counts(n), at(n);
  for (int64_t plane = 0; plane < outShape[0] * outShape[1]; ++plane) {
    const Element *in = x.data() + plane * inPlane;
    forEachIndex(outSp, [&](const std::vector<int64_t> &pos, int64_t flat) {
      for (size_t d = 0; d < n; ++d) {
        t[d] = taps((int)d, pos[d]);
        counts[d] = t[d].count;
      }
      Element m = -std::numeric_limits<Element>::infinity();
      int64_t best = -1;
      forEachIndex(counts, [&](const std::vector<int64_t> &k, int64_t) {
        for (size_t d = 0; d < n; ++d)
          at[d] = t[d].begin + k[d] * t[d].step;
        int64_t i = offsetOf(at, inSp);
        if (i >= 0 && (best < 0 || in[i] > m || std::isnan(in[i]))) {
          m = in[i];
          best = i;
        }
      });
      values[plane * outPlane + flat] = m;
      indices[plane * outPlane + flat] = (Element)best;
    });
  }
  return {values.round(), indices};
}

/// The values, or (values, indices) where `withIndices`.
static PyValue maxPoolResult(std::pair<Tensor, Tensor> pooled, bool withIndices) {
  if (!withIndices)
    return PyValue(pooled.first);
  return PyValue::tuple({PyValue(pooled.first), PyValue(pooled.second)});
}

static Tensor avgPool(const char *op, const Tensor &x, const PoolWindow &window,
                      bool countIncludePad, const PyValue &divisorOverride) {
  Shape outShape = poolOutputShape(op, x.shape(), window);
  size_t n = window.kernel.size();
  Shape inSp = trailing(x.shape(), n);
  return poolPlanes(x, outShape, n, [&](const Element *in, const std::vector<int64_t> &pos) {
    std::vector<AvgPoolWindow> windows;
    std::vector<PoolSpan> inside;
    for (size_t d = 0; d < n; ++d) {
      windows.push_back(avgPoolWindow(window, (int)d, pos[d], inSp[d]));
      inside.push_back(windows.back().inside);
    }
    return sumOver(in, inSp, inside) / avgPoolDivisor(windows, countIncludePad, divisorOverride);
  });
}

static Tensor adaptiveAvgPool(const char *op, size_t n, const Tensor &x,
                              const PyValue &outputSize) {
  Shape outShape = adaptivePoolOutputShape(op, (int64_t)n, x.shape(), outputSize);
  Shape inSp = trailing(x.shape(), n), outSp = trailing(outShape, n);
  return poolPlanes(x, outShape, n, [&](const Element *in, const std::vector<int64_t> &pos) {
    std::vector<PoolSpan> spans;
    int64_t count = 1;
    for (size_t d = 0; d < n; ++d) {
      spans.push_back(adaptivePoolSpan(pos[d], outSp[d], inSp[d]));
      count *= spans.back().size();
    }
    return sumOver(in, inSp, spans) / Element(count);
  });
}

/// `x` padded by `pad` (pairs, last dim first) in `mode`, constant padding being `value`.
static Tensor padTensor(const Tensor &x, const std::vector<int64_t> &pad, PadMode mode,
                        Element value) {
  Shape outShape = paddedShape(x.shape(), pad, mode);
  int64_t rank = x.dim();
  std::vector<int64_t> before(rank, 0), at(rank);
  for (size_t i = 0; i < pad.size(); i += 2)
    before[rank - 1 - i / 2] = pad[i];
  Tensor out(outShape, x.dtype());
  forEachIndex(outShape, [&](const std::vector<int64_t> &pos, int64_t flat) {
    for (int64_t d = 0; d < rank; ++d)
      at[d] = padSource(mode, pos[d], x.size(d), before[d]);
    int64_t i = offsetOf(at, x.shape());
    out[flat] = i >= 0 ? x[i] : value;
  });
  return out.round();
}

//===--- Kernels ------------------------------------------------------------===//

static const char *const kConvNames[] = {"", "conv1d", "conv2d", "conv3d"};
static const char *const kMaxPoolNames[] = {"", "max_pool1d", "max_pool2d", "max_pool3d"};
static const char *const kAvgPoolNames[] = {"", "avg_pool1d", "avg_pool2d", "avg_pool3d"};
static const char *const kAdaptiveNames[] = {"", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
                                             "adaptive_avg_pool3d"};

static const char *const kConvTransposeNames[] = {"", "conv_transpose1d", "conv_transpose2d",
                                                  "conv_transpose3d"};

/// A convolution over `n` spatial dims, or a transposed one (which reads output_padding).
static PyValue convKernelFor(K a, int64_t n, const char *op, bool transposed) {
  const Tensor &x = a.tensor("input"), &w = a.tensor("weight");
  ConvParams params = convParams(n, a["stride"], a["padding"], a["dilation"], a["groups"],
                                 transposed ? a["output_padding"] : PyValue::none(), w.shape());
  return PyValue(transposed ? transposedConvolution(op, x, w, a["bias"], params)
                            : convolution(op, x, w, a["bias"], params));
}

template <int N>
static PyValue convKernel(K a) {
  return convKernelFor(a, N, kConvNames[N], /*transposed=*/false);
}

template <int N> static PyValue convTransposeKernel(K a) {
  return convKernelFor(a, N, kConvTransposeNames[N], /*transposed=*/true);
}

/// torch.convolution and aten._convolution (whose extra flags only choose backends).
static PyValue convolutionKernel(K a) {
  int64_t n = convolutionSpatialDims(a.tensor("weight").shape());
  return convKernelFor(a, n, "convolution", a.toBool("transposed"));
}

/// `pool` on a batched input, or on an unbatched one as a batch of one (each tensor of the
/// result, values and indices, without that dim again).
static PyValue unbatchedOrBatched(const char *op, const Tensor &x, int64_t n,
                                  const std::function<PyValue(const Tensor &)> &pool) {
  checkPoolInputRank(op, x.shape(), n);
  if (x.dim() == n + 2)
    return pool(x);
  Shape batched = x.shape();
  batched.insert(batched.begin(), 1);
  auto unbatched = [](const PyValue &v) {
    const Shape &shape = v.tensor().shape();
    return PyValue(v.tensor().reshape(Shape(shape.begin() + 1, shape.end())));
  };
  PyValue y = pool(x.reshape(batched));
  if (y.isTensor())
    return unbatched(y);
  std::vector<PyValue> items;
  for (const PyValue &item : y.items())
    items.push_back(unbatched(item));
  return PyValue::tuple(items);
}

/// F.max_poolNd (the indices too with return_indices=True) and F.max_poolNd_with_indices
/// (`AlwaysIndices`; aten's max_poolNd_with_indices).
template <int N, bool AlwaysIndices>
static PyValue maxPoolKernel(K a) {
  PoolWindow window = poolWindow(N, a["kernel_size"], a["stride"], a["padding"], a["dilation"],
                                 a.toBool("ceil_mode"));
  bool withIndices = AlwaysIndices || (a.has("return_indices") && a.toBool("return_indices"));
  return unbatchedOrBatched(kMaxPoolNames[N], a.tensor("input"), N, [&](const Tensor &x) {
    Shape outShape = poolOutputShape(kMaxPoolNames[N], x.shape(), window);
    auto taps = [&](int d, int64_t i) { return maxPoolTaps(window, d, i); };
    return maxPoolResult(maxPoolWithIndices(x, outShape, taps), withIndices);
  });
}

static const char *const kAdaptiveMaxNames[] = {"", "adaptive_max_pool1d", "adaptive_max_pool2d",
                                                "adaptive_max_pool3d"};

/// F.adaptive_max_poolNd (the indices too with return_indices=True), and the spellings that
/// always return them (`AlwaysIndices`: F.adaptive_max_poolNd_with_indices, aten's).
template <int N, bool AlwaysIndices>
static PyValue adaptiveMaxPoolKernel(K a) {
  const char *op = kAdaptiveMaxNames[N];
  const Tensor &input = a.tensor("input");
  Shape outShape = adaptivePoolOutputShape(op, N, input.shape(), a["output_size"]);
  bool withIndices = AlwaysIndices || (a.has("return_indices") && a.toBool("return_indices"));
  return unbatchedOrBatched(op, input, N, [&](const Tensor &x) {
    Shape inSp = trailing(x.shape(), N), outSp = trailing(outShape, N), batchedOut = outSp;
    batchedOut.insert(batchedOut.begin(), {x.size(0), x.size(1)});
    auto taps = [&](int d, int64_t i) { return adaptivePoolTaps(i, outSp[d], inSp[d]); };
    return maxPoolResult(maxPoolWithIndices(x, batchedOut, taps), withIndices);
  });
}

/// F.max_unpoolNd: each input element written at its index in its (N, C) plane of a zero
/// output; later elements overwrite earlier ones, as torch's CPU kernel.
template <int N>
static PyValue maxUnpoolKernel(K a) {
  const Tensor &input = a.tensor("input"), &indices = a.tensor("indices");
  PoolWindow window = poolWindow(N, a["kernel_size"], a["stride"], a["padding"],
                                 PyValue::integer(1), false);
  Shape outShape =
      maxUnpoolOutputShape(N, input.shape(), indices.shape(), window, a["output_size"]);
  Tensor out(outShape, input.dtype());
  int64_t inPlane = numElements(trailing(input.shape(), N));
  int64_t outPlane = numElements(trailing(outShape, N));
  for (int64_t i = 0; i < input.numel(); ++i) {
    int64_t at = (int64_t)indices[i];
    if (at < 0 || at >= outPlane)
      throw OpError("max_unpool" + std::to_string(N) + "d: Found an invalid max index: " +
                    std::to_string(at) + " (output volumes are of size " +
                    shapeToString(trailing(outShape, N)) + ")");
    out[i / inPlane * outPlane + at] = input[i];
  }
  return PyValue(out);
}

/// Calls `f(column, pixel)` for each element of im2col's columns (N, C * kh * kw, blocks) of a
/// (N, C, H, W) `image`, in row-major order; `pixel` is the image element it holds (flat), -1
/// in the padding.
template <typename F>
static void forEachBlockElement(const BlockParams &p, const Shape &image, F f) {
  int64_t h = image[2], w = image[3];
  std::vector<int64_t> blocks = blockCounts({h, w}, p);
  forEachIndex({image[0] * image[1], p.kernel[0], p.kernel[1], blocks[0], blocks[1]},
               [&](const std::vector<int64_t> &i, int64_t column) {
                 int64_t y = blockSource(p, 0, i[3], i[1], h), x = blockSource(p, 1, i[4], i[2], w);
                 f(column, y < 0 || x < 0 ? -1 : (i[0] * h + y) * w + x);
               });
}

/// `shape` with a batch of one in front where it has `batchedRank - 1` dims.
static Shape batchedShape(Shape shape, size_t batchedRank) {
  if (shape.size() + 1 == batchedRank)
    shape.insert(shape.begin(), 1);
  return shape;
}

/// F.unfold (aten.im2col): the blocks of each image as columns.
static PyValue unfoldKernel(K a) {
  const Tensor &x = a.tensor("input");
  BlockParams p = blockParams(a["kernel_size"], a["dilation"], a["padding"], a["stride"]);
  Shape outShape = unfoldShape(x.shape(), p);
  Tensor out(outShape, x.dtype());
  forEachBlockElement(p, batchedShape(x.shape(), 4), [&](int64_t column, int64_t pixel) {
    out[column] = pixel < 0 ? 0.0 : x[pixel];
  });
  return PyValue(out);
}

/// F.fold (aten.col2im): the columns summed back into images, the adjoint of unfold.
static PyValue foldKernel(K a) {
  const Tensor &cols = a.tensor("input");
  BlockParams p = blockParams(a["kernel_size"], a["dilation"], a["padding"], a["stride"]);
  Shape outShape = foldShape(cols.shape(), a["output_size"], p);
  Tensor out(outShape, cols.dtype());
  forEachBlockElement(p, batchedShape(outShape, 4), [&](int64_t column, int64_t pixel) {
    if (pixel >= 0)
      out[pixel] += cols[column];
  });
  return PyValue(out.round());
}

/// avg_pool1d has no divisor_override.
static PyValue divisorOverrideOf(K a) {
  return a.getSchema().find("divisor_override") < 0 ? PyValue::none() : a["divisor_override"];
}

template <int N>
static PyValue avgPoolKernel(K a) {
  PoolWindow window = poolWindow(N, a["kernel_size"], a["stride"], a["padding"],
                                 /*dilation=*/PyValue::integer(1), a.toBool("ceil_mode"));
  return unbatchedOrBatched(kAvgPoolNames[N], a.tensor("input"), N, [&](const Tensor &x) {
    return avgPool(kAvgPoolNames[N], x, window, a.toBool("count_include_pad"),
                   divisorOverrideOf(a));
  });
}

template <int N>
static PyValue adaptiveAvgPoolKernel(K a) {
  return PyValue(adaptiveAvgPool(kAdaptiveNames[N], N, a.tensor("input"), a["output_size"]));
}

static PyValue padKernel(K a) {
  const std::string &mode = a["mode"].toStr();
  return PyValue(padTensor(a.tensor("input"), a["pad"].toIntList(), padMode(mode),
                           padFillValue(mode, a["value"])));
}

static PyValue constantPadNdKernel(K a) {
  return PyValue(padTensor(a.tensor("input"), a["pad"].toIntList(), PadMode::Constant,
                           a.toDouble("value")));
}

template <PadMode M>
static PyValue fixedPadKernel(K a) {
  return PyValue(padTensor(a.tensor("input"), a["padding"].toIntList(), M, 0.0));
}

//===--- Registration -------------------------------------------------------===//

static void registerConvolutions(Registry &r) {
  r.addOp("torch.conv1d(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, "
          "int[1] padding=0, int[1] dilation=1, int groups=1)",
          concat({"torch.nn.functional.conv1d"}, atenSpellings("conv1d", {"default", "padding"})),
          convKernel<1>)
      .lowerWith("conv1d")
      .withSamples({"T(2, 3, 10), T(4, 3, 3), T(4)",
                    "T(1, 4, 9), T(6, 2, 3), None, stride=2, padding=1, dilation=2, groups=2",
                    "T(2, 2, 8, dtype='f64'), T(3, 2, 1, dtype='f64'), T(3, dtype='f64'), 3",
                    // 'same' pads dilation * (kernel - 1): 3 here, the odd one after.
                    "T(2, 3, 9), T(4, 3, 4), T(4), padding='same'",
                    "T(1, 4, 8, dtype='f64'), T(2, 2, 3, dtype='f64'), None, 1, 'same', 2, 2",
                    "T(1, 2, 7), T(3, 2, 3), padding='valid'",
                    "<torch.ops.aten.conv1d.padding> T(1, 2, 6), T(2, 2, 2), None, [1], 'same'"});
  r.addOp("torch.conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, "
          "int[2] padding=0, int[2] dilation=1, int groups=1)",
          concat({"torch.nn.functional.conv2d"}, atenSpellings("conv2d", {"default", "padding"})),
          convKernel<2>)
      .lowerWith("conv2d")
      .withSamples({"T(1, 3, 8, 8), T(4, 3, 3, 3), T(4)",
                    "T(2, 2, 7, 7), T(4, 2, 3, 3), None, stride=2, padding=1",
                    "T(1, 4, 8, 8), T(6, 2, 3, 3), T(6), 1, (1, 2), dilation=2, groups=2",
                    "T(1, 3, 8, 6, dtype='f64'), T(2, 3, 3, 1, dtype='f64'), stride=(2, 1)",
                    "T(1, 2, 6, 7), T(3, 2, 4, 3), T(3), padding='same'",
                    "T(2, 4, 5, 6, dtype='f64'), T(4, 2, 2, 3, dtype='f64'), None, 1, 'same', "
                    "(2, 1), 2",
                    "T(1, 2, 6, 5), T(2, 2, 3, 2), padding='valid'",
                    // more than 16 images: linalg.conv_2d_nchw_fchw rather than im2col.
                    "T(17, 1, 4, 4), T(2, 1, 2, 2), padding='same'",
                    "<torch.ops.aten.conv2d.padding> T(1, 2, 5, 5), T(3, 2, 2, 3), T(3), [1, 1], "
                    "'same', [1, 2]"});
  r.addOp("torch.conv3d(Tensor input, Tensor weight, Tensor? bias=None, int[3] stride=1, "
          "int[3] padding=0, int[3] dilation=1, int groups=1)",
          concat({"torch.nn.functional.conv3d"}, atenSpellings("conv3d", {"default", "padding"})),
          convKernel<3>)
      .lowerWith("conv3d")
      .withSamples({"T(1, 2, 5, 6, 6), T(3, 2, 3, 3, 3), T(3)",
                    "T(2, 4, 6, 5, 7), T(4, 2, 2, 3, 1), None, (2, 1, 2), 1, groups=2",
                    "T(1, 1, 6, 6, 6, dtype='f64'), T(2, 1, 2, 2, 2, dtype='f64'), dilation=2",
                    "T(1, 2, 4, 5, 3), T(2, 2, 2, 3, 2), T(2), padding='same'",
                    "T(1, 2, 4, 5, 6, dtype='f64'), T(2, 1, 2, 3, 2, dtype='f64'), None, 1, "
                    "'same', (1, 2, 1), 2",
                    "T(1, 1, 4, 4, 4), T(1, 1, 2, 2, 3), padding='valid'",
                    "<torch.ops.aten.conv3d.padding> T(1, 1, 3, 4, 3), T(2, 1, 2, 2, 2), None, "
                    "[1, 1, 1], 'valid'"});
  std::vector<std::string> convolutionAliases = atenSpellings("convolution");
  r.addOp("torch.convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, "
          "int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups)",
          convolutionAliases, convolutionKernel)
      .lowerWith("convolution")
      .withSamples({"T(1, 3, 8, 8), T(4, 3, 3, 3), T(4), [1, 1], [1, 1], [1, 1], False, [0, 0], 1",
                    "T(2, 4, 9), T(6, 2, 3), None, [2], [0], [1], False, [0], 2",
                    "T(1, 2, 4, 5, 5), T(2, 2, 2, 2, 2), None, [1, 1, 1], [0, 1, 0], [1, 1, 1], "
                    "False, [0, 0, 0], 1",
                    "T(1, 4, 5, 5), T(4, 3, 3, 3), T(3), [2, 2], [1, 1], [1, 1], True, [1, 1], 1",
                    "T(1, 4, 6), T(4, 1, 3), None, [2], [1], [2], True, [1], 2"});
  // aten._convolution: torch.convolution plus flags that only pick a backend's algorithm.
  std::vector<std::string> underscoreAliases = atenSpellings("_convolution");
  r.addOp("torch._convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, "
          "int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups, "
          "bool benchmark, bool deterministic, bool cudnn_enabled, bool allow_tf32)",
          underscoreAliases, convolutionKernel)
      .lowerWith("convolution")
      .withSamples({"T(1, 3, 6, 6), T(4, 3, 3, 3), T(4), [1, 1], [1, 1], [1, 1], False, [0, 0], 1, "
                    "False, False, True, True",
                    "T(1, 4, 5), T(4, 3, 3), None, [2], [1], [1], True, [1], 2, False, False, "
                    "True, True",
                    "T(1, 2, 3, 3, 3, dtype='f64'), T(2, 2, 2, 2, 2, dtype='f64'), "
                    "T(2, dtype='f64'), [2, 1, 2], [0, 0, 1], [1, 1, 1], True, [1, 0, 1], 1, "
                    "False, True, True, False"});
  r.addOp("torch.conv_transpose1d(Tensor input, Tensor weight, Tensor? bias=None, "
          "int[1] stride=1, int[1] padding=0, int[1] output_padding=0, int groups=1, "
          "int[1] dilation=1)",
          {"torch.nn.functional.conv_transpose1d"}, convTransposeKernel<1>)
      .lowerWith("conv_transpose1d")
      .withSamples({"T(2, 3, 6), T(3, 4, 3), T(4)",
                    "T(1, 4, 5), T(4, 3, 3), None, stride=2, padding=1, output_padding=1, "
                    "groups=2, dilation=2",
                    "T(2, 2, 4, dtype='f64'), T(2, 1, 2, dtype='f64'), T(1, dtype='f64'), 3"});
  r.addOp("torch.conv_transpose2d(Tensor input, Tensor weight, Tensor? bias=None, "
          "int[2] stride=1, int[2] padding=0, int[2] output_padding=0, int groups=1, "
          "int[2] dilation=1)",
          {"torch.nn.functional.conv_transpose2d"}, convTransposeKernel<2>)
      .lowerWith("conv_transpose2d")
      .withSamples({"T(1, 4, 5, 5), T(4, 2, 3, 3), T(2), stride=2, padding=1, output_padding=1",
                    "T(2, 2, 4, 3), T(2, 3, 2, 3), None, (1, 2), (0, 1), (0, 1)",
                    "T(1, 4, 4, 4), T(4, 1, 3, 3), T(4), groups=4, dilation=2",
                    // padding beyond the dilated kernel: the equivalent convolution crops.
                    "T(1, 2, 3, 3, dtype='f64'), T(2, 2, 3, 3, dtype='f64'), None, 3, 3, (2, 1), "
                    "1, (1, 2)",
                    // more than 16 images: linalg.conv_2d_nchw_fchw rather than im2col.
                    "T(20, 2, 2, 2), T(2, 2, 2, 2), T(2), 2"});
  r.addOp("torch.conv_transpose3d(Tensor input, Tensor weight, Tensor? bias=None, "
          "int[3] stride=1, int[3] padding=0, int[3] output_padding=0, int groups=1, "
          "int[3] dilation=1)",
          {"torch.nn.functional.conv_transpose3d"}, convTransposeKernel<3>)
      .lowerWith("conv_transpose3d")
      .withSamples({"T(1, 2, 3, 4, 4), T(2, 3, 2, 3, 3), T(3)",
                    "T(1, 4, 3, 3, 3), T(4, 1, 2, 2, 2), None, stride=2, padding=(0, 1, 0), "
                    "output_padding=(1, 0, 1), groups=2",
                    "T(1, 1, 3, 3, 2, dtype='f64'), T(1, 2, 2, 2, 2, dtype='f64'), "
                    "T(2, dtype='f64'), dilation=2"});
}

static void registerPooling(Registry &r) {
  r.addOp("torch.nn.functional.max_pool1d(Tensor input, int[1] kernel_size, int[1]? stride=None, "
          "int[1] padding=0, int[1] dilation=1, bool ceil_mode=False, bool return_indices=False)",
          {"torch.max_pool1d"}, maxPoolKernel<1, false>)
      .lowerWith("max_pool1d")
      .withSamples({"T(2, 3, 10), 2", "T(1, 2, 11), 3, stride=2, padding=1, dilation=2",
                    "T(3, 9, dtype='f64'), 2, ceil_mode=True",
                    "T(2, 3, 9), 3, 2, 1, return_indices=True"});
  r.addOp("torch.nn.functional.max_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, "
          "int[2] padding=0, int[2] dilation=1, bool ceil_mode=False, bool return_indices=False)",
          {"torch.max_pool2d"}, maxPoolKernel<2, false>)
      .lowerWith("max_pool2d")
      .withSamples({"T(1, 3, 8, 8), 2", "T(2, 2, 7, 7), 3, stride=2, padding=1",
                    "T(1, 2, 9, 9), (3, 2), (2, 1), dilation=2, ceil_mode=True",
                    "T(2, 8, 8, dtype='f64'), kernel_size=2, stride=(2, 1)",
                    "T(1, 2, 7, 7), 3, 2, 1, return_indices=True",
                    "T(2, 6, 7, dtype='f64'), 2, ceil_mode=True, return_indices=True"});
  r.addOp("torch.nn.functional.max_pool3d(Tensor input, int[3] kernel_size, int[3]? stride=None, "
          "int[3] padding=0, int[3] dilation=1, bool ceil_mode=False, bool return_indices=False)",
          {"torch.max_pool3d"}, maxPoolKernel<3, false>)
      .lowerWith("max_pool3d")
      .withSamples({"T(1, 2, 4, 6, 6), 2", "T(2, 1, 5, 7, 7), 3, stride=2, padding=1",
                    "T(2, 5, 6, 7, dtype='f64'), (2, 3, 2), ceil_mode=True",
                    "T(1, 2, 5, 5, 5), 2, 1, 1, dilation=(1, 2, 1), return_indices=True"});
  r.addOp("torch.nn.functional.avg_pool1d(Tensor input, int[1] kernel_size, int[1]? stride=None, "
          "int[1] padding=0, bool ceil_mode=False, bool count_include_pad=True)",
          {"torch.avg_pool1d"}, avgPoolKernel<1>)
      .lowerWith("avg_pool1d")
      .withSamples({"T(2, 3, 10), 2", "T(1, 2, 11), 3, stride=2, padding=1, count_include_pad=False",
                    "T(3, 9, dtype='f64'), 2, ceil_mode=True"});
  r.addOp("torch.nn.functional.avg_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, "
          "int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, "
          "int? divisor_override=None)",
          {"torch._C._nn.avg_pool2d", "torch.avg_pool2d"}, avgPoolKernel<2>)
      .lowerWith("avg_pool2d")
      .withSamples({"T(1, 3, 8, 8), 2",
                    "T(2, 2, 7, 7), 3, stride=2, padding=1, count_include_pad=False",
                    "T(1, 2, 9, 9), (3, 2), (2, 1), ceil_mode=True, divisor_override=4",
                    "T(2, 6, 6, dtype='f64'), kernel_size=(2, 3)"});
  r.addOp("torch.nn.functional.avg_pool3d(Tensor input, int[3] kernel_size, int[3]? stride=None, "
          "int[3] padding=0, bool ceil_mode=False, bool count_include_pad=True, "
          "int? divisor_override=None)",
          {"torch._C._nn.avg_pool3d"}, avgPoolKernel<3>)
      .lowerWith("avg_pool3d")
      .withSamples({"T(1, 2, 4, 6, 6), 2",
                    "T(2, 1, 5, 7, 7), 3, stride=2, padding=1, count_include_pad=False",
                    "T(2, 5, 6, 7, dtype='f64'), (2, 3, 2), ceil_mode=True, divisor_override=5"});
  r.addOp("torch.nn.functional.adaptive_avg_pool1d(Tensor input, int[1] output_size)",
          {"torch.adaptive_avg_pool1d"}, adaptiveAvgPoolKernel<1>)
      .lowerWith("adaptive_avg_pool1d")
      .withSamples({"T(2, 3, 10), 4", "T(3, 7, dtype='f64'), 3", "T(1, 2, 4), 6"});
  r.addOp("torch.nn.functional.adaptive_avg_pool2d(Tensor input, int[2] output_size)",
          {"torch._C._nn.adaptive_avg_pool2d", "torch.adaptive_avg_pool2d"},
          adaptiveAvgPoolKernel<2>)
      .lowerWith("adaptive_avg_pool2d")
      .withSamples({"T(1, 3, 8, 8), 1", "T(2, 2, 7, 9), (3, 4)", "T(3, 6, 5, dtype='f64'), (2, 5)",
                    "T(1, 2, 4, 4), 6"});
  r.addOp("torch.nn.functional.adaptive_avg_pool3d(Tensor input, int[3] output_size)",
          {"torch._C._nn.adaptive_avg_pool3d"}, adaptiveAvgPoolKernel<3>)
      .lowerWith("adaptive_avg_pool3d")
      .withSamples({"T(1, 2, 4, 6, 6), 2", "T(2, 5, 7, 9), (3, 7, 4)",
                    "T(1, 2, 3, 4, 5, dtype='f64'), (2, 3, 4)"});
}

/// max_poolNd_with_indices, adaptive_max_poolNd (with and without indices) and max_unpoolNd.
static void registerIndexedPooling(Registry &r) {
  struct Spelled {
    Kernel kernel;
    std::vector<std::string> aliases, samples;
  };
  const Spelled withIndices[] = {
      {maxPoolKernel<1, true>,
       concat({"torch.max_pool1d_with_indices"}, atenSpellings("max_pool1d_with_indices")),
       {"T(2, 3, 10), 2", "T(1, 2, 11), 3, stride=2, padding=1, dilation=2",
        "T(3, 9, dtype='f64'), 2, ceil_mode=True"}},
      {maxPoolKernel<2, true>,
       concat({"torch._C._nn.max_pool2d_with_indices"}, atenSpellings("max_pool2d_with_indices")),
       {"T(1, 3, 8, 8), 2", "T(2, 2, 7, 7), 3, [2, 2], [1, 1]",
        "T(1, 2, 9, 9), (3, 2), (2, 1), dilation=2, ceil_mode=True",
        "T(2, 8, 8, dtype='f64'), kernel_size=2, stride=(2, 1), return_indices=True"}},
      {maxPoolKernel<3, true>,
       concat({"torch._C._nn.max_pool3d_with_indices"}, atenSpellings("max_pool3d_with_indices")),
       {"T(1, 2, 4, 6, 6), 2", "T(2, 1, 5, 7, 7), 3, stride=2, padding=1",
        "T(2, 5, 6, 7, dtype='f64'), (2, 3, 2), ceil_mode=True"}},
  };
  for (int n = 1; n <= 3; ++n) {
    std::string d = std::to_string(n), name = "max_pool" + d + "d_with_indices";
    const Spelled &e = withIndices[n - 1];
    r.addOp("torch.nn.functional." + name + "(Tensor input, int[" + d + "] kernel_size, int[" + d +
                "]? stride=None, int[" + d + "] padding=0, int[" + d +
                "] dilation=1, bool ceil_mode=False, bool return_indices=False)",
            e.aliases, e.kernel)
        .lowerWith(name)
        .withSamples(e.samples);
  }
  const Spelled adaptive[] = {
      {adaptiveMaxPoolKernel<1, false>, {}, {"T(2, 3, 10), 4", "T(3, 7, dtype='f64'), 3", "T(1, 2, 4), 6, True"}},
      {adaptiveMaxPoolKernel<2, false>, {}, {"T(1, 3, 8, 8), 1", "T(2, 2, 7, 9), (3, 4), True",
        "T(3, 6, 5, dtype='f64'), (2, None)", "T(1, 2, 4, 4), 6, return_indices=True"}},
      {adaptiveMaxPoolKernel<3, false>, {}, {"T(1, 2, 4, 6, 6), 2", "T(2, 5, 7, 9), (3, 7, 4), True",
        "T(1, 2, 3, 4, 5, dtype='f64'), (2, 3, 4), return_indices=True"}},
  };
  const Spelled adaptiveWithIndices[] = {
      {adaptiveMaxPoolKernel<1, true>,
       concat({"torch.adaptive_max_pool1d"}, atenSpellings("adaptive_max_pool1d")),
       {"T(2, 3, 10), 4", "T(3, 7, dtype='f64'), 3"}},
      {adaptiveMaxPoolKernel<2, true>,
       concat({"torch._C._nn.adaptive_max_pool2d"}, atenSpellings("adaptive_max_pool2d")),
       {"T(1, 3, 8, 8), 3", "T(2, 2, 7, 9), (3, 4)", "T(3, 6, 5, dtype='f64'), (4, 2)"}},
      {adaptiveMaxPoolKernel<3, true>,
       concat({"torch._C._nn.adaptive_max_pool3d"}, atenSpellings("adaptive_max_pool3d")),
       {"T(1, 2, 4, 6, 6), 2", "T(1, 2, 3, 4, 5, dtype='f64'), (2, 3, 4)"}},
  };
  for (int n = 1; n <= 3; ++n) {
    std::string d = std::to_string(n), name = "adaptive_max_pool" + d + "d";
    std::string params = "(Tensor input, int[" + d + "] output_size, bool return_indices=False)";
    r.addOp("torch.nn.functional." + name + params, adaptive[n - 1].aliases,
            adaptive[n - 1].kernel)
        .lowerWith(name)
        .withSamples(adaptive[n - 1].samples);
    const Spelled &e = adaptiveWithIndices[n - 1];
    r.addOp("torch.nn.functional." + name + "_with_indices" + params, e.aliases, e.kernel)
        .lowerWith(name + "_with_indices")
        .withSamples(e.samples);
  }
  const Spelled unpool[] = {
      {maxUnpoolKernel<1>, {}, {"T(2, 3, 5), T(2, 3, 5, dtype='i64', high=10), 2",
        "T(1, 4, dtype='f64'), T(1, 4, dtype='i64', high=8), 3, 2, 1, output_size=[8]"}},
      {maxUnpoolKernel<2>, {}, {"T(1, 2, 3, 3), T(1, 2, 3, 3, dtype='i64', high=36), 2",
        "T(2, 2, 3, dtype='f64'), T(2, 2, 3, dtype='i64', high=30), (2, 3), 2, (0, 1), (5, 6)"}},
      {maxUnpoolKernel<3>, {}, {"T(1, 1, 2, 2, 2), T(1, 1, 2, 2, 2, dtype='i64', high=64), 2",
        "T(2, 2, 2, 2, dtype='f64'), T(2, 2, 2, 2, dtype='i64', high=27), 2, 1, output_size=[3, 3, 3]"}},
  };
  for (int n = 1; n <= 3; ++n) {
    std::string d = std::to_string(n), name = "max_unpool" + d + "d";
    r.addOp("torch.nn.functional." + name + "(Tensor input, Tensor indices, int[" + d +
                "] kernel_size, int[" + d + "]? stride=None, int[" + d +
                "] padding=0, int[]? output_size=None)",
            unpool[n - 1].aliases, unpool[n - 1].kernel)
        .lowerWith(name)
        .withSamples(unpool[n - 1].samples);
  }
}

/// F.unfold and F.fold, with aten's im2col and col2im (which take every argument).
static void registerBlocks(Registry &r) {
  r.addOp("torch.nn.functional.unfold(Tensor input, int[2] kernel_size, int[2] dilation=1, "
          "int[2] padding=0, int[2] stride=1)",
          concat({"torch._C._nn.im2col"}, atenSpellings("im2col")), unfoldKernel)
      .lowerWith("unfold")
      .withSamples({"T(2, 3, 5, 6), 2", "T(1, 2, 7, 6), (3, 2), 2, 1, (2, 1)",
                    "T(3, 5, 5, dtype='f64'), 3, padding=1, stride=2",
                    "<torch._C._nn.im2col> T(1, 2, 5, 5), [2, 3], [1, 1], [1, 0], [2, 1]",
                    "<torch.ops.aten.im2col> T(1, 2, 4, 5), [2, 2], [1, 1], [0, 0], [1, 1]",
                    "<torch.ops.aten.im2col.default> T(2, 1, 6, 5, dtype='f64'), [3, 2], [2, 1], "
                    "[1, 1], [1, 2]"});
  r.addOp("torch.nn.functional.fold(Tensor input, int[2] output_size, int[2] kernel_size, "
          "int[2] dilation=1, int[2] padding=0, int[2] stride=1)",
          concat({"torch._C._nn.col2im"}, atenSpellings("col2im")), foldKernel)
      .lowerWith("fold")
      .withSamples({"T(2, 12, 20), (5, 6), 2", "T(1, 12, 18), (7, 6), (3, 2), 2, 1, (2, 1)",
                    "T(18, 9, dtype='f64'), 5, 3, padding=1, stride=2",
                    "<torch._C._nn.col2im> T(1, 12, 9), [5, 5], [2, 3], [1, 1], [1, 0], [2, 1]",
                    "<torch.ops.aten.col2im> T(1, 8, 12), [4, 5], [2, 2], [1, 1], [0, 0], [1, 1]",
                    "<torch.ops.aten.col2im.default> T(2, 6, 12, dtype='f64'), [6, 5], [3, 2], "
                    "[2, 1], [1, 1], [1, 2]"});
}

static void registerPadding(Registry &r) {
  r.addOp("torch.nn.functional.pad(Tensor input, int[] pad, str mode=\"constant\", "
          "float? value=None)",
          {"torch._C._nn.pad"}, padKernel)
      .lowerWith("pad")
      .withSamples({"T(2, 3, 4), (1, 2)", "T(2, 3, 4), (1, -1, 0, 2), value=1.5",
                    "T(1, 2, 5, 6), (2, 1, 1, 3), mode='reflect'",
                    "T(2, 3, 4, dtype='f64'), (3, 1), 'replicate'",
                    "T(1, 2, 4, 5), [1, 2, 3, 0], mode='circular'",
                    "T(3, 4, dtype='i64'), (1, 1, 2, 0), value=7"});
  std::vector<std::string> constantPadAliases = atenSpellings("constant_pad_nd");
  r.addOp("torch.constant_pad_nd(Tensor input, int[] pad, Scalar value=0)", constantPadAliases,
          constantPadNdKernel)
      .lowerWith("constant_pad_nd")
      .withSamples({"T(2, 3, 4), [1, 2]", "T(2, 3, 4), [1, -1, 0, 2], 2.5",
                    "T(3, 4, 2, dtype='i64'), [0, 1, 1, 0, 1, 1], 3"});
  struct FixedPad {
    const char *name;
    int64_t length;
    Kernel kernel;
    const char *lowering;
    std::vector<std::string> samples;
  };
  const FixedPad fixedPads[] = {
      {"reflection_pad1d", 2, fixedPadKernel<PadMode::Reflect>, "reflection_pad",
       {"T(2, 3, 5), [1, 2]", "T(3, 6, dtype='f64'), [2, 0]"}},
      {"reflection_pad2d", 4, fixedPadKernel<PadMode::Reflect>, "reflection_pad",
       {"T(1, 2, 4, 5), [1, 2, 3, 0]", "T(2, 3, 3), [2, 2, 1, 1]"}},
      {"replication_pad1d", 2, fixedPadKernel<PadMode::Replicate>, "replication_pad",
       {"T(2, 3, 5), [1, 3]", "T(3, 2, dtype='f64'), [2, 0]"}},
      {"replication_pad2d", 4, fixedPadKernel<PadMode::Replicate>, "replication_pad",
       {"T(1, 2, 4, 5), [1, 2, 3, 0]", "T(2, 3, 3), [4, 2, 1, 1]"}},
  };
  for (const FixedPad &p : fixedPads)
    r.addOp("torch._C._nn." + std::string(p.name) + "(Tensor input, int[" +
                std::to_string(p.length) + "] padding)",
            atenSpellings(p.name), p.kernel)
        .lowerWith(p.lowering)
        .withSamples(p.samples);
}

void registerConvolutionAndPoolingOps(Registry &r) {
  registerConvolutions(r);
  registerPooling(r);
  registerIndexedPooling(r);
  registerBlocks(r);
  registerPadding(r);
}

} // namespace fxmlir
