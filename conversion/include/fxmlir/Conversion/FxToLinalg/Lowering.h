//===- Lowering.h - How a registry op becomes linalg on tensors --*- C++ -*-===//
//
// A registry entry names its lowering (`OpInfo::lowering`); the lowering is a function here,
// in the conversion, that builds linalg/tensor/arith/math ops on ranked, statically shaped
// tensors from the node's bound arguments. Each op family's file (conversion/lib/FxToLinalg/
// <Family>.cpp, mirroring ops/lib/<Family>.cpp) puts its lowerings into the LoweringTable under
// the names its registry entries use. fx-to-linalg binds a node's arguments to the op's schema
// (defaults filled in) and calls the lowering. Arguments known at compile time stay Python values (`PyValue`), so a
// lowering reads `stride` or `dim` as it would in a kernel; tensors are SSA values.
//
// A lowering reports what it cannot do by throwing fxmlir::OpError; fx-to-linalg turns that
// into a diagnostic naming the node and the target. It never guesses.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_CONVERSION_FXTOLINALG_LOWERING_H
#define FXMLIR_CONVERSION_FXTOLINALG_LOWERING_H

#include "fxmlir/Ops/Schema.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace fxmlir {

/// A node's value during lowering: a tensor SSA value, a value known at compile time, or a
/// sequence holding tensors (the result of split, a list argument of cat).
class Lowered {
public:
  Lowered() = default;
  Lowered(mlir::Value tensor) : tensorValue(tensor) {}
  Lowered(PyValue literal) : literalValue(std::move(literal)) {}
  static Lowered sequence(std::vector<Lowered> items) {
    Lowered l;
    l.isSeq = true;
    l.elements = std::move(items);
    return l;
  }

  bool isTensor() const { return (bool)tensorValue; }
  bool isSequence() const { return isSeq; }
  bool isLiteral() const { return !isTensor() && !isSequence(); }
  mlir::Value tensor() const { return tensorValue; }
  const PyValue &literal() const { return literalValue; }
  const std::vector<Lowered> &items() const { return elements; }
  /// A short description for error messages ("a tensor", "int 3", ...).
  std::string describe() const;

private:
  mlir::Value tensorValue;
  PyValue literalValue;
  bool isSeq = false;
  std::vector<Lowered> elements;
};

/// Lowered arguments bound to a schema's parameters, defaults filled in.
class LoweredArgs {
public:
  LoweredArgs(const Schema &schema, std::vector<Lowered> values)
      : schema(&schema), values(std::move(values)) {}
  const Lowered &operator[](const std::string &name) const;
  const Lowered &at(size_t i) const { return values[i]; }
  /// The tensor argument `name`; throws if it is not a tensor.
  mlir::Value tensor(const std::string &name) const;
  /// The tensor argument `name`, or null where it is None.
  mlir::Value optionalTensor(const std::string &name) const;
  /// The compile-time value of `name`; throws if it is only known at run time.
  const PyValue &literal(const std::string &name) const;
  int64_t toInt(const std::string &name) const { return literal(name).toInt(); }
  double toDouble(const std::string &name) const { return literal(name).toDouble(); }
  /// A number exactly (an int keeps all 64 bits).
  fxmlir::Element toElement(const std::string &name) const { return literal(name).toElement(); }
  bool toBool(const std::string &name) const { return literal(name).toBool(); }
  bool isNone(const std::string &name) const;
  /// Whether the schema has parameter `name` (aten overloads sharing a lowering differ).
  bool has(const std::string &name) const { return schema->find(name) >= 0; }
  const Schema &getSchema() const { return *schema; }

private:
  const Schema *schema;
  std::vector<Lowered> values;
};

/// Computes one result element from the operands' elements.
using ScalarBody =
    std::function<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

enum class ReduceKind { Sum, Max };

/// Where a lowering builds, the types shape propagation gave the node, and helpers shared by
/// the lowerings (broadcasting maps, reductions, reshapes).
class LoweringContext {
public:
  LoweringContext(mlir::OpBuilder &builder, mlir::Location loc,
                  std::vector<mlir::RankedTensorType> resultTypes)
      : b(builder), loc(loc), resultTypes(std::move(resultTypes)) {}

