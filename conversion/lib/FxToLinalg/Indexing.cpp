//===- Indexing.cpp - Lowerings of index_select, gather, scatter, flip, roll, ... -===//
//
// Fixed rearrangements (flip, repeat, diagonals) read their input through an affine map in one
// linalg.generic; roll is slices and a concatenation. Reads through run-time index tensors
// (index_select, gather) are a linalg.generic whose body computes the source position and reads
// it with tensor.extract; scatter is a reduction over the index's positions along `dim` that
// keeps the value whose index matches. No index value is checked: one out of range is undefined
// behaviour in compiled code, as in torch's CUDA kernels (the reference kernels raise, as
// PyTorch does).
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace fxmlir {

using mlir::Value;
using mlir::ValueRange;
using Exprs = llvm::SmallVector<mlir::AffineExpr>;
/// A generic's body: the builder, the input elements (and the accumulator) and the loop
/// indices; returns the element to yield.
using IndexedBody = std::function<Value(mlir::OpBuilder &, mlir::Location, ValueRange elements,
                                        ValueRange indices)>;

/// The loop dims d0 ... d(n-1).
static Exprs loopDims(LoweringContext &c, int64_t n) {
  Exprs e;
  for (int64_t d = 0; d < n; ++d)
    e.push_back(c.b.getAffineDimExpr(d));
  return e;
}

/// A linalg.generic over `outType`'s shape (then `reductions` more loops) reading `inputs`
/// through `inputExprs`, initialised with `init` (empty where it is null).
static Value indexedGeneric(LoweringContext &c, mlir::RankedTensorType outType,
                            ValueRange inputs, llvm::ArrayRef<Exprs> inputExprs,
                            const IndexedBody &body, Value init = {},
                            llvm::ArrayRef<int64_t> reductions = {}) {
  int64_t rank = outType.getRank(), loops = rank + (int64_t)reductions.size();
  mlir::MLIRContext *ctx = c.b.getContext();
  llvm::SmallVector<mlir::AffineMap> maps;
  for (const Exprs &e : inputExprs)
    maps.push_back(mlir::AffineMap::get(loops, 0, e, ctx));
  maps.push_back(mlir::AffineMap::get(loops, 0, loopDims(c, rank), ctx));
  llvm::SmallVector<mlir::utils::IteratorType> iterators(rank, mlir::utils::IteratorType::parallel);
  iterators.append(reductions.size(), mlir::utils::IteratorType::reduction);
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{outType}, inputs,
             ValueRange{init ? init : c.empty(outType)}, maps, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
               llvm::SmallVector<Value> indices;
               for (int64_t d = 0; d < loops; ++d)
                 indices.push_back(mlir::linalg::IndexOp::create(b, l, d));
               mlir::linalg::YieldOp::create(b, l, body(b, l, v, indices));
             })
      .getResult(0);
}

/// `x` read at `exprs` (one per dim of x, over the result's dims) for each result element.
static Value readThrough(LoweringContext &c, Value x, const Exprs &exprs, const Shape &shape) {
  auto outType = tensorType(shape, elementTypeOf(x));
  return indexedGeneric(c, outType, {x}, {exprs},
                        [](mlir::OpBuilder &, mlir::Location, ValueRange v, ValueRange) {
                          return v[0];
                        });
}

/// An index element as an `index` value.
static Value asIndex(mlir::OpBuilder &b, mlir::Location l, Value v) {
  return mlir::arith::IndexCastOp::create(b, l, b.getIndexType(), v);
}

//===----------------------------------------------------------------------===//
// Reads and writes through index tensors
//===----------------------------------------------------------------------===//

/// x[indices with the one at `dim` replaced by `at`], read with tensor.extract.
static Value extractAt(mlir::OpBuilder &b, mlir::Location l, Value x, ValueRange indices,
                       int64_t dim, Value at) {
  llvm::SmallVector<Value> pos(indices.begin(), indices.end());
  pos.resize(rankOf(x));
  if (!pos.empty())
    pos[dim] = at;
  return mlir::tensor::ExtractOp::create(b, l, x, pos);
}

/// out[..., i, ...] = input[..., index[i], ...] along dim.
static Lowered lowerIndexSelect(LoweringContext &c, const LoweredArgs &a) {
  Value x = c.castTensor(a.tensor("input"), c.resultElementType()), index = a.tensor("index");
  IndexedDim r = indexSelectShape(shapeOf(x).vec(), a.toInt("dim"), shapeOf(index).vec(),
                                  DType::I64);
  Exprs indexExprs; // a 0-d input reads index[0]
  if (rankOf(index) == 1)
    indexExprs.push_back(r.result.empty() ? c.b.getAffineConstantExpr(0)
                                          : c.b.getAffineDimExpr(r.dim));
  return indexedGeneric(c, c.result(), {index}, {indexExprs},
                        [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
                          return extractAt(b, l, x, ix, r.dim, asIndex(b, l, v[0]));
                        });
}

/// out[p] = input[p with p[dim] = index[p]].
static Lowered lowerGather(LoweringContext &c, const LoweredArgs &a) {
  Value x = c.castTensor(a.tensor("input"), c.resultElementType()), index = a.tensor("index");
  IndexedDim r = gatherShape(shapeOf(x).vec(), a.toInt("dim"), shapeOf(index).vec(), DType::I64);
  return indexedGeneric(c, c.result(), {index}, {loopDims(c, rankOf(index))},
                        [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
                          return extractAt(b, l, x, ix, r.dim, asIndex(b, l, v[0]));
                        });
}

