//===- FXAttrs.cpp - Literal attributes of the fx dialect -----------------===//
#include "fxmlir/Dialect/FX/FXAttrs.h"
#include "fxmlir/Dialect/FX/FXDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::fx;

static const llvm::StringSet<> &knownDTypes() {
  static const llvm::StringSet<> names = {
      "float32", "float64", "float16", "bfloat16", "int8",      "int16",      "int32",
      "int64",   "uint8",   "bool",    "complex64", "complex128", "qint8",    "quint8",
      "qint32",  "float8_e4m3fn", "float8_e5m2"};
  return names;
}

bool mlir::fx::isKnownDType(StringRef name) { return knownDTypes().contains(name); }

LogicalResult DTypeAttr::verify(function_ref<InFlightDiagnostic()> emitError, StringRef name) {
  if (!isKnownDType(name))
    return emitError() << "unknown torch dtype 'torch." << name << "'";
  return success();
}

LogicalResult DictAttr::verify(function_ref<InFlightDiagnostic()> emitError, ArrayAttr keys,
                               ArrayAttr values) {
  if (keys.size() != values.size())
    return emitError() << "dict has " << keys.size() << " keys but " << values.size()
                       << " values";
  for (Attribute key : keys)
    if (countOperandRefs(key) != 0)
      return emitError() << "Keys for dictionaries used as an argument cannot contain a Node. "
                            "Got key: "
                         << key;
  return success();
}

Attribute DictAttr::lookup(StringRef key) const {
  for (auto [k, v] : llvm::zip(getKeys(), getValues()))
    if (auto s = dyn_cast<StringAttr>(k); s && s.getValue() == key)
      return v;
  return {};
}

bool mlir::fx::isLiteral(Attribute attr, std::string *why) {
  auto fail = [&](const Twine &msg) {
    if (why)
      *why = msg.str();
    return false;
  };
  if (!attr)
    return fail("null literal");
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    if (i.getType().isSignlessInteger(64) || i.getType().isSignlessInteger(1))
      return true;
    return fail("integer literals must be i64 (or i1 for bool)");
  }
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    if (f.getType().isF64())
      return true;
    return fail("float literals must be f64");
  }
  if (isa<StringAttr, OperandRefAttr, NoneAttr, EllipsisAttr, DTypeAttr, DeviceAttr,
          QualNameAttr>(attr))
    return true;
  auto all = [&](ArrayAttr elements) {
    return llvm::all_of(elements, [&](Attribute e) { return isLiteral(e, why); });
  };
  if (auto a = dyn_cast<ArrayAttr>(attr))
    return all(a);
  if (auto t = dyn_cast<TupleAttr>(attr))
    return all(t.getElements());
  if (auto d = dyn_cast<DictAttr>(attr))
    return all(d.getKeys()) && all(d.getValues());
  if (auto s = dyn_cast<SliceAttr>(attr))
    return isLiteral(s.getStart(), why) && isLiteral(s.getStop(), why) &&
           isLiteral(s.getStep(), why);
  std::string text;
  llvm::raw_string_ostream os(text);
  attr.print(os);
  return fail("'" + text + "' is not a literal argument");
}

unsigned mlir::fx::countOperandRefs(Attribute attr) {
  if (isa_and_nonnull<OperandRefAttr>(attr))
    return 1;
  auto sum = [](ArrayAttr elements) {
    unsigned n = 0;
    for (Attribute e : elements)
      n += countOperandRefs(e);
    return n;
  };
  return llvm::TypeSwitch<Attribute, unsigned>(attr)
      .Case<ArrayAttr>([&](ArrayAttr a) { return sum(a); })
      .Case<TupleAttr>([&](TupleAttr t) { return sum(t.getElements()); })
      .Case<DictAttr>([&](DictAttr d) { return sum(d.getKeys()) + sum(d.getValues()); })
      .Case<SliceAttr>([&](SliceAttr s) {
        return countOperandRefs(s.getStart()) + countOperandRefs(s.getStop()) +
               countOperandRefs(s.getStep());
      })
      .Default([](Attribute) { return 0u; });
}