  mlir::OpBuilder &b;
  mlir::Location loc;
  /// The node's tensor results (one, or the elements of a tuple result), static shapes.
  std::vector<mlir::RankedTensorType> resultTypes;

  /// The node's single tensor result type; throws if it has none.
  mlir::RankedTensorType result() const;
  mlir::Type resultElementType() const { return result().getElementType(); }

  /// `value` as a constant of `type` (integers exact, saturated at the type's range).
  mlir::Value scalar(mlir::Type type, fxmlir::Element value);
  mlir::Value empty(mlir::RankedTensorType type);
  mlir::Value filled(mlir::RankedTensorType type, fxmlir::Element value);
  /// A constant tensor of `value` (dense or dense_resource elements, of `type` or of any
  /// shape with as many elements), stored flat and reshaped: LLVM builds a nested array of
  /// small constants for a multi-dimensional global, which costs minutes on big weights.
  mlir::Value constantTensor(mlir::ElementsAttr value, mlir::RankedTensorType type);
  /// A constant tensor from row-major values.
  mlir::Value constant(mlir::RankedTensorType type, const std::vector<fxmlir::Element> &values);

  /// Elementwise map with torch broadcasting. Tensor operands pass their elements; literal
  /// numbers become constants of `literalType` (the result element type when null). `body`
  /// gets the elements in operand order and returns the result element.
  mlir::Value map(const std::vector<Lowered> &operands, mlir::RankedTensorType resultType,
                  const ScalarBody &body, mlir::Type literalType = {});
  /// Converts a scalar between element types as torch's `to(dtype)` does.
  static mlir::Value cast(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::Type to);
  /// `v` converted to element type `to` (a no-op when it already has it).
  mlir::Value castTensor(mlir::Value v, mlir::Type to);

  /// Sum or max over `dims` (sorted, non-negative), accumulated in the element type.
  mlir::Value reduce(mlir::Value input, const std::vector<int64_t> &dims, bool keepdim,
                     ReduceKind kind);
  /// Any static reshape (same number of elements).
  mlir::Value reshape(mlir::Value input, llvm::ArrayRef<int64_t> shape);
  mlir::Value transpose(mlir::Value input, llvm::ArrayRef<int64_t> permutation);
  /// `input[offsets : offsets + sizes : strides]` without dropping dims.
  mlir::Value slice(mlir::Value input, llvm::ArrayRef<int64_t> offsets,
                    llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> strides);
  mlir::Value pad(mlir::Value input, llvm::ArrayRef<int64_t> low, llvm::ArrayRef<int64_t> high,
                  double value);
  /// Concatenation along `dim`.
  mlir::Value concat(const std::vector<mlir::Value> &inputs, int64_t dim);
  /// A [C] tensor shaped to broadcast along dimension `dim` of a rank-`rank` tensor.
  mlir::Value alongDim(mlir::Value vector, int64_t dim, int64_t rank);
  /// A 2-D constant (an arith.constant, possibly through an expand_shape) transposed at
  /// compile time, or null when `value` is not such a constant.
  mlir::Value transposedConstant(mlir::Value value);
  /// `a @ b` for 2-D operands, `b` given as [N, K] when `transposeB`.
  mlir::Value matmul(mlir::Value a, mlir::Value b, bool transposeB);
};

using Lowering = std::function<Lowered(LoweringContext &, const LoweredArgs &)>;