/// `t` as a tensor of at least one dim.
static Value atLeast1d(LoweringContext &c, Value t) {
  return rankOf(t) == 0 ? c.reshape(t, {1}) : t;
}

/// scatter's values as a tensor of the index's shape in `element`: src, or the number (or
/// 0-d tensor) `value` everywhere.
static Value scatterValues(LoweringContext &c, const Lowered &src, Value index,
                           mlir::Type element) {
  auto type = tensorType(shapeOf(index), element);
  if (src.isLiteral())
    return c.filled(type, src.literal().toElement());
  Value s = c.castTensor(src.tensor(), element);
  if (rankOf(s) == 0)
    return c.map({Lowered(s)}, type,
                 [](mlir::OpBuilder &, mlir::Location, ValueRange v) { return v[0]; });
  return c.slice(s, llvm::SmallVector<int64_t>(rankOf(s), 0), shapeOf(index),
                 llvm::SmallVector<int64_t>(rankOf(s), 1));
}

/// The value a reduction starts from where nothing is there yet.
static double neutralOf(ScatterReduce kind, mlir::Type t) {
  switch (kind) {
  case ScatterReduce::Prod:
    return 1;
  case ScatterReduce::Amax:
    return lowestOf(t);
  case ScatterReduce::Amin:
    return -lowestOf(t);
  default:
    return 0;
  }
}

static Value combineIR(ElementBuilder &e, ScatterReduce kind, Value acc, Value v) {
  switch (kind) {
  case ScatterReduce::Replace:
    return v;
  case ScatterReduce::Prod:
    return e.mul(acc, v);
  case ScatterReduce::Amax:
    return e.max(acc, v);
  case ScatterReduce::Amin:
    return e.min(acc, v);
  default:
    return e.add(acc, v);
  }
}

/// scatter and scatter_reduce as a reduction: out[p] starts as input[p] (or the combiner's
/// neutral value without `includeSelf`) and, for each k along dim, combines src[p with p[dim]
/// = k] where index[that position] == p[dim]. index and src are padded to the input's size in
/// the other dims with an index of -1, which matches nothing. Duplicate indices keep the last
/// value, one of torch's allowed results. A mean, or a reduction without self, also counts
/// the hits of each position.
static Value scatterOf(LoweringContext &c, const LoweredArgs &a, const Lowered &src,
                       ScatterReduce kind, bool includeSelf = true) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  if (kind == ScatterReduce::Mean && !llvm::isa<mlir::FloatType>(t))
    throw OpError("scatter_reduce's mean of integers cannot be compiled yet");
  Value self = atLeast1d(c, c.castTensor(a.at(0).tensor(), t));
  Value index = atLeast1d(c, a.tensor("index"));
  Value values = scatterValues(c, src, index, t);
  int64_t dim = scatterDim(shapeOf(self).vec(), a.toInt("dim"), shapeOf(index).vec(),
                           shapeOf(values).vec(), DType::I64);
  int64_t rank = rankOf(self);
  llvm::SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (int64_t d = 0; d < rank; ++d)
    high[d] = d == dim ? 0 : shapeOf(self)[d] - shapeOf(index)[d];
  index = c.pad(index, low, high, -1);
  Exprs exprs = loopDims(c, rank);
  exprs[dim] = c.b.getAffineDimExpr(rank); // k, the reduction loop
  auto selfType = mlir::cast<mlir::RankedTensorType>(self.getType());
  auto reduceInto = [&](Value vals, Value init, ScatterReduce how) {
    return indexedGeneric(
        c, selfType, {index, vals}, {exprs, exprs},
        [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
          Value hit = mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::eq,
                                                  asIndex(b, l, v[0]), ix[dim]);
          ElementBuilder e{b, l, t};
          return e.select(hit, combineIR(e, how, v[2], v[1]), v[2]);
        },
        init, {shapeOf(index)[dim]});
  };
  Value out = reduceInto(c.pad(values, low, high, 0),
                         includeSelf ? self : c.filled(selfType, neutralOf(kind, t)), kind);
  if (kind == ScatterReduce::Mean || !includeSelf) {
    Value counts = reduceInto(c.filled(mlir::cast<mlir::RankedTensorType>(values.getType()), 1),
                              c.filled(selfType, includeSelf ? 1 : 0), ScatterReduce::Sum);
    bool mean = kind == ScatterReduce::Mean;
    out = c.map({Lowered(out), Lowered(counts), Lowered(self)}, selfType,
                [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
                  ElementBuilder e{b, l, t};
                  Value none = mlir::arith::CmpFOp::create(
                      b, l, mlir::arith::CmpFPredicate::OEQ,
                      LoweringContext::cast(b, l, v[1], b.getF64Type()),
                      mlir::arith::ConstantFloatOp::create(b, l, b.getF64Type(),
                                                           llvm::APFloat(0.0)));
                  Value reduced = mean ? e.div(v[0], v[1]) : v[0];
                  return e.select(none, v[2], reduced);
                });
  }
  return c.reshape(out, outType.getShape());
}

