//===- Indexing.cpp - index_select, gather, scatter, flip, roll, repeat, diagonals -===//
//
// Ops that move elements without computing new ones: reads through run-time index tensors
// (index_select, gather, scatter) and fixed rearrangements (flip, roll, repeat, tile,
// broadcasting, diagonals, movedim). Every kernel is one walk over its result through
// `rearranged`, which asks where each element comes from.
//
// An index value out of range is an error here, as in PyTorch; compiled code does not check it
// (it is undefined behaviour there, as in torch's CUDA kernels).
//
//===----------------------------------------------------------------------===//
#include "KernelUtils.h"

#include <algorithm>
#include <cstdlib>

namespace fxmlir {

using K = const BoundArgs &;
using Position = std::vector<int64_t>;

/// The flat index of `pos` in a contiguous tensor of `shape`.
static int64_t flatIndex(const Position &pos, const Shape &shape) {
  int64_t flat = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    flat = flat * shape[d] + pos[d];
  return flat;
}

/// A tensor of `shape` whose element at each position is `x`'s at the flat index `source`
/// gives for it, or zero where that is negative.
static Tensor rearranged(const Tensor &x, const Shape &shape,
                         const std::function<int64_t(const Position &)> &source) {
  Tensor out(shape, x.dtype());
  Position pos(shape.size(), 0);
  for (int64_t flat = 0; flat < out.numel(); ++flat) {
    int64_t src = source(pos);
    out[flat] = src < 0 ? 0.0 : x[src];
    for (int64_t d = (int64_t)shape.size() - 1; d >= 0; --d) {
      if (++pos[d] < shape[d])
        break;
      pos[d] = 0;
    }
  }
  return out;
}

/// An index value read from a tensor, checked against `size` as PyTorch does at run time
/// (index_select says only `message`).
static int64_t checkedIndex(Element value, int64_t size, int64_t dim,
                            const char *message = nullptr) {
  int64_t i = (int64_t)value;
  if (i < 0 || i >= size)
    throw OpError(message ? message
                          : "index " + std::to_string(i) + " is out of bounds for dimension " +
                                std::to_string(dim) + " with size " + std::to_string(size));
  return i;
}

/// 0-d tensors index like vectors of one element.
static Shape atLeast1d(const Shape &shape) { return shape.empty() ? Shape{1} : shape; }

//===----------------------------------------------------------------------===//
// Reads through index tensors
//===----------------------------------------------------------------------===//

static PyValue indexSelectKernel(K a) {
  const Tensor &x = a.tensor("input"), &index = a.tensor("index");
  IndexedDim r = indexSelectShape(x.shape(), a.toInt("dim"), index.shape(), index.dtype());
  Shape in = atLeast1d(x.shape());
  return PyValue(rearranged(x, r.result, [&](Position pos) {
    if (pos.empty())
      pos.push_back(0);
    pos[r.dim] = checkedIndex(index[pos[r.dim]], in[r.dim], r.dim, "index out of range in self");
    return flatIndex(pos, in);
  }));
}

static PyValue gatherKernel(K a) {
  const Tensor &x = a.tensor("input"), &index = a.tensor("index");
  IndexedDim r = gatherShape(x.shape(), a.toInt("dim"), index.shape(), index.dtype());
  Shape in = atLeast1d(x.shape()), idxShape = atLeast1d(index.shape());
  return PyValue(rearranged(x, r.result, [&](Position pos) {
    if (pos.empty())
      pos.push_back(0);
    pos[r.dim] = checkedIndex(index[flatIndex(pos, idxShape)], in[r.dim], r.dim);
    return flatIndex(pos, in);
  }));
}

static Element combine(ScatterReduce kind, Element slot, Element v) {
  switch (kind) {
  case ScatterReduce::Replace:
    return v;
  case ScatterReduce::Sum:
  case ScatterReduce::Mean:
    return slot + v;
  case ScatterReduce::Prod:
    return slot * v;
  case ScatterReduce::Amax:
    return std::isnan(slot) || std::isnan(v) ? NAN : std::max(slot, v);
  case ScatterReduce::Amin:
    return std::isnan(slot) || std::isnan(v) ? NAN : std::min(slot, v);
  }
  return v;
}

/// scatter and scatter_reduce: input with src's elements combined (`kind`) into the positions
/// index gives along dim, starting from input's value there or, without `includeSelf`, from
/// the first value written; a mean divides by the count of values (and self). A 0-d src
/// (scatter's `value`) is written everywhere.
static PyValue scatter(K a, const Tensor &src, ScatterReduce kind, bool includeSelf = true) {
  const Tensor &self = a.at(0).tensor(), &index = a.tensor("index");
  if (src.dim() > 0 && src.dtype() != self.dtype())
    throw OpError("scatter(): Expected self.dtype to be equal to src.dtype");
  Shape srcShape = src.dim() == 0 ? index.shape() : src.shape();
  int64_t dim = scatterDim(self.shape(), a.toInt("dim"), index.shape(), srcShape, index.dtype());
  Shape in = atLeast1d(self.shape()), idxShape = atLeast1d(index.shape());
  Shape srcFull = atLeast1d(srcShape);
  Tensor out = self.clone();
  std::vector<int64_t> counts((size_t)out.numel(), includeSelf ? 1 : 0);
  Position pos(idxShape.size(), 0);
  for (int64_t flat = 0; flat < index.numel(); ++flat) {
    Position at = pos;
    at[dim] = checkedIndex(index[flat], in[dim], dim);
    Element v = src.dim() == 0 ? src[0] : src[flatIndex(pos, srcFull)];
    int64_t to = flatIndex(at, in);
    out[to] = counts[to] == 0 ? v : combine(kind, out[to], v);
    ++counts[to];
    for (int64_t d = (int64_t)pos.size() - 1; d >= 0; --d) {
      if (++pos[d] < idxShape[d])
        break;
      pos[d] = 0;
    }
  }
  if (kind == ScatterReduce::Mean)
    for (int64_t i = 0; i < out.numel(); ++i)
      if (counts[i] > 1) // integer means round down, as torch's floor division does
        out[i] = isFloating(out.dtype()) ? out[i] / counts[i] : std::floor(out[i] / counts[i]);
  return PyValue(out.round());
}

/// scatter's values: `src` (a tensor or a number) or the keyword `value`.
static Tensor scatterSource(K a) {
  const PyValue &src = a.isNone("src") ? a["value"] : a["src"];
  if (src.isNone())
    throw OpError("scatter() needs `src` or `value`");
  return asTensor(src);
}

static void registerIndexTensorOps(Registry &r) {
  r.addOp("torch.index_select(Tensor input, int dim, Tensor index)",
          {"method:index_select", "torch.ops.aten.index_select",
           "torch.ops.aten.index_select.default"},
          indexSelectKernel)
      .lowerWith("index_select")
      .withSamples({"T(4, 5), 0, T(3, dtype='i64', high=4)",
                    "T(2, 5, 3, dtype='f64'), -2, T(6, dtype='i32', high=5)",
                    "T(3, 4, dtype='i64'), dim=1, index=T(dtype='i64', high=4)",
                    "T(), 0, T(1, dtype='i64', high=1)"});
  r.addOp("torch.gather(Tensor input, int dim, Tensor index, *, bool sparse_grad=False)",
          {"method:gather", "torch.ops.aten.gather", "torch.ops.aten.gather.default"},
          gatherKernel)
      .lowerWith("gather")
      .withSamples({"T(3, 4), 1, T(3, 6, dtype='i64', high=4)",
                    "T(4, 3, 2, dtype='f64'), -3, T(2, 3, 1, dtype='i64', high=4)",
                    "T(5, 3, dtype='i32'), dim=0, index=T(2, 2, dtype='i64', high=5)",
                    "T(), 0, T(dtype='i64', high=1)"});
  r.addOp("torch.scatter(Tensor input, int dim, Tensor index, Any src=None, *, "
          "Scalar? value=None, str? reduce=None)",
          {"method:scatter", "torch.ops.aten.scatter", "torch.ops.aten.scatter.src"},
          [](K a) {
            return scatter(a, scatterSource(a), scatterReduceOf(a["reduce"], false));
          })
      .lowerWith("scatter")
      .withSamples({"T(3, 5), 0, T(2, 5, dtype='i64', high=3), T(2, 5)",
                    "T(3, 5, dtype='f64'), -1, T(3, 2, dtype='i64', high=5), 2.5",
                    "T(3, 4, dtype='i64'), 1, T(3, 1, dtype='i64', high=4), value=7",
                    "T(3, 5), 0, T(2, 5, dtype='i64', high=3), T(2, 5), reduce='add'",
                    "T(3, 5, dtype='f64'), 1, T(3, 2, dtype='i64', high=5), 1.5, "
                    "reduce='multiply'"});
  r.addOp("torch.ops.aten.scatter.value(Tensor self, int dim, Tensor index, Scalar value)", {},
          [](K a) { return scatter(a, asTensor(a["value"]), ScatterReduce::Replace); })
      .lowerWith("scatter")
      .withSamples({"T(3, 5), 1, T(3, 2, dtype='i64', high=5), -1.5",
                    "T(4, dtype='i64'), 0, T(2, dtype='i64', high=4), 3"});
  r.addOp("torch.scatter_add(Tensor input, int dim, Tensor index, Tensor src)",
          {"method:scatter_add", "torch.ops.aten.scatter_add",
           "torch.ops.aten.scatter_add.default"},
          [](K a) { return scatter(a, a.tensor("src"), ScatterReduce::Sum); })
      .lowerWith("scatter_add")
      .withSamples({"T(3, 5), 0, T(4, 5, dtype='i64', high=3), T(4, 5)",
                    "T(2, 6, dtype='f64'), -1, T(2, 8, dtype='i64', high=6), T(2, 8, dtype='f64')",
                    "T(4, dtype='i64'), 0, T(6, dtype='i64', high=4), T(7, dtype='i64')"});
  r.addOp("torch.scatter_reduce(Tensor input, int dim, Tensor index, Tensor src, str reduce, *, "
          "bool include_self=True)",
          concat({"method:scatter_reduce"}, atenSpellings("scatter_reduce", {"two"})),
          [](K a) {
            return scatter(a, a.tensor("src"), scatterReduceOf(a["reduce"], true),
                           a.toBool("include_self"));
          })
      .lowerWith("scatter_reduce")
      .withSamples({"T(3, 5), 0, T(4, 5, dtype='i64', high=3), T(4, 5), 'sum'",
                    "T(3, 5), 1, T(3, 4, dtype='i64', high=5), T(3, 4), 'prod', "
                    "include_self=False",
                    "T(6, dtype='f64'), 0, T(9, dtype='i64', high=6), T(9, dtype='f64'), 'mean'",
                    "T(4, 3), 0, T(5, 3, dtype='i64', high=4), T(5, 3), 'amax', "
                    "include_self=False",
                    "T(4, 3), 0, T(5, 3, dtype='i64', high=4), T(5, 3), 'amin'",
                    "T(5, dtype='i64'), 0, T(7, dtype='i64', high=5), T(7, dtype='i64'), 'mean', "
                    "include_self=False"});
}

//===----------------------------------------------------------------------===//
// Advanced indexing: aten.index and index_put, getitem and setitem with tensors
//===----------------------------------------------------------------------===//

/// The shape of a nested list of numbers (a Python index such as [[0, 1], [1, 0]]).
static Shape listShape(const PyValue &v) {
  if (v.kind() != PyValue::Kind::List && v.kind() != PyValue::Kind::Tuple)
    return {};
  Shape inner = v.items().empty() ? Shape{} : listShape(v.items()[0]);
  inner.insert(inner.begin(), (int64_t)v.items().size());
  return inner;
}

static void flattenList(const PyValue &v, std::vector<PyValue> &out) {
  if (v.kind() != PyValue::Kind::List && v.kind() != PyValue::Kind::Tuple) {
    out.push_back(v);
    return;
  }
  for (const PyValue &item : v.items())
    flattenList(item, out);
}

/// An index entry as a tensor: a list of ints (or bools) becomes one, as torch makes it.
static Tensor indexTensorOf(const PyValue &entry) {
  if (entry.isTensor())
    return entry.tensor();
  std::vector<PyValue> leaves;
  flattenList(entry, leaves);
  bool bools = !leaves.empty() && std::all_of(leaves.begin(), leaves.end(), [](const PyValue &v) {
    return v.kind() == PyValue::Kind::Bool;
  });
  Tensor t(listShape(entry), bools ? DType::Bool : DType::I64);
  if ((int64_t)leaves.size() != t.numel())
    throw OpError("an index list must be rectangular");
  for (size_t i = 0; i < leaves.size(); ++i)
    t[(int64_t)i] = leaves[i].toElement();
  return t;
}

/// Integer index tensors aligned with the dims of `shape`, from entries starting at the given
/// dims: a bool mask over k dims becomes the k int64 tensors of its true positions (a shape
/// known only when the mask is).
static std::vector<std::optional<Tensor>>
alignedIndices(const Shape &shape, const std::vector<std::pair<int64_t, PyValue>> &entries) {
  std::vector<std::optional<Tensor>> out;
  for (const auto &[dim, entry] : entries) {
    Tensor t = indexTensorOf(entry);
    if (t.dtype() != DType::I64 && t.dtype() != DType::Bool && t.dtype() != DType::U8)
      throw OpError("IndexError: tensors used as indices must be long, byte or bool tensors");
    if (t.dtype() == DType::U8) // a byte mask, as torch still takes it
      t = t.to(DType::Bool);
    int64_t k = t.dtype() == DType::Bool ? t.dim() : 1;
    if (dim + k > (int64_t)shape.size())
      throw OpError("too many indices for tensor of dimension " + std::to_string(shape.size()));
    out.resize(std::max<size_t>(out.size(), dim + k));
    if (t.dtype() != DType::Bool) {
      out[dim] = t;
      continue;
    }
    for (int64_t j = 0; j < k; ++j)
      if (t.shape()[j] != shape[dim + j])
        throw OpError("The shape of the mask " + shapeToString(t.shape()) + " at index " +
                      std::to_string(j) + " does not match the shape of the indexed tensor " +
                      shapeToString(shape) + " at index " + std::to_string(dim + j));
    std::vector<std::vector<Element>> coords(k);
    Position pos(k, 0);
    for (int64_t flat = 0; flat < t.numel(); ++flat) {
      if (t[flat] != 0)
        for (int64_t j = 0; j < k; ++j)
          coords[j].push_back((Element)pos[j]);
      for (int64_t d = k - 1; d >= 0 && ++pos[d] == t.shape()[d]; --d)
        pos[d] = 0;
    }
    for (int64_t j = 0; j < k; ++j) {
      Tensor c({(int64_t)coords[j].size()}, DType::I64);
      for (size_t i = 0; i < coords[j].size(); ++i)
        c[(int64_t)i] = coords[j][i];
      out[dim + j] = c;
    }
  }
  return out;
}

/// x[indices] as aten.index computes it: for each result element, its flat position in x.
static std::vector<int64_t> advancedPositions(const Shape &shape,
                                              const std::vector<std::optional<Tensor>> &indices,
                                              Shape &result) {
  std::vector<std::optional<Shape>> shapes;
  for (const std::optional<Tensor> &t : indices)
    shapes.push_back(t ? std::optional<Shape>(t->shape()) : std::nullopt);
  AdvancedIndex plan = advancedIndex(shape, shapes);
  result = plan.result;
  std::vector<std::vector<int64_t>> from(indices.size());
  for (size_t d = 0; d < indices.size(); ++d)
    if (indices[d])
      from[d] = broadcastIndex(*indices[d], plan.broadcast);
  int64_t width = (int64_t)plan.broadcast.size();
  std::vector<int64_t> positions((size_t)numElements(result));
  Position pos(result.size(), 0);
  for (int64_t i = 0; i < (int64_t)positions.size(); ++i) {
    int64_t b = 0;
    for (int64_t j = 0; j < width; ++j)
      b = b * plan.broadcast[j] + pos[plan.position + j];
    int64_t flat = 0, other = 0;
    for (int64_t d = 0; d < (int64_t)shape.size(); ++d) {
      int64_t at;
      if (d < (int64_t)indices.size() && indices[d]) {
        int64_t v = (int64_t)(*indices[d])[from[d][b]];
        at = checkedIndex((Element)(v < 0 ? v + shape[d] : v), shape[d], d);
      } else {
        at = pos[other < plan.position ? other : other + width];
        ++other;
      }
      flat = flat * shape[d] + at;
    }
    positions[i] = flat;
    for (int64_t d = (int64_t)result.size() - 1; d >= 0 && ++pos[d] == result[d]; --d)
      pos[d] = 0;
  }
  return positions;
}

/// aten.index's `indices` list (None where a dim is not indexed) as entries by dim.
static std::vector<std::pair<int64_t, PyValue>> indexListEntries(const PyValue &list) {
  std::vector<std::pair<int64_t, PyValue>> entries;
  int64_t dim = 0;
  for (const PyValue &item : list.items()) {
    if (!item.isNone())
      entries.emplace_back(dim, item);
    dim += item.isTensor() && item.tensor().dtype() == DType::Bool ? item.tensor().dim() : 1;
  }
  return entries;
}

Tensor indexByTensors(const Tensor &x, const std::vector<std::pair<int64_t, PyValue>> &entries) {
  Shape result;
  std::vector<int64_t> positions = advancedPositions(x.shape(), alignedIndices(x.shape(), entries),
                                                     result);
  Tensor out(result, x.dtype());
  for (size_t i = 0; i < positions.size(); ++i)
    out[(int64_t)i] = x[positions[i]];
  return out;
}

static PyValue indexKernel(K a) {
  return PyValue(indexByTensors(a.tensor("self"), indexListEntries(a["indices"])));
}

/// index_put: self with values (broadcast to self[indices]'s shape, cast to self's dtype)
/// written, or added when `accumulate`, at the indexed positions.
static PyValue indexPutKernel(K a) {
  const Tensor &self = a.tensor("self");
  Shape result;
  std::vector<int64_t> positions = advancedPositions(
      self.shape(), alignedIndices(self.shape(), indexListEntries(a["indices"])), result);
  Tensor values = a.tensor("values").to(self.dtype());
  if (broadcastShapes(values.shape(), result) != result)
    throw OpError("shape mismatch: value tensor of shape " + shapeToString(values.shape()) +
                  " cannot be broadcast to indexing result of shape " + shapeToString(result));
  std::vector<int64_t> from = broadcastIndex(values, result);
  Tensor out = self.clone();
  bool accumulate = a.toBool("accumulate");
  for (size_t i = 0; i < positions.size(); ++i)
    out[positions[i]] = accumulate ? out[positions[i]] + values[from[i]] : values[from[i]];
  return PyValue(out.round());
}

static void registerAdvancedIndexingOps(Registry &r) {
  r.addOp("torch.ops.aten.index.Tensor(Tensor self, Tensor?[] indices)",
          {"torch.ops.aten.index"}, indexKernel)
      .lowerWith("index")
      .withSamples({"T(4, 5), [T(3, dtype='i64', high=4)]",
                    "T(3, 4, 5), [None, T(2, 2, dtype='i64', high=4), T(2, dtype='i64', high=5)]",
                    "T(3, 4, 5, dtype='f64'), [T(2, dtype='i64', high=3), None, "
                    "T(2, dtype='i64', low=-5, high=5)]",
                    "T(3, 4), [T(3, 4, dtype='bool')]"});
  // _index_put_impl_ is in place; fx-functionalize calls its functional form by this name.
  r.addOp("torch.index_put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate=False, "
          "bool unsafe=False)",
          concat({"method:index_put", "torch.ops.aten._index_put_impl",
                  "torch.ops.aten._index_put_impl.default"},
                 atenSpellings("index_put")),
          indexPutKernel)
      .lowerWith("index_put")
      .withSamples({"T(5, 3), (T(4, dtype='i64', high=5),), T(4, 3)",
                    "T(4, 5, dtype='i64'), [T(3, dtype='i64', high=4), T(3, dtype='i64', high=5)], "
                    "T(1, dtype='i64'), True",
                    "<torch.ops.aten.index_put.default> T(3, 4, 5), [None, T(6, dtype='i64', "
                    "high=4)], T(5), accumulate=True",
                    "T(4, 3, dtype='f64'), [T(4, dtype='bool')], T(3, dtype='f64')",
                    "T(6), (T(8, dtype='i64', low=-6, high=6),), T(8), True"});
}

//===----------------------------------------------------------------------===//
// Fixed rearrangements
//===----------------------------------------------------------------------===//

static Tensor flip(const Tensor &x, const std::vector<int64_t> &dims0) {
  std::vector<int64_t> dims = flipDims(dims0, x.dim());
  return rearranged(x, x.shape(), [&](Position pos) {
    for (int64_t d : dims)
      pos[d] = x.shape()[d] - 1 - pos[d];
    return flatIndex(pos, x.shape());
  });
}

static PyValue rollKernel(K a) {
  const Tensor &x = a.tensor("input");
  RollShifts r = rollShifts(a["shifts"].toIntList(), a["dims"].toIntList(), x.shape());
  Shape shape = r.flat ? Shape{x.numel()} : atLeast1d(x.shape());
  Tensor y = rearranged(x, shape, [&](Position pos) {
    for (size_t i = 0; i < r.dims.size(); ++i) {
      int64_t d = r.dims[i];
      pos[d] = (pos[d] + shape[d] - r.shifts[i]) % shape[d];
    }
    return flatIndex(pos, shape);
  });
  return PyValue(y.reshape(x.shape()));
}

/// repeat (and tile): the input padded with leading dims, each copied `repeats` times.
static PyValue repeat(const Tensor &x, const std::vector<int64_t> &repeats) {
  RepeatShape r = repeatShape(x.shape(), repeats);
  return PyValue(rearranged(x, r.result, [&](Position pos) {
    for (size_t d = 0; d < pos.size(); ++d)
      pos[d] %= r.padded[d];
    return flatIndex(pos, r.padded);
  }));
}

/// `x` broadcast to `sizes` (-1 keeps a size), as Tensor.expand.
static PyValue expanded(const Tensor &x, const std::vector<int64_t> &sizes) {
  Shape shape = expandedShape(x.shape(), sizes);
  std::vector<int64_t> idx = broadcastIndex(x, shape);
  return PyValue(
      rearranged(x, shape, [&](const Position &pos) { return idx[flatIndex(pos, shape)]; }));
}

static Tensor diagonal(const Tensor &x, int64_t offset, int64_t dim1, int64_t dim2) {
  DiagonalShape r = diagonalShape(x.shape(), offset, dim1, dim2);
  return rearranged(x, r.result, [&](const Position &pos) {
    Position in;
    for (int64_t d = 0, o = 0; d < x.dim(); ++d) {
      if (d == r.dim1 || d == r.dim2)
        in.push_back((d == r.dim1 ? r.start1 : r.start2) + pos.back());
      else
        in.push_back(pos[o++]);
    }
    return flatIndex(in, x.shape());
  });
}

/// The last dim of `x` on the diagonal `offset` of new dims dim1 and dim2, zeros elsewhere.
static Tensor diagEmbed(const Tensor &x, int64_t offset, int64_t dim1, int64_t dim2) {
  DiagEmbedShape r = diagEmbedShape(x.shape(), offset, dim1, dim2);
  Shape in = atLeast1d(x.shape());
  return rearranged(x, r.result, [&](const Position &pos) -> int64_t {
    if (pos[r.dim2] - pos[r.dim1] != offset)
      return -1;
    Position src;
    for (int64_t d = 0; d < (int64_t)pos.size(); ++d)
      if (d != r.dim1 && d != r.dim2)
        src.push_back(pos[d]);
    src.push_back(std::min(pos[r.dim1], pos[r.dim2]));
    return flatIndex(src, in);
  });
}

static PyValue diagKernel(K a) {
  const Tensor &x = a.tensor("input");
  checkDiagRank(x.dim());
  int64_t offset = a.toInt("diagonal");
  return PyValue(x.dim() == 1 ? diagEmbed(x, offset, 0, 1) : diagonal(x, offset, 0, 1));
}

/// `x` with its dims reordered: dim i of the result is dim `perm[i]` of `x`.
static Tensor permutedBy(const Tensor &x, const std::vector<int64_t> &perm) {
  Shape shape;
  for (int64_t d : perm)
    shape.push_back(x.shape()[d]);
  return rearranged(x, shape, [&](const Position &pos) {
    Position in(pos.size());
    for (size_t i = 0; i < perm.size(); ++i)
      in[perm[i]] = pos[i];
    return flatIndex(in, x.shape());
  });
}

/// movedim in every spelling: (input or self, source, destination).
static PyValue movedimKernel(K a) {
  const Tensor &x = a.at(0).tensor();
  return PyValue(
      permutedBy(x, movedimPermutation(a.at(1).toIntList(), a.at(2).toIntList(), x.dim())));
}

static void registerFlipAndRollOps(Registry &r) {
  auto flipKernel = [](K a) { return PyValue(flip(a.at(0).tensor(), a["dims"].toIntList())); };
  r.addOp("torch.flip(Tensor input, int[] dims)",
          {"torch.ops.aten.flip", "torch.ops.aten.flip.default"}, flipKernel)
      .lowerWith("flip")
      .withSamples({"T(3, 4), [0]", "T(2, 3, 4, dtype='f64'), (-1, 0)",
                    "T(3, 4, dtype='i64'), dims=[0, 1]", "T(), []"});
  r.addOp("method:flip(Tensor self, *int dims)", {}, flipKernel)
      .lowerWith("flip")
      .withSamples({"T(3, 4), 0", "T(2, 3, 4), -1, 1", "T(2, 3, dtype='i32'), (1,)"});
  r.addOp("torch.roll(Tensor input, int[1] shifts, int[1] dims=[])",
          {"method:roll", "torch.ops.aten.roll", "torch.ops.aten.roll.default"}, rollKernel)
      .lowerWith("roll")
      .withSamples({"T(3, 4), 1, 0", "T(3, 4, dtype='f64'), (-1, 5), (1, -2)",
                    "T(2, 3, dtype='i64'), shifts=4", "T(), 3"});
}

static void registerRepeatOps(Registry &r) {
  auto repeatKernel = [](K a) { return repeat(a.tensor("self"), a["repeats"].toIntList()); };
  r.addOp("method:repeat(Tensor self, *int repeats)", {}, repeatKernel)
      .lowerWith("repeat")
      .withSamples({"T(2, 3), 2, 1", "T(3, dtype='f64'), (2, 1, 2)",
                    "T(2, 1, dtype='i64'), [1, 3]", "T(), 2, 3"});
  r.addOp("torch.ops.aten.repeat.default(Tensor self, int[] repeats)", {"torch.ops.aten.repeat"},
          repeatKernel)
      .lowerWith("repeat")
      .withSamples({"T(2, 3), [2, 1]", "T(2, 1, dtype='i64'), (1, 1, 3)"});
  auto tile = [](K a) {
    const Tensor &x = a.at(0).tensor();
    return repeat(x, tileRepeats(a["dims"].toIntList(), x.dim()));
  };
  r.addOp("torch.tile(Tensor input, int[] dims)",
          {"torch.ops.aten.tile", "torch.ops.aten.tile.default"}, tile)
      .lowerWith("repeat")
      .withSamples({"T(2, 3), (2,)", "T(2, 3, dtype='f64'), [2, 1, 3]",
                    "T(2, 3, dtype='i64'), dims=()", "T(), (2, 2)"});
  r.addOp("method:tile(Tensor self, *int dims)", {}, tile)
      .lowerWith("repeat")
      .withSamples({"T(2, 3), 2", "T(3, dtype='i32'), 2, 2", "T(2, 1), (1, 3)"});
  r.addOp("method:expand_as(Tensor self, Tensor other)",
          {"torch.ops.aten.expand_as", "torch.ops.aten.expand_as.default"},
          [](K a) { return expanded(a.tensor("self"), a.tensor("other").shape()); })
      .lowerWith("broadcast_to")
      .withSamples({"T(3, 1), T(3, 4)", "T(4, dtype='f64'), T(2, 3, 4)",
                    "T(1, 1, dtype='i64'), T(2, 2, dtype='f32')", "T(), T(2)"});
  r.addOp("torch.broadcast_to(Tensor input, int[] size)",
          {"method:broadcast_to", "torch.ops.aten.broadcast_to",
           "torch.ops.aten.broadcast_to.default"},
          [](K a) { return expanded(a.tensor("input"), a["size"].toIntList()); })
      .lowerWith("broadcast_to")
      .withSamples({"T(3, 1), (3, 4)", "T(4, dtype='f64'), [2, 3, -1]",
                    "T(1, 3, dtype='i64'), size=(2, 3)", "T(), (2,)"});
}

/// The kernel of diagonal or diag_embed: (input, offset, dim1, dim2).
static Kernel diagonalKernel(Tensor (*op)(const Tensor &, int64_t, int64_t, int64_t)) {
  return [op](K a) {
    return PyValue(op(a.tensor("input"), a.toInt("offset"), a.toInt("dim1"), a.toInt("dim2")));
  };
}

static void registerDiagonalOps(Registry &r) {
  r.addOp("torch.diagonal(Tensor input, int offset=0, int dim1=0, int dim2=1)",
          {"method:diagonal", "torch.ops.aten.diagonal", "torch.ops.aten.diagonal.default"},
          diagonalKernel(diagonal))
      .lowerWith("diagonal")
      .withSamples({"T(3, 4)", "T(2, 3, 4, dtype='f64'), 1, -1, 0",
                    "T(4, 3, dtype='i64'), offset=-2", "T(3, 4), 7"});
  r.addOp("torch.diag(Tensor input, int diagonal=0)",
          {"method:diag", "torch.ops.aten.diag", "torch.ops.aten.diag.default"}, diagKernel)
      .lowerWith("diag")
      .withSamples({"T(3)", "T(3, dtype='f64'), -2", "T(3, 4, dtype='i64'), 1",
                    "T(4, 3), diagonal=-1"});
  r.addOp("torch.diag_embed(Tensor input, int offset=0, int dim1=-2, int dim2=-1)",
          {"method:diag_embed", "torch.ops.aten.diag_embed", "torch.ops.aten.diag_embed.default"},
          diagonalKernel(diagEmbed))
      .lowerWith("diag_embed")
      .withSamples({"T(2, 3)", "T(2, 3, dtype='f64'), 1, 0, 2",
                    "T(3, dtype='i64'), offset=-1, dim1=1, dim2=0", "T(4), -2"});
  r.addOp("torch.movedim(Tensor input, int[] source, int[] destination)",
          {"torch.moveaxis", "method:movedim", "method:moveaxis", "torch.ops.aten.movedim",
           "torch.ops.aten.moveaxis"},
          movedimKernel)
      .lowerWith("movedim")
      .withSamples({"T(2, 3, 4), 0, -1", "T(2, 3, 4, 5, dtype='f64'), (0, 1), (3, 0)",
                    "T(2, 3, dtype='i64'), source=[1], destination=[0]", "T(), 0, 0"});
  // The aten overloads take either ints or lists, not both.
  r.addOp("torch.ops.aten.movedim.int(Tensor self, int source, int destination)",
          {"torch.ops.aten.moveaxis.int"}, movedimKernel)
      .lowerWith("movedim")
      .withSamples({"T(2, 3, 4), 0, -1", "T(2, 3, dtype='i64'), 1, 0"});
  r.addOp("torch.ops.aten.movedim.intlist(Tensor self, int[] source, int[] destination)",
          {"torch.ops.aten.moveaxis.intlist"}, movedimKernel)
      .lowerWith("movedim")
      .withSamples({"T(2, 3, 4, 5, dtype='f64'), [0, 1], [3, 0]", "T(2, 3), [], []"});
}

//===----------------------------------------------------------------------===//
// Layout shuffles and resampling
//===----------------------------------------------------------------------===//

/// The kernel of pixel_shuffle, pixel_unshuffle or channel_shuffle: (input, factor).
static Kernel shuffleKernel(LayoutShuffle (*layout)(const Shape &, int64_t)) {
  return [layout](K a) {
    const Tensor &x = a.at(0).tensor();
    LayoutShuffle l = layout(x.shape(), a.at(1).toInt());
    return PyValue(permutedBy(x.reshape(l.split), l.perm).reshape(l.result));
  };
}

/// `x` resampled along one dim: each output reads its taps, weighted (nearest: one, as is).
static Tensor resampled(const Tensor &x, const ResampleAxis &ax) {
  Shape shape = x.shape();
  shape[ax.dim] = (int64_t)ax.index[0].size();
  auto at = [&](Position pos, const std::vector<int64_t> &index) {
    pos[ax.dim] = index[pos[ax.dim]];
    return flatIndex(pos, x.shape());
  };
  if (ax.weight.empty())
    return rearranged(x, shape, [&](const Position &pos) { return at(pos, ax.index[0]); });
  Tensor out(shape, x.dtype());
  Position pos(shape.size(), 0);
  for (int64_t flat = 0; flat < out.numel(); ++flat) {
    for (size_t k = 0; k < ax.index.size(); ++k)
      out[flat] += x[at(pos, ax.index[k])] * ax.weight[k][pos[ax.dim]];
    for (int64_t d = (int64_t)shape.size() - 1; d >= 0; --d) {
      if (++pos[d] < shape[d])
        break;
      pos[d] = 0;
    }
  }
  return out.round();
}

static PyValue interpolated(const Tensor &x, const InterpolatePlan &plan) {
  Tensor y = x;
  for (const ResampleAxis &ax : plan.axes)
    y = resampled(y, ax);
  return PyValue(y);
}

static PyValue interpolateKernel(K a) {
  const Tensor &x = a.tensor("input");
  if (a.toBool("antialias"))
    throw OpError("interpolate(antialias=True) is not supported yet");
  return interpolated(x, interpolatePlan(x.shape(), x.dtype(), a["size"], a["scale_factor"],
                                         a["mode"].toStr(), a["align_corners"],
                                         a["recompute_scale_factor"]));
}

/// upsample_nearest2d, upsample_bilinear2d or upsample_bicubic2d, in both overloads.
static Kernel upsampleKernel(Resampling kind) {
  return [kind](K a) {
    const Tensor &x = a.at(0).tensor();
    bool alignCorners = kind != Resampling::Nearest && a.toBool("align_corners");
    std::vector<double> scales =
        upsampleScales(a, [&](const char *n) -> const PyValue & { return a[n]; });
    return interpolated(x, upsamplePlan(x.shape(), x.dtype(), a.at(1), scales, kind,
                                        alignCorners));
  };
}

static void registerShuffleAndResampleOps(Registry &r) {
  r.addOp("torch.pixel_shuffle(Tensor input, int upscale_factor)",
          {"torch.nn.functional.pixel_shuffle", "torch.ops.aten.pixel_shuffle",
           "torch.ops.aten.pixel_shuffle.default"},
          shuffleKernel(pixelShuffleLayout))
      .lowerWith("pixel_shuffle")
      .withSamples({"T(1, 8, 2, 3), 2", "T(2, 3, 9, 2, 2, dtype='f64'), upscale_factor=3",
                    "T(4, 1, 1, dtype='i64'), 2"});
  r.addOp("torch.pixel_unshuffle(Tensor input, int downscale_factor)",
          {"torch.nn.functional.pixel_unshuffle", "torch.ops.aten.pixel_unshuffle",
           "torch.ops.aten.pixel_unshuffle.default"},
          shuffleKernel(pixelUnshuffleLayout))
      .lowerWith("pixel_unshuffle")
      .withSamples({"T(1, 2, 4, 6), 2", "T(2, 3, 1, 3, 6, dtype='f64'), downscale_factor=3",
                    "T(1, 2, 2, dtype='i64'), 1"});
  r.addOp("torch.channel_shuffle(Tensor input, int groups)",
          {"torch.nn.functional.channel_shuffle", "torch.ops.aten.channel_shuffle",
           "torch.ops.aten.channel_shuffle.default"},
          shuffleKernel(channelShuffleLayout))
      .lowerWith("channel_shuffle")
      .withSamples({"T(2, 6, 3, 3), 3", "T(1, 4, 5, dtype='f64'), 2",
                    "T(2, 6, 2, 1, 2, dtype='i64'), groups=2"});
  // F.upsample is the deprecated spelling of interpolate, with the same leading parameters.
  r.addOp("torch.nn.functional.interpolate(Tensor input, Any size=None, Any scale_factor=None, "
          "str mode='nearest', bool? align_corners=None, bool? recompute_scale_factor=None, "
          "bool antialias=False)",
          {"torch.nn.functional.upsample"}, interpolateKernel)
      .lowerWith("interpolate")
      .withSamples({"T(1, 2, 3, 4), scale_factor=2", "T(2, 3, 5, 4, dtype='f64'), (7, 3)",
                    "T(1, 2, 3, 4), size=(5, 7), mode='bilinear', align_corners=True",
                    "T(1, 2, 4, 5), scale_factor=(1.5, 0.75), mode='bilinear'",
                    "T(2, 3, 5), 8, mode='linear'", "T(1, 2, 4, 3), (3, 7), mode='bicubic'",
                    "T(1, 1, 2, 3, 2), scale_factor=1.7, mode='trilinear', "
                    "recompute_scale_factor=True"});
  // The deprecated fixed-mode spellings: their mode (and bilinear's align_corners=True) are
  // keyword-only defaults, so interpolate's kernel and lowering serve them.
  r.addOp("torch.nn.functional.upsample_nearest(Tensor input, Any size=None, "
          "Any scale_factor=None, *, str mode='nearest', bool? align_corners=None, "
          "bool? recompute_scale_factor=None, bool antialias=False)",
          {}, interpolateKernel)
      .lowerWith("interpolate")
      .withSamples({"T(1, 2, 3, 4), scale_factor=3", "T(2, 3, 2, 3, dtype='f64'), (5, 4)"});
  r.addOp("torch.nn.functional.upsample_bilinear(Tensor input, Any size=None, "
          "Any scale_factor=None, *, str mode='bilinear', bool? align_corners=True, "
          "bool? recompute_scale_factor=None, bool antialias=False)",
          {}, interpolateKernel)
      .lowerWith("interpolate")
      .withSamples({"T(1, 2, 3, 4), scale_factor=2", "T(2, 3, 2, 3, dtype='f64'), (5, 4)"});
  r.addOp("torch.ops.aten.upsample_nearest2d.vec(Tensor input, int[]? output_size, "
          "float[]? scale_factors=None)",
          {"torch._C._nn.upsample_nearest2d"}, upsampleKernel(Resampling::Nearest))
      .lowerWith("upsample")
      .withSamples({"T(1, 2, 3, 4), [6, 5], None", "T(2, 1, 3, 3, dtype='f64'), None, [2.5, 1.5]"});
  r.addOp("torch.ops.aten.upsample_nearest2d.default(Tensor self, int[2] output_size, "
          "float? scales_h=None, float? scales_w=None)",
          {"torch.ops.aten.upsample_nearest2d"}, upsampleKernel(Resampling::Nearest))
      .lowerWith("upsample")
      .withSamples({"T(1, 2, 3, 4), [6, 8]", "T(1, 2, 3, 4, dtype='f64'), [7, 5], 2.5, 1.5"});
  r.addOp("torch.ops.aten.upsample_bilinear2d.vec(Tensor input, int[]? output_size, "
          "bool align_corners, float[]? scale_factors=None)",
          {"torch._C._nn.upsample_bilinear2d"}, upsampleKernel(Resampling::Linear))
      .lowerWith("upsample")
      .withSamples({"T(1, 2, 3, 4), [6, 5], True, None",
                    "T(2, 1, 3, 3, dtype='f64'), None, False, [2.5, 1.5]"});
  r.addOp("torch.ops.aten.upsample_bilinear2d.default(Tensor self, int[2] output_size, "
          "bool align_corners, float? scales_h=None, float? scales_w=None)",
          {"torch.ops.aten.upsample_bilinear2d"}, upsampleKernel(Resampling::Linear))
      .lowerWith("upsample")
      .withSamples({"T(1, 2, 3, 4), [6, 8], False", "T(1, 2, 3, 4, dtype='f64'), [7, 5], True"});
  r.addOp("torch.ops.aten.upsample_bicubic2d.vec(Tensor input, int[]? output_size, "
          "bool align_corners, float[]? scale_factors=None)",
          {"torch._C._nn.upsample_bicubic2d"}, upsampleKernel(Resampling::Cubic))
      .lowerWith("upsample")
      .withSamples({"T(1, 2, 3, 4), [6, 5], True, None",
                    "T(2, 1, 3, 3, dtype='f64'), None, False, [2.5, 1.5]"});
  r.addOp("torch.ops.aten.upsample_bicubic2d.default(Tensor self, int[2] output_size, "
          "bool align_corners, float? scales_h=None, float? scales_w=None)",
          {"torch.ops.aten.upsample_bicubic2d"}, upsampleKernel(Resampling::Cubic))
      .lowerWith("upsample")
      .withSamples({"T(1, 2, 3, 4), [6, 3], False", "T(1, 2, 3, 4, dtype='f64'), [7, 5], True"});
}

//===----------------------------------------------------------------------===//
// Sorting
//===----------------------------------------------------------------------===//

/// The values and int64 indices of the sorted positions `s` keeps along its dim (stable: ties
/// keep their order).
static std::pair<Tensor, Tensor> sortedAlong(const Tensor &x, const SortedSlice &s) {
  Shape kept = atLeast1d(x.shape());
  DimSplit sp = splitAt(kept, s.dim);
  kept[s.dim] = s.count;
  Tensor values(kept, x.dtype()), indices(kept, DType::I64);
  std::vector<int64_t> order(s.size);
  for (int64_t o = 0; o < sp.outer; ++o)
    for (int64_t i = 0; i < sp.inner; ++i) {
      auto at = [&](int64_t k) { return x[(o * s.size + k) * sp.inner + i]; };
      for (int64_t k = 0; k < s.size; ++k)
        order[k] = k;
      std::sort(order.begin(), order.end(), [&](int64_t p, int64_t q) { // ties by position
        return sortsBefore(at(p), at(q), s.descending) ||
               (!sortsBefore(at(q), at(p), s.descending) && p < q);
      });
      for (int64_t k = 0; k < s.count; ++k) {
        int64_t flat = (o * s.count + k) * sp.inner + i;
        values[flat] = at(order[s.first + k]);
        indices[flat] = (Element)order[s.first + k];
      }
    }
  return {values.reshape(s.result), indices.reshape(s.result)};
}

/// sort, topk and kthvalue: (values, indices).
static PyValue sortKernel(K a) {
  const Tensor &x = a.at(0).tensor();
  auto [values, indices] = sortedAlong(x, sortedSliceOf(x.shape(), a));
  return PyValue::tuple({PyValue(values), PyValue(indices)});
}

static PyValue argsortKernel(K a) {
  const Tensor &x = a.at(0).tensor();
  return PyValue(sortedAlong(x, sortedSliceOf(x.shape(), a)).second);
}

/// cummax (`max`) or cummin along dim: the running extremum, NaN once one is seen, and the
/// last position that holds it (torch's >= and <=).
static Kernel cumulativeExtremumKernel(bool max) {
  return [max](K a) {
    const Tensor &x = a.at(0).tensor();
    SortedSlice s = sortSlice(x.shape(), a.toInt("dim"), /*descending=*/false);
    DimSplit sp = splitAt(atLeast1d(x.shape()), s.dim);
    Tensor values(x.shape(), x.dtype()), indices(x.shape(), DType::I64);
    for (int64_t o = 0; o < sp.outer; ++o)
      for (int64_t i = 0; i < sp.inner; ++i) {
        Element best = 0;
        int64_t at = 0;
        for (int64_t k = 0; k < s.size; ++k) {
          int64_t flat = (o * s.size + k) * sp.inner + i;
          Element v = x[flat];
          if (k == 0 || std::isnan(v) || (!std::isnan(best) && (max ? v >= best : v <= best))) {
            best = v;
            at = k;
          }
          values[flat] = best;
          indices[flat] = (Element)at;
        }
      }
    return PyValue::tuple({PyValue(values), PyValue(indices)});
  };
}

// Unstable sorts are sorted stably here: torch allows any order of ties there. Samples of
// integers (with ties) ask for stable sorts, the rest have none.
static void registerSortOps(Registry &r) {
  r.addOp("torch.sort(Tensor input, int dim=-1, bool descending=False, bool? stable=False)",
          {"method:sort", "torch.ops.aten.sort", "torch.ops.aten.sort.default"}, sortKernel)
      .lowerWith("sort")
      .withSamples({"T(3, 5)", "T(4, 3, 2, dtype='f64'), -3, True",
                    "T(2, 7, dtype='i64'), dim=1, descending=True, stable=True", "T()"});
  r.addOp("torch.ops.aten.sort.stable(Tensor self, *, bool? stable, int dim=-1, "
          "bool descending=False)",
          {}, sortKernel)
      .lowerWith("sort")
      .withSamples({"T(3, 6, dtype='i32'), stable=True, dim=0", "T(5), stable=False"});
  r.addOp("torch.argsort(Tensor input, int dim=-1, bool descending=False, bool stable=False)",
          {"method:argsort", "torch.ops.aten.argsort", "torch.ops.aten.argsort.default"},
          argsortKernel)
      .lowerWith("argsort")
      .withSamples({"T(3, 5)", "T(4, 3, dtype='f64'), 0, True",
                    "T(2, 6, dtype='i64'), dim=-1, stable=True", "T()"});
  r.addOp("torch.ops.aten.argsort.stable(Tensor self, *, bool stable, int dim=-1, "
          "bool descending=False)",
          {}, argsortKernel)
      .lowerWith("argsort")
      .withSamples({"T(3, 6, dtype='i32'), stable=True, descending=True"});
  r.addOp("torch.topk(Tensor input, int k, int dim=-1, bool largest=True, bool sorted=True)",
          {"method:topk", "torch.ops.aten.topk", "torch.ops.aten.topk.default"}, sortKernel)
      .lowerWith("sort")
      .withSamples({"T(3, 6), 2", "T(5, 3, dtype='f64'), 3, 0, False",
                    "T(4, 5), k=5, dim=-1, largest=True", "T(), 1"});
  r.addOp("torch.cummax(Tensor input, int dim)",
          {"method:cummax", "torch.ops.aten.cummax", "torch.ops.aten.cummax.default"},
          cumulativeExtremumKernel(/*max=*/true))
      .lowerWith("cummax")
      .withSamples({"T(3, 6), 1", "T(5, 3, dtype='f64'), -2", "T(4, 7, dtype='i64'), dim=1",
                    "T(), 0"});
  r.addOp("torch.cummin(Tensor input, int dim)",
          {"method:cummin", "torch.ops.aten.cummin", "torch.ops.aten.cummin.default"},
          cumulativeExtremumKernel(/*max=*/false))
      .lowerWith("cummin")
      .withSamples({"T(3, 6), 1", "T(5, 3, dtype='f64'), -2", "T(4, 7, dtype='i32'), dim=0",
                    "T(), -1"});
  r.addOp("torch.kthvalue(Tensor input, int k, int dim=-1, bool keepdim=False)",
          {"method:kthvalue", "torch.ops.aten.kthvalue", "torch.ops.aten.kthvalue.default"},
          sortKernel)
      .lowerWith("sort")
      .withSamples({"T(3, 6), 2", "T(5, 3, dtype='f64'), 5, 0, True",
                    "T(4, 5), k=1, dim=-1, keepdim=False", "T(), 1"});
}

//===----------------------------------------------------------------------===//
// Assignment through an index: fx-functionalize's form of `x[index] = value`
//===----------------------------------------------------------------------===//

/// A copy of `self` with `self[index] = value` done, the value cast to self's dtype and
/// broadcast to `self[index]`'s shape. Where to write is asked of getitem itself, on a tensor
/// holding each element's flat position, so that every index getitem reads through is written
/// through alike.
static PyValue setitemKernel(K a) {
  const Tensor &self = a.tensor("self");
  Tensor positions(self.shape(), DType::I64);
  for (int64_t i = 0; i < positions.numel(); ++i)
    positions[i] = (Element)i;
  Tensor at = callTarget("call_function", "operator.getitem", {PyValue(positions), a["index"]}, {})
                  .tensor();
  // A number is rounded once, to self's dtype (not through a float32 tensor first).
  const PyValue &v = a["value"];
  Tensor value =
      v.isTensor() ? v.tensor().to(self.dtype()) : Tensor({}, self.dtype(), v.toElement()).round();
  value = value.reshape(setitemValueShape(value.shape(), at.shape()));
  std::vector<int64_t> from = broadcastIndex(value, at.shape());
  Tensor out = self.clone();
  for (int64_t i = 0; i < at.numel(); ++i)
    out[(int64_t)at[i]] = value[from[i]];
  return PyValue(out);
}

static void registerSetitemOp(Registry &r) {
  // `operator.setitem(x, index, value)` returns None and changes x; torch has no functional
  // twin taking getitem's index forms, so the functional form is ours.
  r.addOp("fxmlir.setitem(Tensor self, Any index, Any value)", {}, setitemKernel)
      .lowerWith("setitem")
      .withSamples({"T(4, 5), 1, 2.5", "T(4, 5), (slice(1, 3), None), T(5)",
                    "T(2, 3, 4), (..., slice(None, None, 2)), T(2, 1, 1, dtype='f64')",
                    "T(4, 5, dtype='i64'), (slice(-3, None), 2), 7.9", "T(2, 3), 0, T(1, 1, 3)",
                    "T(3, dtype='bool'), slice(1, None), 0.5"});
}

void registerIndexingOps(Registry &r) {
  registerIndexTensorOps(r);
  registerAdvancedIndexingOps(r);
  registerFlipAndRollOps(r);
  registerRepeatOps(r);
  registerDiagonalOps(r);
  registerShuffleAndResampleOps(r);
  registerSortOps(r);
  registerSetitemOp(r);
}

} // namespace fxmlir
