//===- Schema.h - torch-style signatures and argument binding ----*- C++ -*-===//
//
// Signatures are written as torch writes its schemas:
//   "conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, *, int groups=1)"
// A `*` alone starts keyword-only parameters; `*int size` collects extra positionals (as in
// `x.view(2, 3)`, which also accepts `x.view((2, 3))`).
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_OPS_SCHEMA_H
#define FXMLIR_OPS_SCHEMA_H

#include "fxmlir/Runtime/PyValue.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fxmlir {

struct Param {
  std::string name;
  std::string type;   // "Tensor", "Tensor?", "int[2]", "float", "Scalar", ...
  bool hasDefault = false;
  PyValue defaultValue;
  bool kwargOnly = false;
  bool variadic = false; // `*int size`
};

struct Schema {
  std::string name;
  std::vector<Param> params;
  std::string returns;

  /// Parses a schema string; throws OpError on malformed text (a bug in the registry).
  static Schema parse(const std::string &text);
  /// Index of the parameter called `name`, or -1.
  int find(const std::string &name) const;
  std::string str() const;
};

/// Arguments bound to a schema's parameters, defaults filled in.
class BoundArgs {
public:
  BoundArgs(const Schema &schema, std::vector<PyValue> values)
      : schema(&schema), values(std::move(values)) {}
  const PyValue &operator[](const std::string &name) const;
  const PyValue &at(size_t i) const { return values[i]; }
  size_t size() const { return values.size(); }
  const Tensor &tensor(const std::string &name) const { return (*this)[name].tensor(); }
  int64_t toInt(const std::string &name) const { return (*this)[name].toInt(); }
  double toDouble(const std::string &name) const { return (*this)[name].toDouble(); }
  bool toBool(const std::string &name) const { return (*this)[name].toBool(); }
  bool isNone(const std::string &name) const { return (*this)[name].isNone(); }
  /// Whether the schema has parameter `name` (aten overloads sharing a kernel differ).
  bool has(const std::string &name) const { return schema->find(name) >= 0; }
  const Schema &getSchema() const { return *schema; }

private:
  const Schema *schema;
  std::vector<PyValue> values;
};

/// Where each parameter's value comes from when a call binds to a schema.
struct Slot {
  enum class Kind { Positional, Keyword, Default, Variadic } kind = Kind::Default;
  size_t index = 0;      // Positional: argument index; Keyword: keyword index
  size_t begin = 0, end = 0; // Variadic: the positional arguments it collects
  bool whole = false;    // Variadic given as one sequence (`x.view((2, 3))`)
};

/// Binds a call of `numArgs` positionals and the given keyword names as Python would;
/// `isSequence(i)` tells whether positional i is a tuple or list. Throws OpError with Python's
/// wording ("missing required argument", "unexpected keyword argument", ...).
std::vector<Slot> bindSlots(const Schema &schema, size_t numArgs,
                            const std::vector<std::string> &kwargNames,
                            const std::function<bool(size_t)> &isSequence);

/// A parameter and the call arguments bound to it: one for a positional or keyword argument
/// (or a variadic given as one sequence), the ones a variadic collects when `spread`, none
/// when the default applies.
template <typename V>
struct BoundParam {
  const Param *param;
  std::vector<V> values;
  bool spread = false;
  bool usesDefault() const { return values.empty() && !param->variadic; }
};

/// Binds arguments of any kind `V` (runtime values, lowered values, IR argument trees): the
/// one binding every level uses, so a call means the same to the interpreter, the passes and
/// the compiler.
template <typename V>
std::vector<BoundParam<V>> bindParams(const Schema &schema, const std::vector<V> &args,
                                      const std::vector<std::pair<std::string, V>> &kwargs,
                                      const std::function<bool(size_t)> &isSequence) {
  std::vector<std::string> names;
  for (const auto &kw : kwargs)
    names.push_back(kw.first);
  std::vector<Slot> slots = bindSlots(schema, args.size(), names, isSequence);
  std::vector<BoundParam<V>> bound;
  for (size_t i = 0; i < slots.size(); ++i) {
    const Slot &s = slots[i];
    BoundParam<V> p{&schema.params[i], {}, false};
    if (s.kind == Slot::Kind::Positional)
      p.values.push_back(args[s.index]);
    else if (s.kind == Slot::Kind::Keyword)
      p.values.push_back(kwargs[s.index].second);
    else if (s.kind == Slot::Kind::Variadic) {
      p.values.assign(args.begin() + s.begin, args.begin() + s.end);
      p.spread = !s.whole;
    }
    bound.push_back(std::move(p));
  }
  return bound;
}

/// One value per parameter, defaults filled in (`fromDefault` converts a default) and spread
/// variadics packed into one value (`pack`, a tuple).
template <typename V, typename FromDefault, typename Pack>
std::vector<V> bindValues(const Schema &schema, const std::vector<V> &args,
                          const std::vector<std::pair<std::string, V>> &kwargs,
                          const std::function<bool(size_t)> &isSequence,
                          FromDefault fromDefault, Pack pack) {
  std::vector<V> values;
  for (BoundParam<V> &p : bindParams(schema, args, kwargs, isSequence)) {
    if (p.usesDefault())
      values.push_back(fromDefault(p.param->defaultValue));
    else if (p.spread)
      values.push_back(pack(std::move(p.values)));
    else
      values.push_back(std::move(p.values.front()));
  }
  return values;
}

/// Binds values: defaults filled in and variadics packed into tuples.
BoundArgs bindArguments(const Schema &schema, const std::vector<PyValue> &args,
                        const std::vector<std::pair<std::string, PyValue>> &kwargs);

} // namespace fxmlir

#endif