static Lowered lowerScatter(LoweringContext &c, const LoweredArgs &a) {
  ScatterReduce kind = a.getSchema().find("reduce") >= 0
                           ? scatterReduceOf(a.literal("reduce"), false)
                           : ScatterReduce::Replace;
  const char *name = a.getSchema().find("src") >= 0 && !a.isNone("src") ? "src" : "value";
  return scatterOf(c, a, a[name], kind);
}

static Lowered lowerScatterAdd(LoweringContext &c, const LoweredArgs &a) {
  return scatterOf(c, a, a["src"], ScatterReduce::Sum);
}

static Lowered lowerScatterReduce(LoweringContext &c, const LoweredArgs &a) {
  return scatterOf(c, a, a["src"], scatterReduceOf(a.literal("reduce"), true),
                   a.toBool("include_self"));
}

//===----------------------------------------------------------------------===//
// Advanced indexing: aten.index, index_put, getitem with tensors
//===----------------------------------------------------------------------===//

/// An index element as a position along a dim of `size`, negative values counting from the
/// end as torch's index does.
static Value wrappedIndex(mlir::OpBuilder &b, mlir::Location l, Value v, int64_t size) {
  Value i = asIndex(b, l, v);
  Value zero = mlir::arith::ConstantIndexOp::create(b, l, 0);
  Value negative = mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::slt, i, zero);
  Value shifted = mlir::arith::AddIOp::create(
      b, l, i, mlir::arith::ConstantIndexOp::create(b, l, size));
  return mlir::arith::SelectOp::create(b, l, negative, shifted, i);
}

/// The plan of indexing a tensor of `shape` by `indices` (aligned with its dims, null where a
/// dim is not indexed).
static AdvancedIndex planOf(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<Value> indices) {
  std::vector<std::optional<Shape>> shapes;
  for (Value t : indices)
    shapes.push_back(t ? std::optional<Shape>(shapeOf(t).vec()) : std::nullopt);
  return advancedIndex(shape.vec(), shapes);
}

/// How an index tensor is read over the broadcast dims that start at loop `first`
/// (right-aligned, size-1 dims broadcast).
static Exprs broadcastExprs(LoweringContext &c, Value index, const Shape &broadcast,
                            int64_t first) {
  Exprs exprs;
  int64_t rank = rankOf(index), offset = (int64_t)broadcast.size() - rank;
  for (int64_t j = 0; j < rank; ++j)
    exprs.push_back(shapeOf(index)[j] == 1 && broadcast[offset + j] != 1
                        ? c.b.getAffineConstantExpr(0)
                        : c.b.getAffineDimExpr(first + offset + j));
  return exprs;
}

/// aten.index: out[p] = x[the indexed dims read from the index tensors at p's broadcast dims,
/// the others from p's other dims].
static Value gatherByIndices(LoweringContext &c, Value x, llvm::ArrayRef<Value> indices,
                             mlir::Type element) {
  AdvancedIndex plan = planOf(shapeOf(x), indices);
  x = c.castTensor(x, element);
  llvm::SmallVector<Value> inputs;
  llvm::SmallVector<Exprs> exprs;
  for (Value t : indices)
    if (t) {
      inputs.push_back(t);
      exprs.push_back(broadcastExprs(c, t, plan.broadcast, plan.position));
    }
  int64_t width = (int64_t)plan.broadcast.size();
  return indexedGeneric(
      c, tensorType(plan.result, element), inputs, exprs,
      [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
        llvm::SmallVector<Value> at;
        size_t next = 0, other = 0;
        for (int64_t d = 0; d < rankOf(x); ++d) {
          if (d < (int64_t)indices.size() && indices[d]) {
            at.push_back(wrappedIndex(b, l, v[next++], shapeOf(x)[d]));
            continue;
          }
          int64_t r = (int64_t)other < plan.position ? other : other + width;
          at.push_back(ix[r]);
          ++other;
        }
        return mlir::tensor::ExtractOp::create(b, l, x, at).getResult();
      });
}

/// index_put as a reduction over the broadcast index positions q: out[p] starts as self[p]
/// and takes (adds, when `accumulate`) values[q, p's other dims] where every index tensor at
/// q names p's indexed dim. Duplicate positions keep the last value, one of torch's allowed
/// results; the work is |self| x |broadcast index|.
static Value scatterByIndices(LoweringContext &c, Value self, llvm::ArrayRef<Value> indices,
                              const Lowered &values, bool accumulate, mlir::Type element) {
  AdvancedIndex plan = planOf(shapeOf(self), indices);
  self = c.castTensor(self, element);
  int64_t rank = rankOf(self), width = (int64_t)plan.broadcast.size();
  // The values broadcast to self[indices]'s shape, in self's element type.
  Value written = c.map({values}, tensorType(plan.result, element),
                        [](mlir::OpBuilder &, mlir::Location, ValueRange v) { return v[0]; });
  llvm::SmallVector<Value> inputs;
  llvm::SmallVector<Exprs> exprs;
  llvm::SmallVector<int64_t> indexedDims;
  for (int64_t d = 0; d < (int64_t)indices.size(); ++d)
    if (indices[d]) {
      inputs.push_back(indices[d]);
      exprs.push_back(broadcastExprs(c, indices[d], plan.broadcast, rank));
      indexedDims.push_back(d);
    }
  Exprs valueExprs;
  for (int64_t i = 0; i < (int64_t)plan.otherDims.size() + width; ++i) {
    bool inBroadcast = i >= plan.position && i < plan.position + width;
    int64_t other = i < plan.position ? i : i - width;
    valueExprs.push_back(inBroadcast ? c.b.getAffineDimExpr(rank + i - plan.position)
                                     : c.b.getAffineDimExpr(plan.otherDims[other]));
  }
  inputs.push_back(written);
  exprs.push_back(valueExprs);
  size_t n = indexedDims.size();
  return indexedGeneric(
      c, mlir::cast<mlir::RankedTensorType>(self.getType()), inputs, exprs,
      [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
        Value hit = mlir::arith::ConstantIntOp::create(b, l, 1, 1);
        for (size_t k = 0; k < n; ++k) {
          int64_t d = indexedDims[k];
          Value at = wrappedIndex(b, l, v[k], shapeOf(self)[d]);
          Value same =
              mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::eq, at, ix[d]);
          hit = mlir::arith::AndIOp::create(b, l, hit, same);
        }
        ElementBuilder e{b, l, element};
        Value value = v[n], acc = v[n + 1];
        return accumulate ? e.add(acc, e.select(hit, value, e.constant(0)))
                          : e.select(hit, value, acc);
      },
      self, plan.broadcast);
}