/// Scalar arithmetic in one element type, choosing the float or integer op: the vocabulary of
/// map bodies.
struct ElementBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Type type;

  bool isFloat() const;
  /// Integers that compare, divide and widen unsigned (torch.uint8, bool).
  bool isUnsigned() const;
  mlir::Value constant(fxmlir::Element v);
  mlir::Value add(mlir::Value x, mlir::Value y);
  mlir::Value sub(mlir::Value x, mlir::Value y);
  mlir::Value mul(mlir::Value x, mlir::Value y);
  mlir::Value div(mlir::Value x, mlir::Value y);
  /// NaN-propagating max/min, as torch's clamp and relu.
  mlir::Value max(mlir::Value x, mlir::Value y);
  mlir::Value min(mlir::Value x, mlir::Value y);
  mlir::Value neg(mlir::Value x);
  mlir::Value exp(mlir::Value x);
  mlir::Value log(mlir::Value x);
  mlir::Value sqrt(mlir::Value x);
  mlir::Value rsqrt(mlir::Value x);
  mlir::Value tanh(mlir::Value x);
  mlir::Value erf(mlir::Value x);
  mlir::Value select(mlir::Value condition, mlir::Value x, mlir::Value y);
};

/// The body of an elementwise op on elements already converted to the result element type.
using ElementFn = std::function<mlir::Value(ElementBuilder &, mlir::ValueRange)>;
/// Lowers an elementwise op whose operands are the positional parameters `operands` (tensors
/// or numbers, broadcast), computing in the node's result element type.
Lowering mapLowering(std::vector<size_t> operands, ElementFn body);

/// Lowerings by the names registry entries give them (`.lowerWith("name")`).
class LoweringTable {
public:
  /// Every family's lowerings.
  static const LoweringTable &get();
  /// Adds `lowering` under `name`; a name given twice is a bug (fatal).
  void add(const std::string &name, Lowering lowering);
  /// The lowering called `name`, or null.
  const Lowering *lookup(const std::string &name) const;
  /// Every name, sorted (the unit test checks them against the registry).
  std::vector<std::string> names() const;

private:
  std::map<std::string, Lowering> byName;
};

// One function per op family, in the file of the same name (mirroring ops/lib).
void populateElementwiseLowerings(LoweringTable &table);
void populateLinearAlgebraLowerings(LoweringTable &table);
void populateConvolutionAndPoolingLowerings(LoweringTable &table);
void populateNormalizationLowerings(LoweringTable &table);
void populateShapeLowerings(LoweringTable &table);
void populateReductionAndCreationLowerings(LoweringTable &table);
void populateIndexingLowerings(LoweringTable &table);

/// x[index] for a basic index (ints, slices, None, Ellipsis): one strided slice and a reshape.
mlir::Value basicIndexed(LoweringContext &c, mlir::Value x, const PyValue &index);
/// x[index] for an index with tensor entries (run-time tensors, lists of ints): the basic
/// entries first, then a gather through the index tensors, as torch applies them.
mlir::Value advancedIndexed(LoweringContext &c, mlir::Value x, const Lowered &index);

/// The static shape of a tensor value.
llvm::ArrayRef<int64_t> shapeOf(mlir::Value tensor);
/// Rank of a tensor value.
int64_t rankOf(mlir::Value tensor);
/// The element type of a tensor value.
mlir::Type elementTypeOf(mlir::Value tensor);
/// The tensor type with `shape` and `element`.
mlir::RankedTensorType tensorType(llvm::ArrayRef<int64_t> shape, mlir::Type element);
/// The floating element type torch gives `float op tensor-of-ints` and friends.
mlir::Type floatingOf(mlir::Type element);
/// Lowest/highest values of an element type (-inf/+inf for floats).
double lowestOf(mlir::Type element);
/// The type torch's CPU kernels compute `element` in: f32 for f16 and bf16 (rounded once per
/// op), `element` itself otherwise.
mlir::Type computeTypeOf(mlir::Type element);
/// Whether `element` is an integer type torch treats as unsigned (uint8, bool). The lowering
/// builds on the fx element types (`ui8`) and picks unsigned ops for them; fx-to-linalg then
/// makes every type signless, as arith requires.
bool isUnsignedElement(mlir::Type element);
/// The integer comparison for `element`: `signedPredicate` (slt, sge, ...), or its unsigned
/// form for unsigned elements.
mlir::arith::CmpIPredicate integerPredicate(mlir::arith::CmpIPredicate signedPredicate,
                                            mlir::Type element);

} // namespace fxmlir

#endif