/// An index tensor: a tensor value, or a constant from a list of ints; a bool mask selects a
/// number of elements known only at run time and cannot be compiled.
static Value indexTensorValue(LoweringContext &c, const Lowered &entry) {
  if (entry.isTensor()) {
    if (elementTypeOf(entry.tensor()).isInteger(1))
      throw OpError("indexing with a bool mask gives a shape known only at run time; it cannot "
                    "be compiled (the interpreter runs it)");
    return entry.tensor();
  }
  const PyValue &list = entry.literal();
  std::vector<fxmlir::Element> values;
  for (const PyValue &v : list.items()) {
    if (v.kind() == PyValue::Kind::List || v.kind() == PyValue::Kind::Bool)
      throw OpError("indexing with nested or bool lists cannot be compiled yet");
    values.push_back(v.toElement());
  }
  return c.constant(tensorType({(int64_t)values.size()}, c.b.getI64Type()), values);
}

/// A shape-and-dtype stand-in of an index entry, for the shape rules.
static PyValue standIn(const Lowered &entry) {
  if (!entry.isTensor())
    return entry.literal();
  Value t = entry.tensor();
  return PyValue(Tensor(shapeOf(t).vec(), elementTypeOf(t).isInteger(1) ? DType::Bool : DType::I64));
}

Value advancedIndexed(LoweringContext &c, Value x, const Lowered &index) {
  std::vector<Lowered> items;
  if (index.isSequence())
    items = index.items();
  else if (index.isLiteral() && index.literal().kind() == PyValue::Kind::Tuple)
    for (const PyValue &e : index.literal().items())
      items.push_back(Lowered(e));
  else
    items = {index};
  std::vector<PyValue> standIns;
  std::vector<Lowered> tensorItems;
  for (const Lowered &e : items) {
    standIns.push_back(standIn(e));
    if (e.isTensor() || (e.isLiteral() && e.literal().kind() == PyValue::Kind::List))
      tensorItems.push_back(e);
    else if (!e.isLiteral())
      throw OpError("cannot compile index entry " + e.describe());
  }
  TensorIndexing split = splitTensorIndex(shapeOf(x).vec(), PyValue::tuple(standIns));
  Value y = basicIndexed(c, x, split.basic);
  std::vector<Value> aligned(rankOf(y));
  for (size_t k = 0; k < split.entries.size(); ++k)
    aligned[split.entries[k].first] = indexTensorValue(c, tensorItems[k]);
  return gatherByIndices(c, y, aligned, c.resultElementType());
}

/// aten.index and index_put's `indices`: a list with None where a dim is not indexed.
static std::vector<Value> indexList(LoweringContext &c, const Lowered &list) {
  std::vector<Value> aligned;
  std::vector<Lowered> items = list.isSequence() ? list.items() : std::vector<Lowered>{};
  if (list.isLiteral())
    for (const PyValue &e : list.literal().items())
      items.push_back(Lowered(e));
  for (const Lowered &e : items)
    aligned.push_back(e.isLiteral() && e.literal().isNone() ? Value() : indexTensorValue(c, e));
  return aligned;
}

static Lowered lowerIndex(LoweringContext &c, const LoweredArgs &a) {
  return gatherByIndices(c, a.tensor("self"), indexList(c, a["indices"]), c.resultElementType());
}

static Lowered lowerIndexPut(LoweringContext &c, const LoweredArgs &a) {
  return scatterByIndices(c, a.tensor("self"), indexList(c, a["indices"]), a["values"],
                          a.toBool("accumulate"), c.resultElementType());
}

//===----------------------------------------------------------------------===//
// Fixed rearrangements
//===----------------------------------------------------------------------===//

static Lowered lowerFlip(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.at(0).tensor();
  Shape shape = shapeOf(x).vec();
  Exprs exprs = loopDims(c, rankOf(x));
  for (int64_t d : flipDims(a.literal("dims").toIntList(), rankOf(x)))
    exprs[d] = shape[d] - 1 - exprs[d];
  return readThrough(c, x, exprs, shape);
}

/// `x` rotated by `shift` (in [0, size)) along `dim`: its last `shift` items, then the rest.
static Value rollAlong(LoweringContext &c, Value x, int64_t dim, int64_t shift) {
  int64_t size = shapeOf(x)[dim];
  if (shift == 0)
    return x;
  llvm::SmallVector<int64_t> offsets(rankOf(x), 0), sizes(shapeOf(x)), strides(rankOf(x), 1);
  offsets[dim] = size - shift;
  sizes[dim] = shift;
  Value tail = c.slice(x, offsets, sizes, strides);
  offsets[dim] = 0;
  sizes[dim] = size - shift;
  return c.concat({tail, c.slice(x, offsets, sizes, strides)}, dim);
}

static Lowered lowerRoll(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  Shape shape = shapeOf(x).vec();
  RollShifts r = rollShifts(a.literal("shifts").toIntList(), a.literal("dims").toIntList(), shape);
  Value y = r.flat ? c.reshape(x, {numElements(shape)}) : x;
  for (size_t i = 0; i < r.dims.size() && rankOf(y) > 0; ++i)
    y = rollAlong(c, y, r.dims[i], r.shifts[i]);
  return c.reshape(y, shape);
}

/// repeat and tile: the input, padded to [s0, s1, ...], broadcast to [r0, s0, r1, s1, ...] and
/// reshaped to [r0 * s0, r1 * s1, ...].
static Lowered lowerRepeat(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.at(0).tensor();
  std::vector<int64_t> repeats = a.at(1).literal().toIntList();
  if (a.getSchema().find("dims") >= 0) // tile
    repeats = tileRepeats(repeats, rankOf(x));
  RepeatShape r = repeatShape(shapeOf(x).vec(), repeats);
  Shape interleaved;
  Exprs exprs;
  for (size_t d = 0; d < repeats.size(); ++d) {
    interleaved.push_back(repeats[d]);
    interleaved.push_back(r.padded[d]);
    exprs.push_back(c.b.getAffineDimExpr(2 * d + 1));
  }
  Value copies = readThrough(c, c.reshape(x, r.padded), exprs, interleaved);
  return c.reshape(copies, r.result);
}

/// broadcast_to (and expand_as): a map reading its one operand broadcast.
static Lowered lowerBroadcastTo(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.at(0).tensor();
  std::vector<int64_t> sizes = a.getSchema().find("other") >= 0
                                   ? shapeOf(a.tensor("other")).vec()
                                   : a.literal("size").toIntList();
  Shape shape = expandedShape(shapeOf(x).vec(), sizes);
  return c.map({Lowered(x)}, tensorType(shape, c.resultElementType()),
               [](mlir::OpBuilder &, mlir::Location, ValueRange v) { return v[0]; });
}

/// The square window of x's dims dim1 and dim2 that holds the diagonal, read along it (linalg
/// infers loop sizes from the input, so the window must have the diagonal's length).
static Value diagonalOf(LoweringContext &c, Value x, int64_t offset, int64_t dim1,
                        int64_t dim2) {
  DiagonalShape r = diagonalShape(shapeOf(x).vec(), offset, dim1, dim2);
  llvm::SmallVector<int64_t> offsets(rankOf(x), 0), sizes(shapeOf(x)), strides(rankOf(x), 1);
  offsets[r.dim1] = r.start1;
  offsets[r.dim2] = r.start2;
  sizes[r.dim1] = sizes[r.dim2] = r.length;
  Value window = c.slice(x, offsets, sizes, strides);
  mlir::AffineExpr k = c.b.getAffineDimExpr((int64_t)r.result.size() - 1);
  Exprs exprs;
  for (int64_t d = 0, o = 0; d < rankOf(x); ++d)
    exprs.push_back(d == r.dim1 || d == r.dim2 ? k : c.b.getAffineDimExpr(o++));
  return readThrough(c, window, exprs, r.result);
}

/// x's last dim as the diagonal of an [n, n] matrix after the batch dims, padded to the
/// offset diagonal, then its two dims moved to dim1 and dim2.
static Value diagEmbedOf(LoweringContext &c, Value x, int64_t offset, int64_t dim1,
                         int64_t dim2) {
  Shape in = shapeOf(x).vec();
  DiagEmbedShape r = diagEmbedShape(in, offset, dim1, dim2);
  int64_t batch = rankOf(x) - 1, n = in.back();
  Shape square(in.begin(), in.end() - 1);
  square.push_back(n);
  square.push_back(n);
  mlir::Type t = elementTypeOf(x);
  Value matrix = indexedGeneric(
      c, tensorType(square, t), {x}, {loopDims(c, batch + 1)},
      [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
        Value onDiagonal = mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::eq,
                                                       ix[batch], ix[batch + 1]);
        ElementBuilder e{b, l, t};
        return e.select(onDiagonal, v[0], e.constant(0));
      });
  llvm::SmallVector<int64_t> low(batch + 2, 0), high(batch + 2, 0);
  (offset >= 0 ? low[batch + 1] : low[batch]) = std::abs(offset);
  (offset >= 0 ? high[batch] : high[batch + 1]) = std::abs(offset);
  Value padded = c.pad(matrix, low, high, 0);
  std::vector<int64_t> perm;
  for (int64_t d = 0, b = 0; d < batch + 2; ++d)
    perm.push_back(d == r.dim1 ? batch : d == r.dim2 ? batch + 1 : b++);
  return c.transpose(padded, perm);
}

/// The lowering of diagonal or diag_embed: (input, offset, dim1, dim2).
static Lowering diagonalLowering(Value (*op)(LoweringContext &, Value, int64_t, int64_t,
                                             int64_t)) {
  return [op](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    return op(c, a.tensor("input"), a.toInt("offset"), a.toInt("dim1"), a.toInt("dim2"));
  };
}

static Lowered lowerDiag(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  checkDiagRank(rankOf(x));
  int64_t offset = a.toInt("diagonal");
  return rankOf(x) == 1 ? diagEmbedOf(c, x, offset, 0, 1) : diagonalOf(c, x, offset, 0, 1);
}

static Lowered lowerMovedim(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.at(0).tensor();
  return c.transpose(x, movedimPermutation(a.at(1).literal().toIntList(),
                                           a.at(2).literal().toIntList(), rankOf(x)));
}

//===----------------------------------------------------------------------===//
// Layout shuffles and resampling
//===----------------------------------------------------------------------===//

/// pixel_shuffle, pixel_unshuffle or channel_shuffle: a reshape, a transpose and a reshape.
static Lowering shuffleLowering(LayoutShuffle (*layout)(const Shape &, int64_t)) {
  return [layout](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    Value x = a.at(0).tensor();
    LayoutShuffle l = layout(shapeOf(x).vec(), a.at(1).literal().toInt());
    return c.reshape(c.transpose(c.reshape(x, l.split), l.perm), l.result);
  };
}

/// A compile-time vector of `values` in `element`.
template <typename T>
static Value constantVector(LoweringContext &c, const std::vector<T> &values,
                            mlir::Type element) {
  return c.constant(tensorType({(int64_t)values.size()}, element),
                    std::vector<fxmlir::Element>(values.begin(), values.end()));
}

/// `x` resampled along one dim: output o reads x at index[k][o] of each tap k, weighted by
/// weight[k][o] (nearest: one tap, as is); the indices and weights are constants.
static Value resampleAlong(LoweringContext &c, Value x, const ResampleAxis &ax) {
  Shape shape = shapeOf(x).vec();
  shape[ax.dim] = (int64_t)ax.index[0].size();
  mlir::Type t = elementTypeOf(x), i64 = c.b.getI64Type();
  size_t taps = ax.index.size();
  llvm::SmallVector<Value> tables;
  for (const std::vector<int64_t> &index : ax.index)
    tables.push_back(constantVector(c, index, i64));
  for (const std::vector<double> &weight : ax.weight)
    tables.push_back(constantVector(c, weight, t));
  llvm::SmallVector<Exprs> exprs(tables.size(), Exprs{c.b.getAffineDimExpr(ax.dim)});
  return indexedGeneric(
      c, tensorType(shape, t), tables, exprs,
      [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
        auto tap = [&](size_t k) { return extractAt(b, l, x, ix, ax.dim, asIndex(b, l, v[k])); };
        if (ax.weight.empty())
          return tap(0);
        ElementBuilder e{b, l, t};
        Value sum = e.mul(tap(0), v[taps]);
        for (size_t k = 1; k < taps; ++k)
          sum = e.add(sum, e.mul(tap(k), v[taps + k]));
        return sum;
      });
}

/// The dtype whose precision the plan's indices and weights take (only floats compile).
static DType resampleDType(Value x) {
  mlir::Type t = elementTypeOf(x);
  if (!mlir::isa<mlir::FloatType>(t))
    throw OpError("interpolate of an integer tensor cannot be compiled yet");
  return t.isF64() ? DType::F64 : DType::F32;
}

static Value interpolatedOf(LoweringContext &c, Value x, const InterpolatePlan &plan) {
  for (const ResampleAxis &ax : plan.axes)
    x = resampleAlong(c, x, ax);
  return x;
}

static Lowered lowerInterpolate(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  if (a.toBool("antialias"))
    throw OpError("interpolate(antialias=True) cannot be compiled yet");
  return interpolatedOf(
      c, x,
      interpolatePlan(shapeOf(x).vec(), resampleDType(x), a.literal("size"),
                      a.literal("scale_factor"), a.literal("mode").toStr(),
                      a.literal("align_corners"), a.literal("recompute_scale_factor")));
}

/// upsample_{nearest,bilinear,bicubic}2d, both overloads: (input, output_size,
/// [align_corners,] scale_factors or scales_h and scales_w).
static Lowered lowerUpsample(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.at(0).tensor();
  const Schema &schema = a.getSchema();
  bool nearest = schema.find("align_corners") < 0;
  Resampling kind = nearest ? Resampling::Nearest
                    : schema.name.find("bicubic") != std::string::npos ? Resampling::Cubic
                                                                        : Resampling::Linear;
  std::vector<double> scales =
      upsampleScales(a, [&](const char *n) -> const PyValue & { return a.literal(n); });
  return interpolatedOf(c, x,
                        upsamplePlan(shapeOf(x).vec(), resampleDType(x), a.at(1).literal(),
                                     scales, kind, !nearest && a.toBool("align_corners")));
}

//===----------------------------------------------------------------------===//
// Sorting
//===----------------------------------------------------------------------===//

/// Whether element `p` sorts strictly before `q` (sortsBefore: NaN is the largest float).
static Value sortsBeforeIR(mlir::OpBuilder &b, mlir::Location l, Value p, Value q,
                           bool descending) {
  if (descending)
    std::swap(p, q);
  if (!mlir::isa<mlir::FloatType>(p.getType())) {
    // bool and uint8 compare unsigned: true > false.
    auto pred = integerPredicate(mlir::arith::CmpIPredicate::slt, p.getType());
    return mlir::arith::CmpIOp::create(b, l, pred, p, q);
  }
  using mlir::arith::CmpFPredicate;
  Value less = mlir::arith::CmpFOp::create(b, l, CmpFPredicate::OLT, p, q);
  Value qNaN = mlir::arith::CmpFOp::create(b, l, CmpFPredicate::UNO, q, q);
  Value pNumber = mlir::arith::CmpFOp::create(b, l, CmpFPredicate::ORD, p, p);
  return mlir::arith::OrIOp::create(b, l, less,
                                    mlir::arith::AndIOp::create(b, l, qNaN, pNumber));
}

/// Each element's position in the stable sort along s.dim: how many elements sort before it
/// (smaller, or equal and earlier). Counting compares every pair, O(n^2) along the dim: fine
/// for the small dims models sort (top-k of logits, ...), not for long ones; a sort network
/// would do better there.
static Value sortRanks(LoweringContext &c, Value x, const SortedSlice &s) {
  int64_t rank = rankOf(x);
  Exprs mine = loopDims(c, rank), other = mine;
  other[s.dim] = c.b.getAffineDimExpr(rank);
  auto ranksType = tensorType(shapeOf(x), c.b.getI64Type());
  return indexedGeneric(
      c, ranksType, {x, x}, {mine, other},
      [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
        Value earlier = mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::ult,
                                                    ix[rank], ix[s.dim]);
        Value tie = mlir::arith::AndIOp::create(
            b, l, earlier,
            mlir::arith::XOrIOp::create(
                b, l, sortsBeforeIR(b, l, v[0], v[1], s.descending),
                mlir::arith::ConstantIntOp::create(b, l, 1, 1)));
        Value before = mlir::arith::OrIOp::create(
            b, l, sortsBeforeIR(b, l, v[1], v[0], s.descending), tie);
        Value one = mlir::arith::ExtUIOp::create(b, l, b.getI64Type(), before);
        return mlir::arith::AddIOp::create(b, l, v[2], one).getResult();
      },
      c.filled(ranksType, 0), {s.size});
}

/// For the kept sorted positions (s.first + p[dim], p[dim] < s.count): the element of that
/// rank, or its int64 index along the dim (`indices`). A reduction over the dim that selects
/// the one element whose rank matches.
static Value pickByRank(LoweringContext &c, Value x, Value ranks, const SortedSlice &s,
                        bool indices) {
  int64_t rank = rankOf(x);
  Shape kept = shapeOf(x).vec();
  kept[s.dim] = s.count;
  Exprs along = loopDims(c, rank);
  along[s.dim] = c.b.getAffineDimExpr(rank);
  auto type = tensorType(kept, indices ? c.b.getI64Type() : elementTypeOf(x));
  return indexedGeneric(
      c, type, {ranks, x}, {along, along},
      [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
        Value position = mlir::arith::AddIOp::create(
            b, l, mlir::arith::IndexCastOp::create(b, l, b.getI64Type(), ix[s.dim]),
            mlir::arith::ConstantIntOp::create(b, l, s.first, 64));
        Value hit = mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::eq, v[0],
                                                position);
        Value value =
            indices ? mlir::arith::IndexCastOp::create(b, l, b.getI64Type(), ix[rank]).getResult()
                    : v[1];
        return mlir::arith::SelectOp::create(b, l, hit, value, v[2]).getResult();
      },
      c.filled(type, 0), {s.size});
}

/// sort, topk and kthvalue: (values, indices), by ranks (sortRanks).
static Lowered lowerSort(LoweringContext &c, const LoweredArgs &a) {
  Value input = a.at(0).tensor(), x = atLeast1d(c, input);
  SortedSlice s = sortedSliceOf(shapeOf(input).vec(), a);
  Value ranks = sortRanks(c, x, s);
  return Lowered::sequence(
      {Lowered(c.reshape(pickByRank(c, x, ranks, s, /*indices=*/false), s.result)),
       Lowered(c.reshape(pickByRank(c, x, ranks, s, /*indices=*/true), s.result))});
}

static Lowered lowerArgsort(LoweringContext &c, const LoweredArgs &a) {
  Value input = a.at(0).tensor(), x = atLeast1d(c, input);
  SortedSlice s = sortedSliceOf(shapeOf(input).vec(), a);
  return c.reshape(pickByRank(c, x, sortRanks(c, x, s), s, /*indices=*/true), s.result);
}

/// Whether elements p and q are equal, NaN counting as equal to NaN.
static Value sameElement(mlir::OpBuilder &b, mlir::Location l, Value p, Value q) {
  if (!mlir::isa<mlir::FloatType>(p.getType()))
    return mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::eq, p, q);
  using mlir::arith::CmpFPredicate;
  Value equal = mlir::arith::CmpFOp::create(b, l, CmpFPredicate::OEQ, p, q);
  Value bothNaN = mlir::arith::AndIOp::create(
      b, l, mlir::arith::CmpFOp::create(b, l, CmpFPredicate::UNO, p, p),
      mlir::arith::CmpFOp::create(b, l, CmpFPredicate::UNO, q, q));
  return mlir::arith::OrIOp::create(b, l, equal, bothNaN);
}

/// cummax (`max`) or cummin as two reductions over every j along the dim, counting only
/// j <= i (O(n^2), as sorting): the running extremum (NaN-propagating, from x itself, which
/// the range holds), then the last j that holds it, torch's index on ties (a max of the
/// matching js, so the order of the reduction does not matter).
static Lowering cumulativeExtremumLowering(bool max) {
  return [max](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    Value input = a.at(0).tensor(), x = atLeast1d(c, input);
    SortedSlice s = sortSlice(shapeOf(input).vec(), a.toInt("dim"), /*descending=*/false);
    int64_t rank = rankOf(x);
    Exprs mine = loopDims(c, rank), other = mine;
    other[s.dim] = c.b.getAffineDimExpr(rank);
    auto inRange = [&](mlir::OpBuilder &b, mlir::Location l, ValueRange ix) {
      return mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::ule, ix[rank],
                                         ix[s.dim]);
    };
    auto xType = mlir::cast<mlir::RankedTensorType>(x.getType());
    Value values = indexedGeneric(
        c, xType, {x}, {other},
        [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
          ElementBuilder e{b, l, xType.getElementType()};
          return e.select(inRange(b, l, ix), max ? e.max(v[1], v[0]) : e.min(v[1], v[0]), v[1]);
        },
        x, {s.size});
    auto indexType = tensorType(shapeOf(x), c.b.getI64Type());
    Value indices = indexedGeneric(
        c, indexType, {values, x}, {mine, other},
        [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v, ValueRange ix) {
          Value hit = mlir::arith::AndIOp::create(b, l, inRange(b, l, ix),
                                                  sameElement(b, l, v[1], v[0]));
          Value j = mlir::arith::IndexCastOp::create(b, l, b.getI64Type(), ix[rank]);
          Value candidate = mlir::arith::SelectOp::create(
              b, l, hit, j, mlir::arith::ConstantIntOp::create(b, l, 0, 64));
          return mlir::arith::MaxSIOp::create(b, l, v[2], candidate).getResult();
        },
        c.filled(indexType, 0), {s.size});
    Shape shape = shapeOf(input).vec();
    return Lowered::sequence({Lowered(c.reshape(values, shape)),
                              Lowered(c.reshape(indices, shape))});
  };
}

//===----------------------------------------------------------------------===//
// Assignment through an index
//===----------------------------------------------------------------------===//

/// fxmlir.setitem with a basic index (ints, slices, None, Ellipsis): the value, cast to self's
/// element type and broadcast to `self[index]`'s shape, inserted over that strided slice.
static Lowered lowerSetitem(LoweringContext &c, const LoweredArgs &a) {
  Value self = a.tensor("self");
  if (!a["index"].isLiteral())
    throw OpError("fxmlir.setitem: an index computed at run time (a tensor index) cannot be "
                  "compiled yet");
  BasicIndex slice = basicIndex(shapeOf(self).vec(), a.literal("index"));
  Lowered value = a["value"];
  if (value.isTensor())
    value =
        c.reshape(value.tensor(), setitemValueShape(shapeOf(value.tensor()).vec(), slice.shape));
  // map broadcasts the value (a number becomes a constant of self's element type) and casts.
  Value written = c.map({value}, tensorType(slice.shape, elementTypeOf(self)),
                        [](mlir::OpBuilder &, mlir::Location, ValueRange v) { return v[0]; });
  return mlir::tensor::InsertSliceOp::create(
             c.b, c.loc, c.reshape(written, slice.sizes), self, ValueRange{}, ValueRange{},
             ValueRange{}, c.b.getDenseI64ArrayAttr(slice.offsets),
             c.b.getDenseI64ArrayAttr(slice.sizes), c.b.getDenseI64ArrayAttr(slice.strides))
      .getResult();
}

void populateIndexingLowerings(LoweringTable &table) {
  table.add("index_select", lowerIndexSelect);
  table.add("index", lowerIndex);
  table.add("index_put", lowerIndexPut);
  table.add("gather", lowerGather);
  table.add("scatter", lowerScatter);
  table.add("scatter_add", lowerScatterAdd);
  table.add("scatter_reduce", lowerScatterReduce);
  table.add("flip", lowerFlip);
  table.add("roll", lowerRoll);
  table.add("repeat", lowerRepeat);
  table.add("broadcast_to", lowerBroadcastTo);
  table.add("diagonal", diagonalLowering(diagonalOf));
  table.add("diag_embed", diagonalLowering(diagEmbedOf));
  table.add("diag", lowerDiag);
  table.add("movedim", lowerMovedim);
  table.add("pixel_shuffle", shuffleLowering(pixelShuffleLayout));
  table.add("pixel_unshuffle", shuffleLowering(pixelUnshuffleLayout));
  table.add("channel_shuffle", shuffleLowering(channelShuffleLayout));
  table.add("interpolate", lowerInterpolate);
  table.add("upsample", lowerUpsample);
  table.add("sort", lowerSort);
  table.add("argsort", lowerArgsort);
  table.add("cummax", cumulativeExtremumLowering(/*max=*/true));
  table.add("cummin", cumulativeExtremumLowering(/*max=*/false));
  table.add("setitem", lowerSetitem);
}

} // namespace fxmlir
